"""The program's entries in the OS keyring (service "smsjingling"), all removed at once.

The secrets never go to the database: SIM PINs ("modem-pin:NAME"), gateway keys ("gateway-key:NAME") and server
database passwords ("db:USER@HOST/DATABASE") are entries in the keyring (Windows Credential Manager, the Secret
Service on Linux), which an uninstaller deleting the data folder does not reach. `forget_all` removes them for an
uninstall that is asked to delete the user's data (`smsjingling secrets forget-all`).

The keyring has no call that lists a service's entries, so the names come from where they are known:
- the database: every channel it has, and every channel name its audit log ever mentions (a removed channel's
  PIN or key may still be in the keyring), and the entry of the server database's own password;
- the keyring itself as far as its backend tells: Windows Credential Manager lists its targets (keyring keeps an
  entry of service S under the target S, and moves an older one to "USER@S"); the Secret Service finds entries by
  their service attribute alone, so asking for the service's credential again and again finds each in turn.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

import keyring
from keyring.errors import KeyringError, PasswordDeleteError
from sqlalchemy import select
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from smsjingling.errors import UserError
from smsjingling.gateway.keys import keyring_name
from smsjingling.storage.database import KEYRING_SERVICE, keyring_user, open_database, resolve_url

log = logging.getLogger(__name__)

# Entry names of a channel: its SIM's PIN and its gateway key (smsjingling.sending.channels, gateway.keys).
PIN_PREFIX = "modem-pin:"
# Asking the backend for "the service's credential" again and again: a bound, should a deletion not take.
MAX_ROUNDS = 1000


@dataclass
class Forgotten:
    """What forget_all did: the entries removed, and why some names could not be gathered."""

    removed: list[str] = field(default_factory=list)
    database_read: bool = False
    problems: list[str] = field(default_factory=list)


def channel_entries(name: str) -> list[str]:
    return [f"{PIN_PREFIX}{name}", keyring_name(name)]


def names_in_database(url: URL) -> list[str]:
    """The keyring entries a database knows of: its channels' (present and past) and its own password's.

    A SQLite file that is not there is not created; the database is read as it is, not upgraded (an uninstall
    should not migrate), through the columns every schema version has."""
    from smsjingling.storage.models import AuditEvent
    from smsjingling.storage.sending import Channel

    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).is_file():
        return []
    names: list[str] = []
    if url.get_backend_name() != "sqlite" and url.username:
        names.append(keyring_user(url))
    db = open_database(url, upgrade=False)
    try:
        with db.reader() as s:
            channels = set(s.execute(select(Channel.name)).scalars())
            for details in s.execute(select(AuditEvent.details).where(AuditEvent.action.like("channel.%"))).scalars():
                if isinstance(details, dict) and isinstance(details.get("name"), str):
                    channels.add(details["name"])
    finally:
        db.close()
    for channel in sorted(channels):
        names += channel_entries(channel)
    return names


def names_in_credential_manager(service: str = KEYRING_SERVICE) -> list[str]:
    """Windows: the user names of the service's entries in Credential Manager (none elsewhere)."""
    try:
        from win32ctypes.pywin32 import win32cred
    except ImportError:
        return []
    found = []
    for target in (service, f"*@{service}"):
        try:
            credentials = win32cred.CredEnumerate(Filter=target)
        except Exception as exc:  # pywintypes.error: no entry matches (ERROR_NOT_FOUND), or no vault
            log.info("Credential Manager lists no %s: %s", target, exc)
            continue
        found += [c["UserName"] for c in credentials or () if c.get("UserName")]
    return found


def forget_all(url: URL | str | None = None, service: str = KEYRING_SERVICE) -> Forgotten:
    """Remove every keyring entry of the service that can be found (see the module's note)."""
    result = Forgotten()
    names: list[str] = []
    try:
        names += names_in_database(url if isinstance(url, URL) else resolve_url(url))
        result.database_read = True
    except (UserError, SQLAlchemyError, OSError) as exc:
        # A missing or broken database still leaves the entries the keyring itself can find.
        result.problems.append(exc.message() if isinstance(exc, UserError) else f"{type(exc).__name__}: {exc}")
    names += names_in_credential_manager(service)
    for name in dict.fromkeys(names):
        if _delete(service, name):
            result.removed.append(name)
    for _ in range(MAX_ROUNDS):
        try:
            credential = keyring.get_credential(service, None)
        except KeyringError as exc:
            result.problems.append(f"{type(exc).__name__}: {exc}")
            break
        if credential is None or not _delete(service, credential.username):
            break
        result.removed.append(credential.username)
    return result


def _delete(service: str, name: str) -> bool:
    """True when there was an entry and it is gone."""
    try:
        if keyring.get_password(service, name) is None:
            return False
        keyring.delete_password(service, name)
    except PasswordDeleteError:
        return False  # there was none
    except KeyringError as exc:  # no keyring on this machine: nothing kept there either
        log.info("cannot remove %s from the keyring: %s", name, exc)
        return False
    with contextlib.suppress(KeyringError):
        if keyring.get_password(service, name) is not None:
            return False
    return True

"""Gateway account keys: kept in the OS keyring (service "smsjingling", one entry per channel), held in
memory inside a `Secret` that never shows its value in a repr, a log line, an exception or a pickle."""

from __future__ import annotations

import contextlib

import keyring
from keyring.errors import KeyringError, PasswordDeleteError

from smsjingling import messages
from smsjingling.errors import UserError

KEYRING_SERVICE = "smsjingling"

messages.register(
    {
        "gwapi.no_key": (
            "通道 {channel} 的网关密钥不在系统钥匙串中，请重新填写",
            "The gateway key of channel {channel} is not in the system keyring; enter it again",
        ),
        "gwapi.no_keyring": (
            "无法使用系统钥匙串保存通道 {channel} 的网关密钥：{detail}",
            "The system keyring cannot hold the gateway key of channel {channel}: {detail}",
        ),
    }
)


class GatewayKeyMissing(UserError):
    """No key for a gateway channel in the keyring (or no keyring on this machine)."""


class Secret:
    """A key or password in memory. Only `reveal()` gives the value, and only signing calls it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not value:
            raise ValueError("an empty secret")
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("a Secret is not pickled")


def keyring_name(channel: str) -> str:
    return f"gateway-key:{channel}"


def store_key(channel: str, key: str) -> None:
    try:
        keyring.set_password(KEYRING_SERVICE, keyring_name(channel), key)
    except KeyringError as exc:
        raise GatewayKeyMissing("gwapi.no_keyring", channel=channel, detail=type(exc).__name__) from None


def load_key(channel: str) -> Secret:
    try:
        value = keyring.get_password(KEYRING_SERVICE, keyring_name(channel))
    except KeyringError as exc:
        raise GatewayKeyMissing("gwapi.no_keyring", channel=channel, detail=type(exc).__name__) from None
    if not value:
        raise GatewayKeyMissing("gwapi.no_key", channel=channel)
    return Secret(value)


def delete_key(channel: str) -> None:
    with contextlib.suppress(PasswordDeleteError):  # there was none
        keyring.delete_password(KEYRING_SERVICE, keyring_name(channel))

"""Errors a user can act on. Each carries a message key and its parameters (see messages.py)."""

from __future__ import annotations

from smsjingling import messages


class UserError(Exception):
    """An error whose message is shown to the user as it is: what is wrong and where."""

    def __init__(self, key: str, /, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(key)

    def message(self, lang: str | None = None) -> str:
        return messages.text(self.key, lang, **self.params)

    def __str__(self) -> str:
        return self.message()


class DatabaseError(UserError):
    """The database cannot be used as it is (locked, read-only, corrupt, too new); it was left untouched."""


class ImportFileError(UserError):
    """A file cannot be imported at all; the contact book is unchanged."""


class ValidationError(UserError):
    """A value given by the user is not acceptable."""


class NotFoundError(UserError):
    """A contact, group or other record named by the user does not exist."""

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

    def __reduce__(self) -> tuple[object, ...]:
        # An import reads its file in a child process, whose errors reach the caller pickled. Exception's own
        # pickling calls cls(*args), which loses the parameters and fails for subclasses with other
        # arguments (ImportCancelled takes none): rebuild without __init__, then restore the attributes
        # (key, params, and any notes).
        return (_rebuild, (type(self), self.args), self.__dict__)


def _rebuild(cls: type[UserError], args: tuple[object, ...]) -> UserError:
    return cls.__new__(cls, *args)


class DatabaseError(UserError):
    """The database cannot be used as it is (locked, read-only, corrupt, too new); it was left untouched."""


class ImportFileError(UserError):
    """A file cannot be imported at all; the contact book is unchanged."""


class ValidationError(UserError):
    """A value given by the user is not acceptable."""


class NotFoundError(UserError):
    """A contact, group or other record named by the user does not exist."""

"""Errors the user can read: each carries one translatable sentence.

The message is kept untranslated (an ``N_`` msgid with ``{named}`` parameters) and translated
when shown, so the same error reads in French on one screen and English in a log-free test.
"""

from __future__ import annotations

from typing import Any

from jsd_desk.i18n import _


class JsdError(Exception):
    """Base of every error meant for a person. ``exit_status`` follows DESIGN §7."""

    exit_status = 3

    def __init__(self, msgid: str, **params: Any) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.params = params

    def message(self) -> str:
        """The sentence in the current language."""
        params = {k: (v.message() if isinstance(v, JsdError) else v) for k, v in self.params.items()}
        return _(self.msgid, **params)

    def __str__(self) -> str:
        return self.message()


class UsageError(JsdError):
    """The call itself is wrong (exit status 2)."""

    exit_status = 2


class InputRefused(JsdError):
    """A file, bundle or value from outside was refused (exit status 3)."""


class WrongPassphrase(InputRefused):
    pass


class StoreError(InputRefused):
    """The store cannot be opened or upgraded as it is."""


class NotFound(InputRefused):
    pass


class ValidationError(InputRefused):
    """A value a user typed is not acceptable; ``field`` names the field at fault."""

    def __init__(self, field: str, msgid: str, **params: Any) -> None:
        super().__init__(msgid, **params)
        self.field = field


class PermissionDenied(InputRefused):
    pass

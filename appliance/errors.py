"""One error hierarchy for the domain.

Every error carries a message a paramedic or an IT admin can act on. Shells (CLI, TUI, hub) show
``str(error)`` and, where useful, ``error.hint``. Errors raised while handling a driver's
exception keep the original as ``__cause__`` (``raise ... from exc``).
"""

from __future__ import annotations


class LifeboatError(Exception):
    """Base class: a problem Lifeboat can explain to its user."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n  What to do: {self.hint}"


class ConfigError(LifeboatError):
    """The configuration file or data directory is unusable."""


class NotEnrolledError(LifeboatError):
    """This device has not been set up yet."""


class StoreError(LifeboatError):
    """The encrypted record store could not be opened or written."""


class StoreVersionError(StoreError):
    """The database was written by a newer Lifeboat."""


class AuthError(LifeboatError):
    """Login failed: unknown user, wrong PIN, locked or disabled account."""


class LockedOutError(AuthError):
    """Too many wrong PINs: wait before trying again."""

    def __init__(self, message: str, *, retry_after_s: float, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.retry_after_s = retry_after_s


class PermissionDenied(LifeboatError):
    """The signed-in user's role does not allow this action."""


class ValidationError(LifeboatError):
    """Input was rejected; ``field`` names the offending field when there is one."""

    def __init__(self, message: str, *, field: str | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.field = field


class AuditTamperedError(LifeboatError):
    """The hash chain of the audit log does not verify."""


class DiskFullError(LifeboatError):
    """Not enough free disk space for the operation."""


class PackError(LifeboatError):
    """A protocol pack is malformed, tampered or untrusted."""


class ModelError(LifeboatError):
    """A model file is missing, corrupt or unusable."""


class SyncError(LifeboatError):
    """Sync with the hub failed or a request/bundle was refused."""

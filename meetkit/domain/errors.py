"""Domain errors: each carries a message a person understands; web and CLI map them in one place."""

from __future__ import annotations


class MeetkitError(Exception):
    """Base of all errors meant to be shown to the person who caused them."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(MeetkitError):
    """The input was malformed or out of range."""


class NotFound(MeetkitError):
    """The thing asked for does not exist."""


class Conflict(MeetkitError):
    """The request clashes with what is already stored."""


class Unauthorized(MeetkitError):
    """Credentials are missing or wrong."""


class Forbidden(MeetkitError):
    """The request is not allowed as sent (a form without its security token, from another site)."""


class LoanNotRunning(Forbidden):
    """A group's tablet used outside its loan: not begun yet (`begun` False), or ended or returned."""

    def __init__(self, message: str, *, begun: bool) -> None:
        super().__init__(message)
        self.begun = begun


class RateLimited(MeetkitError):
    """Too many failed attempts; the client may try again after `retry_after_seconds`."""

    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


class FeatureDisabled(MeetkitError):
    """The feature needs configuration that is not set."""


class LinkRenewed(NotFound):
    """A member or leader link that was replaced by a newer one."""

    def __init__(self, message: str, contact_point_name: str | None, contact_point_phone: str | None) -> None:
        super().__init__(message)
        self.contact_point_name = contact_point_name
        self.contact_point_phone = contact_point_phone


class LinkUsedUp(NotFound):
    """A one-time or dated link (invitation, hand-over, guest link) that no longer works; says whom to call."""

    def __init__(self, message: str, contact_point_name: str | None, contact_point_phone: str | None) -> None:
        super().__init__(message)
        self.contact_point_name = contact_point_name
        self.contact_point_phone = contact_point_phone


class Unavailable(MeetkitError):
    """A service meetkit needs (the database) cannot be reached right now; trying again later may work."""

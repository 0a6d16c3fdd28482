"""Domain errors. Messages are English msgids (marked with N_) that the web layer translates."""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802  (gettext marker convention)
    """Mark a string for translation without translating it here."""
    return message


class DomainError(Exception):
    status = 400

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


class Invalid(DomainError):
    status = 422


class NotFound(DomainError):
    status = 404


class Forbidden(DomainError):
    status = 403


class Conflict(DomainError):
    status = 409


class Gone(DomainError):
    status = 410


class WorkshopEnded(Gone):
    """A join code of a workshop that has been closed: its phones may still look at it (and the report)."""

    def __init__(self, workshop_id: int) -> None:
        super().__init__(N_("This workshop has ended. Thank you for taking part."))
        self.workshop_id = workshop_id


class TooMany(DomainError):
    status = 429

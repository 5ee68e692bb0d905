"""One error hierarchy for Chancery; API errors carry a stable ``code``."""


class ChanceryError(Exception):
    """Base for errors Chancery raises on purpose, with a message fit for users."""

    code = "CHANCERY_ERROR"


class NotFound(ChanceryError):
    """A slug or code that names no record."""

    code = "NOT_FOUND"


class InvalidFilter(ChanceryError):
    """A filter value that cannot be applied (unknown slug or code, bad window)."""

    code = "INVALID_FILTER"

"""One error hierarchy for Chancery; API errors carry a stable ``code``."""


class ChanceryError(Exception):
    """Base for errors Chancery raises on purpose, with a message fit for users."""

    code = "CHANCERY_ERROR"


class InvalidFilter(ChanceryError):
    """A filter value that cannot be applied (unknown slug or code, bad window)."""

    code = "INVALID_FILTER"


class SeedError(ChanceryError):
    """Seed files that cannot be imported; carries every problem found, one line each."""

    code = "SEED_INVALID"

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))

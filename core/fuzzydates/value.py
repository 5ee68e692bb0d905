"""The value type of a fuzzy date, and parsing it once: the bounded cache in front of the readers.

The readers (``core.fuzzydates.fast`` for the common forms, ``core.fuzzydates.package``
for everything else) build :class:`FuzzyDate` values through ``core.fuzzydates.describe``,
all three above this module (it imports none of them; ``use_readers`` hands them over);
the module docstring of ``core.fuzzydates`` says what each attribute means.
"""

from __future__ import annotations

import enum
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models


class Precision(enum.Enum):
    """How finely a value is known; an interval or set takes its coarsest part's."""

    DAY = "DAY"
    MONTH = "MONTH"
    SEASON = "SEASON"
    YEAR = "YEAR"
    DECADE = "DECADE"
    CENTURY = "CENTURY"
    MILLENNIUM = "MILLENNIUM"


class DateKind(enum.Enum):
    """What the interval of days means (see ``core.fuzzydates``)."""

    POINT = "POINT"
    WITHIN = "WITHIN"
    SPAN = "SPAN"
    MULTIPLE = "MULTIPLE"


class EndState(enum.Enum):
    """One end of a span: a date, open (``..``, no end) or unknown (empty: an end nobody gives)."""

    KNOWN = "KNOWN"
    OPEN = "OPEN"
    UNKNOWN = "UNKNOWN"


# Coarsest last: an interval or set takes the coarsest precision of its parts.
_PRECISION_ORDER = list(Precision)

# Stored in place of an open or unknown end (see ``core.fuzzydates``).
OPEN_START = date(1, 1, 1)
OPEN_END = date(9999, 12, 31)

# Longest EDTF text accepted anywhere (API, admin, preview, importer), checked before any
# parsing: the package's grammar costs ~5 ms per character, and the longest honest values
# ("[2022-02-24..2025-08-06]", a few-member set) are well under this. The columns are this wide.
MAX_EDTF_LENGTH = 64

# Distinct values kept parsed. A value is a few hundred bytes, so this is a few MB at most;
# an import touches each value three times (validate, clean, save) and pages re-read them.
PARSE_CACHE_SIZE = 8192


@dataclass(frozen=True)
class FuzzyDate:
    """An EDTF value with the days it may denote and what is known of it (module docstring)."""

    edtf: str
    earliest: date | None
    latest: date | None
    kind: DateKind
    precision: Precision
    uncertain: bool
    approximate: bool
    display: str
    start: FuzzyDate | None = None
    end: FuzzyDate | None = None
    start_state: EndState | None = None
    end_state: EndState | None = None

    @classmethod
    def parse(cls, value: str) -> FuzzyDate:
        """Parse EDTF text; raise ValidationError quoting the value when invalid or too long."""
        value = value or ""
        if len(value) > MAX_EDTF_LENGTH:
            raise _too_long(value)
        value = value.strip()
        if not value:
            raise invalid(value, "is empty")
        return _parse_cached(value)

    @classmethod
    def parse_with_package(cls, value: str) -> FuzzyDate:
        """Parse with the ``edtf`` package only, no fast path, no cache (tests and bench)."""
        return _readers.complete(value.strip())

    @classmethod
    def from_stored(cls, edtf: str, earliest: date | None, latest: date | None) -> FuzzyDate | None:
        """Rebuild from database columns (cached, usually no parsing); None for an empty value."""
        if not edtf:
            return None
        try:
            return cls.parse(edtf)
        except ValidationError:
            # Text written before a rule tightened: show it as stored rather than fail a read.
            return cls._unreadable(edtf, earliest, latest)

    @classmethod
    def _unreadable(cls, edtf: str, earliest: date | None, latest: date | None) -> FuzzyDate:
        earliest = None if earliest == OPEN_START else earliest
        latest = None if latest == OPEN_END else latest
        point = earliest is not None and earliest == latest
        return cls(
            edtf,
            earliest,
            latest,
            kind=DateKind.POINT if point else DateKind.WITHIN,
            precision=Precision.DAY if point else Precision.YEAR,
            uncertain="?" in edtf or "%" in edtf,
            approximate="~" in edtf or "%" in edtf,
            display=edtf,
        )

    @classmethod
    def of(cls, instance: models.Model, name: str) -> FuzzyDate | None:
        """Return the fuzzy date ``name`` stored on ``instance``; None when it has none."""
        return cls.from_stored(
            getattr(instance, name),
            getattr(instance, f"{name}_earliest"),
            getattr(instance, f"{name}_latest"),
        )

    @property
    def stored_bounds(self) -> tuple[date, date]:
        """Bounds as the database keeps them: open and unknown ends become OPEN_START/OPEN_END."""
        return (self.earliest or OPEN_START, self.latest or OPEN_END)

    def __str__(self) -> str:
        return self.edtf


NOT_EDTF = "is not a valid EDTF date"


def invalid(value: str, why: str = NOT_EDTF) -> ValidationError:
    """The error for text that is no EDTF date, quoting it and showing what is."""
    return ValidationError(
        "%(value)r " + why + " (examples: 2024-05, 2022-04-13, 2022~, 2024-05?, 2022-02-24/..).",
        code="invalid_edtf",
        params={"value": value},
    )


def _too_long(value: str) -> ValidationError:
    return ValidationError(
        "%(start)r… is %(length)d characters long; an EDTF date has at most %(limit)d characters.",
        code="edtf_too_long",
        params={"start": value[:20], "length": len(value), "limit": MAX_EDTF_LENGTH},
    )


class _ParseCache:
    """A bounded, thread-safe LRU of parsed values (functools.lru_cache cannot be refreshed
    from outside, which the field needs: see ``FuzzyDateField.pre_save``)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[str, FuzzyDate] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, value: str) -> FuzzyDate | None:
        with self._lock:
            parsed = self._values.get(value)
            if parsed is None:
                self.misses += 1
                return None
            self._values.move_to_end(value)
            self.hits += 1
            return parsed

    def put(self, parsed: FuzzyDate) -> None:
        with self._lock:
            self._values[parsed.edtf] = parsed
            self._values.move_to_end(parsed.edtf)
            if len(self._values) > self.size:
                self._values.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self.hits = self.misses = 0


_cache = _ParseCache(PARSE_CACHE_SIZE)


@dataclass
class _Readers:
    """How text becomes a FuzzyDate: ``fast`` reads the common forms (None for any other),
    ``complete`` reads every EDTF value or raises."""

    fast: Callable[[str], FuzzyDate | None]
    complete: Callable[[str], FuzzyDate]


def _not_installed(value: str) -> FuzzyDate:
    raise RuntimeError("core.fuzzydates installs its readers on import")


# The readers (core.fuzzydates.fast and .package) build FuzzyDate values, so they import this
# module and this module does not import them: core.fuzzydates hands them over with
# use_readers() when it is imported, which is before any code can reach this module.
_readers = _Readers(fast=_not_installed, complete=_not_installed)


def use_readers(*, fast: Callable[[str], FuzzyDate | None], complete: Callable[[str], FuzzyDate]) -> None:
    """Set the readers every parse goes through (``core.fuzzydates`` does, once)."""
    _readers.fast, _readers.complete = fast, complete


def _parse_cached(value: str) -> FuzzyDate:
    # Errors are not cached: a bad value is read again, which the length limit keeps cheap.
    parsed = _cache.get(value)
    if parsed is None:
        parsed = _readers.fast(value) or _readers.complete(value)
        _cache.put(parsed)
    return parsed


def remember(parsed: FuzzyDate) -> None:
    """Keep a value parsed earlier in the cache (``FuzzyDateField.pre_save``)."""
    _cache.put(parsed)


def clear_parse_cache() -> None:
    """Forget cached values (tests and the bench measure the uncached cost with it)."""
    _cache.clear()

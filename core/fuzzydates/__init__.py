"""Fuzzy dates: EDTF text, the interval of days it may denote, and what that interval means.

Chancery stores every date as the EDTF value an editor typed (Library of
Congress Extended Date/Time Format, levels 0-2) and, beside it, the first and
last day that value may denote. Sorting and overlap filters then stay plain
indexed comparisons on two DATE columns, while the text keeps what the source
actually said ("May", "early 2022", "c. 2022").

What a value means (``FuzzyDate.kind``), for anything that draws or explains it
(API, admin, public pages, exports all read these attributes, never the text):

``DateKind.POINT``
    One day, known to the day: ``earliest == latest`` ("2022-04-13", "2022-04-13?").
``DateKind.WITHIN``
    One day, somewhere within ``[earliest, latest]``: month, season, year,
    decade precision ("2024-05", "2022-21", "199X") and one-of sets
    ("[2022-02-24..2025-08-06]", "[2024-05,2025-05]"). Draw a band, not a bar.
``DateKind.SPAN``
    Something lasting from ``start`` to ``end`` (EDTF intervals, "2022-01/2022-04").
    ``start`` and ``end`` are FuzzyDates of their own, each with its own
    precision and qualifiers ("2022~/2023-05": a circa-2022 start, a May 2023
    end). ``start_state``/``end_state`` say ``KNOWN``, ``OPEN`` ("2022-02-24/..":
    still going, no end) or ``UNKNOWN`` ("2022-02-24/": it ended, nobody says when);
    ``start``/``end`` are None unless ``KNOWN``.
``DateKind.MULTIPLE``
    Every one of several dates ("{2022,2023}"), all within ``[earliest, latest]``.

``uncertain`` (EDTF ``?``) and ``approximate`` (``~``; ``%`` is both) say whether
any part of the value is qualified; ``display`` says which part ("11 June 2004
(day approximate)"). ``precision`` is how finely the value is known.

An open or unknown end ("2022-02-24/..", "2022-02-24/") is stored as the last
representable day, an open start as the first, never as NULL: then one plain
ascending index serves the timeline order on SQLite and PostgreSQL alike (they
disagree on where NULLs sort, and SQLite cannot index NULLS FIRST), and an
overlap filter stays two comparisons with no ``IS NULL`` branches. NULL bounds
mean "no date at all". ``earliest``/``latest`` on a FuzzyDate are None for those ends.

Bounds are the *strict* bounds from the ``edtf`` package: "2024-05?" denotes
May 2024, flagged uncertain. The package's "fuzzy" bounds pad by arbitrary
amounts (a year and a month for "2024-05?"), which would make a May event
appear in the previous year's timeline; the flags carry the doubt instead.

Speed: the package's pyparsing grammar costs milliseconds per value (and ~5 ms
per input character), so :meth:`FuzzyDate.parse` refuses text longer than
``MAX_EDTF_LENGTH`` before any parsing, reads the common forms (year, month,
day, intervals of them, one-of day ranges) with an exact fast path
(``core.fuzzydates.reading.read_fast``, checked against the package by a property
test), and keeps a bounded LRU cache of results. Every attribute is computed
once at parse time, so ``display``/``precision`` cost nothing to read.
"""

from __future__ import annotations

import calendar
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models

from core.fuzzydates.reading import (
    OPEN_END,
    OPEN_START,
    DateKind,
    EndState,
    Precision,
    Reading,
    invalid,
    read_fast,
    read_with_package,
)

__all__ = [
    "MAX_EDTF_LENGTH",
    "OPEN_END",
    "OPEN_START",
    "DateKind",
    "EndState",
    "FuzzyDate",
    "FuzzyDateField",
    "PeriodStart",
    "Precision",
    "fuzzy_date_fields",
    "parse_day",
    "period_end",
    "validate_edtf",
]

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
        return _from_reading(read_with_package(value.strip()))

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

    @property
    def is_interval(self) -> bool:
        return self.kind is DateKind.SPAN

    def __str__(self) -> str:
        return self.edtf


def _too_long(value: str) -> ValidationError:
    return ValidationError(
        "%(start)r… is %(length)d characters long; an EDTF date has at most %(limit)d characters.",
        code="edtf_too_long",
        params={"start": value[:20], "length": len(value), "limit": MAX_EDTF_LENGTH},
    )


def _from_reading(reading: Reading) -> FuzzyDate:
    return FuzzyDate(
        reading.edtf,
        reading.earliest,
        reading.latest,
        kind=reading.kind,
        precision=reading.precision,
        uncertain=reading.uncertain,
        approximate=reading.approximate,
        display=reading.display,
        start=_from_reading(reading.start) if reading.start else None,
        end=_from_reading(reading.end) if reading.end else None,
        start_state=reading.start_state,
        end_state=reading.end_state,
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


def _parse_cached(value: str) -> FuzzyDate:
    # Errors are not cached: a bad value is read again, which the length limit keeps cheap.
    parsed = _cache.get(value)
    if parsed is None:
        parsed = _from_reading(read_fast(value) or read_with_package(value))
        _cache.put(parsed)
    return parsed


def clear_parse_cache() -> None:
    """Forget cached values (tests and the bench measure the uncached cost with it)."""
    _cache.clear()


class PeriodStart(date):
    """The first day of a month or year given where a day was expected ("2025-05"),
    knowing the period's last day: a window ``[from, to]`` reads ``from`` as the first day
    and ``to`` as the last (:func:`period_end`), so ``from: 2025-05, to: 2025-05`` is May."""

    last: date

    def __new__(cls, first: date, last: date) -> PeriodStart:
        day = super().__new__(cls, first.year, first.month, first.day)
        day.last = last
        return day

    def __repr__(self) -> str:
        return f"PeriodStart({date(self.year, self.month, self.day)!r}, {self.last!r})"


_YEAR_OR_MONTH = re.compile(r"(\d{4})(?:-(\d{2}))?")
DAY_FORMS = "YYYY-MM-DD, YYYY-MM or YYYY (e.g. 2025-05-20, 2025-05, 2025)"


def parse_day(text: str) -> date:
    """Read a day, a month or a year given as a date bound; ValueError naming the forms."""
    if m := _YEAR_OR_MONTH.fullmatch(text):
        year, month = int(m.group(1)), int(m.group(2) or 0)
        if year >= 1 and (not m.group(2) or 1 <= month <= 12):
            first = date(year, month or 1, 1)
            last = date(year, month or 12, calendar.monthrange(year, month or 12)[1])
            return PeriodStart(first, last)
    try:
        return date.fromisoformat(text)
    except ValueError:
        # GraphQL quotes the value before this message ('Value cannot represent a Date: "x".').
        raise ValueError(f"Use {DAY_FORMS}.") from None


def period_end(day: date) -> date:
    """The last day of the period a bound names: the day itself, or its month's or year's last."""
    return day.last if isinstance(day, PeriodStart) else day


def validate_edtf(value: str) -> None:
    """Validator: refuse text that is not EDTF, quoting it."""
    if value:
        FuzzyDate.parse(value)


class FuzzyDateField(models.CharField):
    """EDTF text whose bounds are kept in sibling ``<name>_earliest``/``<name>_latest`` fields.

    Declare all three with :func:`fuzzy_date_fields`; ``pre_save`` keeps the
    bounds in step with the text on every save. Validation parses the text and
    keeps the result on the instance, so a validated save parses once.
    """

    description = "EDTF date (Extended Date/Time Format)"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", MAX_EDTF_LENGTH)
        super().__init__(*args, **kwargs)
        # FuzzyDate.parse states the length limit itself; CharField's generic length
        # message beside it would say the same thing twice.
        self.validators[:] = [v for v in self.validators if not isinstance(v, MaxLengthValidator)]

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == MAX_EDTF_LENGTH:
            del kwargs["max_length"]
        kwargs.pop("validators", None)
        return name, path, args, kwargs

    def validate(self, value: Any, model_instance: models.Model | None) -> None:
        super().validate(value, model_instance)
        if value:
            parsed = FuzzyDate.parse(value)
            if model_instance is not None:
                model_instance.__dict__[self._parsed_key] = parsed

    @property
    def _parsed_key(self) -> str:
        return f"_fuzzydate_{self.attname}"

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        # Bounds are parsed from the trimmed text, so the text is stored trimmed too.
        value = (super().pre_save(model_instance, add) or "").strip()
        setattr(model_instance, self.attname, value)
        parsed = model_instance.__dict__.get(self._parsed_key)
        if value and (parsed is None or parsed.edtf != value):
            parsed = FuzzyDate.parse(value)
        elif parsed is not None:
            # Validated earlier (an importer validates everything before writing): put it
            # back in the cache, so the history row written next does not parse it again.
            _cache.put(parsed)
        earliest, latest = parsed.stored_bounds if value and parsed else (None, None)
        setattr(model_instance, f"{self.attname}_earliest", earliest)
        setattr(model_instance, f"{self.attname}_latest", latest)
        return value

    def check(self, **kwargs: Any) -> list[Any]:
        from django.core import checks

        errors = super().check(**kwargs)
        names = {f.name for f in self.model._meta.get_fields()}
        for suffix in ("earliest", "latest"):
            if f"{self.name}_{suffix}" not in names:
                errors.append(
                    checks.Error(
                        f"FuzzyDateField {self.name!r} needs a sibling DateField "
                        f"'{self.name}_{suffix}'; declare it with fuzzy_date_fields().",
                        obj=self,
                        id="core.E001",
                    )
                )
        return errors


def fuzzy_date_fields(
    verbose_name: str, *, required: bool = False, help_text: str = ""
) -> tuple[FuzzyDateField, models.DateField, models.DateField]:
    """Return the EDTF field and its two indexed bound fields, to unpack in a model body."""
    help_text = help_text or (
        "EDTF: 2024-05 (May 2024), 2022-04-13, 2022~ (circa), 2024-05? (uncertain), "
        "2022-21 (spring), 2022-01/2022-04 (lasting from one to the other), 2022-02-24/.. (still going), "
        "[2022-02-24..2025-08-06] (one day, somewhere between)."
    )
    return (
        FuzzyDateField(verbose_name, blank=not required, help_text=help_text),
        # A required date always has bounds: NOT NULL lets keyset paging bound its cursor.
        models.DateField(f"{verbose_name} (earliest day)", null=not required, blank=True, editable=False),
        models.DateField(f"{verbose_name} (latest day)", null=not required, blank=True, editable=False),
    )

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
(``core.fuzzydates.fast.read_fast``, checked against the package by a property
test), and keeps a bounded LRU cache of results. Every attribute is computed
once at parse time, so ``display``/``precision`` cost nothing to read.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Any

from django.core.validators import MaxLengthValidator
from django.db import models

from core.fuzzydates.fast import read_fast
from core.fuzzydates.package import read_with_package
from core.fuzzydates.value import (
    MAX_EDTF_LENGTH,
    OPEN_END,
    OPEN_START,
    DateKind,
    EndState,
    FuzzyDate,
    Precision,
    clear_parse_cache,
    remember,
    use_readers,
)

# The one place the readers meet the value type (which cannot import them: they build it).
use_readers(fast=read_fast, complete=read_with_package)

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
    "clear_parse_cache",
    "fuzzy_date_fields",
    "parse_day",
    "period_end",
    "validate_edtf",
]


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


_YEAR_OR_MONTH = re.compile(r"(\d{4})(?:-(\d{2}))?", re.ASCII)  # ASCII digits only, as EDTF
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
            remember(parsed)
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

"""Fuzzy dates: EDTF text plus the interval of days it may denote.

Chancery stores every date as the EDTF value an editor typed (Library of
Congress Extended Date/Time Format, levels 0-2) and, beside it, the first and
last day that value may denote. Sorting and overlap filters then stay plain
indexed comparisons on two DATE columns, while the text keeps what the source
actually said ("May", "early 2022", "c. 2022").

An open end ("2022-02-24/..") is stored as the last representable day, an open
start as the first, never as NULL: then one plain ascending index serves the
timeline order on SQLite and PostgreSQL alike (they disagree on where NULLs
sort, and SQLite cannot index NULLS FIRST), and an overlap filter stays two
comparisons with no ``IS NULL`` branches. NULL bounds mean "no date at all".

Bounds are the *strict* bounds from the ``edtf`` package: "2024-05?" denotes
May 2024, flagged uncertain. The package's "fuzzy" bounds pad by arbitrary
amounts (a year and a month for "2024-05?"), which would make a May event
appear in the previous year's timeline; the flags carry the doubt instead.
"""

from __future__ import annotations

import calendar
import enum
import re
import time
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from edtf import parse_edtf
from edtf.parser.edtf_exceptions import EDTFParseException
from edtf.parser.parser_classes import Level1Interval, UnspecifiedIntervalSection


class Precision(enum.Enum):
    DAY = "DAY"
    MONTH = "MONTH"
    SEASON = "SEASON"
    YEAR = "YEAR"
    DECADE = "DECADE"
    CENTURY = "CENTURY"


# Coarsest last: an interval takes the coarser precision of its two ends.
_PRECISION_ORDER = list(Precision)

# EDTF level 2 sub-year groupings (21-41) as readers say them.
_SEASON_NAMES = {
    21: "spring",
    22: "summer",
    23: "autumn",
    24: "winter",
    25: "spring (northern hemisphere)",
    26: "summer (northern hemisphere)",
    27: "autumn (northern hemisphere)",
    28: "winter (northern hemisphere)",
    29: "spring (southern hemisphere)",
    30: "summer (southern hemisphere)",
    31: "autumn (southern hemisphere)",
    32: "winter (southern hemisphere)",
    33: "first quarter of",
    34: "second quarter of",
    35: "third quarter of",
    36: "fourth quarter of",
    37: "first four months of",
    38: "second four months of",
    39: "third four months of",
    40: "first half of",
    41: "second half of",
}

_OPEN_SECTIONS = {"", ".."}

# Stored in place of an open interval's missing bound (see the module docstring).
OPEN_START = date(1, 1, 1)
OPEN_END = date(9999, 12, 31)
_DAY = re.compile(r"^(-?\d{4})-(\d{2})-(\d{2})")
_MONTH = re.compile(r"^(-?\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(-?\d{4})$")
_UNSPECIFIED_DAY = re.compile(r"^\d{4}-\d{2}-XX$")
_UNSPECIFIED_MONTH = re.compile(r"^\d{4}-XX(-XX)?$")
_DECADE = re.compile(r"^(\d{3})X$")
_CENTURY = re.compile(r"^(\d{2})XX$")


def _invalid(value: str, why: str = "is not a valid EDTF date") -> ValidationError:
    return ValidationError(
        "%(value)r " + why + " (examples: 2024-05, 2022-04-13, 2022~, 2024-05?, 2022-02-24/..).",
        code="invalid_edtf",
        params={"value": value},
    )


def _to_date(value: str, struct: time.struct_time) -> date:
    if not 1 <= struct.tm_year <= 9999:
        raise _invalid(value, "is outside the supported years 1-9999")
    return date(struct.tm_year, struct.tm_mon, struct.tm_mday)


def _strip(part: str) -> str:
    """Drop EDTF qualifiers so the shape of a single date can be read."""
    return re.sub(r"[?~%\[\]{}]", "", part)


def _precision_of(part: str) -> Precision:
    core = _strip(part)
    if _DECADE.match(core):
        return Precision.DECADE
    if _CENTURY.match(core):
        return Precision.CENTURY
    if _UNSPECIFIED_MONTH.match(core):
        return Precision.YEAR
    if _UNSPECIFIED_DAY.match(core):
        return Precision.MONTH
    if m := _MONTH.match(core):
        return Precision.SEASON if int(m.group(2)) > 12 else Precision.MONTH
    if _DAY.match(core):
        return Precision.DAY
    return Precision.YEAR


def _display_part(part: str) -> str:
    core = _strip(part)
    if m := _DAY.match(core):
        day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        text = f"{day.day} {calendar.month_name[day.month]} {day.year}"
    elif m := _MONTH.match(core):
        year, sub = int(m.group(1)), int(m.group(2))
        text = f"{_SEASON_NAMES[sub] if sub > 12 else calendar.month_name[sub]} {year}"
    elif m := _DECADE.match(core):
        text = f"{m.group(1)}0s"
    elif m := _CENTURY.match(core):
        text = f"{m.group(1)}00s"
    elif _UNSPECIFIED_DAY.match(core):
        y, mo = int(core[:4]), int(core[5:7])
        text = f"{calendar.month_name[mo]} {y}"
    else:
        text = core[:4].lstrip("0") or "0"
    if "%" in part or ("~" in part and "?" in part):
        return f"c. {text}?"
    if "~" in part:
        return f"c. {text}"
    if "?" in part:
        return f"{text}?"
    return text


def _display_set_item(item: str) -> str:
    """One member of an EDTF set; a range "a..b" is one day somewhere in it."""
    if ".." not in item:
        return _display_part(item)
    start, end = item.split("..", 1)
    if not start:
        return f"on or before {_display_part(end)}"
    if not end:
        return f"on or after {_display_part(start)}"
    return f"between {_display_part(start)} and {_display_part(end)}"


@dataclass(frozen=True)
class FuzzyDate:
    """An EDTF value with the days it may denote and what is known of it."""

    edtf: str
    earliest: date | None
    latest: date | None

    @classmethod
    def parse(cls, value: str) -> FuzzyDate:
        """Parse EDTF text; raise ValidationError quoting the value when invalid."""
        value = (value or "").strip()
        if not value:
            raise _invalid(value, "is empty")
        try:
            parsed = parse_edtf(value)
        except (EDTFParseException, ValueError, TypeError):
            raise _invalid(value) from None
        if value.startswith(("[", "{")):
            return cls._parse_set(value)
        if isinstance(parsed, Level1Interval):
            earliest = cls._section_bound(value, parsed.lower, lower=True)
            latest = cls._section_bound(value, parsed.upper, lower=False)
        else:
            try:
                earliest = _to_date(value, parsed.lower_strict())
                latest = _to_date(value, parsed.upper_strict())
            except (ValueError, TypeError, OverflowError, AttributeError):
                raise _invalid(value) from None
        if earliest and latest and earliest > latest:
            raise _invalid(value, "ends before it starts")
        return cls(value, earliest, latest)

    @classmethod
    def _parse_set(cls, value: str) -> FuzzyDate:
        # Bound each member ourselves: the edtf package validates sets but cannot bound
        # an open-ended one ("[..2025-08-06]": on or before that day).
        lowers: list[date | None] = []
        uppers: list[date | None] = []
        for item in value[1:-1].split(","):
            start, _, end = item.partition("..") if ".." in item else (item, "", item)
            try:
                lowers.append(_to_date(value, parse_edtf(start).lower_strict()) if start else None)
                uppers.append(_to_date(value, parse_edtf(end).upper_strict()) if end else None)
            except (EDTFParseException, ValueError, TypeError, OverflowError, AttributeError):
                raise _invalid(value) from None
        earliest = None if None in lowers else min(lowers)  # type: ignore[type-var]
        latest = None if None in uppers else max(uppers)  # type: ignore[type-var]
        return cls(value, earliest, latest)

    @staticmethod
    def _section_bound(value: str, section: Any, *, lower: bool) -> date | None:
        if isinstance(section, UnspecifiedIntervalSection):
            return None
        try:
            return _to_date(value, section.lower_strict() if lower else section.upper_strict())
        except (ValueError, TypeError, OverflowError, AttributeError):
            raise _invalid(value) from None

    @classmethod
    def from_stored(cls, edtf: str, earliest: date | None, latest: date | None) -> FuzzyDate | None:
        """Rebuild from database columns without parsing again; None for an empty value."""
        if not edtf:
            return None
        if "/" in edtf:
            start, end = edtf.split("/", 1)
            earliest = None if start in _OPEN_SECTIONS else earliest
            latest = None if end in _OPEN_SECTIONS else latest
        elif edtf.startswith(("[", "{")):
            earliest = None if edtf[1:3] == ".." else earliest
            latest = None if edtf[-3:-1] == ".." else latest
        return cls(edtf, earliest, latest)

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
        """Bounds as the database keeps them: open ends become OPEN_START/OPEN_END."""
        return (self.earliest or OPEN_START, self.latest or OPEN_END)

    def _parts(self) -> list[str]:
        if self.edtf.startswith(("[", "{")):
            return [p for p in re.split(r"[,]|\.\.", self.edtf.strip("[]{}")) if p]
        return self.edtf.split("/") if "/" in self.edtf else [self.edtf]

    @property
    def is_interval(self) -> bool:
        return "/" in self.edtf

    @property
    def precision(self) -> Precision:
        parts = [p for p in self._parts() if p not in _OPEN_SECTIONS]
        return max((_precision_of(p) for p in parts), key=_PRECISION_ORDER.index)

    @property
    def uncertain(self) -> bool:
        return "?" in self.edtf or "%" in self.edtf

    @property
    def approximate(self) -> bool:
        return "~" in self.edtf or "%" in self.edtf

    @property
    def display(self) -> str:
        """Human form, e.g. 'May 2024', 'c. 2022', 'from 24 February 2022'."""
        if self.is_interval:
            start, end = self.edtf.split("/", 1)
            if start in _OPEN_SECTIONS:
                return f"until {_display_part(end)}"
            if end in _OPEN_SECTIONS:
                return f"from {_display_part(start)}"
            return f"{_display_part(start)} – {_display_part(end)}"
        if self.edtf.startswith(("[", "{")):
            joiner = " or " if self.edtf.startswith("[") else " and "
            return joiner.join(_display_set_item(item) for item in self.edtf[1:-1].split(","))
        return _display_part(self.edtf)

    def __str__(self) -> str:
        return self.edtf


def validate_edtf(value: str) -> None:
    """Field validator: refuse text that is not EDTF, quoting it."""
    if value:
        FuzzyDate.parse(value)


class FuzzyDateField(models.CharField):
    """EDTF text whose bounds are kept in sibling ``<name>_earliest``/``<name>_latest`` fields.

    Declare all three with :func:`fuzzy_date_fields`; ``pre_save`` keeps the
    bounds in step with the text on every save.
    """

    description = "EDTF date (Extended Date/Time Format)"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("validators", [validate_edtf])
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 64:
            del kwargs["max_length"]
        kwargs.pop("validators", None)
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        # Bounds are parsed from the trimmed text, so the text is stored trimmed too.
        value = (super().pre_save(model_instance, add) or "").strip()
        setattr(model_instance, self.attname, value)
        earliest, latest = FuzzyDate.parse(value).stored_bounds if value else (None, None)
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

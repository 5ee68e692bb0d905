"""Reading EDTF text into what it means: bounds, kind, precision, qualifiers, display.

Two readers produce the same :class:`Reading`:

- :func:`read_with_package` walks the parse tree of the ``edtf`` package, the
  authority for every EDTF form (levels 0-2).
- :func:`read_fast` reads the common forms (``2022``, ``2022-05``,
  ``2022-05-04``, each with an optional trailing ``?``/``~``/``%``, intervals of
  them with ``..`` or empty ends, and sets of such dates and of ranges ``a..b``,
  ``..a``, ``a..``, as ``[one of]`` or ``{all of}``) with regular expressions, and
  returns None for anything else or anything it would have to judge (a month 13,
  30 February): the package decides those.

Both hand the components they found to the same describing functions below, so
the two can only differ in which text they accept; a property test checks that
every value the fast path accepts reads the same through the package.
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
from edtf import parse_edtf
from edtf.parser.parser_classes import (
    Consecutives,
    DateAndTime,
    EarlierConsecutives,
    Interval,
    LaterConsecutives,
    MultipleDates,
    OneOfASet,
    PartialUncertainOrApproximate,
    Season,
    UncertainOrApproximate,
    Unspecified,
    UnspecifiedIntervalSection,
)


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

# EDTF level 1-2 sub-year groupings (21-41) as readers say them.
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


@dataclass(frozen=True)
class Reading:
    edtf: str
    earliest: date | None
    latest: date | None
    kind: DateKind
    precision: Precision
    uncertain: bool
    approximate: bool
    display: str
    start: Reading | None = None
    end: Reading | None = None
    start_state: EndState | None = None
    end_state: EndState | None = None


# Qualifier flags of one component: (uncertain, approximate).
Flags = tuple[bool, bool]
_PLAIN: Flags = (False, False)


NOT_EDTF = "is not a valid EDTF date"


def invalid(value: str, why: str = NOT_EDTF) -> ValidationError:
    return ValidationError(
        "%(value)r " + why + " (examples: 2024-05, 2022-04-13, 2022~, 2024-05?, 2022-02-24/..).",
        code="invalid_edtf",
        params={"value": value},
    )


class _Refused(Exception):
    """Raised inside the readers; the entry points turn it into a ValidationError quoting the
    whole value (a set member's problem is reported on the set as typed)."""

    def __init__(self, why: str = NOT_EDTF) -> None:
        super().__init__(why)
        self.why = why


def _day(year: int, month: int, day: int) -> date:
    if not 1 <= year <= 9999:
        raise _Refused("is outside the supported years 1-9999")
    try:
        return date(year, month, day)
    except ValueError:
        raise _Refused() from None


def _struct_day(struct: Any) -> date:
    # The package returns struct_time, or ±inf for open ends it was not meant to bound.
    if not isinstance(struct, time.struct_time):
        raise _Refused()
    return _day(struct.tm_year, struct.tm_mon, struct.tm_mday)


def _flags(ua: Any) -> Flags:
    if ua is None:
        return _PLAIN
    both = bool(ua.is_uncertain_and_approximate)
    return (bool(ua.is_uncertain) or both, bool(ua.is_approximate) or both)


def _merge(*flags: Flags) -> Flags:
    return (any(f[0] for f in flags), any(f[1] for f in flags))


# ---------------------------------------------------------------------------
# Describing one date from its components (both readers end here)
# ---------------------------------------------------------------------------


def _day_text(day: date) -> str:
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def _precision_of_bounds(earliest: date, latest: date) -> Precision:
    # Exact for every regular form (2022, 2022-05, 199X, 19XX, 1XXX, 2022-05-XX) and a fair
    # answer for irregular ones (19X5: some year 1905-1995).
    if earliest == latest:
        return Precision.DAY
    if (earliest.year, earliest.month) == (latest.year, latest.month):
        return Precision.MONTH
    if earliest.year == latest.year:
        return Precision.YEAR
    if earliest.year // 10 == latest.year // 10:
        return Precision.DECADE
    if earliest.year // 100 == latest.year // 100:
        return Precision.CENTURY
    return Precision.MILLENNIUM


def _core_text(precision: Precision, earliest: date, latest: date) -> str:
    if precision is Precision.DAY:
        return _day_text(earliest)
    if precision is Precision.MONTH:
        return f"{calendar.month_name[earliest.month]} {earliest.year}"
    if precision is Precision.YEAR:
        return str(earliest.year)
    if precision in (Precision.DECADE, Precision.CENTURY):
        return f"{earliest.year}s"
    return f"{earliest.year}–{latest.year}"


def _qualified(text: str, components: dict[str, Flags]) -> str:
    """Add the qualifiers to ``text``: whole-value ones as 'c.'/'?', partial ones by name."""
    flags = set(components.values())
    if len(flags) == 1:
        uncertain, approximate = flags.pop()
        return f"{'c. ' if approximate else ''}{text}{'?' if uncertain else ''}"
    words = {
        (True, False): "uncertain",
        (False, True): "approximate",
        (True, True): "uncertain and approximate",
    }
    notes = []
    for flag, word in words.items():
        names = [name for name, f in components.items() if f == flag]
        if names:
            notes.append(f"{' and '.join(names)} {word}")
    return f"{text} ({', '.join(notes)})"


def _single(
    value: str,
    year: str,
    month: str | None,
    day: str | None,
    *,
    season: int | None = None,
    flags: dict[str, Flags] | None = None,
    bounds: tuple[date, date] | None = None,
    suffix: str = "",
) -> Reading:
    """Read one date from its components as written (digits or X), with per-component flags.

    ``bounds`` are the package's strict bounds when it read the value; the fast path
    computes the same ones from the digits.
    """
    flags = flags or {}
    components = {"year": flags.get("year", _PLAIN)}
    if month is not None:
        components["month"] = flags.get("month", _PLAIN)
    if day is not None:
        components["day"] = flags.get("day", _PLAIN)
    if bounds is None:
        y, m = int(year), int(month) if month else None
        earliest = _day(y, m or 1, int(day) if day else 1)
        last = int(day) if day else calendar.monthrange(y, m or 12)[1]
        latest = _day(y, m or 12, last)
    else:
        earliest, latest = bounds
    if earliest > latest:
        raise _Refused("ends before it starts")
    written = year + (month or "") + (day or "")
    if season is not None:
        precision = Precision.SEASON
        text = f"{_SEASON_NAMES[season]} {earliest.year}"
    elif re.fullmatch(r"\d*X*", written):
        # Unknown digits only at the end (199X, 2022-05-XX): the bounds say it all.
        precision = _precision_of_bounds(earliest, latest)
        text = _core_text(precision, earliest, latest)
    else:
        # Unknown digits in the middle (2022-XX-15, 19X5): say the range it may be in.
        precision = _precision_of_bounds(earliest, latest)
        unit = "day" if day is not None else "month" if month is not None else "year"
        a, b = (_core_text(Precision[unit.upper()], d, d) for d in (earliest, latest))
        text = f"a {unit} between {a} and {b}"
    uncertain, approximate = _merge(*components.values())
    return Reading(
        edtf=value,
        earliest=earliest,
        latest=latest,
        kind=DateKind.POINT if earliest == latest else DateKind.WITHIN,
        precision=precision,
        uncertain=uncertain,
        approximate=approximate,
        display=_qualified(text, components) + suffix,
    )


def _coarsest(*readings: Reading) -> Precision:
    return max((r.precision for r in readings), key=_PRECISION_ORDER.index)


def _span(value: str, start: Reading | EndState, end: Reading | EndState) -> Reading:
    """An interval from its two ends, each a Reading or OPEN/UNKNOWN."""
    first = start if isinstance(start, Reading) else None
    last = end if isinstance(end, Reading) else None
    if first is None and last is None:
        raise _Refused()
    if first and last and first.earliest > last.latest:  # type: ignore[operator]
        raise _Refused("ends before it starts")
    if first and last:
        display = f"{first.display} – {last.display}"
    elif first:
        display = f"from {first.display}" + (" (end unknown)" if end is EndState.UNKNOWN else "")
    else:
        display = f"until {last.display}" + (" (start unknown)" if start is EndState.UNKNOWN else "")  # type: ignore[union-attr]
    known = [r for r in (first, last) if r]
    return Reading(
        edtf=value,
        earliest=first.earliest if first else None,
        latest=last.latest if last else None,
        kind=DateKind.SPAN,
        precision=_coarsest(*known),
        uncertain=any(r.uncertain for r in known),
        approximate=any(r.approximate for r in known),
        display=display,
        start=first,
        end=last,
        start_state=EndState.KNOWN if first else start,  # type: ignore[arg-type]
        end_state=EndState.KNOWN if last else end,  # type: ignore[arg-type]
    )


def _set_member(low: Reading | None, high: Reading | None, *, ranged: bool, one_of: bool) -> Reading:
    """One member of an EDTF set: a date, or a range 'a..b' (with either end left open)."""
    if not ranged:
        assert low is not None
        return low
    if low and high:
        if low.earliest > high.latest:  # type: ignore[operator]
            raise _Refused("ends before it starts")
        text = f"between {low.display} and {high.display}" if one_of else f"{low.display} to {high.display}"
    elif high:
        text = f"on or before {high.display}"
    else:
        assert low is not None
        text = f"on or after {low.display}"
    known = [r for r in (low, high) if r]
    return Reading(
        edtf="",
        earliest=low.earliest if low else None,
        latest=high.latest if high else None,
        kind=DateKind.WITHIN,
        precision=_coarsest(*known),
        uncertain=any(r.uncertain for r in known),
        approximate=any(r.approximate for r in known),
        display=text,
    )


def _set(value: str, members: list[Reading], *, one_of: bool) -> Reading:
    lowers = [m.earliest for m in members]
    uppers = [m.latest for m in members]
    earliest = None if None in lowers else min(lowers)  # type: ignore[type-var]
    latest = None if None in uppers else max(uppers)  # type: ignore[type-var]
    point = earliest is not None and earliest == latest and one_of
    return Reading(
        edtf=value,
        earliest=earliest,
        latest=latest,
        kind=DateKind.POINT if point else DateKind.WITHIN if one_of else DateKind.MULTIPLE,
        precision=_coarsest(*members),
        uncertain=any(m.uncertain for m in members),
        approximate=any(m.approximate for m in members),
        display=(" or " if one_of else " and ").join(m.display for m in members),
    )


# ---------------------------------------------------------------------------
# The fast path
# ---------------------------------------------------------------------------

_DATE = r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?"
_FAST_SINGLE = re.compile(rf"{_DATE}([?~%])?")
_FAST_END = rf"(?:{_DATE}([?~%])?|(\.\.))?"
_FAST_INTERVAL = re.compile(rf"{_FAST_END}/{_FAST_END}")
_FAST_RANGE = re.compile(rf"(?:{_DATE})?\.\.(?:{_DATE})?")


def _fast_date(value: str, year: str, month: str | None, day: str | None, ua: str | None) -> Reading | None:
    # Only what the package would accept as written; anything to judge goes to the package.
    y = int(year)
    if y < 1:
        return None
    if month is not None and not 1 <= int(month) <= 12:
        return None
    if day is not None and not 1 <= int(day) <= calendar.monthrange(y, int(month))[1]:  # type: ignore[arg-type]
        return None
    flag = ((ua in ("?", "%")), (ua in ("~", "%"))) if ua else _PLAIN
    return _single(value, year, month, day, flags=dict.fromkeys(("year", "month", "day"), flag))


def read_fast(value: str) -> Reading | None:
    """Read a common form exactly as the package would; None when the package must decide."""
    if m := _FAST_SINGLE.fullmatch(value):
        return _fast_date(value, *m.groups())
    if m := _FAST_INTERVAL.fullmatch(value):
        g = m.groups()
        ends: list[Reading | EndState] = []
        for part, (year, month, day, ua, dots) in zip(value.split("/", 1), (g[:5], g[5:]), strict=True):
            if year is None:
                ends.append(EndState.OPEN if dots else EndState.UNKNOWN)
                continue
            reading = _fast_date(part, year, month, day, ua)
            if reading is None:
                return None
            ends.append(reading)
        if not any(isinstance(end, Reading) for end in ends):
            return None  # "../..", "/..": the package has its own view of these
        try:
            return _span(value, ends[0], ends[1])
        except _Refused:
            return None
    if value[:1] in ("[", "{"):
        try:
            return _fast_set(value)
        except _Refused:
            return None  # reversed range: the package path says so, quoting the value
    return None


def _fast_set(value: str) -> Reading | None:
    one_of = value[0] == "["
    if value[-1] != ("]" if one_of else "}"):
        return None
    texts = value[1:-1].split(",")
    members: list[Reading] = []
    for index, text in enumerate(texts):
        if m := _FAST_SINGLE.fullmatch(text):
            member = _fast_date(text, *m.groups())
            if member is None:
                return None
            members.append(member)
            continue
        m = _FAST_RANGE.fullmatch(text)
        if m is None:
            return None
        g = m.groups()
        if g[0] is None and g[3] is None:
            return None
        # The grammar allows "..a" only first and "a.." only last, and a..b of one shape.
        if (g[0] is None and index != 0) or (g[3] is None and index != len(texts) - 1):
            return None
        shapes = (tuple(x is None for x in g[0:3]), tuple(x is None for x in g[3:6]))
        if g[0] is not None and g[3] is not None and shapes[0] != shapes[1]:
            return None
        low_text, high_text = text.split("..")
        low = _fast_date(low_text, g[0], g[1], g[2], None) if g[0] else None
        high = _fast_date(high_text, g[3], g[4], g[5], None) if g[3] else None
        if (g[0] and low is None) or (g[3] and high is None):
            return None
        members.append(_set_member(low, high, ranged=True, one_of=one_of))
    if len(texts) == 1 and ".." not in texts[0]:
        return None  # "[2022]": a list needs two members or one range
    return _set(value, members, one_of=one_of)


# ---------------------------------------------------------------------------
# The package path
# ---------------------------------------------------------------------------


def read_with_package(value: str) -> Reading:
    """Read any EDTF value through the ``edtf`` package; ValidationError when it is not one."""
    try:
        node = parse_edtf(value)
    except Exception:
        # Besides EDTFParseException the package raises AttributeError, TypeError... on
        # some malformed input ("2022-1X"); to a caller, all of them mean "not EDTF".
        raise invalid(value) from None
    try:
        return _read_node(value, node)
    except _Refused as refused:
        raise invalid(value, refused.why) from None
    except Exception:
        # The package's own bounding fails on some values it parses ("../..": infinities).
        raise invalid(value) from None


def _read_node(value: str, node: Any) -> Reading:
    if isinstance(node, (OneOfASet, MultipleDates)):
        one_of = isinstance(node, OneOfASet)
        texts = value[1:-1].split(",")
        if len(texts) != len(node.objects):
            raise _Refused()
        members = [
            _read_member(text.strip(), obj, one_of=one_of)
            for text, obj in zip(texts, node.objects, strict=True)
        ]
        return _set(value, members, one_of=one_of)
    if isinstance(node, Interval):  # Level 0, 1 and 2 intervals
        parts = value.split("/", 1)
        ends = [_read_end(text, end) for text, end in zip(parts, (node.lower, node.upper), strict=True)]
        return _span(value, ends[0], ends[1])
    return _read_date(value, node)


def _read_end(text: str, node: Any) -> Reading | EndState:
    if isinstance(node, UnspecifiedIntervalSection):
        return EndState.OPEN if node.is_open else EndState.UNKNOWN
    return _read_date(text, node)


def _read_member(text: str, node: Any, *, one_of: bool) -> Reading:
    if isinstance(node, (EarlierConsecutives, LaterConsecutives)):
        low_text, _, high_text = text.partition("..")
        low = None if isinstance(node.lower, UnspecifiedIntervalSection) else _read_date(low_text, node.lower)
        high = (
            None if isinstance(node.upper, UnspecifiedIntervalSection) else _read_date(high_text, node.upper)
        )
        return _set_member(low, high, ranged=True, one_of=one_of)
    if isinstance(node, Consecutives):
        low_text, _, high_text = text.partition("..")
        low, high = _read_date(low_text, node.lower), _read_date(high_text, node.upper)
        return _set_member(low, high, ranged=True, one_of=one_of)
    return _read_date(text, node)


def _read_date(value: str, node: Any) -> Reading:
    """One date node (any level) into a Reading, with the package's strict bounds."""
    bounds = (_struct_day(node.lower_strict()), _struct_day(node.upper_strict()))
    if isinstance(node, DateAndTime):
        day = node.date
        return _single(value, day.year, day.month, day.day, bounds=bounds, suffix=f", {node.time}")
    whole = _PLAIN
    if isinstance(node, UncertainOrApproximate):
        whole, node = _flags(node.ua), node.date
    if isinstance(node, Unspecified):
        whole = _merge(whole, _flags(node.ua))
    flags = {"year": whole, "month": whole, "day": whole}
    if isinstance(node, PartialUncertainOrApproximate):
        # A qualifier right of a component covers it and those to its left (2004-06?-11:
        # year and month); one left of a component covers that component only (2004-06-~11).
        year_month = _flags(node.year_month_ua)
        month_day = _flags(node.month_day_ua)
        all_ua = _flags(node.all_ua)
        flags = {
            "year": _merge(whole, all_ua, _flags(node.year_ua), _flags(node.year_ua_b), year_month),
            "month": _merge(whole, all_ua, _flags(node.month_ua), year_month, month_day),
            "day": _merge(whole, all_ua, _flags(node.day_ua), month_day),
        }
    if isinstance(node, Season):
        return _single(value, node.year, None, None, season=int(node.season), flags=flags, bounds=bounds)
    significant = getattr(node, "significant_digits", None)
    suffix = f" ({significant} significant digits)" if significant else ""
    return _single(value, node.year, node.month, node.day, flags=flags, bounds=bounds, suffix=suffix)

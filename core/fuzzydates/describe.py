"""Describing a date from its components: bounds, kind, precision, qualifiers, display.

Both readers (``core.fuzzydates.fast`` and ``core.fuzzydates.package``) hand the
components they found to these functions, so the two can only differ in which text
they accept; a property test checks that every value the fast path accepts reads the
same through the package.
"""

from __future__ import annotations

import calendar
import re
import time
from datetime import date
from typing import Any

from core.fuzzydates.value import NOT_EDTF, DateKind, EndState, FuzzyDate, Precision

# Coarsest last: an interval or set takes the coarsest precision of its parts.
_PRECISION_ORDER = list(Precision)

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


# Qualifier flags of one component: (uncertain, approximate).
Flags = tuple[bool, bool]
_PLAIN: Flags = (False, False)


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
) -> FuzzyDate:
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
    elif re.fullmatch(r"\d*X*", written, re.ASCII):
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
    return FuzzyDate(
        edtf=value,
        earliest=earliest,
        latest=latest,
        kind=DateKind.POINT if earliest == latest else DateKind.WITHIN,
        precision=precision,
        uncertain=uncertain,
        approximate=approximate,
        display=_qualified(text, components) + suffix,
    )


def _combined(
    edtf: str,
    parts: list[FuzzyDate],
    *,
    earliest: date | None,
    latest: date | None,
    kind: DateKind,
    display: str,
    **ends: Any,
) -> FuzzyDate:
    """A value made of parts (an interval's ends, a range's ends, a set's members): it is
    known as coarsely as its coarsest part and qualified if any part is."""
    return FuzzyDate(
        edtf=edtf,
        earliest=earliest,
        latest=latest,
        kind=kind,
        precision=max((part.precision for part in parts), key=_PRECISION_ORDER.index),
        uncertain=any(part.uncertain for part in parts),
        approximate=any(part.approximate for part in parts),
        display=display,
        **ends,
    )


def _span(value: str, start: FuzzyDate | EndState, end: FuzzyDate | EndState) -> FuzzyDate:
    """An interval from its two ends, each a FuzzyDate or OPEN/UNKNOWN."""
    first = start if isinstance(start, FuzzyDate) else None
    last = end if isinstance(end, FuzzyDate) else None
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
    return _combined(
        value,
        [r for r in (first, last) if r],
        earliest=first.earliest if first else None,
        latest=last.latest if last else None,
        kind=DateKind.SPAN,
        display=display,
        start=first,
        end=last,
        start_state=EndState.KNOWN if first else start,  # type: ignore[arg-type]
        end_state=EndState.KNOWN if last else end,  # type: ignore[arg-type]
    )


def _set_member(low: FuzzyDate | None, high: FuzzyDate | None, *, ranged: bool, one_of: bool) -> FuzzyDate:
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
    return _combined(
        "",
        [r for r in (low, high) if r],
        earliest=low.earliest if low else None,
        latest=high.latest if high else None,
        kind=DateKind.WITHIN,
        display=text,
    )


def _set(value: str, members: list[FuzzyDate], *, one_of: bool) -> FuzzyDate:
    lowers = [m.earliest for m in members]
    uppers = [m.latest for m in members]
    earliest = None if None in lowers else min(lowers)  # type: ignore[type-var]
    latest = None if None in uppers else max(uppers)  # type: ignore[type-var]
    point = earliest is not None and earliest == latest and one_of
    return _combined(
        value,
        members,
        earliest=earliest,
        latest=latest,
        kind=DateKind.POINT if point else DateKind.WITHIN if one_of else DateKind.MULTIPLE,
        display=(" or " if one_of else " and ").join(m.display for m in members),
    )

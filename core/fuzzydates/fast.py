"""The fast path: the common EDTF forms read exactly as the ``edtf`` package would.

``2022``, ``2022-05``, ``2022-05-04``, each with an optional trailing ``?``/``~``/``%``,
intervals of them with ``..`` or empty ends, and sets of such dates and of ranges
``a..b``, ``..a``, ``a..``, as ``[one of]`` or ``{all of}``, read with regular
expressions. Anything else, or anything it would have to judge (a month 13,
30 February), returns None: the package decides those.
"""

from __future__ import annotations

import calendar
import re

from core.fuzzydates.describe import _PLAIN, _Refused, _set, _set_member, _single, _span
from core.fuzzydates.value import EndState, FuzzyDate

# re.ASCII throughout: without it ``\d`` matches any script's digits (２０２２, ٢٠٢٢, १९९९),
# which ``int()`` reads happily but EDTF does not allow (issue 19, item 9).
_DATE = r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?"
_FAST_SINGLE = re.compile(rf"{_DATE}([?~%])?", re.ASCII)
_FAST_END = rf"(?:{_DATE}([?~%])?|(\.\.))?"
_FAST_INTERVAL = re.compile(rf"{_FAST_END}/{_FAST_END}", re.ASCII)
_FAST_RANGE = re.compile(rf"(?:{_DATE})?\.\.(?:{_DATE})?", re.ASCII)


def _fast_date(value: str, year: str, month: str | None, day: str | None, ua: str | None) -> FuzzyDate | None:
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


def read_fast(value: str) -> FuzzyDate | None:
    """Read a common form exactly as the package would; None when the package must decide."""
    if m := _FAST_SINGLE.fullmatch(value):
        return _fast_date(value, *m.groups())
    if m := _FAST_INTERVAL.fullmatch(value):
        g = m.groups()
        ends: list[FuzzyDate | EndState] = []
        for part, (year, month, day, ua, dots) in zip(value.split("/", 1), (g[:5], g[5:]), strict=True):
            if year is None:
                ends.append(EndState.OPEN if dots else EndState.UNKNOWN)
                continue
            reading = _fast_date(part, year, month, day, ua)
            if reading is None:
                return None
            ends.append(reading)
        if not any(isinstance(end, FuzzyDate) for end in ends):
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


def _fast_set(value: str) -> FuzzyDate | None:
    one_of = value[0] == "["
    if value[-1] != ("]" if one_of else "}"):
        return None
    texts = value[1:-1].split(",")
    members: list[FuzzyDate] = []
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

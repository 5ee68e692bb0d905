"""GGO "messydates" → EDTF, faithfully, or a reason why not.

The manytreaties package writes dates as ISO 8601-2 "messydates": ``1802-04-18?``
(uncertain), ``1961-01-26~`` (approximate), ``1964-XX-16`` (an unknown month),
``1981-09..1981-10`` (one day somewhere in that range) and the sentinel
``9999-12-31`` for "no end: still in force" (``LBLONS_1962A`` writes ``9999-12-01``:
any day of the year 9999 is the sentinel, and the unusual ones are reported).
EDTF spells the first three the same way; a range becomes the EDTF "one of a set"
form ``[1981-09..1981-10]``, which denotes a single day somewhere between, not a
span. The sentinel is not a day in the year 9999: it is returned as ``OPEN`` and
only accepted where an end is meant.

Every EDTF text produced is checked by :class:`core.fuzzydates.FuzzyDate`, the one
place date rules live; a value it refuses (``2010-XX-XX-``, ``0014-022005``) is
reported and left unknown, never repaired by guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError

from core.fuzzydates import FuzzyDate

SENTINEL = "9999-12-31"
SENTINEL_YEAR = "9999"  # no agreement ends in the year 9999: any day of it means "no end"

# One messydate: a day, month or year, digits or X for unknown, optionally qualified.
_POINT = r"\d{4}(?:-(?:\d{2}|XX)(?:-(?:\d{2}|XX))?)?[?~%]?"
_SHAPE = re.compile(rf"^(?P<start>{_POINT})(?:\.\.(?P<end>{_POINT}))?$")


@dataclass(frozen=True)
class Converted:
    """A messydate read: its EDTF text (empty when unknown), whether it was the open sentinel, and why not."""

    edtf: str = ""
    open: bool = False
    problem: str = ""
    unusual_sentinel: bool = False  # "no end" written otherwise than 9999-12-31: report it


UNKNOWN = Converted()
OPEN = Converted(open=True)
OPEN_UNUSUAL = Converted(open=True, unusual_sentinel=True)


class Why:
    """Why a messydate was left unknown; tests and the import summary group problems by these."""

    MALFORMED = "malformed date"
    OPEN_NOT_AN_END = "the open-end sentinel 9999-12-31 where a start is meant"
    UNUSUAL_SENTINEL = "read as no end (the usual sentinel is 9999-12-31)"


@lru_cache(maxsize=65536)
def to_edtf(value: str, *, end: bool = False) -> Converted:
    """Convert one messydate; ``end`` says the column is an end date, where 9999-12-31 means open.

    Cached: the 98,320 party rows repeat about 16,000 distinct values.
    """
    value = value.strip()
    if not value:
        return UNKNOWN
    if value.startswith(SENTINEL_YEAR):
        if not end:
            return Converted(problem=Why.OPEN_NOT_AN_END)
        return OPEN if value == SENTINEL else OPEN_UNUSUAL
    match = _SHAPE.match(value)
    if match is None:
        return Converted(problem=Why.MALFORMED)
    edtf = f"[{match['start']}..{match['end']}]" if match["end"] else value
    try:
        FuzzyDate.parse(edtf)
    except ValidationError:
        return Converted(problem=Why.MALFORMED)
    return Converted(edtf=edtf)


def one_of(values: list[str]) -> str:
    """EDTF for "one of these days" (sources disagree); a single value stays itself.

    Members already written as a set (``[a..b]``) are inlined as ranges; the result
    is checked like any other, and ``""`` is returned when EDTF cannot say it.
    """
    if len(set(values)) == 1:
        # Nearly every party's step is one date (157,000 calls): no sorting, no parsing.
        return values[0]
    distinct = sorted(set(values), key=lambda v: (FuzzyDate.parse(v).earliest, v))
    if len(distinct) == 1:
        return distinct[0]
    members = [v[1:-1] if v.startswith("[") else v for v in distinct]
    edtf = f"[{','.join(members)}]"
    try:
        FuzzyDate.parse(edtf)
    except ValidationError:
        return ""
    return edtf

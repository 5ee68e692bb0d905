"""Random values with realistic shapes, and the vocabulary the generator draws from.

Fuzzy EDTF dates whose bounds match ``core.fuzzydates.FuzzyDate.parse`` (the generator checks a
sample), years skewed towards the present, made-up names, skewed indexes (so that a few regions
and people carry many events), and the kinds, statuses, roles and texts of generated rows.
"""

from __future__ import annotations

import calendar
import random
from datetime import date, timedelta
from functools import lru_cache

from core.fuzzydates import OPEN_END, OPEN_START, FuzzyDate

FIRST_YEAR, LAST_YEAR = 1900, 2025
SOURCE_TEXT = "Report {n}: officials met in the capital and signed an agreement on cooperation."
QUOTES = ("officials met in the capital", "signed an agreement on cooperation", "")

_SYLLABLES = (
    "ka",
    "ra",
    "vo",
    "lin",
    "mar",
    "to",
    "sk",
    "ev",
    "ny",
    "dor",
    "bel",
    "gra",
    "pol",
    "no",
    "zan",
    "ki",
    "sha",
    "ter",
    "ov",
    "ich",
    "an",
    "ja",
    "mi",
    "lu",
    "cor",
    "der",
    "ga",
    "hal",
    "is",
    "kov",
    "lem",
    "mos",
    "nor",
    "pet",
    "rad",
    "sol",
    "tam",
    "ur",
    "vel",
    "zor",
)
GIVEN_NAMES = (
    "Anna",
    "Andrzej",
    "Olena",
    "Volodymyr",
    "Kim",
    "Maria",
    "Jean",
    "Ivan",
    "Sofia",
    "Ahmed",
    "Li",
    "Carlos",
    "Aiko",
    "Omar",
    "Eva",
    "Piotr",
    "Nadia",
    "Kofi",
    "Ravi",
    "Yuki",
    "Lars",
    "Ines",
    "Tomas",
    "Hana",
)
EVENT_KINDS = (
    ("MEETING", 30),
    ("STATEMENT", 25),
    ("MILITARY", 15),
    ("TERRITORIAL_CONTROL", 6),
    ("HUMANITARIAN", 7),
    ("CULTURAL", 6),
    ("OTHER", 5),
)
STATUSES = ("CONFIRMED", "REPORTED", "REPORTED", "REPORTED", "CLAIMED", "DISPUTED", "DENIED")
ROLES_BY_KIND = {
    "MEETING": ("HOST", "PARTICIPANT"),
    "STATEMENT": ("SPEAKER", "SUBJECT"),
    "MILITARY": ("PARTY", "CLAIMANT"),
    "TERRITORIAL_CONTROL": ("CLAIMANT", "PARTY"),
    "HUMANITARIAN": ("PARTICIPANT", "SUBJECT"),
    "CULTURAL": ("PARTICIPANT", "HOST"),
    "OTHER": ("PARTICIPANT", "SUBJECT"),
    "VISIT": ("VISITOR", "HOST"),
    "TREATY": ("SIGNATORY", "PARTY"),
}


def random_name(rnd: random.Random, parts: int = 2) -> str:
    return "".join(rnd.choice(_SYLLABLES) for _ in range(parts)).capitalize()


def skewed(rnd: random.Random, n: int, power: float) -> int:
    """Return an index in [0, n) where low indexes are much more likely (power > 1)."""
    return int(n * rnd.random() ** power)


@lru_cache(maxsize=4096)
def _parsed(edtf: str) -> tuple[date, date]:
    return FuzzyDate.parse(edtf).stored_bounds


def fuzzy_date(rnd: random.Random, year: int) -> tuple[str, date, date]:
    """Return an EDTF value in ``year`` and its stored bounds, computed without parsing.

    Mix: 55% day, 20% month, 10% year, 5% uncertain/approximate, 2% season,
    5% closed day intervals, 3% open intervals (one bound OPEN_START/OPEN_END).
    """
    r = rnd.random()
    if r < 0.20 or 0.85 <= r < 0.88:
        month = rnd.randint(1, 12)
        last = calendar.monthrange(year, month)[1]
        qualifier = "" if r < 0.20 else rnd.choice("?~")
        return f"{year:04d}-{month:02d}{qualifier}", date(year, month, 1), date(year, month, last)
    if r < 0.30 or 0.88 <= r < 0.90:
        qualifier = "" if r < 0.30 else rnd.choice("~?%")
        return f"{year:04d}{qualifier}", date(year, 1, 1), date(year, 12, 31)
    if 0.90 <= r < 0.92:
        edtf = f"{year:04d}-{rnd.randint(21, 24)}"
        return (edtf, *_parsed(edtf))
    day = date(year, 1, 1) + timedelta(days=rnd.randrange(366 if calendar.isleap(year) else 365))
    if r < 0.85:
        return day.isoformat(), day, day
    if r < 0.97:
        end = min(day + timedelta(days=rnd.randint(1, 40)), date(LAST_YEAR, 12, 31))
        end = end if end > day else day + timedelta(days=1)
        return f"{day.isoformat()}/{end.isoformat()}", day, end
    if r < 0.985:
        return f"{day.isoformat()}/..", day, OPEN_END
    return f"../{day.isoformat()}", OPEN_START, day


def random_year(rnd: random.Random) -> int:
    # Recent years dominate, as in news-driven timelines.
    return LAST_YEAR - int((LAST_YEAR - FIRST_YEAR + 1) * rnd.random() ** 2.5)

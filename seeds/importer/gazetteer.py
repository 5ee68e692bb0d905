"""ISO 3166-1 countries and ISO 3166-2 subdivisions from pycountry, as seed records.

Region slugs follow one deterministic rule, applied over the whole gazetteer:
``slugify(name)`` when no other subdivision has the same one, else
``slugify(name-CC)`` with the country code, else ``slugify(name-ISO code)``.
A seed file may give a subdivision another slug (``donetsk-oblast`` for UA-14);
regions are matched on their ISO code, so that never duplicates a row.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from importlib.metadata import version

import pycountry
from django.utils.text import slugify

from seeds.importer.schema import CountryRecord, RegionRecord

PYCOUNTRY_VERSION = version("pycountry")

# Letters NFKD cannot take apart, so slugify would drop them ("Lənkəran" -> "lnkran").
_LATIN = str.maketrans(
    {
        "ə": "e",
        "Ə": "E",
        "ǝ": "e",
        "ı": "i",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "ß": "ss",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "þ": "th",
        "ð": "d",
        "ŋ": "ng",
        "ħ": "h",
    }
)


def region_slug(*parts: str) -> str:
    """Slug of a gazetteer region from its name and disambiguators."""
    return slugify("-".join(parts).translate(_LATIN))


def region_kind(iso_type: str) -> str:
    """ISO subdivision type as a Region.kind: lower-case words, at most 40 characters."""
    words = re.sub(r"\([^)]*\)", "", iso_type).lower()
    words = " ".join(re.sub(r"[^a-z -]", " ", words).split())
    while len(words) > 40:
        words = words.rsplit(" ", 1)[0]
    return words or "region"


def _unique(names: list[str]) -> list[str]:
    seen: set[str] = set()
    kept = []
    for name in names:
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            kept.append(name)
    return kept


@cache
def countries() -> dict[str, CountryRecord]:
    """Every ISO 3166-1 country by alpha-2 code; the common name leads, the others become aliases."""
    records = {}
    for c in pycountry.countries:
        name = getattr(c, "common_name", None) or c.name
        aliases = [
            a for a in _unique([c.name, getattr(c, "official_name", "")]) if a.casefold() != name.casefold()
        ]
        records[c.alpha_2] = CountryRecord.model_construct(
            code=c.alpha_2, alpha3=c.alpha_3, name=name, aliases=aliases
        )
    return records


@cache
def regions() -> dict[str, RegionRecord]:
    """Every ISO 3166-2 subdivision by code, parents named by their codes."""
    subdivisions = list(pycountry.subdivisions)
    by_name = Counter(region_slug(s.name) for s in subdivisions)
    by_country = Counter(region_slug(s.name, s.country_code) for s in subdivisions)
    records = {}
    for s in subdivisions:
        slug = region_slug(s.name)
        if by_name[slug] > 1 or not slug:
            slug = region_slug(s.name, s.country_code)
            if by_country[slug] > 1 or slug == region_slug(s.country_code):
                slug = region_slug(s.name, s.code)
        records[s.code] = RegionRecord.model_construct(
            slug=slug,
            name=s.name,
            kind=region_kind(s.type),
            iso_code=s.code,
            country=s.country_code,
            parent=s.parent_code or None,
            aliases=[],
            latitude=None,
            longitude=None,
        )
    return records

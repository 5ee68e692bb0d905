"""Is a served person or country the one the raw record names? Names compared after folding."""

from __future__ import annotations

import re
from typing import Any

from audit.base import contains_words, fold

# Display names the raw files use that share no words with the country's own name or aliases;
# written from the raw data (hsg country display names), not taken from the importer.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "u s s r": ("soviet union", "union of soviet socialist republics"),
    "ussr": ("soviet union",),
    "holy see": ("vatican",),
    "vatican city": ("holy see",),
    "burma": ("myanmar",),
    "great britain": ("united kingdom",),
    "england": ("united kingdom",),
    "turkey": ("turkiye",),
    "bosnia herzegovina": ("bosnia and herzegovina",),
    "palestinian authority": ("palestine",),
    "west bank": ("palestine",),
    "gaza": ("palestine",),
    "democratic republic of the congo": ("congo the democratic republic of the",),
    # Former names of the same state, as the raw files write them in their years.
    "cape verde": ("cabo verde",),
    "east timor": ("timor leste",),
    "byelorussia": ("belarus",),
    "kirghizia": ("kyrgyzstan",),
    "ceylon": ("sri lanka",),
    "swaziland": ("eswatini",),
    "ivory coast": ("cote d ivoire",),
    "upper volta": ("burkina faso",),
    "somali republic": ("somalia",),
    "somoa": ("samoa",),
    "saint christopher and nevis": ("saint kitts and nevis",),  # sic in hsg-visits
    "malaya": ("malaysia",),
    "bosnian federation": ("bosnia and herzegovina",),
}
# The state a raw name stood for in its years (from, to: ISO days, "" open): the Federal
# Republic of Yugoslavia (1992-2003) under "Serbia" or "Serbia-Montenegro"; the Republic
# of China is China until 1949 and Taiwan after.
ERAS: tuple[tuple[str, str, str, str], ...] = (
    ("u s s r", "russia", "1991-12-26", ""),
    ("russia", "soviet union", "1922-12-30", "1991-12-26"),  # hsg-travels still writes U.S.S.R. in 1992
    ("serbia", "yugoslavia", "1992-04-27", "2003-02-04"),
    ("serbia montenegro", "yugoslavia", "1992-04-27", "2003-02-04"),
    ("serbia montenegro", "serbia and montenegro", "2003-02-04", "2006-06-05"),
    ("republic of china", "taiwan", "1949-10-01", ""),
    ("china republic of", "taiwan", "1949-10-01", ""),
    ("republic of china", "china", "", "1949-10-01"),
    ("china republic of", "china", "", "1949-10-01"),
)


def person_names(person: dict[str, Any] | None) -> list[str]:
    if not person:
        return []
    return [person.get("name") or "", *(person.get("aliases") or [])]


def same_person(raw_name: str, person: dict[str, Any] | None) -> bool:
    """The served name or an alias holds the raw name, or the raw name holds it (an office around it)."""
    raw = fold(raw_name)
    if not raw:
        return False
    for name in person_names(person):
        if name and (contains_words(name, raw) or contains_words(raw, name)):
            return True
        # A missing space in the raw string ("Prime MinisterHaidar al- Abadi") is not a wrong name.
        if len(fold(name)) > 5 and fold(name).replace(" ", "") in raw.replace(" ", ""):
            return True
    return False


def country_names(country: dict[str, Any] | None) -> list[str]:
    if not country:
        return []
    return [fold(n) for n in [country.get("name") or "", *(country.get("aliases") or [])] if fold(n)]


def raw_country_forms(*shown: str, on: str = "") -> set[str]:
    """The ways a raw display name can be read: as written, without and inside its parentheses,
    "Korea, South" as "South Korea", and the synonyms above."""
    forms: set[str] = set()
    for value in shown:
        if not value:
            continue
        outside = re.sub(r"\([^)]*\)", " ", value)
        inside = re.findall(r"\(([^)]*)\)", value)
        for form in [value, outside, *inside]:
            forms.add(fold(form))
            forms.add(re.sub(r"^st ", "saint ", fold(form)))
            if "," in form:
                head, _, tail = form.partition(",")
                forms.add(fold(f"{tail} {head}"))
                forms.add(fold(head))
    for form in list(forms):
        forms.update(SYNONYMS.get(form, ()))
        for raw, served, since, until in ERAS:
            if form == raw and on and since <= on and (not until or on < until):
                forms.add(served)
    forms.discard("")
    return forms


def same_country(country: dict[str, Any] | None, *shown: str, on: str = "") -> bool:
    """The served country's name or an alias is (or holds, or is held by) one of the raw forms."""
    served = country_names(country)
    for form in raw_country_forms(*shown, on=on):
        for name in served:
            if form == name or contains_words(name, form) or contains_words(form, name):
                return True
    return False

"""Which country record each RDCR article is about, by era where one article covers several states.

Most articles are named as ISO names a country ("Japan"): those are matched on pycountry's
names. The rest are listed here, read one by one from the articles; a former state with an
article of its own attaches to its own record (seeds/curated/historical-states.yaml,
seeds/curated/dataset-parties.yaml). An article this module cannot place is reported by the import.
"""

from __future__ import annotations

import re
from functools import cache

import pycountry

# slug -> code, or eras: (exclusive end day, code) in order, the last with no end.
ARTICLES: dict[str, str | tuple[tuple[str | None, str], ...]] = {
    "austrian-empire": "XAUE",
    "baden": "XBAD",
    "bahamas": "BS",
    "bavaria": "XBAV",
    "benin": "BJ",
    "brunei": "BN",
    "brunswick-luneburg": "XBRL",
    "burkina-faso": "BF",
    "burma": "MM",
    "cayman-islands": "KY",
    "central-american-federation": "XCAF",
    "congo-democratic-republic": "CD",
    "congo-free-state": "XCFS",
    "cote-divoire": "CI",
    "czechoslovakia": "CSHH",
    "federal-government-germany": "XFGG",
    "gambia": "GM",
    "genoa": "XGEN",
    "german-democratic-republic": "DDDE",
    "grand-duchy-tuscany": "XTUS",
    "hanover": "XHAN",
    "hanseatic-republics": "XHAR",
    "hawaii": "XHAW",
    "hesse": "XHES",
    "holy-see": "VA",
    "kingdom-of-yugoslavia": "YUCS",
    "korea-south": "KR",
    "korea": "XKOR",
    "kosovo": "XK",
    "lew-chew": "XLEW",
    "mecklenburg-schwerin": "XMES",
    "mecklenburg-strelitz": "XMST",
    "micronesia": "FM",
    "nassau": "XNAS",
    "netherlands": "NL",
    "north-german-confederation": "XNGC",
    "north-german-union": "XNGU",
    "oldenburg": "XOLD",
    "orange-free-state": "XOFS",
    "papal-states": "XPAP",
    "parma": "XPAR",
    "piedmont-sardinia": "XPSA",
    # The Russian Empire, the Soviet Union, the Russian Federation: one article.
    "russia": (("1922-12-30", "RU"), ("1991-12-26", "SUHH"), (None, "RU")),
    # Tanganyika until the union with Zanzibar (its record: seeds/curated/dataset-parties.yaml).
    "tanzania": (("1964-04-26", "XTAN"), (None, "TZ")),
    # North Yemen until the 1990 unification; South Yemen's entries are told by their words.
    "yemen": (("1990-05-22", "XYAR"), (None, "YE")),
    "schaumburg-lippe": "XSLI",
    "solomon-islands": "SB",
    "soviet-union": "SUHH",
    "texas": "XTEX",
    "turkey": "TR",
    "two-sicilies": "XTSI",
    "united-arab-emirates": "AE",
    "united-kingdom": "GB",
    "wurttemberg": "XWUR",
}
# Articles covering two states at once: an entry whose head or prose names the second is its.
SECOND_STATE: dict[str, tuple[re.Pattern[str], str, str]] = {
    # The 1969 severance ("Severance of Diplomatic Relations") names South Yemen only in its prose.
    # The 1969 severance ("Severance of Diplomatic Relations") names South Yemen only in its prose.
    "yemen": (re.compile(r"South(?:ern)? Yemen|\bAden\b|People’s Democratic Republic"), "1990-05-22", "YDYE"),
}


@cache
def _iso_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for name in (
            country.name,
            getattr(country, "common_name", None),
            getattr(country, "official_name", None),
        ):
            if name:
                names[name.casefold()] = country.alpha_2
    return names


def code_for(slug: str, name: str, day: str, text: str = "") -> str | None:
    """The code of the country the article ``slug`` (titled ``name``) is about on ``day`` (ISO, or '').

    ``text`` is the entry's head and prose, for an article that covers two states at once.
    """
    if (second := SECOND_STATE.get(slug)) and day and day < second[1] and second[0].search(text):
        return second[2]
    listed = ARTICLES.get(slug)
    if isinstance(listed, str):
        return listed
    if listed:
        for end, code in listed:
            if end is None or (day and day < end):
                return code
        return listed[-1][1]
    return _iso_names().get(name.casefold())

"""What each GGO ``stateID`` names: a current country, a historical state, an organisation, or nothing known.

Most ids are ISO 3166-1 alpha-3 codes. The rest are read here, one by one, from
the agreements they occur in (``ggo_parties.csv``); an id this table does not
place is reported by the import, never guessed. GGO codes Soviet-era parties ``RUS``
(and Czechoslovakia's ``CZE``...): ``seeds.datasets.ggo.eras`` dates them to their state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

PartyKind = Literal["country", "historical", "organisation", "unknown"]


@dataclass(frozen=True)
class PartyRef:
    """A party as the data names it: kind and natural key (alpha-3, historical key or organisation slug)."""

    kind: PartyKind
    key: str
    why: str = ""  # for "unknown": why the id is not placed


# Former states: the alpha-3 code their record has (seeds/curated/historical-states.yaml: ISO 3166-3
# states keep their old alpha-3), else the code of their record (X + three letters).
HISTORICAL: dict[str, str] = {
    "ANT": "ANT",  # Netherlands Antilles (ISO 3166-3 ANHH)
    "CSK": "CSK",  # Czechoslovakia (CSHH)
    "DDR": "DDR",  # German Democratic Republic (DDDE)
    "GDR": "DDR",  # the same, once coded by its English initials (MARPOL 1954)
    "SCG": "SCG",  # Serbia and Montenegro (CSXX)
    "YUG": "YUG",  # Yugoslavia (YUCS)
    "YMD": "YMD",  # People's Democratic Republic of Yemen (YDYE)
    "YAR": "XYAR",  # North Yemen, 1962-1990 (no ISO 3166-3 entry)
    "AUH": "XAHU",  # Austria-Hungary, 1867-1918: Berlin Act 1885, phylloxera conventions
    "PRU": "XPRU",  # Prussia: Rhine navigation conventions, 1868-1882
    "HSG": "XHES",  # Grand Duchy of Hesse (conventions with Prussia, 1880, 1920)
    "DZG": "XDAN",  # Free City of Danzig (Danzig-Poland salmon treaty, 1921)
    "EAT": "XTAN",  # East African vehicle code for Tanganyika (locust conventions, 1933-1949)
    "EAZ": "XZAN",  # East African vehicle code for Zanzibar
}

# Old or non-ISO codes for a country that still exists, and the ISO alpha-3 it stands for.
ALIASES: dict[str, str] = {
    "ROM": "ROU",  # Romania's ISO alpha-3 until 2002
    "QAR": "QAT",  # the Qatar-Abu Dhabi boundary agreement QAT_1969A
    "LES": "LSO",  # Lesotho's IOC code (biological weapons convention, 1972)
    "KOS": "XKX",  # Kosovo (no ISO code; XK/XKX by common use, seeds/curated/dataset-parties.yaml)
    "Kosovo": "XKX",
}

# International organisations, by the slug of their record (seeds/curated/organizations.yaml,
# seeds/curated/dataset-parties.yaml).
ORGANISATIONS: dict[str, str] = {
    "EC": "ec",
    "EUE": "eu",
    "EUU": "eu",
    "EURATOM European Atomic Energy Community": "euratom",
    "IO-EAEC": "euratom",
    "IO-European Atomic Energy Community": "euratom",
    "IAEA International Atomic Energy Agency": "iaea",
    "IO-IAEA": "iaea",
    "FAO Food and Agriculture Organization of the UN": "fao",
    "IO-Un Food and Agriculture Organization": "fao",
    "WHO World Health Organization": "who",
    "IO-World Health Organization": "who",
    "WMO World Metereological Organization": "wmo",
    "IO-World Meteorological Organization": "wmo",
    "EFTA": "efta",
    "IO-IBRD": "ibrd",
    "IO-EBRD": "ebrd",
    "IO-NEFCO": "nefco",
    "ECE UN Economic Commission for Europe": "unece",
}

# Ids the data uses that name no state or organisation Chancery can stand behind.
UNPLACED: dict[str, str] = {
    "Bayern": "a German Land, not a party in its own right",
    "Baden-Württemberg": "a German Land, not a party in its own right",
    "Member countries not listed": "the data names no party",
    "VAE": "the Emirate of Abu Dhabi, a member of the UAE, not a state party",
    "ALG": "not ISO; listed beside DZA (Algeria) on the same 187 agreements",
    "BZL": "not ISO, and no agreement names it",
    "SAR": "not ISO (perhaps the Sahrawi Republic); not a country record",
    "UNK": "not ISO (perhaps UNMIK Kosovo)",
    "YPR": "not ISO, and no agreement names it",
}

_ALPHA3 = re.compile(r"^[A-Z]{3}$")


@cache
def place(state_id: str) -> PartyRef:
    """Say what a ``stateID`` names (cached: 185,674 calls for about 300 distinct ids)."""
    state_id = state_id.strip()
    if state_id in ORGANISATIONS:
        return PartyRef("organisation", ORGANISATIONS[state_id])
    if state_id in HISTORICAL:
        return PartyRef("historical", HISTORICAL[state_id])
    if state_id in ALIASES:
        return PartyRef("country", ALIASES[state_id])
    if state_id in UNPLACED:
        return PartyRef("unknown", state_id, UNPLACED[state_id])
    if _ALPHA3.match(state_id):
        return PartyRef("country", state_id)
    return PartyRef("unknown", state_id, "neither a country code nor an organisation Chancery knows")

"""GGO parties by era: a modern code on a step taken before the state existed names its predecessor.

GGO writes today's codes for earlier states: ``RUS`` on a 1969 treaty whose title
names the "Union of Soviet Socialist Republics", ``CZE`` for Czechoslovakia,
``SRB`` for Yugoslavia (issue 21). A party's era is the day of its first own step
(signature, else ratification, else entry into force; the agreement's signature
when the party gives none). When that day is certainly before the state's
independence, the party is the predecessor's, GGO's own code is kept as the
party's ``source_code`` and the note says the era was inferred. A day that
straddles the change is left as GGO wrote it.

Only codes whose predecessor is certain are listed: the continuing or sole
predecessor state, whose own ISO code GGO does not use for these rows.
Ukraine and Belarus are not here (they signed treaties as Soviet republics in
their own name), nor the Baltic states (independent between the wars).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.fuzzydates import FuzzyDate
from seeds.datasets.ggo.states import PartyRef


@dataclass(frozen=True)
class Era:
    """Before ``until``, the code names ``predecessor`` (the alpha-3 or code of its record)."""

    until: date
    predecessor: str
    name: str


# By GGO code, latest era first. Dates: the day the predecessor's record ends
# (seeds/curated/historical-states.yaml, seeds/curated/dataset-parties.yaml).
ERAS: dict[str, tuple[Era, ...]] = {
    "RUS": (Era(date(1991, 12, 26), "SUN", "the Soviet Union"),),
    "CZE": (Era(date(1993, 1, 1), "CSK", "Czechoslovakia"),),
    "SVK": (Era(date(1993, 1, 1), "CSK", "Czechoslovakia"),),
    # Yugoslavia's record runs to 2003-02-04 (it includes the Federal Republic, 1992-2003);
    # Serbia and Montenegro's from then to 2006-06-05.
    "SRB": (
        Era(date(2006, 6, 5), "SCG", "Serbia and Montenegro"),
        Era(date(2003, 2, 4), "YUG", "Yugoslavia"),
    ),
    "MNE": (
        Era(date(2006, 6, 3), "SCG", "Serbia and Montenegro"),
        Era(date(2003, 2, 4), "YUG", "Yugoslavia"),
    ),
    "HRV": (Era(date(1991, 6, 25), "YUG", "Yugoslavia"),),
    "SVN": (Era(date(1991, 6, 25), "YUG", "Yugoslavia"),),
    "MKD": (Era(date(1991, 9, 8), "YUG", "Yugoslavia"),),
    "BIH": (Era(date(1992, 3, 3), "YUG", "Yugoslavia"),),
    # YEM was the Yemen Arab Republic's own ISO code until the 1990 union.
    "YEM": (Era(date(1990, 5, 22), "XYAR", "the Yemen Arab Republic"),),
    "TZA": (Era(date(1964, 4, 26), "XTAN", "Tanganyika"),),
}


def first_step(*dates: str) -> str:
    """Return the first of the given EDTF steps that is known."""
    return next((d for d in dates if d), "")


def era_of(ref: PartyRef, state_id: str, day: str) -> tuple[PartyRef, str]:
    """Return the party as of ``day`` (an EDTF step) and the note saying so, or ``ref`` and ""."""
    eras = ERAS.get(ref.key) if ref.kind == "country" else None
    if not eras or not day:
        return ref, ""
    latest = FuzzyDate.parse(day).latest
    chosen = None
    for era in eras:
        if latest is not None and latest < era.until:
            chosen = era
    if chosen is None:
        return ref, ""
    note = (
        f"GGO codes this party {state_id}; its step ({day}) is before {chosen.until.isoformat()}, so the "
        f"party is {chosen.name} (era inferred from the date)."
    )
    return PartyRef("historical", chosen.predecessor), note

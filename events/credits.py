"""Who an export must credit: the licence and attribution of every source its records cite.

The credit table is the Source rows themselves: each dataset adapter writes one Source
with the licence and the attribution its authors ask for (seeds/datasets/ggo/adapter.py
SOURCE_RECORD: GGO's CC BY 4.0 credit; seeds/datasets/hsg/: the Office of the Historian,
public domain), and editors give curated sources theirs. Every export (JSON, CSV,
TimelineJS, and any added later) calls :func:`credits_for` on the events it writes, so a
credit is never typed twice and follows an edit of the Source row.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from events.models import Event, Source


@dataclass(frozen=True)
class Credit:
    """One source as an export credits it."""

    slug: str
    title: str
    publisher: str
    url: str
    licence: str
    licence_url: str
    attribution: str

    @classmethod
    def of(cls, source: Source) -> Credit:
        # Every field of a credit is the source's field of the same name.
        return cls(**{f.name: getattr(source, f.name) for f in dataclasses.fields(cls)})

    @property
    def licensed(self) -> bool:
        """Whether the source states a licence or asks for a credit (datasets do; most articles do not)."""
        return bool(self.licence or self.attribution)

    @property
    def text(self) -> str:
        """The credit in one line of plain text: the attribution as asked, then the licence."""
        who = self.attribution or self.title
        if not self.licence:
            return who
        # GGO's attribution already ends "Licensed CC BY 4.0."; the licence's address is still added.
        licence = f"{self.licence} ({self.licence_url})" if self.licence_url else self.licence
        return f"{who} Licence: {licence}."

    def as_json(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "title": self.title,
            "publisher": self.publisher or None,
            "url": self.url or None,
            "licence": self.licence or None,
            "licenceUrl": self.licence_url or None,
            "attribution": self.attribution or None,
            "credit": self.text,
        }


def event_credits(event: Event) -> list[Credit]:
    """The sources ``event`` cites, once each, from its (prefetched) citations."""
    seen: dict[str, Credit] = {}
    for citation in event.citations.all():
        seen.setdefault(citation.source.slug, Credit.of(citation.source))
    return list(seen.values())


def credits_for(events: Iterable[Event]) -> list[Credit]:
    """Every source the events cite, once each: licensed ones (datasets) first, then by title.

    Reads the citations prefetched by ``events.selectors.with_details``: no query of its own.
    """
    seen: dict[str, Credit] = {}
    for event in events:
        for credit in event_credits(event):
            seen.setdefault(credit.slug, credit)
    return sorted(seen.values(), key=lambda c: (not c.licensed, c.title.casefold(), c.slug))


def distinct_credits(credits: Iterable[Credit]) -> list[str]:
    """The credit lines to show once each: a dataset with a Source row per file or country
    (hsg-rdcr has one per country, all with the same credit) is credited once, not 200 times."""
    seen: dict[str, None] = {}
    for credit in credits:
        if credit.licensed:
            seen.setdefault(credit.text, None)
    return list(seen)

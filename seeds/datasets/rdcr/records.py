"""RDCR articles → the importer's records: one Source per article, one Event per dated entry.

Each article's text is its source's text, so every quote below (the entry's head,
and the sentence naming the day when the day came from the prose) is checked
verbatim by the importer like the seed article's quotes.
"""

from __future__ import annotations

from collections.abc import Callable

from seeds.datasets.ggo.rows import DataProblem
from seeds.datasets.rdcr import Relation, Undated
from seeds.datasets.rdcr.tei import Article

PUBLISHER = "U.S. Department of State, Office of the Historian"
LICENCE = "Public domain (U.S. government work); CC0 1.0 Universal elsewhere"
LICENCE_URL = "https://creativecommons.org/publicdomain/zero/1.0/"
ATTRIBUTION = (
    "Office of the Historian, U.S. Department of State: A Guide to the United States' History of "
    "Recognition, Diplomatic, and Consular Relations, by Country, since 1776 (history.state.gov/countries)."
)
COMMIT = "f3c53549557dd8cf5d9d85096140ed58208f91c6"
UNITED_STATES = "US"


class Kind:
    UNDATED = "timeline entry without a date"
    UNKNOWN_COUNTRY = "article names no country record"


def source_slug(article: Article) -> str:
    return f"hsg-rdcr-{article.slug}"


def source_record(article: Article) -> dict[str, object]:
    return {
        "slug": source_slug(article),
        "title": article.title,
        "publisher": PUBLISHER,
        "url": f"https://history.state.gov/countries/{article.slug}",
        "text": article.text,
        "commit": COMMIT,
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "attribution": ATTRIBUTION,
    }


def event_record(relation: Relation, country: str) -> dict[str, object]:
    """The entry as an event between the United States and ``country``, citing the article's own words."""
    article, entry = relation.article, relation.entry
    source = source_slug(article)
    citations = []
    if entry.head:
        citations.append({"source": source, "quote": entry.head, "locator": relation.locator})
    for sentence in (relation.date.sentence, *relation.date.more_sentences):
        if sentence and sentence != entry.head:
            citations.append({"source": source, "quote": sentence, "locator": relation.locator})
    if not citations:
        citations.append({"source": source, "quote": entry.paragraphs[0], "locator": relation.locator})
    note = {
        "head": "Date from the entry's head.",
        "prose": "Day from the article's prose (cited); the head gives the year at most.",
        "head year": "The head gives only the year and the prose names no day of it.",
    }[relation.date.origin]
    note = relation.date.note or note
    return {
        "slug": f"rdcr-{article.slug}-{entry.index}",
        "kind": relation.kind,
        "title": f"{article.name}: {relation.title}"[:300],
        "summary": "\n\n".join(entry.paragraphs),
        "date": relation.date.edtf,
        "participants": [
            {"role": "PARTICIPANT", "country": UNITED_STATES},
            {"role": "PARTICIPANT", "country": country},
        ]
        if country != UNITED_STATES
        else [{"role": "PARTICIPANT", "country": UNITED_STATES}],
        "citations": citations,
        "note": note,
    }


def records(
    article: Article,
    relations: list[Relation],
    undated: list[Undated],
    country_of: Callable[[str, str, str], str | None],
    problems: list[DataProblem],
) -> tuple[dict[str, object], list[dict[str, object]]]:
    """The article's source record and its events; what cannot be placed is reported.

    ``country_of(slug, day, text)`` names the country record the article's slug stands for
    on ``day`` (an EDTF value): one article may cover a state across eras (``russia``: the
    Russian Empire, the Soviet Union, the Russian Federation), or two at once (``yemen``:
    the entry's ``text`` tells South Yemen's).
    """
    file = f"articles/{article.slug}.xml"
    for item in undated:
        problems.append(
            DataProblem(
                Kind.UNDATED,
                file,
                None,
                f"entry {item.entry.index}",
                "head",
                f"{item.entry.head or item.entry.paragraphs[0][:60] if item.entry.paragraphs else ''!r}: "
                "neither the head nor the prose gives a date; not imported",
            )
        )
    events, unplaced = [], 0
    for relation in relations:
        text = " ".join([relation.entry.head, *relation.entry.paragraphs])
        country = country_of(article.slug, relation.date.edtf, text)
        if country is None:
            unplaced += 1
            continue
        events.append(event_record(relation, country))
    if unplaced:
        problems.append(
            DataProblem(
                Kind.UNKNOWN_COUNTRY,
                file,
                None,
                article.slug,
                "",
                f"{article.name!r}: no country record for this article; its {unplaced} events not imported",
            )
        )
    return source_record(article), events

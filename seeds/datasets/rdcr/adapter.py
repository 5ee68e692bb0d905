"""RDCR as a registered dataset: each country article a Source with its text, each dated entry an Event.

Every event is between the United States and the country the article is about on the
event's date (``countries``). Quotes are cut from the article's own text (``tei``), so the
importer's verbatim check passes by construction and catches any slip.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from core.fuzzydates import FuzzyDate
from seeds.datasets import base
from seeds.datasets.ggo.adapter import Places
from seeds.datasets.ggo.rows import DataProblem as RDCRProblem
from seeds.datasets.rdcr import ARCHIVE, FOLDER, NAME, articles, relations
from seeds.datasets.rdcr.countries import code_for
from seeds.datasets.rdcr.records import records
from seeds.datasets.rdcr.tei import ArticleError


def _first_day(edtf: str) -> str:
    try:
        earliest = FuzzyDate.parse(edtf).earliest
    except ValidationError:
        return ""
    return earliest.isoformat() if earliest else ""


class RDCRAdapter:
    name = NAME
    folder = FOLDER

    def parse(self) -> base.Parsed:
        problems: list[RDCRProblem] = []
        items: list[base.Item] = []
        try:
            found = list(articles(self.folder))
        except ArticleError as error:
            raise base.DatasetError(NAME, ARCHIVE, None, str(error)) from None
        events: list[base.Item] = []
        known = Places.known().countries  # a code with no record is reported, not written
        for article in found:
            dated, undated = relations(article)

            def country_of(slug: str, edtf: str, text: str = "", name: str = article.name) -> str | None:
                code = code_for(slug, name, _first_day(edtf), text)
                return code if code in known else None

            source, records_ = records(article, dated, undated, country_of, problems)
            items.append(base.Item("sources", source, str(source["slug"])))
            events += [base.Item("events", e, str(e["slug"])) for e in records_]
        parsed = base.Parsed(problems=[p.for_import(NAME, recorded_as="not imported") for p in problems])
        parsed.add(base.document(NAME, ARCHIVE, [*items, *events]))
        return parsed

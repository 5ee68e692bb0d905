"""The RDCR excerpt through the one import pipeline: events between the US and each state, verbatim quotes."""

from __future__ import annotations

from pathlib import Path

import pytest

from events.models import Citation, Event, Source
from seeds.datasets import base
from seeds.datasets.rdcr.adapter import RDCRAdapter
from seeds.importer import run_import

EXCERPT = Path(__file__).parent / "rdcr"
pytestmark = pytest.mark.django_db


@pytest.fixture
def excerpt(monkeypatch: pytest.MonkeyPatch) -> RDCRAdapter:
    adapter = RDCRAdapter()
    adapter.folder = EXCERPT
    monkeypatch.setattr(base, "_REGISTRY", {})
    base.register(adapter)
    return adapter


def test_relations_timelines_read_in_order_with_verbatim_quotes(excerpt: RDCRAdapter) -> None:
    run_import(only=["seeds", excerpt.name])
    japan = Event.objects.filter(slug__startswith="rdcr-japan-").order_by("date_earliest", "pk")
    first = japan[0]
    assert (first.kind, first.date) == ("RECOGNITION", "1854-03-31")
    assert sorted(first.participants.values_list("country__code", flat=True)) == ["JP", "US"]
    source = Source.objects.get(slug="hsg-rdcr-japan")
    assert source.licence.startswith("Public domain")
    for citation in Citation.objects.filter(source=source):
        assert citation.quote and citation.quote in source.text
    assert any("March 31, 1854" in c.quote for c in first.citations.all())
    # Former states attach to their own records.
    sicily = Event.objects.filter(slug__startswith="rdcr-two-sicilies-").first()
    assert sicily is not None and "XTSI" in sicily.participants.values_list("country__code", flat=True)
    texas = Event.objects.filter(slug__startswith="rdcr-texas-").first()
    assert texas is not None and "XTEX" in texas.participants.values_list("country__code", flat=True)
    again = run_import(only=["seeds", excerpt.name])
    assert again.stats.written == 0

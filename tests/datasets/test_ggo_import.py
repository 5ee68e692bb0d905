"""The GGO excerpt through the import pipeline: parties' own steps, problems reported, a no-op rerun."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from django.test import Client

from events.models import Citation, Event, Source, Treaty, TreatyParty
from seeds.datasets import base
from seeds.datasets.ggo.adapter import GGOAdapter
from seeds.importer import run_import

EXCERPT = Path(__file__).parent / "ggo"
pytestmark = pytest.mark.django_db


@pytest.fixture
def excerpt(monkeypatch: pytest.MonkeyPatch) -> GGOAdapter:
    adapter = GGOAdapter()
    adapter.folder = EXCERPT
    monkeypatch.setattr(base, "_REGISTRY", {})
    base.register(adapter)
    return adapter


def test_the_excerpt_imports_with_each_partys_steps_and_reruns_as_a_no_op(excerpt: GGOAdapter) -> None:
    report = run_import(only=[excerpt.name])
    ippc = Treaty.objects.get(slug="ggo-intrpp_1951s")
    assert (ippc.treaty_type, ippc.domain) == ("AGREEMENT", "Environment")
    assert ippc.parties.count() >= 20
    phl = ippc.parties.get(country__code="PH")
    assert (phl.signed, phl.ratified, phl.in_force) == ("1951-12-06", "1953-12-03", "1953-12-03")
    amendment = Treaty.objects.get(slug="ggo-che-fra_1891p--che-fra_1880a")
    assert amendment.parent is not None and amendment.parent.slug == "ggo-che-fra_1880a"
    # An exact repeat is one treaty; two agreements under one id are two, both reported.
    assert Treaty.objects.filter(slug="ggo-gtm-mex_1987a").count() == 1
    assert Treaty.objects.filter(slug__in=["ggo-bad-che_1884p", "ggo-bad-che_1884p-2"]).count() == 2
    kinds = Counter(p.kind for p in report.data_problems)
    assert kinds["treatyID names different agreements"] == 1
    assert kinds["unknown party"] >= 2  # Bayern, Baden-Württemberg: reported, not invented
    assert kinds["malformed date"] >= 1
    assert not TreatyParty.objects.filter(
        treaty__slug__startswith="ggo-", country__isnull=True, organization__isnull=True
    ).exists()
    source = Source.objects.get(slug="manytreaties-ggo")
    assert source.licence == "CC BY 4.0" and "Hollway" in source.attribution
    signed = Event.objects.get(slug="ggo-intrpp_1951s-signed")
    assert (signed.kind, signed.date, signed.treaty_id) == ("TREATY", "1951-12-06", ippc.pk)
    assert Citation.objects.filter(event=signed, source=source).exclude(locator="").exists()
    again = run_import(only=[excerpt.name])
    assert again.stats.written == 0


def test_parties_name_the_state_of_their_era_and_unusual_no_end_sentinels_are_no_end(
    excerpt: GGOAdapter,
) -> None:
    report = run_import(only=[excerpt.name])
    soviet = Treaty.objects.get(slug="ggo-rus-usa_1969a").parties.order_by("country__code")
    assert [(p.country.code, p.source_code) for p in soviet] == [("SUHH", "RUS"), ("US", "USA")]
    assert "era inferred" in soviet[0].note and soviet[1].note == ""
    page = Client().get("/treaties/ggo-rus-usa_1969a/").content.decode()
    assert "Soviet Union" in page and "as RUS in the source" in page
    # The Soviet Union acceded to the Spitsbergen treaty in 1935; the Czech Republic in 1993.
    spitsbergen = Treaty.objects.get(slug="ggo-trtyas_1920a")
    assert spitsbergen.parties.get(source_code="RUS").country.code == "SUHH"
    assert spitsbergen.parties.get(source_code="CZE").country.code == "CZ"
    ippc = Treaty.objects.get(slug="ggo-intrpp_1951s")
    assert ippc.parties.get(source_code="CZE").country.code == "CSHH"
    assert ippc.parties.get(source_code="SVN").country.code == "SI"  # its own step, 1998
    nuclear_ships = Treaty.objects.get(slug="ggo-lblons_1962a")
    assert (nuclear_ships.ended, nuclear_ships.open_ended) == ("", True)
    unusual = [p for p in report.data_problems if p.kind == "no-end sentinel other than 9999-12-31"]
    assert [(p.record, p.field) for p in unusual] == [("LBLONS_1962A", "End")]
    assert run_import(only=[excerpt.name]).stats.written == 0

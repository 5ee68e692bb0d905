"""A trip's destination city is the city, not the province of the same name (issue 20)."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from events.models import Visit
from places.models import Region
from seeds.datasets import base
from seeds.datasets.hsg.travels import Travels

pytestmark = pytest.mark.django_db
EXCERPTS = Path(__file__).parent / "data" / "hsg-travels"

TRIP = """    <trip role="secretary" who="kerry-john-forbes">
        <id>{id}</id><role>secretary</role><name>John F. Kerry</name>
        <start-date>2014-0{id}-01</start-date><end-date>2014-0{id}-02</end-date>
        <country id="{country}">{country}</country><locale>{locale}</locale>
        <remarks>Test trip.</remarks>
    </trip>"""
TRIPS = [
    ("brazil", "Rio de Janeiro"),
    ("brazil", "Sao Paulo"),
    ("iraq", "Baghdad"),
    ("afghanistan", "Kabul"),
    ("luxembourg", "Luxembourg"),
]


@pytest.fixture
def travels(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(EXCERPTS / "presidents", tmp_path / "presidents")
    (tmp_path / "secretary-travels").mkdir()
    trips = "\n".join(
        TRIP.format(id=i, country=country, locale=locale) for i, (country, locale) in enumerate(TRIPS, 1)
    )
    (tmp_path / "secretary-travels" / "kerry-john-forbes.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<trips>\n{trips}\n</trips>\n', encoding="utf-8"
    )
    monkeypatch.setattr(base, "_REGISTRY", {})
    base.register(Travels(folder=tmp_path))


def test_a_city_sharing_its_name_with_its_province_is_the_city(travels: None) -> None:
    call_command("import_seeds", "--only", "hsg-travels", stdout=io.StringIO())
    found = {
        visit.event.summary and visit.slug: [
            (r.name, r.kind, r.parent.iso_code if r.parent else None) for r in visit.destinations.all()
        ]
        for visit in Visit.objects.filter(slug__startswith="hsg-travels-").select_related("event")
    }
    assert found == {
        "hsg-travels-1": [("Rio de Janeiro", "city", "BR-RJ")],
        "hsg-travels-2": [("São Paulo", "city", "BR-SP")],
        "hsg-travels-3": [("Baghdad", "city", "IQ-BG")],
        "hsg-travels-4": [("Kabul", "city", "AF-KAB")],
        "hsg-travels-5": [("Luxembourg", "city", "LU-LU")],
    }
    # The provinces are still there, each with its city below it.
    rio_state = Region.objects.get(iso_code="BR-RJ")
    assert rio_state.kind == "state"
    assert list(rio_state.children.values_list("slug", flat=True)) == ["rio-de-janeiro-city"]

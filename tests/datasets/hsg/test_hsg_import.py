"""The three hsg datasets through the one import pipeline, on small excerpts (tests/datasets/hsg/data)."""

from __future__ import annotations

import io
import json
import re
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from events.models import Citation, Event, Visit
from people.models import Person, Role
from seeds.datasets import base
from seeds.datasets.base import DATA_FOLDER
from seeds.datasets.hsg import countries
from seeds.datasets.hsg.names import split_visitors
from seeds.datasets.hsg.pocom import Pocom
from seeds.datasets.hsg.travels import Travels
from seeds.datasets.hsg.visits import Visits

pytestmark = pytest.mark.django_db
EXCERPTS = Path(__file__).parent / "data"


@pytest.fixture
def excerpts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base, "_REGISTRY", {})
    for adapter in (
        Pocom(folder=EXCERPTS / "hsg-pocom"),
        Travels(folder=EXCERPTS / "hsg-travels"),
        Visits(folder=EXCERPTS / "hsg-visits"),
    ):
        base.register(adapter)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("import_seeds", *args, stdout=out)
    return out.getvalue()


def gql(query: str) -> dict:
    response = Client().post("/graphql/", json.dumps({"query": query}), content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def test_every_country_slug_in_the_bundled_data_is_mapped() -> None:
    slugs: set[str] = set()
    pattern = re.compile(rb'<(?:from|country) id="([^"]*)"|<(?:contemporary-)?territory-id>([^<]*)<')
    for dataset in ("hsg-visits", "hsg-travels", "hsg-pocom"):
        with tarfile.open(DATA_FOLDER / dataset / "data.tar.xz", "r:xz") as tar:
            for member in tar.getmembers():
                if member.isfile() and member.name.startswith(
                    ("data/", "president-travels/", "secretary-travels/", "missions-countries/")
                ):
                    data = tar.extractfile(member).read()  # type: ignore[union-attr]
                    slugs |= {(a or b).decode().strip() for a, b in pattern.findall(data)}
    assert len(slugs) > 200
    assert sorted(s for s in slugs if countries.code_for(s, "") is None) == []


def test_a_record_names_the_state_of_its_era() -> None:
    assert countries.code_for("russia", "1959-09-15") == "SUHH"
    assert countries.code_for("russia", "1780-01-01") == "RU"
    assert countries.code_for("russia", "2015-01-01") == "RU"
    assert countries.code_for("czechoslovakia-1993", "1975-01-01") == "CSHH"


def test_joint_visitors_are_split_and_offices_kept_apart_from_names() -> None:
    assert split_visitors("President Andrzej Duda and Prime Minister Donald Tusk") == [
        ("President", "Andrzej Duda"),
        ("Prime Minister", "Donald Tusk"),
    ]
    assert split_visitors("Premier Khrushchev") == [("Premier", "Khrushchev")]
    # The Prime Minister and his wife: one visitor, the Prime Minister.
    assert split_visitors("Prime Minister and Mrs. Kishi") == [("Prime Minister", "Kishi")]


def test_the_excerpts_import_as_sourced_resolved_records(excerpts: None) -> None:
    output = run()
    assert "hsg-visits: read" in output
    # The article's Duda and the dataset's "President Andrzej Duda" are one person.
    duda = gql(
        '{ person(slug: "andrzej-duda") { visits { slug hostCountry { code } '
        "destinations { slug } event { date { edtf } } } } }"
    )["person"]
    visits = duda["visits"]
    assert visits[0]["slug"] == "duda-first-visit-kyiv" or "kyiv" in {
        d["slug"] for v in visits for d in v["destinations"]
    }
    us = [v for v in visits if v["hostCountry"]["code"] == "US"]
    assert [v["event"]["date"]["edtf"] for v in us] == [
        "2016-03-31/2016-04-01",
        "2018-09-17/2018-09-18",
        "2020-06-24",
        "2024-03-12",
    ]
    assert Visit.objects.get(slug="hsg-visits-3246-2").visitor.name == "Donald Tusk"
    assert Visit.objects.get(slug="hsg-visits-2972").kind == "WORKING"
    # A 1959 visit "from U.S.S.R." is the Soviet Union's.
    khrushchev = Visit.objects.get(visitor__name="Khrushchev")
    assert khrushchev.visitor.nationality.code == "SUHH"
    # The Secretary of State's trip to North Korea, with its city, and his term among his roles.
    pompeo = Person.objects.get(slug="pompeo-michael-r")
    assert {(i.scheme, i.value) for i in pompeo.identifiers.all()} == {("hsg", "pompeo-michael-r")}
    trip = Visit.objects.filter(visitor=pompeo, host_country__code="KP").first()
    assert trip is not None
    assert [(r.name, r.country.code) for r in trip.destinations.all()] == [("Pyongyang", "KP")]
    term = Role.objects.get(person=pompeo, title="Secretary of State")
    assert (term.start, term.end, term.country.code) == ("2018-04-26", "2021-01-20", "US")
    # The U.S. ambassador to Poland on a given day.
    holders = gql(
        '{ officeHolders(post: {country: "PL", of: "US"}, on: "2016-06-01") '
        "{ title person { name } endState citations { locator } } }"
    )["officeHolders"]
    assert [h["person"]["name"] for h in holders] == ["Paul Wayne Jones"]
    assert holders[0]["citations"][0]["locator"].startswith(
        "hsg-pocom missions-countries/poland.xml #pl-2015"
    )
    secretary = gql(
        '{ officeHolders(post: {title: "Secretary of State"}, on: "2018-06-12") { person { slug } } }'
    )
    assert secretary["officeHolders"] == [{"person": {"slug": "pompeo-michael-r"}}]
    # Every imported record cites its dataset record.
    for event in Event.objects.filter(slug__startswith="hsg-"):
        assert [c.locator.split(" ")[0] for c in event.citations.all()] in (["hsg-visits"], ["hsg-travels"])
    assert not Role.objects.filter(citations__isnull=True, person__identifiers__scheme="hsg").exists()
    assert Citation.objects.filter(locator__startswith="hsg-travels presidents/presidents.xml").exists()
    # A second import changes nothing: known at once, and so on comparing every record.
    assert "Up to date" in run()
    assert "Nothing changed." in run("--full")


def snapshot() -> dict[str, object]:
    return {
        "roles": sorted(Role.objects.values_list("person__slug", "title", "start", "end")),
        "identifiers": sorted(Person.objects.values_list("slug", "identifiers__value")),
        "people": sorted(Person.objects.values_list("slug", "name", "aliases", "born", "died")),
        "destinations": sorted(Visit.objects.values_list("slug", "destinations__slug")),
        "citations": Citation.objects.count(),
    }


def test_a_run_of_one_dataset_adds_and_removes_nothing_of_the_others(excerpts: None) -> None:
    run()
    before = snapshot()
    # Pompeo is both hsg-pocom's (his term) and hsg-travels' (his trips): a run of the trips
    # alone must not take his term, identifiers or pocom's names away.
    output = run("--only", "hsg-travels")
    assert "Kept" not in output
    assert snapshot() == before
    assert Role.objects.filter(person__slug="pompeo-michael-r", title="Secretary of State").exists()
    # Nor does it leave a baseline that makes the next full run see editors' changes.
    output = run("--full")
    assert "Nothing changed." in output and "Kept" not in output
    assert snapshot() == before


def test_up_to_date_only_while_nothing_was_written_since(excerpts: None) -> None:
    from people.services import person_update

    run()
    assert "Up to date" in run()
    # An editor's save moves the data version: the next run compares every record again,
    # and keeps the editor's value.
    duda = Person.objects.get(slug="andrzej-duda")
    person_update(actor=None, reason="test", person=duda, fields={"note": "Editor's note."})
    output = run()
    assert "Up to date" not in output and "Imported:" in output
    assert Person.objects.get(slug="andrzej-duda").note == "Editor's note."
    assert "Up to date" in run()
    # A dry run, a path or --only never takes the shortcut.
    assert "Up to date" not in run("--dry-run")
    assert "Up to date" not in run("--only", "hsg-visits")


def test_editors_merges_and_distinct_pairs_outlive_reimports(excerpts: None) -> None:
    """Issue 20: a merge is never split by a re-import, a pair marked distinct never merged."""
    from people.identity import person_mark_distinct, person_merge
    from people.identity_imports import identity_decisions

    run()
    survivor = Person.objects.get(slug="andrzej-duda")
    tusk = Visit.objects.get(slug="hsg-visits-3246-2").visitor
    # Another country's record: the survivor's new alias cannot join it by name and country.
    khrushchev = Visit.objects.get(visitor__name="Khrushchev").visitor
    gone = {tusk.slug, khrushchev.slug}
    visits = set(Visit.objects.filter(visitor__in=[tusk, khrushchev]).values_list("pk", flat=True))
    person_merge(actor=None, reason="test merge", survivor=survivor, merged=tusk)
    person_merge(actor=None, reason="test merge", survivor=survivor, merged=khrushchev)
    pompeo = Person.objects.get(slug="pompeo-michael-r")
    other = Person.objects.exclude(pk__in=[survivor.pk, pompeo.pk]).filter(visits__isnull=False).first()
    assert other is not None
    person_mark_distinct(actor=None, reason="test distinct", a=other, b=pompeo)
    people = Person.objects.count()

    run("--full")
    assert not Person.objects.filter(slug__in=gone).exists()
    assert not Person.objects.filter(name__in=["Donald Tusk", "Khrushchev"]).exists()
    assert visits <= set(Visit.objects.filter(visitor=survivor).values_list("pk", flat=True))
    assert Person.objects.count() == people
    assert Person.objects.filter(pk__in=[other.pk, pompeo.pk]).count() == 2
    decisions = identity_decisions()
    assert decisions.merged == dict.fromkeys(gone, "andrzej-duda")
    assert decisions.are_distinct(other.slug, pompeo.slug)
    # The run after is as quiet as any.
    assert "Nothing changed." in run("--full")

"""The accuracy audit on the small excerpts: every sampled record right, and a corrupted row caught."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit import load
from audit.base import Api, Result, audit, checkers, table
from events.models import Event
from people.models import Role
from seeds.datasets import base
from seeds.datasets.ggo.adapter import GGOAdapter
from seeds.datasets.hsg.milestones import Milestones
from seeds.datasets.hsg.pocom import Pocom
from seeds.datasets.hsg.timeline import Timeline
from seeds.datasets.hsg.travels import Travels
from seeds.datasets.hsg.visits import Visits
from seeds.datasets.rdcr.adapter import RDCRAdapter
from seeds.importer import run_import

pytestmark = pytest.mark.django_db
DATASETS = Path(__file__).parent.parent / "datasets"
EXCERPTS = {
    "hsg-pocom": DATASETS / "hsg" / "data" / "hsg-pocom",
    "hsg-travels": DATASETS / "hsg" / "data" / "hsg-travels",
    "hsg-visits": DATASETS / "hsg" / "data" / "hsg-visits",
    "manytreaties-ggo": DATASETS / "ggo",
    "hsg-rdcr": DATASETS / "rdcr",
    "hsg-administrative-timeline": DATASETS / "hsg-administrative-timeline",
    "hsg-milestones": DATASETS / "hsg-milestones",
}
SEED, N = 3, 12


@pytest.fixture
def imported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base, "_REGISTRY", {})
    adapters = [Pocom(folder=EXCERPTS["hsg-pocom"]), Travels(folder=EXCERPTS["hsg-travels"])]
    adapters += [Visits(folder=EXCERPTS["hsg-visits"])]
    adapters += [Timeline(folder=EXCERPTS["hsg-administrative-timeline"])]
    adapters += [Milestones(folder=EXCERPTS["hsg-milestones"])]
    for adapter in (GGOAdapter(), RDCRAdapter()):
        adapter.folder = EXCERPTS[adapter.name]
        adapters.append(adapter)
    for adapter in adapters:
        base.register(adapter)
    run_import(only=list(EXCERPTS))
    load()


def run(name: str) -> Result:
    return audit(checkers()[name], Api(), EXCERPTS[name], SEED, N)


def test_every_dataset_has_a_checker() -> None:
    load()
    assert set(checkers()) == set(EXCERPTS)


@pytest.mark.parametrize("name", sorted(EXCERPTS))
def test_every_sampled_excerpt_record_is_served_right(imported: None, name: str) -> None:
    result = run(name)
    assert result.sampled >= 2  # the milestones excerpt holds two articles
    assert dict(result.kinds) == {}, table([result])
    assert result.right == result.sampled


def test_a_corrupted_visit_is_reported_with_its_error_kind(imported: None) -> None:
    visits = run("hsg-visits")
    visit = Event.objects.filter(slug__startswith="hsg-visits-").order_by("slug").first()
    assert visit is not None
    # Corrupt the served row behind the importer's back (update() on purpose: no service would).
    Event.objects.filter(pk=visit.pk).update(summary="Nothing of the kind happened.")
    every = audit(checkers()["hsg-visits"], Api(), EXCERPTS["hsg-visits"], SEED, 1000)
    assert every.kinds == {"description": 1}
    assert every.right == every.sampled - 1
    assert visits.right == visits.sampled  # the same audit before the corruption


def test_a_role_with_a_wrong_title_and_a_missing_role_are_reported(imported: None) -> None:
    roles = Role.objects.filter(citations__locator__startswith="hsg-pocom ").order_by("pk")
    first, second = roles[0], roles[1]
    Role.objects.filter(pk=first.pk).update(title="Court Jester")
    Role.objects.filter(pk=second.pk).delete()
    result = audit(checkers()["hsg-pocom"], Api(), EXCERPTS["hsg-pocom"], SEED, 1000)
    assert result.kinds["title"] == 1
    assert result.kinds["not served"] == 1
    assert "Court Jester" in result.examples["title"]
    assert result.right == result.sampled - 2


def test_a_timeline_entry_with_a_wrong_date_and_title_is_reported(imported: None) -> None:
    # The excerpt's 1818 entry: notBefore 1818-01-01, notAfter 1818-12-31 is the year.
    Event.objects.filter(slug="hsg-timeline-1818-01-01").update(date="1818-01-01", title="The Department")
    result = audit(
        checkers()["hsg-administrative-timeline"], Api(), EXCERPTS["hsg-administrative-timeline"], SEED, 1000
    )
    assert dict(result.kinds) == {"date": 1, "title": 1}
    assert "served 1818-01-01" in result.examples["date"]
    assert result.right == result.sampled - 1
    Event.objects.filter(slug="hsg-timeline-1789-09-26").delete()
    result = audit(
        checkers()["hsg-administrative-timeline"], Api(), EXCERPTS["hsg-administrative-timeline"], SEED, 1000
    )
    assert result.kinds["not served"] == 1


def test_a_milestone_with_a_wrong_date_kind_and_summary_is_reported(imported: None) -> None:
    # "John Jay’s Treaty, <date when="1794">1794–95</date>": dated as the words, 1794/1795.
    jay = Event.objects.get(slug="hsg-milestones-1784-1800-jay-treaty")
    Event.objects.filter(pk=jay.pk).update(date="1794", kind="TREATY", summary=jay.summary[:200])
    result = audit(checkers()["hsg-milestones"], Api(), EXCERPTS["hsg-milestones"], SEED, 1000)
    assert dict(result.kinds) == {"date": 1, "kind": 1, "summary": 1}
    assert "1794/1795, served 1794" in result.examples["date"]
    assert result.right == result.sampled - 1

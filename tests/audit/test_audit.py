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
from seeds.datasets.hsg.pocom import Pocom
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
}
SEED, N = 3, 12


@pytest.fixture
def imported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base, "_REGISTRY", {})
    adapters = [Pocom(folder=EXCERPTS["hsg-pocom"]), Travels(folder=EXCERPTS["hsg-travels"])]
    adapters += [Visits(folder=EXCERPTS["hsg-visits"])]
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
    assert result.sampled >= 3
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

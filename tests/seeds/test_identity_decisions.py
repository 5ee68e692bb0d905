"""Editors' decisions on who is who go out with export_seeds and come back with import_seeds (issue 20)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from events.models import Visit
from people.identity import person_mark_distinct, person_merge
from people.identity_imports import identity_decisions
from people.models import CandidateStatus, Person, PersonCandidate, PersonMerge
from people.selectors import person_by_slug
from tests.admin.conftest import populate
from tests.seeds.test_export import export, reimport, snapshot, wipe

pytestmark = pytest.mark.django_db


def decisions() -> tuple[dict[str, str], set[frozenset[str]]]:
    found = identity_decisions()
    return found.merged, found.distinct


def test_decisions_round_trip(tmp_path: Path) -> None:
    a, b, c = (populate(n)[Person] for n in range(3))
    b_slug = b.slug
    person_merge(actor=None, reason="One person in two datasets", survivor=a, merged=b)
    person_mark_distinct(actor=None, reason="Namesakes", a=a, b=c)
    stated = decisions()
    assert stated == ({b_slug: a.slug}, {frozenset((a.slug, c.slug))})
    # populate() writes visits without their mirrored participants: one import adds them.
    export(tmp_path)
    reimport(tmp_path)
    before = snapshot()

    export(tmp_path)
    document = yaml.safe_load((tmp_path / "export.yaml").read_text(encoding="utf-8"))
    assert document["person_decisions"] == [
        {
            "decision": "merged",
            "person": a.slug,
            "other": b_slug,
            "name": "Person 1",
            "reason": "One person in two datasets",
        },
        {"decision": "distinct", "person": a.slug, "other": c.slug, "reason": "Namesakes"},
    ]
    out = reimport(tmp_path)
    assert "Nothing changed." in out, out

    PersonCandidate.objects.all().delete()
    PersonMerge.objects.all().delete()
    wipe()
    reimport(tmp_path)
    assert snapshot() == before
    assert decisions() == stated
    assert [p.slug for p in person_by_slug(slug=b_slug)] == [a.slug]
    assert PersonCandidate.objects.get(status=CandidateStatus.DISTINCT).reason == "Namesakes"
    # A second run changes nothing.
    assert "Nothing changed." in reimport(tmp_path)


def test_a_file_merge_of_two_stored_people_merges_them(tmp_path: Path) -> None:
    a, b = populate(0)[Person], populate(1)[Person]
    visits = set(Visit.objects.filter(visitor__in=[a, b]).values_list("pk", flat=True))
    entry = {"decision": "merged", "person": a.slug, "other": b.slug, "reason": "Same"}
    (tmp_path / "decisions.yaml").write_text(yaml.safe_dump({"person_decisions": [entry]}), encoding="utf-8")
    reimport(tmp_path)
    assert not Person.objects.filter(slug=b.slug).exists()
    assert set(Visit.objects.filter(visitor=a).values_list("pk", flat=True)) == visits
    assert PersonMerge.objects.get().reason == "Same"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"decision": "merged", "person": "test-nobody", "other": "test-x"}, "test-nobody"),
        ({"decision": "distinct", "person": "test-person-0", "other": "test-person-0"}, "twice"),
        ({"decision": "same", "person": "test-person-0", "other": "test-person-1"}, "decision"),
    ],
)
def test_bad_decisions_are_refused_and_write_nothing(tmp_path: Path, entry: dict, message: str) -> None:
    populate(0), populate(1)
    (tmp_path / "decisions.yaml").write_text(yaml.safe_dump({"person_decisions": [entry]}), encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(Exception, match=message):
        call_command("import_seeds", str(tmp_path), stdout=out, stderr=out)
    assert not PersonMerge.objects.exists() and not PersonCandidate.objects.exists()
    assert Person.objects.filter(slug__in=["test-person-0", "test-person-1"]).count() == 2

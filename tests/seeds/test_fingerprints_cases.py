"""What a no-op re-import skips unread, and what it still compares (issue 25, item 3).

A skipped record is not read at all (only its id); the history that says "someone wrote it
since" is read once per table while nothing is written, and read again after any write.
A visit, a role's citation and a file's changed visit are each compared or written.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Model

from events.models import Citation, Event, Visit
from events.services import event_update, visit_update
from events.services.citations import citation_update
from people.models import Person, Role
from seeds.importer import fingerprints, ownership
from seeds.importer.loader import find_files, load
from seeds.importer.plan import record_values
from seeds.importer.validate import build_plan
from seeds.models import Baseline
from tests.seeds.conftest import SEEDS, run, snapshot

pytestmark = pytest.mark.django_db

EVENT = "chervona-zirka-capture-claim"
VISIT = "lyubimova-north-korea-visit"
PERSON = "andrzej-duda"


@pytest.fixture
def editor() -> Any:
    return get_user_model().objects.create_user("fingerprint-cases-editor")


def _read(reads: list[tuple[str, list[Any]]], relation: str) -> set[Any]:
    return {pk for name, pks in reads if name == relation for pk in pks}


def test_a_skipped_record_is_not_read_only_its_id(monkeypatch):
    run()
    skipped: dict[str, Any] = {}
    real = ownership.Ownership.merge

    def merge(self: Any, model: Any, records: Any, files: Any, **kw: Any) -> Any:
        result = real(self, model, records, files, **kw)
        if model is Event:
            skipped.update(self.skipped_ids)
            # Nothing was read for them: no instance, not even one with its fields deferred.
            assert all(r.instance is None for r in self.skipped.values())
        return result

    monkeypatch.setattr(ownership.Ownership, "merge", merge)
    before = snapshot()
    run()
    assert snapshot() == before
    imported = Event.objects.filter(slug__in=Baseline.objects.filter(model="events.event").values("key"))
    assert skipped == dict(imported.values_list("slug", "pk")) != {}


def test_history_is_read_again_after_a_write(editor):
    run()
    event = Event.objects.get(slug=EVENT)
    base = Baseline.objects.get(model="events.event", key=EVENT)
    check = {event.pk: (base.checked_edit, base.checked_at)}
    touched = fingerprints.Touched()
    assert touched(Event, check) == set()
    # The same run reading again after a write (here an editor's) sees it.
    event_update(actor=editor, reason="sharper", event=event, fields={"note": "An editor's note"})
    assert touched(Event, check) == {event.pk}


def test_an_editors_change_to_a_roles_citation_compares_the_person(editor, read_children):
    run()
    person = Person.objects.get(slug=PERSON)
    citation = Citation.objects.filter(role__person=person).order_by("pk").first()
    assert citation is not None
    citation_update(actor=editor, reason="page", citation=citation, fields={"locator": "p. 7"})
    read_children.clear()
    run()
    assert _read(read_children, "roles") == {person.pk}  # only the person whose role was cited anew
    citation.refresh_from_db()
    assert citation.locator == "p. 7"  # the editor's value, kept
    assert Role.objects.filter(person=person).count() == 1


def test_an_editors_change_to_a_visit_is_compared_kept_and_reported(editor, read_children):
    run()
    visit = Visit.objects.get(slug=VISIT)
    visit_update(actor=editor, reason="sharper", visit=visit, fields={"purpose": "Culture, edited"})
    read_children.clear()
    output = run()
    assert f"{VISIT}: purpose: kept the editor's 'Culture, edited'" in output
    assert _read(read_children, "destinations") == {visit.pk}
    assert _read(read_children, "participants") == set()  # its event: nobody changed it, skipped
    assert Visit.objects.get(slug=VISIT).purpose == "Culture, edited"
    assert not Baseline.objects.get(model="events.visit", key=VISIT).clean


def test_a_visit_changed_in_the_file_is_written_under_its_skipped_event(article_copy, read_children):
    run(article_copy)
    event = Visit.objects.get(slug=VISIT).event
    text = article_copy.read_text(encoding="utf-8")
    article_copy.write_text(text.replace("delegation_size: 125", "delegation_size: 130"), encoding="utf-8")
    read_children.clear()
    run(article_copy)
    assert Visit.objects.get(slug=VISIT).delegation_size == 130
    assert _read(read_children, "participants") == set()  # the event itself was skipped unread
    stored = Event.objects.get(pk=event.pk)
    assert (stored.title, stored.date) == (event.title, event.date)


def _hasattr_values(model: type[Model], record: Any) -> dict[str, Any]:
    """record_values as it was: a hasattr per field per record."""
    values = {}
    for f in model._meta.concrete_fields:
        if not (f.is_relation or f.primary_key) and hasattr(record, f.name):
            value = getattr(record, f.name)
            values[f.name] = getattr(value, "value", value)
    return values


def test_record_values_reads_what_each_record_has():
    files, _ = find_files([SEEDS])
    plan, problems = build_plan([load(path)[0] for path in files])
    assert problems == []
    pairs = [(Person, i.record) for i in plan.people] + [(Event, i.record) for i in plan.events]
    pairs += [(Role, r) for i in plan.people for r in i.record.roles]
    pairs += [(Visit, i.record.visit) for i in plan.events if i.record.visit is not None]
    assert len(pairs) > 20
    for model, record in pairs:
        assert record_values(model, record) == _hasattr_values(model, record)

    class Loose:  # not a pydantic record: asked per instance
        title = "a title"

    loose = Loose()
    loose.note = "set on the instance"  # type: ignore[attr-defined]
    assert record_values(Event, loose) == {"title": "a title", "note": "set on the instance"}

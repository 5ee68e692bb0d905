import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.history import tag_revision
from core.revisions import CHANGED, CREATED, DELETED, FieldChange, revisions_for
from events.models import Citation, Event, ParticipantRole, Participation, TreatyParty
from people.models import Role
from tests.events.factories import make_event, make_source, make_treaty
from tests.people.factories import make_person
from tests.places.factories import make_country

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return get_user_model().objects.create_user("test-editor", password="x")


@pytest.fixture
def other_editor():
    return get_user_model().objects.create_user("test-other-editor", password="x")


def save(instance, *, actor=None, reason=None):
    tag_revision(instance, actor=actor, reason=reason)
    instance.save()
    return instance


def delete(instance, *, actor=None, reason=None):
    tag_revision(instance, actor=actor, reason=reason)
    instance.delete()


def event_with_history(editor):
    return save(
        Event(slug="test-summit", title="Summit", kind="MEETING", date="2024-05"),
        actor=editor,
        reason="from the communiqué",
    )


def test_creation_is_one_revision_with_user_reason_and_initial_values(editor):
    event = event_with_history(editor)
    [revision] = revisions_for(event)
    assert (revision.kind, revision.user, revision.reason) == (CREATED, "test-editor", "from the communiqué")
    changes = {c.field: (c.old, c.new) for c in revision.changes}
    assert changes["title"] == (None, "Summit")
    assert changes["date"] == (None, "2024-05")
    assert changes["kind"] == (None, "Meeting")  # choices read as their labels
    assert changes["status"] == (None, "Reported as fact by a source")
    # Derived bounds and the primary key are bookkeeping, not an editor's change.
    assert not {"id", "date_earliest", "date_latest"} & changes.keys()
    assert revision.history_id == event.revisions.get().history_id


def test_a_change_lists_only_the_fields_that_changed(editor, other_editor):
    event = event_with_history(editor)
    event.title = "Summit in Kyiv"
    event.date = "2024-05-14"
    save(event, actor=other_editor, reason="exact day")
    created, changed = revisions_for(event)
    assert created.kind == CREATED
    assert (changed.kind, changed.user, changed.reason) == (CHANGED, "test-other-editor", "exact day")
    assert changed.changes == [
        FieldChange("title", "Summit", "Summit in Kyiv"),
        FieldChange("date", "2024-05", "2024-05-14"),
    ]


def test_two_quick_saves_by_one_editor_stay_two_revisions(editor):
    # Two saves of the record itself are two edits, however close in time.
    event = event_with_history(editor)
    event.title = "Summit in Kyiv"
    save(event, actor=editor, reason="from the communiqué")
    created, changed = revisions_for(event)
    assert (created.kind, changed.kind) == (CREATED, CHANGED)
    assert changed.changes == [FieldChange("title", "Summit", "Summit in Kyiv")]


def test_adding_changing_and_removing_a_participant_are_revisions_of_the_event(editor, other_editor):
    event = event_with_history(editor)
    person = make_person("syrskyi", name="Oleksandr Syrskyi")
    country = make_country()
    participation = save(
        Participation(event=event, role=ParticipantRole.SPEAKER, person=person),
        actor=other_editor,
        reason="named in the report",
    )
    participation.country = country
    participation.note = "defence ministry"
    save(participation, actor=editor, reason="acts for Testland")
    delete(participation, actor=other_editor, reason="misread the source")

    _, added, changed, removed = revisions_for(event)
    assert (added.kind, added.user, added.reason) == (CHANGED, "test-other-editor", "named in the report")
    assert added.changes == [FieldChange("participants", None, "role: Speaker; person: Oleksandr Syrskyi")]
    assert added.history_id is None
    assert (changed.user, changed.reason) == ("test-editor", "acts for Testland")
    assert changed.changes == [
        FieldChange("participants.country", None, "Testland (QM)"),
        FieldChange("participants.note", None, "defence ministry"),
    ]
    assert (removed.kind, removed.user, removed.reason) == (
        CHANGED,
        "test-other-editor",
        "misread the source",
    )
    assert removed.changes == [
        FieldChange(
            "participants",
            "role: Speaker; person: Oleksandr Syrskyi; country: Testland (QM); note: defence ministry",
            None,
        )
    ]


def test_one_edit_of_a_record_and_its_rows_is_one_revision(editor):
    event = event_with_history(editor)
    event.title = "Summit in Kyiv"
    save(event, actor=editor, reason="fuller report")
    save(
        Participation(event=event, role=ParticipantRole.HOST, country=make_country()),
        actor=editor,
        reason="fuller report",
    )
    _, revision = revisions_for(event)
    assert revision.kind == CHANGED
    assert revision.history_id is not None
    assert revision.changes == [
        FieldChange("title", "Summit", "Summit in Kyiv"),
        FieldChange("participants", None, "role: Host; country: Testland (QM)"),
    ]


def test_rows_saved_by_another_editor_are_not_folded_in(editor, other_editor):
    event = event_with_history(editor)
    save(Participation(event=event, role=ParticipantRole.HOST, country=make_country()), actor=other_editor)
    created, added = revisions_for(event)
    assert created.user == "test-editor"
    assert (added.user, added.reason) == ("test-other-editor", None)


def test_places_and_citations_are_relation_changes(editor):
    event = event_with_history(editor)
    source = make_source(text="Leaders met in Kyiv.")
    event.country_links.create(country=make_country())
    Citation.objects.create(source=source, event=event, quote="met in Kyiv")
    fields = [c.field for r in revisions_for(event) for c in r.changes]
    assert "countries" in fields
    assert "citations" in fields
    [citation_change] = [c for r in revisions_for(event) for c in r.changes if c.field == "citations"]
    assert citation_change.new == "source: Source source; quote: met in Kyiv"


def test_deletion_is_the_last_revision_and_keeps_the_reason(editor):
    event = event_with_history(editor)
    save(Participation(event=event, role=ParticipantRole.HOST, country=make_country()), actor=editor)
    pk = event.pk
    delete(event, actor=editor, reason="duplicate of another record")
    event.pk = pk
    last = revisions_for(event)[-1]
    assert (last.kind, last.user, last.reason) == (DELETED, "test-editor", "duplicate of another record")


def test_treaty_parties_and_provisions_are_relation_changes(editor):
    treaty = make_treaty()
    party = TreatyParty(treaty=treaty, country=make_country(), signed="2024-06-19")
    save(party, actor=editor, reason="signing ceremony")
    treaty.provisions.create(kind="MUTUAL_DEFENSE", article="Article 4", summary="Mutual assistance.")
    changes = [c for r in revisions_for(treaty) for c in r.changes if c.field in {"parties", "provisions"}]
    assert changes == [
        FieldChange("parties", None, "country: Testland (QM); signed: 2024-06-19"),
        FieldChange(
            "provisions",
            None,
            "kind: Mutual defence (ATOP: defense); article: Article 4; summary: Mutual assistance.",
        ),
    ]


def test_a_persons_roles_and_a_roles_citations_are_relation_changes(editor):
    person = make_person("duda", name="Andrzej Duda")
    role = save(Role(person=person, title="President", start="2015-08-06"), actor=editor, reason="sworn in")
    Citation.objects.create(source=make_source(), role=role)
    [role_change] = [c for r in revisions_for(person) for c in r.changes if c.field == "roles"]
    assert role_change == FieldChange("roles", None, "title: President; start: 2015-08-06; outcome: Served")
    [citation_change] = [c for r in revisions_for(role) for c in r.changes if c.field == "citations"]
    assert citation_change == FieldChange("citations", None, "source: Source source")


def test_query_count_does_not_grow_with_rows(editor):
    def queries_for(event) -> int:
        with CaptureQueriesContext(connection) as queries:
            revisions_for(event)
        return len(queries)

    small, big = make_event("small"), make_event("big")
    save(Participation(event=small, role=ParticipantRole.HOST, person=make_person("p0")), actor=editor)
    for i in range(6):
        save(
            Participation(event=big, role=ParticipantRole.HOST, person=make_person(f"p{i + 1}")), actor=editor
        )
    assert queries_for(small) == queries_for(big)

"""``manage.py check_integrity [--repair]`` on rows written before the invariants held (issue 8).

Each test builds the bad state the way old writes left it (raw SQL, ``QuerySet.update``,
a constraint taken away) and asserts what the database holds after the repair.
"""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from events.models import (
    Citation,
    Event,
    ParticipantRole,
    Participation,
    ProvisionKind,
    TreatyProvision,
    Visit,
)
from events.services import treaty_create, visit_create
from events.visit_dates import drop_triggers
from people.models import Person
from places.models import Country, Region
from tests.events.factories import make_event
from tests.integrity.constraints import duplicate, without_constraint

pytestmark = pytest.mark.django_db
REASON = "check_integrity --repair"


def check(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("check_integrity", *args, stdout=out)
    except CommandError as error:
        out.write(str(error))
        return error.returncode, out.getvalue()
    return 0, out.getvalue()


def test_a_clean_database_passes() -> None:
    assert check() == (0, "No problems found.\n")


def test_repeated_participants_are_reported_then_removed_with_history() -> None:
    event = make_event("twice")
    ua = Country.objects.get(code="UA")
    with without_constraint(Participation, "participation_unique_country"):
        first = Participation.objects.create(event=event, role=ParticipantRole.HOST, country=ua)
        copy = duplicate(Participation.objects.get(pk=first.pk))
        code, out = check()
        assert code == 1
        assert "repeated-rows: 1 found" in out and "stored 2 times" in out
        assert "1 problem(s) left" in out
        assert Participation.objects.filter(event=event).count() == 2  # a check writes nothing
        code, out = check("--repair")
        assert code == 0, out
        assert "repaired 1" in out
    assert list(Participation.objects.filter(event=event).values_list("pk", flat=True)) == [first.pk]
    gone = Participation.history.get(id=copy.pk, history_type="-")
    assert gone.history_change_reason.startswith(REASON)
    assert Event.objects.get(pk=event.pk).version == event.version + 1
    assert check() == (0, "No problems found.\n")


def _defer_foreign_keys() -> None:
    # Rows whose parent is gone: what a restore in part, or a write with the checks off, leaves.
    # The checks are deferred to a commit the test never makes.
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA defer_foreign_keys = ON")


def test_orphan_rows_are_deleted_with_history() -> None:
    treaty = treaty_create(
        actor=None,
        fields={"slug": "gone", "name": "Gone"},
        provisions=[{"kind": ProvisionKind.ECONOMIC, "summary": "Trade."}],
    )
    provision = treaty.provisions.get()
    _defer_foreign_keys()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM events_treaty WHERE id = %s", [treaty.pk])
    code, out = check()
    assert code == 1 and "orphan-rows: 1 found" in out and f"#{provision.pk}" in out
    code, out = check("--repair")
    assert code == 0, out
    assert not TreatyProvision.objects.filter(pk=provision.pk).exists()
    gone = TreatyProvision.history.get(id=provision.pk, history_type="-")
    assert gone.history_change_reason.startswith(REASON)


def test_a_visit_without_its_visitor_gets_the_mirror_row_back() -> None:
    event = make_event("trip", kind="VISIT")
    duda = Person.objects.get(slug="andrzej-duda")
    visit_create(
        actor=None,
        fields={
            "slug": "test-trip",
            "event": event,
            "visitor": duda,
            "host_country": Country.objects.get(code="UA"),
        },
        destinations=[Region.objects.get(slug="kyiv")],
    )
    Participation.objects.filter(event=event).delete()  # old writes: no mirror
    event.region_links.all().delete()
    code, out = check()
    assert code == 1 and "visit-mirror: 2 found" in out and "andrzej-duda is not a participant" in out
    code, out = check("--repair")
    assert code == 0, out
    assert list(Participation.objects.filter(event=event).values_list("role", "person_id")) == [
        (ParticipantRole.VISITOR, duda.pk)
    ]
    assert list(event.region_links.values_list("region__slug", flat=True)) == ["kyiv"]
    added = Participation.history.get(
        event_id=event.pk, history_type="+", history_change_reason__startswith=REASON
    )
    assert added.person_id == duda.pk
    assert Visit.objects.get(event=event).visitor_id == duda.pk


def test_a_visit_whose_date_copy_went_stale_is_copied_again_and_its_triggers_restored() -> None:
    # What a data-only restore with triggers off leaves: the visit's copy of its event's dates
    # (events.visit_dates) is not the event's, and no trigger keeps it any more.
    event = make_event("late-copy", kind="VISIT", date="2024-03")
    visit = visit_create(
        actor=None,
        fields={
            "slug": "late-copy",
            "event": event,
            "visitor": Person.objects.get(slug="andrzej-duda"),
            "host_country": Country.objects.get(code="UA"),
        },
    )
    drop_triggers(connection)
    Visit.objects.filter(pk=visit.pk).update(
        event_date_earliest=None, event_date_latest=datetime.date(1990, 1, 1)
    )
    history_before = Visit.history.count()
    code, out = check()
    assert code == 1 and "visit-dates: 1 found" in out
    assert "visit late-copy: its copy of the event's dates (None to 1990-01-01)" in out
    assert "is not the event's (2024-03-01 to 2024-03-31)" in out
    code, out = check("--repair")
    assert code == 0, out
    assert Visit.objects.values_list("event_date_earliest", "event_date_latest").get(pk=visit.pk) == (
        datetime.date(2024, 3, 1),
        datetime.date(2024, 3, 31),
    )
    assert Visit.history.count() == history_before  # derived data: no history of its own
    # The triggers are back: a date written past the services still reaches the copy.
    Event.objects.filter(pk=event.pk).update(date_earliest=datetime.date(2024, 3, 5))
    assert Visit.objects.get(pk=visit.pk).event_date_earliest == datetime.date(2024, 3, 5)
    assert check() == (0, "No problems found.\n")


def test_wrong_region_paths_are_rewritten_below_too() -> None:
    oblast = Region.objects.get(slug="donetsk-oblast")
    below = list(Region.objects.filter(parent=oblast).values_list("pk", "path"))
    assert below
    right = oblast.path
    Region.objects.filter(pk=oblast.pk).update(path="/999999/")
    Region.objects.filter(parent=oblast).update(path=f"/999999/{oblast.pk}/")
    code, out = check()
    assert code == 1 and "region-paths" in out and "donetsk-oblast" in out
    code, out = check("--repair")
    assert code == 0, out
    assert Region.objects.get(pk=oblast.pk).path == right
    assert sorted(Region.objects.filter(parent=oblast).values_list("pk", "path")) == sorted(below)
    assert Region.history.filter(id=oblast.pk, history_change_reason__startswith=REASON).exists()


def test_a_quote_not_in_its_source_is_reported_and_left_to_an_editor() -> None:
    citation = Citation.objects.filter(event__isnull=False).order_by("pk").first()
    Citation.objects.filter(pk=citation.pk).update(quote="Words nobody wrote.")
    code, out = check("--repair")
    assert code == 1
    assert "quotes: 1 found" in out and "does not occur verbatim" in out
    assert "not repaired: an editor must choose the words" in out
    assert Citation.objects.get(pk=citation.pk).quote == "Words nobody wrote."


def test_a_user_deleted_by_sql_leaves_history_rows_that_are_found_and_cleared() -> None:
    """``history_user`` has no database constraint (core.history): Django clears it when a user
    is deleted through it; SQL that deletes one leaves ids naming nobody, which the check finds."""
    from django.contrib.auth import get_user_model

    from core.edits import edit
    from core.models import Change

    users = get_user_model()
    gone = users.objects.create_user("gone-by-sql")
    kept = users.objects.create_user("deleted-by-django")
    with edit(actor=gone, reason="written by a user later deleted by SQL"):
        make_event("by-gone")
    with edit(actor=kept, reason="written by a user later deleted through Django"):
        make_event("by-kept")
    rows = Event.history.filter(slug="test-by-gone")
    assert list(rows.values_list("history_user_id", flat=True)) == [gone.pk]

    kept.delete()  # Django's SET_NULL, constraint or not
    assert list(Event.history.filter(slug="test-by-kept").values_list("history_user_id", flat=True)) == [None]
    with connection.cursor() as cursor:  # the changes log's user keeps its constraint: cleared first
        cursor.execute(f"UPDATE {Change._meta.db_table} SET user_id = NULL WHERE user_id = %s", [gone.pk])
        cursor.execute(f"DELETE FROM {users._meta.db_table} WHERE id = %s", [gone.pk])

    code, out = check()
    assert code == 1
    assert "history-users: 1 found" in out and f"events.historicalevent row(s) name user #{gone.pk}" in out
    assert list(rows.values_list("history_user_id", flat=True)) == [gone.pk]  # a check writes nothing

    code, out = check("--repair")
    assert code == 0, out
    assert list(rows.values_list("history_user_id", flat=True)) == [None]
    assert rows.get().history_change_reason == "written by a user later deleted by SQL"  # the rest kept
    assert check() == (0, "No problems found.\n")

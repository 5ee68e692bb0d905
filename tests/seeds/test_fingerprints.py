"""A re-import skips, unread, what nobody changed, and still compares what an editor touched (issue 25)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from events.models import Event
from events.services import event_update
from places.models import Country
from seeds.importer import fingerprints
from seeds.management.commands.import_seeds import Command
from seeds.models import Baseline
from tests.seeds.conftest import run, snapshot

pytestmark = pytest.mark.django_db

SLUG = "chervona-zirka-capture-claim"


@pytest.fixture
def editor() -> Any:
    return get_user_model().objects.create_user("fingerprint-editor")


def _event() -> Event:
    return Event.objects.get(slug=SLUG)


def _events_read(reads: list[tuple[str, list[Any]]]) -> set[Any]:
    return {pk for name, pks in reads if name == "participants" for pk in pks}


def test_a_second_run_reads_no_child_rows_and_changes_nothing(read_children):
    run()  # the comparison that records each record's digest and check
    read_children.clear()
    before = snapshot()
    output = run()
    assert read_children == []
    assert snapshot() == before
    assert Command.NOTHING_CHANGED in output
    assert Baseline.objects.filter(model="events.event", clean=True).exclude(digest="").exists()


def test_an_editor_added_row_is_compared_until_clean_and_kept(editor, read_children, monkeypatch):
    run()
    event = _event()
    rows = [
        {"role": p.role, "person": p.person, "country": p.country, "note": p.note}
        for p in event.participants.all()
    ]
    ua = Country.objects.get(code="UA")
    event_update(
        actor=editor,
        reason="Ukraine too",
        event=event,
        fields={},
        participants=[*rows, {"role": "SUBJECT", "country": ua}],
    )
    read_children.clear()
    run()
    assert _events_read(read_children) == {event.pk}  # only the event the editor touched
    assert event.participants.filter(country=ua, role="SUBJECT").exists()
    read_children.clear()
    run()
    # Within MARGIN of the editor's save it is compared again (a save still open during the
    # last read could carry an earlier time); past it, compared clean, it is skipped again.
    assert _events_read(read_children) == {event.pk}
    monkeypatch.setattr(fingerprints, "MARGIN", datetime.timedelta(0))
    read_children.clear()
    run()
    assert _events_read(read_children) == set()
    assert event.participants.filter(country=ua, role="SUBJECT").exists()


def test_a_kept_conflict_is_compared_and_reported_on_every_run(editor, read_children):
    run()
    event_update(actor=editor, reason="sharper", event=_event(), fields={"title": "Edited title"})
    for _ in range(2):
        read_children.clear()
        output = run()
        assert f"{SLUG}: title: kept the editor's 'Edited title'" in output
        assert _events_read(read_children) == {_event().pk}
        assert _event().title == "Edited title"
    assert not Baseline.objects.get(model="events.event", key=SLUG).clean


def test_a_changed_file_compares_the_record_it_changed(article_copy, read_children):
    run(article_copy)
    text = article_copy.read_text(encoding="utf-8")
    article_copy.write_text(
        text.replace("title: Russia claims the capture of Chervona Zirka", "title: A new title"),
        encoding="utf-8",
    )
    read_children.clear()
    run(article_copy)
    assert _events_read(read_children) == {_event().pk}
    assert _event().title == "A new title"

"""Imports never revert an editor: each ownership case, asserting what the database holds (issue 8)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from core.errors import SeedError
from events.models import Citation, Event, Participation
from events.services import event_update
from places.models import Country
from seeds.importer import seeds_import
from seeds.management.commands.import_seeds import Command
from tests.seeds.conftest import run, snapshot

pytestmark = pytest.mark.django_db

SLUG = "chervona-zirka-capture-claim"
TITLE = "Russia claims the capture of Chervona Zirka"


@pytest.fixture
def editor():
    return get_user_model().objects.create_user("ownership-editor")


def _event() -> Event:
    return Event.objects.get(slug=SLUG)


def test_an_edited_field_survives_a_re_import_which_says_it_kept_it(editor):
    event_update(
        actor=editor, reason="sharper", event=_event(), fields={"title": "Russia says it took the village"}
    )
    before = snapshot()
    output = run()
    assert snapshot() == before
    assert _event().title == "Russia says it took the village"
    assert Command.NOTHING_CHANGED in output
    assert (
        f"{SLUG}: title: kept the editor's 'Russia says it took the village'; the file says '{TITLE}'"
        in output
    )


def test_a_changed_file_changes_what_editors_left_and_reports_what_they_changed(editor, article_copy: Path):
    event_update(actor=editor, reason="sharper", event=_event(), fields={"title": "Edited title"})
    text = article_copy.read_text(encoding="utf-8")
    text = text.replace(f"title: {TITLE}", "title: A new title from the file")
    text = text.replace("status: CLAIMED\n    title: A new", "status: DISPUTED\n    title: A new")
    article_copy.write_text(text, encoding="utf-8")
    stats = seeds_import(paths=[article_copy])
    event = _event()
    assert (event.title, event.status) == ("Edited title", "DISPUTED")
    [conflict] = [c for c in stats.conflicts if c.record == SLUG]
    assert (conflict.field, conflict.editor, conflict.file_value) == (
        "title",
        "Edited title",
        "A new title from the file",
    )
    assert conflict.file == str(article_copy)


def test_editor_added_rows_stay_and_editor_deleted_rows_are_not_re_created(editor):
    event = _event()
    ua = Country.objects.get(code="UA")
    rows = [
        {"role": p.role, "person": p.person, "country": p.country, "note": p.note}
        for p in event.participants.all()
    ]
    citations = [{"source": c.source, "quote": c.quote} for c in event.citations.all()][1:]
    event_update(
        actor=editor,
        reason="added Ukraine, dropped a weak citation",
        event=event,
        fields={},
        participants=[*rows, {"role": "SUBJECT", "country": ua}],
        citations=citations,
    )
    run()
    assert Participation.objects.filter(event=event, role="SUBJECT", country=ua).exists()
    assert Citation.objects.filter(event=event).count() == 1


def test_file_wins_for_named_records_with_the_reason_recorded(editor):
    event_update(actor=editor, reason="sharper", event=_event(), fields={"title": "Edited title"})
    with pytest.raises(SeedError):
        seeds_import(file_wins=[SLUG], only=["seeds"])
    assert _event().title == "Edited title"
    run("--file-wins", SLUG, "--reason", "the editor's title was a mistake")
    event = _event()
    assert event.title == TITLE
    latest = event.revisions.latest("history_id")
    assert latest.history_change_reason.endswith("the file wins: the editor's title was a mistake")
    assert "Nothing changed." in run()

"""The changes log of an import and of a service edit, pinned entry by entry (issue 25, item 3).

The log is built from compact rows and in chunks (``core.changelog.CHUNK``, made tiny here so
every scenario crosses chunk boundaries). These expectations were taken from the log as it was
built before, from every row at once, for the same writes: the content (kinds, slugs, authors,
reasons, field changes with their labels) and the order of the entries did not change.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from core import changelog
from core.edits import edit
from core.models import Change
from events.models import Event, Treaty
from events.services import event_create, event_delete, event_update, treaty_update
from people.models import Person
from people.services import person_update
from places.models import Country
from seeds.importer import seeds_import

pytestmark = pytest.mark.django_db

# The article's own words, so the quote rule accepts them.
NEW_PERSON = """\
  - slug: test-changelog-person
    name: Test Changelog Person
    nationality: UA
    roles:
      - title: Spokesperson
        country: UA
        citations:
          - source: article-000-90c99206324603d7
            quote: Ukrainian President Volodymyr Zelenskyy

"""
NEW_EVENT = """\
  - slug: test-changelog-event
    kind: MEETING
    title: A meeting the log must list
    date: 2025-06
    countries: [UA, PL]
    regions: [kyiv]
    participants:
      - role: HOST
        person: test-changelog-person
        country: UA
      - role: PARTICIPANT
        person: andrzej-duda
        country: PL
    citations:
      - source: article-000-90c99206324603d7
        quote: outgoing President Andrzej Duda
"""
EDITS = (
    ("title: Russia claims the capture of Chervona Zirka", "title: Russia says it took Chervona Zirka"),
    ("        note: defence ministry\n", "        note: Russian defence ministry\n"),
    (
        "      - source: article-000-90c99206324603d7\n"
        "        quote: This represents a potentially major turning point in the continuing war"
        " in eastern Ukraine.\n",
        "",
    ),
    ("    name: Olga Lyubimova\n", "    name: Olga B. Lyubimova\n"),
    (
        "            quote: Ukrainian ground forces chief Oleksandr Syrskyi\n",
        "            quote: ground forces chief Oleksandr Syrskyi\n",
    ),
    ("      - country: KP\n", "      - country: KP\n      - country: CN\n"),
    ("\ntreaties:\n", f"{NEW_PERSON}treaties:\n"),
)


@pytest.fixture
def editor(django_user_model: type[User]) -> User:
    return django_user_model.objects.create_user("log-editor")


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(changelog, "CHUNK", 3)


def _log(after: int, tmp: Path | None = None) -> list[tuple[Any, ...]]:
    """The entries written since ``after``, in id order, without ids, moments and edit ids."""
    entries = []
    for change in Change.objects.filter(id__gt=after).select_related("user").order_by("id"):
        reason = change.reason.replace(str(tmp), "<tmp>") if tmp is not None else change.reason
        username = change.user.username if change.user is not None else None
        changes = [list(c) for c in change.changes]
        entries.append(
            (change.kind, change.model, change.slug, change.previous_slug, username, reason, changes)
        )
    return entries


def _last_id() -> int:
    last = Change.objects.order_by("-id").first()
    return last.id if last is not None else 0


def test_an_imports_log_lists_creations_changes_and_dropped_rows(
    article_copy: Path, small_chunks: None
) -> None:
    text = article_copy.read_text(encoding="utf-8")
    for old, new in EDITS:
        assert old in text, old
        text = text.replace(old, new, 1)
    article_copy.write_text(text + NEW_EVENT, encoding="utf-8")
    start = _last_id()
    seeds_import(paths=[article_copy])
    assert _log(start, article_copy.parent) == IMPORTED


def test_one_edit_that_creates_changes_renames_and_deletes_logs_each_record_once(
    editor: User, small_chunks: None
) -> None:
    ua, pl = Country.objects.get(code="UA"), Country.objects.get(code="PL")
    duda = Person.objects.get(slug="andrzej-duda")
    syrskyi = Person.objects.get(slug="oleksandr-syrskyi")
    treaty = Treaty.objects.get(slug="russia-north-korea-comprehensive-strategic-partnership-treaty")
    start = _last_id()
    with edit(actor=editor, reason="one edit"):
        made = event_create(
            actor=editor,
            fields={"slug": "test-log-made", "kind": "MEETING", "title": "Made", "date": "2024-05"},
            countries=[ua],
            participants=[{"role": "HOST", "person": duda, "country": pl}],
        )
        # Changed again in the same edit: the entry shows the end state, as one creation.
        event_update(actor=editor, event=made, fields={"title": "Made, then retitled"}, countries=[ua, pl])
        renamed = Event.objects.get(slug="duda-zelenskyy-meeting")
        event_update(
            actor=editor,
            reason="renamed",
            event=renamed,
            fields={"slug": "test-log-renamed", "summary": ""},
            participants=[{"role": "SPEAKER", "person": syrskyi, "country": ua}],
        )
        event_delete(actor=editor, event=Event.objects.get(slug="kostiantynivka-offensive"))
        # Made and removed by the same edit: nothing anyone could have seen.
        gone = event_create(
            actor=editor, fields={"slug": "test-log-gone", "kind": "OTHER", "title": "Gone", "date": "2024"}
        )
        event_delete(actor=editor, event=gone)
        person_update(actor=editor, person=syrskyi, fields={"name": "Oleksandr S. Syrskyi"})
        treaty_update(actor=editor, treaty=treaty, fields={}, parties=[{"country_id": ua.pk}])
    assert _log(start) == EDITED


IMPORTED: list[tuple[Any, ...]] = [
    (
        "CHANGED",
        "event",
        "chervona-zirka-capture-claim",
        "",
        "import_seeds",
        "import_seeds: <tmp>/000_90c99206324603d7.yaml",
        [
            ["title", "Russia claims the capture of Chervona Zirka", "Russia says it took Chervona Zirka"],
            [
                "citations",
                "source: Russia Advances in Eastern Ukraine as Ties with North Korea Strengthen; quote: This "
                "represents a potentially major turning point in the continuing war in eastern Ukraine.",
                None,
            ],
            ["participants.note", "defence ministry", "Russian defence ministry"],
        ],
    ),
    (
        "CREATED",
        "event",
        "test-changelog-event",
        "",
        "import_seeds",
        "import_seeds: <tmp>/000_90c99206324603d7.yaml",
        [
            ["slug", None, "test-changelog-event"],
            ["kind", None, "Meeting"],
            ["title", None, "A meeting the log must list"],
            ["date", None, "2025-06"],
            ["status", None, "Reported as fact by a source"],
            [
                "citations",
                None,
                "source: Russia Advances in Eastern Ukraine as Ties with North Korea Strengthen; quote: "
                "outgoing President Andrzej Duda",
            ],
            ["participants", None, "role: Host; person: Test Changelog Person; country: Ukraine (UA)"],
            ["participants", None, "role: Participant; person: Andrzej Duda; country: Poland (PL)"],
            ["countries", None, "country: Ukraine (UA)"],
            ["countries", None, "country: Poland (PL)"],
            ["regions", None, "region: Kyiv"],
        ],
    ),
    (
        "CHANGED",
        "treaty",
        "russia-north-korea-comprehensive-strategic-partnership-treaty",
        "",
        "import_seeds",
        "import_seeds",
        [["parties", None, "country: China (CN)"]],
    ),
    (
        "CHANGED",
        "person",
        "olga-lyubimova",
        "",
        "import_seeds",
        "import_seeds: <tmp>/000_90c99206324603d7.yaml",
        [["name", "Olga Lyubimova", "Olga B. Lyubimova"]],
    ),
    (
        "CREATED",
        "person",
        "test-changelog-person",
        "",
        "import_seeds",
        "import_seeds: <tmp>/000_90c99206324603d7.yaml",
        [
            ["slug", None, "test-changelog-person"],
            ["name", None, "Test Changelog Person"],
            ["nationality", None, "Ukraine (UA)"],
            ["roles", None, "title: Spokesperson; country: Ukraine (UA); outcome: Served"],
            [
                "citations",
                None,
                "source: Russia Advances in Eastern Ukraine as Ties with North Korea Strengthen; quote: "
                "Ukrainian President Volodymyr Zelenskyy",
            ],
        ],
    ),
]

EDITED: list[tuple[Any, ...]] = [
    ("DELETED", "event", "kostiantynivka-offensive", "", "log-editor", "one edit", []),
    (
        "CHANGED",
        "event",
        "test-log-renamed",
        "duda-zelenskyy-meeting",
        "log-editor",
        "one edit",
        [
            ["slug", "duda-zelenskyy-meeting", "test-log-renamed"],
            [
                "summary",
                "Zelenskyy told Duda that holding close ties is crucial while the war goes on: “We will do "
                "everything in our power to ensure that relations between our countries only grow stronger.”",
                None,
            ],
            ["participants", None, "role: Speaker; person: Oleksandr S. Syrskyi; country: Ukraine (UA)"],
            ["participants", "role: Speaker; person: Volodymyr Zelenskyy; country: Ukraine (UA)", None],
            ["participants", "role: Participant; person: Andrzej Duda; country: Poland (PL)", None],
        ],
    ),
    (
        "CREATED",
        "event",
        "test-log-made",
        "",
        "log-editor",
        "one edit",
        [
            ["slug", None, "test-log-made"],
            ["kind", None, "Meeting"],
            ["title", None, "Made, then retitled"],
            ["date", None, "2024-05"],
            ["status", None, "Reported as fact by a source"],
            ["participants", None, "role: Host; person: Andrzej Duda; country: Poland (PL)"],
            ["countries", None, "country: Ukraine (UA)"],
            ["countries", None, "country: Poland (PL)"],
        ],
    ),
    (
        "CHANGED",
        "treaty",
        "russia-north-korea-comprehensive-strategic-partnership-treaty",
        "",
        "log-editor",
        "one edit",
        [
            ["parties", None, "country: Ukraine (UA)"],
            ["parties", "country: Russia (RU)", None],
            ["parties", "country: North Korea (KP)", None],
        ],
    ),
    (
        "CHANGED",
        "person",
        "oleksandr-syrskyi",
        "",
        "log-editor",
        "one edit",
        [["name", "Oleksandr Syrskyi", "Oleksandr S. Syrskyi"]],
    ),
]

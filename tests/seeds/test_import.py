"""Idempotency, updates with history naming the file, child-row sync and --dry-run (issue 3)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Event, Participation
from places.models import Region
from seeds.importer import seeds_import
from seeds.management.commands.import_seeds import Command
from tests.seeds.conftest import run, snapshot

pytestmark = pytest.mark.django_db


def test_second_run_writes_nothing_not_even_history():
    before = snapshot()
    output = run()
    assert snapshot() == before
    assert Command.NOTHING_CHANGED in output
    assert summary_row(output, "places.Region") == [0, 0, 5070, 0, 0]


def test_seeded_rows_carry_the_file_in_their_history_reason():
    event = Event.objects.get(slug="chervona-zirka-capture-claim")
    row = event.history.get()
    assert (row.history_change_reason, row.history_user.username) == (
        "import_seeds: seeds/curated/000_90c99206324603d7.yaml",
        "import_seeds",
    )
    donetsk = Region.objects.get(slug="donetsk-oblast").history.get()
    assert donetsk.history_change_reason == "import_seeds: seeds/curated/000_90c99206324603d7.yaml"
    assert (
        Region.objects.get(iso_code="PL-14")
        .history.get()
        .history_change_reason.startswith("import_seeds: seeds/curated/gazetteer.yaml (pycountry ")
    )


def test_changed_file_updates_only_what_changed_with_history_naming_it(article_copy: Path):
    text = article_copy.read_text(encoding="utf-8")
    text = text.replace(
        "title: Russia claims the capture of Chervona Zirka", "title: Russia says it took Chervona Zirka"
    )
    text = text.replace("        note: defence ministry\n", "        note: Russian defence ministry\n")
    article_copy.write_text(text, encoding="utf-8")
    before = snapshot()
    stats = seeds_import(paths=[article_copy])
    assert dict(stats.counts["events.Event"]) == {"updated": 1, "unchanged": 13}
    assert dict(stats.counts["events.Participation"]) == {"updated": 1, "unchanged": 18}
    assert stats.written == 2
    event = Event.objects.get(slug="chervona-zirka-capture-claim")
    assert event.title == "Russia says it took Chervona Zirka"
    latest = event.history.first()
    assert (latest.history_type, latest.history_change_reason) == ("~", f"import_seeds: {article_copy}")
    after = snapshot()
    changed = {label: after[label] - before[label] for label in after if after[label] != before[label]}
    assert changed == {"events.HistoricalEvent": 1, "events.HistoricalParticipation": 1}


def test_child_rows_the_file_drops_are_deleted_with_history(article_copy: Path):
    text = article_copy.read_text(encoding="utf-8")
    dropped = "      - role: CLAIMANT\n        country: RU\n        note: defence ministry\n"
    assert dropped in text
    article_copy.write_text(
        text.replace(dropped, "      - role: CLAIMANT\n        country: RU\n        note: x\n", 1)
    )
    seeds_import(paths=[article_copy])
    article_copy.write_text(text.replace(dropped, "      - role: SUBJECT\n        country: UA\n", 1))
    stats = seeds_import(paths=[article_copy])
    assert (
        stats.counts["events.Participation"]["inserted"],
        stats.counts["events.Participation"]["deleted"],
    ) == (1, 1)
    event = Event.objects.get(slug="chervona-zirka-capture-claim")
    assert list(event.participants.values_list("role", "country__code")) == [("SUBJECT", "UA")]
    assert Participation.history.filter(history_type="-", event_id=event.pk).count() == 1


def test_dry_run_reports_new_and_stored_records_and_writes_nothing(article_copy: Path):
    text = article_copy.read_text(encoding="utf-8")
    text = text.replace("delegation_size: 125", "delegation_size: 126")
    article_copy.write_text(text.replace("slug: chervona-zirka-capture-claim", "slug: a-new-claim"))
    before = snapshot()
    output = run(article_copy, "--dry-run")
    assert snapshot() == before
    assert Command.DRY_RUN in output
    # model, new, stored: the renamed event is new, the other 13 are stored (and compared on a real run).
    assert summary_row(output, "events.Event") == [1, 13]
    assert summary_row(output, "events.Source") == [0, 5]


def test_a_dry_run_only_reads(article_copy: Path):
    """A dry run was a real write rolled back: it held the write lock as long (issue 19, item 10)."""
    text = article_copy.read_text(encoding="utf-8")
    article_copy.write_text(text.replace("delegation_size: 125", "delegation_size: 126"), encoding="utf-8")
    with CaptureQueriesContext(connection) as queries:
        run(article_copy, "--dry-run")
    statements = [q["sql"].split(None, 1)[0].upper() for q in queries.captured_queries]
    assert statements and set(statements) == {"SELECT"}, sorted(set(statements))


def test_progress_and_counts_by_model_are_printed():
    output = run()
    assert output.splitlines()[0] == "Read 7 seed file(s)."
    assert Command.DONE in output
    assert summary_row(output, "events.Event") == [0, 0, 14, 0, 0]


def test_an_unmigrated_database_is_named_with_the_command_to_run(monkeypatch: pytest.MonkeyPatch):
    from django.core.management import CommandError, call_command
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("pending", False)])
    before = snapshot()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_seeds", only=["seeds"], verbosity=0)
    assert "has unapplied migrations (1); run `python manage.py migrate` first. Nothing was written." in str(
        excinfo.value
    )
    assert snapshot() == before


def summary_row(output: str, model: str) -> list[int]:
    """The summary table's counts for ``model``: inserted, updated, unchanged, deleted, conflicts
    (a dry run's: new, stored)."""
    for line in output.splitlines():
        cells = line.split()
        if cells and cells[0] == model:
            return [int(c) for c in cells[1:]]
    raise AssertionError(f"no summary row for {model} in:\n{output}")

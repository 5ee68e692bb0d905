"""``manage.py import_seeds [PATH ...]``: load seed files (default: the project's seeds/)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.errors import SeedError
from seeds.importer import seeds_import
from seeds.importer.write import DELETED, INSERTED, UNCHANGED, UPDATED


class Command(BaseCommand):
    help = "Import seed YAML files or folders (default: seeds/): validate all, then write all or nothing."

    FAILED = "import_seeds: {count} problem(s); nothing was written."
    DRY_RUN = "Dry run: nothing was written. The import would give:"
    DONE = "Imported:"
    NOTHING_CHANGED = "Nothing changed."
    KEPT = (
        "Kept {count} editor change(s) made since the last import (run again with "
        '--file-wins KEY --reason "..." to let the file win):'
    )
    COUNTS = "  {model}: {inserted} inserted, {updated} updated, {unchanged} unchanged, {deleted} deleted"
    UNMIGRATED = (
        "The database {name!r} has unapplied migrations ({count}); run `python manage.py migrate` "
        "first. Nothing was written."
    )
    SHOWN_CHANGES = 20

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("paths", nargs="*", type=Path, help="Seed files or folders (default: seeds/).")
        parser.add_argument("--dry-run", action="store_true", help="Validate and report; write nothing.")
        parser.add_argument(
            "--file-wins",
            nargs="+",
            default=[],
            metavar="KEY",
            help="Make the file win for these records (slugs, or country codes), editors' changes included.",
        )
        parser.add_argument("--reason", default="", help="Why the file wins (kept in the history); required.")

    def handle(
        self,
        *args: Any,
        paths: list[Path],
        dry_run: bool,
        verbosity: int,
        file_wins: list[str],
        reason: str,
        **options: Any,
    ) -> None:
        def progress(message: str) -> None:
            if verbosity >= 1:
                self.stdout.write(message)

        # Without this, an unmigrated database fails deep in validation with a traceback.
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            raise CommandError(
                self.UNMIGRATED.format(name=str(connection.settings_dict["NAME"]), count=len(pending)),
                returncode=1,
            )
        try:
            stats = seeds_import(
                paths=paths, dry_run=dry_run, progress=progress, file_wins=file_wins, file_wins_reason=reason
            )
        except SeedError as error:
            raise CommandError(
                "\n".join([*error.problems, self.FAILED.format(count=len(error.problems))]), returncode=1
            ) from None
        if verbosity < 1:
            return
        self.stdout.write(self.DRY_RUN if dry_run else self.DONE)
        for model, counts in sorted(stats.counts.items()):
            self.stdout.write(
                self.COUNTS.format(
                    model=model,
                    inserted=counts[INSERTED],
                    updated=counts[UPDATED],
                    unchanged=counts[UNCHANGED],
                    deleted=counts[DELETED],
                )
            )
            changes = stats.changes.get(model, [])
            if dry_run or verbosity >= 2:
                shown = changes if verbosity >= 2 else changes[: self.SHOWN_CHANGES]
                for change in shown:
                    self.stdout.write(f"    {change}")
                if len(changes) > len(shown):
                    self.stdout.write(f"    ... and {len(changes) - len(shown)} more")
        if not stats.written:
            self.stdout.write(self.NOTHING_CHANGED)
        if stats.conflicts:
            self.stdout.write(self.KEPT.format(count=len(stats.conflicts)))
            for conflict in stats.conflicts:
                self.stdout.write(f"  {conflict}")

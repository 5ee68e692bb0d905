"""``manage.py import_seeds [PATH ...] [--only NAME ...]``: load the seeds and the bundled datasets."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.errors import SeedError
from seeds.datasets.base import problem_counts
from seeds.importer import SEEDS, firstrun, run_import
from seeds.importer.write import DELETED, INSERTED, UNCHANGED, UPDATED


class Command(BaseCommand):
    help = (
        "Import the curated seed files of seeds/curated/ and every bundled dataset (or the paths / "
        "--only names given): validate all, then write all or nothing."
    )

    FAILED = "import_seeds: {count} problem(s); nothing was written."
    DRY_RUN = (
        "Dry run: the files are valid; nothing was written and no lock was taken. A real import "
        "would insert the new records and compare the stored ones field by field, writing what differs:"
    )
    PREVIEW_HEAD = ("model", "new", "stored")
    DONE = "Imported:"
    NOTHING_CHANGED = "Nothing changed."
    KEPT = (
        "Kept {count} editor change(s) made since the last import (run again with "
        '--file-wins KEY --reason "..." to let the file win):'
    )
    COUNTS = "  {model}: {inserted} inserted, {updated} updated, {unchanged} unchanged, {deleted} deleted"
    TABLE_HEAD = ("model", "inserted", "updated", "unchanged", "deleted", "conflicts")
    # One line at the default verbosity, however many there are (issue 23): by dataset and kind.
    UNUSABLE = "Unusable values recorded as unknown: {count:,} ({details}){more}"
    UNUSABLE_MORE = "; -v 2 lists each"
    UNMIGRATED = (
        "The database {name!r} has unapplied migrations ({count}); run `python manage.py migrate` "
        "first. Nothing was written."
    )
    UP_TO_DATE = (
        "Up to date: the seed files and datasets are as the import of {when} read them, and nothing "
        "was written since. Nothing to do (--full compares every record anyway)."
    )

    BACKGROUND = (
        "The curated seeds are in. The bundled datasets are importing in the background now "
        "(pid {pid}, progress in {log}): pages work meanwhile and show the datasets when it "
        "finishes, a line here says when; editors' saves wait for it."
    )
    CURATED_FIRST_ALONE = "--curated-first is the default import's: give no paths and no other option."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "paths", nargs="*", type=Path, help="Seed files or folders (default: seeds/curated/)."
        )
        for flag, metavar, text in (
            (
                "--only",
                "NAME",
                "Load only these: dataset names (hsg-visits...) and/or 'seeds' (seeds/curated/).",
            ),
            (
                "--file-wins",
                "KEY",
                "Make the file win for these records (slugs, or country codes), editors' changes included.",
            ),
        ):
            parser.add_argument(flag, nargs="+", default=[], metavar=metavar, help=text)
        parser.add_argument("--dry-run", action="store_true", help="Validate and report; write nothing.")
        parser.add_argument("--reason", default="", help="Why the file wins (kept in the history); required.")
        parser.add_argument(
            "--full",
            action="store_true",
            help="Read and compare every record even when the files and the data are as the last "
            "import left them.",
        )
        parser.add_argument(
            "--curated-first",
            action="store_true",
            help="On a fresh database, import the curated seeds, then the rest in a background "
            "process, and return (what `make run` does). Otherwise the default import.",
        )

    def handle(
        self,
        *args: Any,
        paths: list[Path],
        dry_run: bool,
        verbosity: int,
        file_wins: list[str],
        reason: str,
        only: list[str],
        full: bool,
        curated_first: bool = False,
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
        background = False
        if curated_first:
            if paths or only or dry_run or file_wins or full:
                raise CommandError(self.CURATED_FIRST_ALONE, returncode=2)
            # seeds.importer.firstrun: on a fresh database the datasets follow in the background.
            background = firstrun.fresh()
            only = [SEEDS] if background else []
        try:
            report = run_import(
                paths=paths,
                dry_run=dry_run,
                progress=progress,
                file_wins=file_wins,
                file_wins_reason=reason,
                only=only,
                full=full,
            )
        except SeedError as error:
            raise CommandError(
                "\n".join([*error.problems, self.FAILED.format(count=len(error.problems))]), returncode=1
            ) from None
        self._report(report, verbosity)
        if background:
            process = firstrun.start_background_import()
            self.stdout.write(self.BACKGROUND.format(pid=process.pid, log=firstrun.LOG))

    def _report(self, report: Any, verbosity: int) -> None:
        stats = report.stats
        if verbosity < 1:
            return
        if (last := report.up_to_date) is not None:
            self.stdout.write(self.UP_TO_DATE.format(when=f"{last.finished_at:%Y-%m-%d %H:%M:%S %Z}"))
            if counts := last.summary.get("problems", {}):
                self.stdout.write(self._unusable(counts, more=""))
            return
        if report.preview is not None:
            self.stdout.write(self.DRY_RUN)
            self._table([self.PREVIEW_HEAD, *((p.model, p.new, p.stored) for p in report.preview)])
            self._data_problems(report, verbosity)
            return
        self.stdout.write(self.DONE)
        conflicts: dict[str, int] = {}
        for conflict in stats.conflicts:
            model = getattr(conflict, "model", "") or "?"
            conflicts[model] = conflicts.get(model, 0) + 1
        rows = [
            (
                model,
                counts[INSERTED],
                counts[UPDATED],
                counts[UNCHANGED],
                counts[DELETED],
                conflicts.get(model, 0),
            )
            for model, counts in sorted(stats.counts.items())
        ]
        self._table([self.TABLE_HEAD, *rows])
        if verbosity >= 2:
            for model in sorted(stats.counts):
                for change in stats.changes.get(model, []):
                    self.stdout.write(f"    {change}")
        self._data_problems(report, verbosity)
        if verbosity >= 2:
            self.stdout.write("Time: " + ", ".join(f"{k} {v:.1f} s" for k, v in report.timings.items()))
        if not stats.written:
            self.stdout.write(self.NOTHING_CHANGED)
        if stats.conflicts:
            self.stdout.write(self.KEPT.format(count=len(stats.conflicts)))
            for conflict in stats.conflicts:
                self.stdout.write(f"  {conflict}")

    def _table(self, rows: list[tuple[Any, ...]]) -> None:
        """Write ``rows`` (a head first) as columns: the first left-aligned, numbers right-aligned."""
        widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
        for row in rows:
            cells = [str(row[0]).ljust(widths[0])] + [
                str(v).rjust(w) for v, w in zip(row[1:], widths[1:], strict=True)
            ]
            self.stdout.write("  " + "  ".join(cells))

    def _data_problems(self, report: Any, verbosity: int) -> None:
        """One summary line by dataset and kind; at ``-v 2`` each kind on a line, then each value."""
        if not report.data_problems:
            return
        counts = {f"{d}: {k}": n for (d, k), n in sorted(problem_counts(report.data_problems).items())}
        self.stdout.write(self._unusable(counts, more="" if verbosity >= 2 else self.UNUSABLE_MORE))
        if verbosity < 2:
            return
        for kind, count in counts.items():
            self.stdout.write(f"  {kind}: {count}")
        for problem in report.data_problems:
            self.stdout.write(f"    {problem}")

    def _unusable(self, counts: dict[str, int], *, more: str) -> str:
        details = "; ".join(f"{kind}: {count:,}" for kind, count in counts.items())
        return self.UNUSABLE.format(count=sum(counts.values()), details=details, more=more)

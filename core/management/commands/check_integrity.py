"""``manage.py check_integrity [--repair]``: find rows written before the invariants held, fix what can be."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from core import integrity


class Command(BaseCommand):
    help = (
        "Find rows written before the write path's invariants held (repeated or orphan child rows, "
        "visits without their mirror rows, wrong region paths, quotes not in their source); "
        "--repair fixes what can be fixed through the services, with a reason in the history."
    )

    KIND = "{name}: {count} found ({description})"
    REPAIRED = "  repaired {count}"
    NOT_REPAIRED = "  not repaired: {why}"
    MORE = "  ... and {count} more"
    CLEAN = "No problems found."
    ALL_REPAIRED = "Every problem found was repaired."
    LEFT = "check_integrity: {count} problem(s) left."
    DEFAULT_REASON = "check_integrity --repair: rows written before the invariants held (issue 8)"
    EXAMPLES = 5

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--repair", action="store_true", help="Fix what can be fixed; report the rest.")
        parser.add_argument(
            "--reason", default=self.DEFAULT_REASON, help="Kept in the history of every repair."
        )
        parser.add_argument("--examples", type=int, default=self.EXAMPLES, help="Examples shown per kind.")

    def handle(self, *args: Any, repair: bool, reason: str, examples: int, **options: Any) -> None:
        report = integrity.run(repair=repair, reason=reason)
        for check in integrity.checks():
            found = report.found.get(check.name, [])
            if not found:
                continue
            self.stdout.write(
                self.KIND.format(name=check.name, count=len(found), description=check.description)
            )
            for finding in found[:examples]:
                self.stdout.write(f"  {finding.example}")
            if len(found) > examples:
                self.stdout.write(self.MORE.format(count=len(found) - examples))
            if repair:
                fixed = report.repaired.get(check.name, [])
                if fixed:
                    self.stdout.write(self.REPAIRED.format(count=len(fixed)))
                if len(fixed) < len(found):
                    self.stdout.write(
                        self.NOT_REPAIRED.format(why=check.unrepairable or "no repair for this kind")
                    )
        if not any(report.found.values()):
            self.stdout.write(self.CLEAN)
            return
        if report.left:
            raise CommandError(self.LEFT.format(count=report.left), returncode=1)
        self.stdout.write(self.ALL_REPAIRED)

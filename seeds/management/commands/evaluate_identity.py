"""``manage.py evaluate_identity [PAIRS]``: precision and recall of the import's merges on a labelled set."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from seeds.datasets.identity.evaluate import PAIRS, report


class Command(BaseCommand):
    help = (
        "Run the identity rules on the bundled datasets (no database) and report precision and "
        "recall of their automatic merges on hand-labelled person pairs "
        "(tests/datasets/identity/pairs.yaml)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("pairs", nargs="?", type=Path, default=PAIRS)

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(report(options["pairs"]))

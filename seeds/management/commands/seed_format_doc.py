"""``manage.py seed_format_doc``: regenerate docs/seed-format.md from the seed schema."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from seeds.importer.docs import render

DOC_PATH = Path(settings.BASE_DIR) / "docs" / "seed-format.md"


class Command(BaseCommand):
    help = "Write docs/seed-format.md from the seed file schema (--check: fail if it is stale)."

    STALE = "docs/seed-format.md is out of date: run `python manage.py seed_format_doc`."
    WRITTEN = "Wrote {path}."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--check", action="store_true", help="Fail if the file differs; write nothing.")

    def handle(self, *args: Any, check: bool, **options: Any) -> None:
        text = render()
        if check:
            if not DOC_PATH.exists() or DOC_PATH.read_text(encoding="utf-8") != text:
                raise CommandError(self.STALE)
            return
        DOC_PATH.write_text(text, encoding="utf-8")
        self.stdout.write(self.WRITTEN.format(path=DOC_PATH))

"""``manage.py export_seeds FOLDER [filters]``: write the database (or a timeline's part) as seed YAML."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from events.explorer import timeline_from
from seeds.export import select, write_seeds


class Command(BaseCommand):
    help = (
        "Write the database as seed YAML (FOLDER/export.yaml, source texts in FOLDER/texts/) that "
        "import_seeds reads back. Filters (as the explorer's) export only the events they select, "
        "with every person, treaty, source and place those refer to."
    )

    # The sections (seeds.importer.sections) counted in the closing line, the events first.
    SUMMARY = ("events", "treaties", "people", "sources", "countries", "regions")

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--name", default="export.yaml", help="File name in FOLDER (default export.yaml)."
        )
        parser.add_argument("--person", help="Slug or name.")
        parser.add_argument("--country", help="ISO 3166-1 alpha-2 code.")
        parser.add_argument("--region", help="Slug, name or ISO 3166-2 code; the places within it too.")
        parser.add_argument("--kind", action="append", help="Event kind (repeatable).")
        parser.add_argument("--status", action="append", help="Event status (repeatable).")
        parser.add_argument("--from", dest="date_from", help="Year, month or day.")
        parser.add_argument("--to", dest="date_to", help="Year, month or day.")
        parser.add_argument("--search", help="Words in titles, summaries or quotes.")

    def handle(self, *args: Any, folder: Path, name: str, verbosity: int, **options: Any) -> None:
        query = QueryDict(mutable=True)
        for option, param in [
            ("person", "person"),
            ("country", "country"),
            ("region", "region"),
            ("date_from", "from"),
            ("date_to", "to"),
            ("search", "q"),
        ]:
            if options.get(option):
                query[param] = options[option]
        for option in ("kind", "status"):
            if options.get(option):
                query.setlist(option, options[option])
        if query:
            timeline = timeline_from(query)
            events = timeline.events()
            if timeline.errors:
                raise CommandError("\n".join(timeline.errors), returncode=1)
            selection = select(events)
        else:
            selection = select()
        try:
            path = write_seeds(selection, folder, name=name)
        except (OSError, ValidationError) as error:
            raise CommandError(f"Cannot write {folder}: {error}", returncode=1) from None
        if verbosity >= 1:
            self.stdout.write(
                f"Wrote {path}: " + ", ".join(f"{len(selection.records[n])} {n}" for n in self.SUMMARY) + "."
            )

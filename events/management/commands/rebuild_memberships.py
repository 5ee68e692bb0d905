"""Rebuild the overview's memberships (events.memberships) from the link tables, wholesale.

For operators after a write no edit saw: a restore, SQL by hand, the bench's COPY. Edits keep
the tables in step themselves. One transaction; the data version moves so that no count
cached from the tables before is read again.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import connections, transaction

from core import dataversion
from events import memberships
from events.models import CountryMembership, PersonMembership


class Command(BaseCommand):
    help = "Rebuild the person and country memberships the record pages' overviews count."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--database", default="default", help="Database alias (default: default).")

    def handle(self, *args: Any, database: str, **options: Any) -> None:
        with transaction.atomic(using=database):
            memberships.rebuild(using=connections[database])
            dataversion.bump(using=database)
        db = connections[database]
        if db.vendor == "postgresql" and not db.in_atomic_block:
            # A count by year reads the index alone only where the visibility map says its pages
            # are all visible: right after a rebuild the busiest person's count at the million-event
            # bench read 35,551 heap rows (94 ms) instead (3 ms after this). Autovacuum gets there
            # too, later; VACUUM cannot run inside a transaction (nor in a test's).
            with db.cursor() as cursor:
                cursor.execute("SET statement_timeout = 0")  # this command's session: no request
                for model in (PersonMembership, CountryMembership):
                    cursor.execute(f"VACUUM ANALYZE {db.ops.quote_name(model._meta.db_table)}")
        people = PersonMembership.objects.using(database).count()
        countries = CountryMembership.objects.using(database).count()
        self.stdout.write(f"Rebuilt: {people} person and {countries} country memberships.")

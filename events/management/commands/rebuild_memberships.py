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
        people = PersonMembership.objects.using(database).count()
        countries = CountryMembership.objects.using(database).count()
        self.stdout.write(f"Rebuilt: {people} person and {countries} country memberships.")

"""Which events belong to a person's or a country's record, with the year the overview counts them in.

Derived data, not editors' work: every row follows from the link tables (participations,
event–country and event–region links, visits) and the event's dates, so there is no history for
it, no admin and no GraphQL type. ``events.memberships`` keeps it in step at the end of every edit
(core.edits) and rebuilds it wholesale (``manage.py rebuild_memberships``); a record page's
overview counts it by year with an index-only scan instead of reading every event of the record
(issue 25, item 2).

The tables are created by migration ``events`` 0016 in SQL of its own: the event's foreign key
is ``ON DELETE CASCADE`` in the database (Django 5.2 can only cascade in Python), so a deleted
event takes its rows along whatever deletes it (a raw delete, a cascade, a restore). The person
and country columns have no constraint: checking both on every inserted row was a third of the
upkeep's cost in an import on PostgreSQL (docs/performance.md), and a deleted person's or
country's rows are harmless: only their own page reads them, and it is gone; ids are not reused
(sequences, SQLite's AUTOINCREMENT). Every deletion through an edit removes them anyway (their
links are deleted first, so their events are rebuilt), and ``check_integrity`` finds any left.
Django is told ``DO_NOTHING`` and no constraint, so it neither collects the rows nor adds a
constraint of its own; a migration that rebuilt these tables through Django would lose the
cascade (say so in its review).
"""

from __future__ import annotations

from django.db import models


def _link(to: str) -> models.ForeignKey:
    # The constraint (ON DELETE CASCADE) is the migration's own SQL: see the module docstring.
    return models.ForeignKey(
        to, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )


class PersonMembership(models.Model):
    """An event of a person's record (``events.selectors._with_person``), once per person and event."""

    pk = models.CompositePrimaryKey("event", "person")
    event = _link("events.Event")
    person = _link("people.Person")
    # The overview's year (events.selectors.year_counts); null for an event with no known day.
    year = models.SmallIntegerField(null=True)

    class Meta:
        default_permissions = ()  # derived: nobody edits it, so no permissions to grant
        # (person, year): a person's counts by year read this index alone.
        indexes = [models.Index(fields=["person", "year"], name="personmember_year_idx")]

    def __str__(self) -> str:
        return f"event {self.event_id} of person {self.person_id} ({self.year})"


class CountryMembership(models.Model):
    """An event of a country's record (``events.selectors._in_country``), once per country and event."""

    pk = models.CompositePrimaryKey("event", "country")
    event = _link("events.Event")
    country = _link("places.Country")
    year = models.SmallIntegerField(null=True)

    class Meta:
        default_permissions = ()
        indexes = [models.Index(fields=["country", "year"], name="countrymember_year_idx")]

    def __str__(self) -> str:
        return f"event {self.event_id} of country {self.country_id} ({self.year})"

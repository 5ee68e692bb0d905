"""The overview's memberships (events.models.memberships): two derived tables, created and filled.

Created in SQL of this migration's own, not by Django's schema editor: the event's foreign key is
``ON DELETE CASCADE`` in the database (Django 5.2 cascades only in Python), so whatever deletes an
event takes its rows along. The person and country columns carry no constraint: a check per
inserted row for each of them was a third of the upkeep's cost in an import on PostgreSQL, and
the rows of a deleted person or country are never read (events.models.memberships). Django's
state has the same columns and indexes, with ``DO_NOTHING`` and no constraint. Filled from the link tables by the same
statements that keep them (events.memberships.rebuild). Reversible: going back drops them.
"""

from typing import Any

from django.db import migrations, models

TABLES = (
    # table, record column, index
    ("events_personmembership", "person_id", "personmember_year_idx"),
    ("events_countrymembership", "country_id", "countrymember_year_idx"),
)


def create(apps: Any, schema_editor: Any) -> None:
    from events.memberships import rebuild

    connection = schema_editor.connection
    integer = "bigint" if connection.vendor == "postgresql" else "integer"
    for table, column, index in TABLES:
        schema_editor.execute(
            f"CREATE TABLE {table} ("
            f"event_id {integer} NOT NULL REFERENCES events_event (id) ON DELETE CASCADE, "
            f"{column} {integer} NOT NULL, "
            f"year smallint NULL, PRIMARY KEY (event_id, {column}))"
        )
        schema_editor.execute(f"CREATE INDEX {index} ON {table} ({column}, year)")
    rebuild(using=connection)


def drop(apps: Any, schema_editor: Any) -> None:
    for table, _, _ in TABLES:
        schema_editor.execute(f"DROP TABLE {table}")


def _membership(name: str, record: str, index: str) -> migrations.CreateModel:
    link = {"on_delete": models.DO_NOTHING, "db_constraint": False, "db_index": False, "related_name": "+"}
    field = record.split(".")[1].lower()
    return migrations.CreateModel(
        name=name,
        fields=[
            ("pk", models.CompositePrimaryKey("event", field, blank=True, editable=False, primary_key=True, serialize=False)),
            ("event", models.ForeignKey(to="events.event", **link)),
            (field, models.ForeignKey(to=record, **link)),
            ("year", models.SmallIntegerField(null=True)),
        ],
        options={"default_permissions": (), "indexes": [models.Index(fields=[field, "year"], name=index)]},
    )


class Migration(migrations.Migration):

    dependencies = [
        ("events", "0015_history_unread_indexes"),
        ("people", "0010_history_unread_indexes"),
        ("places", "0006_history_unread_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                _membership("PersonMembership", "people.person", "personmember_year_idx"),
                _membership("CountryMembership", "places.country", "countrymember_year_idx"),
            ],
            database_operations=[migrations.RunPython(create, drop)],
        ),
    ]

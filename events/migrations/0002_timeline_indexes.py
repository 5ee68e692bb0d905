"""PostgreSQL-only indexes for the API's timelines (SQLite searches with LIKE and sorts small tables).

- GIN indexes for full-text search. The expressions repeat what
  ``events.selectors.EVENT_VECTOR`` and ``QUOTE_VECTOR`` compile to: PostgreSQL uses an
  expression index only for the identical expression.
- The timeline order with its NULLS placement (``events.selectors.TIMELINE_ORDER``):
  an open start sorts first, an open end last. ``event_timeline_idx`` is plain ASC
  (NULLS LAST on PostgreSQL), which cannot serve that order.
"""

from django.db import migrations

EVENT_VECTOR = (
    "(setweight(to_tsvector('english'::regconfig, COALESCE(title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, COALESCE(summary, '')), 'B'))"
)
QUOTE_VECTOR = "setweight(to_tsvector('english'::regconfig, COALESCE(quote, '')), 'C')"


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS event_search_idx ON events_event USING gin ({EVENT_VECTOR})"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS citation_search_idx ON events_citation USING gin ({QUOTE_VECTOR})"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS event_timeline_nulls_idx ON events_event "
        "(date_earliest ASC NULLS FIRST, date_latest ASC NULLS LAST, title, id)"
    )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS event_search_idx")
    schema_editor.execute("DROP INDEX IF EXISTS citation_search_idx")
    schema_editor.execute("DROP INDEX IF EXISTS event_timeline_nulls_idx")


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]

"""PostgreSQL-only GIN indexes for full-text search (SQLite searches with LIKE).

The expressions repeat what ``events.selectors.EVENT_VECTOR`` and ``QUOTE_VECTOR``
compile to: PostgreSQL uses an expression index only for the identical expression.
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


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS event_search_idx")
    schema_editor.execute("DROP INDEX IF EXISTS citation_search_idx")


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]

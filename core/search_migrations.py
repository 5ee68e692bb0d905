"""Migration operations for a search key column (core.folding): its index and its first fill.

PostgreSQL gets a GIN trigram index (``pg_trgm``), which serves both the word-prefix
``LIKE '% word%'`` match and the ``%>`` word-similarity match; SQLite has no trigram
index, so it gets a plain one on the column, which its scan of the key reads instead of
the table. Neither index fits Django's ``Meta.indexes``, which are the same on every
database, so they are created here by vendor.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

BATCH = 1000


def _index_sql(vendor: str, table: str, column: str, index: str) -> str:
    if vendor == "postgresql":
        # fastupdate off: a bulk import otherwise leaves its rows in the GIN pending list, which
        # every search then reads whole until a vacuum (20 ms instead of 0.2 at 50,000 people).
        return (
            f'CREATE INDEX "{index}" ON "{table}" USING gin ("{column}" gin_trgm_ops) WITH (fastupdate = off)'
        )
    return f'CREATE INDEX "{index}" ON "{table}" ("{column}")'


class SearchKeyIndex(migrations.operations.base.Operation):
    """Create the search key's index: GIN trigram on PostgreSQL, a plain index elsewhere."""

    reduces_to_sql = True
    reversible = True

    def __init__(self, model_name: str, field: str, name: str) -> None:
        self.model_name = model_name
        self.field = field
        self.name = name

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (
            self.__class__.__qualname__,
            [],
            {"model_name": self.model_name, "field": self.field, "name": self.name},
        )

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass  # not in Meta.indexes: nothing for the model state to know

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        model = to_state.apps.get_model(app_label, self.model_name)
        column = model._meta.get_field(self.field).column
        vendor = schema_editor.connection.vendor
        schema_editor.execute(_index_sql(vendor, model._meta.db_table, column, self.name))

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{self.name}"')

    def describe(self) -> str:
        return f"Create the search index {self.name} on {self.model_name}.{self.field}"


def fill_search_keys(app_label: str, model_name: str, field: str = "search_key") -> migrations.RunPython:
    """A data migration computing the key of every existing row (the field's own rule)."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        key_field = model._meta.get_field(field)
        rows = model._base_manager.using(schema_editor.connection.alias).order_by("pk")
        names = list(key_field.derived_from)
        batch = []
        for instance in rows.only("pk", *names).iterator(chunk_size=BATCH):
            key_field.pre_save(instance, add=False)
            batch.append(instance)
            if len(batch) >= BATCH:
                model._base_manager.bulk_update(batch, [field])
                batch.clear()
        if batch:
            model._base_manager.bulk_update(batch, [field])

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)

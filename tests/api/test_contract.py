"""The served schema keeps the public contract, and the committed export is current."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from graphql import build_schema, find_breaking_changes
from strawberry.printer import print_schema

from config.schema import schema

CONTRACT = Path(settings.BASE_DIR) / "api" / "contract.graphql"
SHARED_CONTRACT = Path(settings.BASE_DIR).parent / "shared" / "api" / "contract.graphql"
EXPORT = Path(settings.BASE_DIR) / "schema.graphql"


def test_served_schema_breaks_nothing_in_the_contract() -> None:
    changes = find_breaking_changes(build_schema(CONTRACT.read_text()), schema._schema)
    assert [f"{c.type.name}: {c.description}" for c in changes] == []


def test_contract_copy_matches_the_shared_contract_when_present() -> None:
    if not SHARED_CONTRACT.exists():
        # A fresh clone has no ../shared; the copy in api/ is then the contract.
        assert CONTRACT.read_text().startswith("# Public GraphQL API contract, version 1.")
        return
    assert CONTRACT.read_bytes() == SHARED_CONTRACT.read_bytes()


def test_committed_schema_export_is_current() -> None:
    # `make schema` writes the file; this is what it writes.
    assert EXPORT.read_text().rstrip("\n") == print_schema(schema), (
        "schema.graphql is stale: run `make schema`"
    )


def test_contract_type_names_are_served() -> None:
    contract = build_schema(CONTRACT.read_text())
    served = schema._schema.type_map
    missing = sorted(name for name in contract.type_map if not name.startswith("__") and name not in served)
    assert missing == []

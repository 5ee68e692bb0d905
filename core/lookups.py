"""``column IN (values)`` with the values as one parameter, for lookups of many keys at once.

As a list of parameters, each value is prepared one by one by Django, the statement's text
changes with the count (compiled again each time), and on PostgreSQL psycopg splits it again
on the client (too long for its parse cache). As one parameter, an array on PostgreSQL
(``= ANY``, which PostgreSQL makes of an IN list itself) or a JSON list on SQLite
(``json_each``), the text is the same for any count. Used by the compiled read path
(``core.graphql.compiled.sql.InIds``) and the importer's key lookups
(``seeds.importer.fingerprints.among``); here so that the importer need not load the GraphQL
layer.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.db.models import Lookup

VENDORS = ("postgresql", "sqlite")


def one_parameter(values: Sequence[Any], vendor: str) -> Any:
    """``values`` as the one parameter ``InOneParameter`` binds on ``vendor`` (one of VENDORS)."""
    return list(values) if vendor == "postgresql" else json.dumps(list(values))


def one_parameter_sql(column: str, vendor: str, placeholder: str = "%s") -> str:
    """``column`` among the values bound at ``placeholder`` as ``one_parameter`` gives them, on VENDORS.

    The lookup's own text, for raw SQL too (events.memberships' set-based rebuild).
    """
    if vendor == "postgresql":
        return f"{column} = ANY({placeholder})"
    return f"{column} IN (SELECT value FROM json_each({placeholder}))"


class InOneParameter(Lookup):
    """``lhs IN (rhs)``, ``rhs`` bound as one parameter on VENDORS, as a plain ``IN`` list elsewhere.

    Give it a non-empty list.
    """

    lookup_name = "in_one_parameter"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, params = compiler.compile(self.lhs)
        vendor = connection.vendor
        if vendor in VENDORS:
            return one_parameter_sql(lhs, vendor), [*params, self.parameter(vendor)]
        values = self.values_elsewhere(vendor)
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*params, *values]

    def parameter(self, vendor: str) -> Any:
        return one_parameter(self.rhs, vendor)

    def values_elsewhere(self, vendor: str) -> list[Any]:
        return list(self.rhs)

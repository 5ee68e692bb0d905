"""Property: for queries generated from the schema over the planned root fields, the compiled read
path and the normal executor give byte-identical responses (issue 25).

hypothesis-graphql writes the queries (fragments of every field, aliases, arguments of any
value); each is POSTed once with the compiled path on and once with it off. Queries the path
cannot plan, or whose arguments the executor refuses, fall back and compare trivially: the test
also asserts that a good share was answered by the compiled path. Deterministic (derandomized,
no example database, no local constants), about 10-20 s per database.
"""

from __future__ import annotations

import json
from collections import Counter

from django.core.cache import caches
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis_graphql import queries

from config.schema import schema
from tests.api.test_compiled_reads import SCALARS, both
from tests.api.test_fuzz import no_local_constants  # noqa: F401  (a fixture)

# Root fields the compiled path plans: every keyset list and every record by key.
PLANNED = [
    "timeline",
    "visits",
    "treaties",
    "people",
    "countries",
    "regions",
    "event",
    "visit",
    "treaty",
    "person",
    "country",
    "region",
    "regionByIsoCode",
    "organization",
]

settings.register_profile(
    "compiled-reads",
    max_examples=120,
    deadline=None,
    database=None,
    derandomize=True,
    phases=[Phase.generate],  # no shrinking: a failure reports its query as generated
    suppress_health_check=list(HealthCheck),
)


def test_generated_queries_get_the_executors_answer(
    client: Client,
    seeded: None,
    no_local_constants: None,  # noqa: F811
) -> None:
    caches["graphql"].clear()
    paths: Counter[str] = Counter()
    reasons: Counter[str] = Counter()

    @settings(settings.get_profile("compiled-reads"))
    @given(query=queries(str(schema), fields=PLANNED, custom_scalars=SCALARS, allow_x00=False))
    def check(query: str) -> None:
        compiled, executor, path = both(client, query)
        assert compiled == executor, (query, path, compiled[1][:2000], executor[1][:2000])
        paths["compiled" if path == "compiled" else "executor"] += 1
        reasons[path] += 1
        if path == "compiled":
            assert "errors" not in json.loads(compiled[1]), query

    check()
    print(f"\ncompiled-reads property: {dict(paths)}; {reasons.most_common(12)}")
    # A single record asOf reads history through the executor by design (a timeline asOf is
    # compiled): the share counts the other queries.
    from_history = sum(n for reason, n in reasons.items() if "reason=asOf" in reason)
    assert paths["compiled"] >= (sum(paths.values()) - from_history) // 4, reasons

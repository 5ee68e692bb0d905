"""Requests per second under load: one repeated page, and a realistic mix of distinct pages.

Issue 25: the response cache was only ever measured on one identical request, which it answers
from memory after the first. The mix is what many readers send: the nested timeline page
filtered by a person or by a region drawn from the dataset, or unfiltered at a page size of
their own, several hundred distinct requests, drawn with a Zipf-like skew (a few popular pages,
a long tail), seeded. Chancery and PostGraphile get the same pages (PostGraphile's filters
spelt in its own connection-filter, as bench/graphql/postgraphile_page.graphql does).

Every server of a workload runs once per round at a concurrency, in a shuffled order
(bench.measure.rounds); each round continues the same request sequence where that server's
previous round stopped, so every server sees the same requests in the same order and a cache
fills as a long-running server's would.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.graphql import POSTGRAPHILE_PAGE, TIMELINE_PAGE, servers
from bench.measure.rounds import Rounds, interleave

PAGE = 50
DISTINCT = 400
MIX_SEED = 25


@dataclass(frozen=True)
class Request:
    chancery: bytes
    postgraphile: bytes


def _bodies(variables: dict[str, Any], pg_variables: dict[str, Any]) -> Request:
    return Request(
        chancery=json.dumps({"query": TIMELINE_PAGE, "variables": variables}).encode(),
        postgraphile=json.dumps({"query": POSTGRAPHILE_PAGE, "variables": pg_variables}).encode(),
    )


def one_page() -> list[Request]:
    """The first page, the same request every time."""
    return [_bodies({"first": PAGE}, {"first": PAGE})]


def distinct_pages(count: int = DISTINCT, seed: int = MIX_SEED) -> list[Request]:
    """``count`` distinct requests drawn from the dataset: person and region filters, page sizes."""
    from django.db.models import Exists, OuterRef

    from events.models import EventRegion, Participation
    from people.models import Person
    from places.models import Region

    rng = random.Random(seed)
    people = list(
        Person.objects.filter(Exists(Participation.objects.filter(person=OuterRef("pk"))))
        .order_by("pk")
        .values_list("pk", "slug")[: count * 4]
    )
    regions = list(
        Region.objects.filter(Exists(EventRegion.objects.filter(region=OuterRef("pk"))))
        .order_by("pk")
        .values_list("pk", "slug", "path")[: count * 4]
    )
    chosen: dict[str, Request] = {}
    while len(chosen) < count:
        kind = rng.choice(("person", "person", "region", "region", "first"))
        if kind == "person" and people:
            pk, slug = rng.choice(people)
            key = f"person {slug}"
            pg = {"eventsParticipationsByEventId": {"some": {"personId": {"equalTo": pk}}}}
            request = _bodies({"first": PAGE, "filters": {"person": slug}}, {"first": PAGE, "filter": pg})
        elif kind == "region" and regions:
            pk, slug, path = rng.choice(regions)
            key = f"region {slug}"
            # The subtree: the region itself or any region whose path passes through it.
            prefix = f"{path}{pk}/"
            pg = {
                "eventsEventregionsByEventId": {
                    "some": {
                        "or": [
                            {"regionId": {"equalTo": pk}},
                            {"placesRegionByRegionId": {"path": {"startsWith": prefix}}},
                        ]
                    }
                }
            }
            request = _bodies({"first": PAGE, "filters": {"region": slug}}, {"first": PAGE, "filter": pg})
        else:
            size = rng.randint(5, PAGE)
            key = f"first {size}"
            request = _bodies({"first": size}, {"first": size})
        chosen.setdefault(key, request)
        if len(chosen) >= len(people) + len(regions) + PAGE - 4:
            break  # a small dataset has fewer distinct pages than asked for
    return list(chosen.values())


def sequence(requests: list[Request], length: int, seed: int = MIX_SEED) -> list[Request]:
    """``length`` requests drawn with a Zipf-like skew: the k-th request weighs 1/k."""
    rng = random.Random(seed + 1)
    weights = [1 / (rank + 1) for rank in range(len(requests))]
    return rng.choices(requests, weights=weights, k=length)


class Stream:
    """One server's walk through a request sequence, ``per_round`` requests per call."""

    def __init__(self, endpoint: servers.Endpoint, bodies: list[bytes], per_round: int, concurrency: int):
        self.endpoint, self.bodies, self.per_round, self.concurrency = (
            endpoint,
            bodies,
            per_round,
            concurrency,
        )
        self.position = 0

    def __call__(self) -> float:
        start = self.position % len(self.bodies)
        batch = (self.bodies[start:] + self.bodies[:start])[: self.per_round]
        self.position += self.per_round
        return servers.throughput(self.endpoint, batch, requests=self.per_round, concurrency=self.concurrency)


def measure(
    workload: str,
    requests: list[Request],
    endpoints: dict[str, tuple[servers.Endpoint, bool]],
    *,
    concurrency: int,
    rounds: int,
    per_round: int,
) -> Rounds:
    """Requests per second of each server (name → endpoint, whether it is PostGraphile) on
    ``requests``, ``rounds`` shuffled rounds of ``per_round`` requests at ``concurrency``."""
    drawn = sequence(requests, per_round * rounds) if len(requests) > 1 else requests * per_round
    variants: dict[str, Callable[[], float]] = {}
    for name, (endpoint, is_postgraphile) in endpoints.items():
        bodies = [r.postgraphile if is_postgraphile else r.chancery for r in drawn]
        variants[name] = Stream(endpoint, bodies, per_round, concurrency)
    return interleave(f"{workload} at concurrency {concurrency}", variants, rounds=rounds)


def distinct_share(requests: list[Request], per_round: int, rounds: int) -> tuple[int, int]:
    """(distinct requests in the drawn sequence, its length)."""
    drawn = sequence(requests, per_round * rounds)
    return len({r.chancery for r in drawn}), len(drawn)

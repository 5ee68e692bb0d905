"""Reads scaled out on a streaming replica (issue 25, docs/deploy.md "Scaling out").

On a primary and a hot standby of their own (bench/replicas.py: a throwaway cluster pair on
free ports, not the benchmark database), with the curated seeds and the Office of the
Historian's visits imported on the primary and replayed on the standby: requests per second of
the nested 50-event timeline page (response cache off, concurrency 8) from one gunicorn
reading from the primary alone, against two gunicorn processes that both read from the
replica and write to the primary, the client spreading requests over both. Rounds are
interleaved and each variant's rounds reported as median with the spread. On this one
2-core machine both servers, both databases and the client share the same cores, so the
ratio shows the routing's cost more than a gain: on separate machines each replica adds its
own cores.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from bench.graphql import servers
from bench.replicas import StreamingPair, streaming_pair

TITLE = "Reads on a streaming replica (issue 25)"
NEEDS_DATASET = False
ROOT = Path(__file__).resolve().parents[2]
TIMELINE_PAGE = (ROOT / "bench" / "graphql" / "timeline_page.graphql").read_text()
CONCURRENCY = 8
ROUNDS = 6
REQUESTS_PER_ROUND = 160
WORKERS = 2


def _import(pair: StreamingPair) -> str:
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": pair.primary_url}
    env.pop("DATABASE_REPLICA_URLS", None)
    for command in (
        ["migrate", "--noinput", "-v", "0"],
        ["import_seeds", "--only", "seeds", "hsg-visits", "-v", "0"],
    ):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
        )
    pair.wait_caught_up(timeout=120)
    done = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from events.models import Event; print(Event.objects.count())",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    # The last line: Django's shell first lists the models it imported by itself.
    return done.stdout.strip().splitlines()[-1]


def _spread(endpoints: list[servers.Endpoint], body: bytes) -> float:
    return servers.throughput(endpoints, body, requests=REQUESTS_PER_ROUND, concurrency=CONCURRENCY)


def run(*, repeat: int) -> str:
    with streaming_pair() as pair:
        events = _import(pair)
        body = json.dumps({"query": TIMELINE_PAGE, "variables": {"first": 50}}).encode()
        with (
            servers.chancery(pair.primary_url, WORKERS, response_cache=False) as alone,
            servers.chancery(
                pair.primary_url, WORKERS, response_cache=False, replica_urls=pair.standby_url
            ) as one,
            servers.chancery(
                pair.primary_url, WORKERS, response_cache=False, replica_urls=pair.standby_url
            ) as two,
        ):
            variants = {
                "one gunicorn, primary only": [alone],
                "two gunicorn processes, reads on the replica": [one, two],
            }
            for endpoints in variants.values():  # warm every worker's connections
                _spread(endpoints, body)
            rates: dict[str, list[float]] = {name: [] for name in variants}
            names = list(variants)
            for turn in range(ROUNDS * max(1, repeat // 3)):
                for name in names[turn % 2 :] + names[: turn % 2]:
                    rates[name].append(_spread(variants[name], body))
    load = os.getloadavg()
    lines = [
        f"{events} events (curated seeds + hsg-visits) on a primary and its streaming standby; "
        f"{WORKERS} workers per gunicorn, concurrency {CONCURRENCY}, response cache off, "
        f"{len(rates[names[0]])} interleaved rounds of {REQUESTS_PER_ROUND} requests; "
        f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}.",
        "",
        "| variant | req/s median | min | max |",
        "|---|---:|---:|---:|",
    ]
    for name, values in rates.items():
        lines.append(f"| {name} | {statistics.median(values):.0f} | {min(values):.0f} | {max(values):.0f} |")
    ratio = statistics.median(rates[names[1]]) / statistics.median(rates[names[0]])
    lines += ["", f"Ratio two-over-replica / one-on-primary: {ratio:.2f}× (one machine: see the note above)."]
    return "\n".join(lines)

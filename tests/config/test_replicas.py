"""Reads on a real streaming standby, writes on the primary, read-your-writes, fallback.

A primary and a hot standby are started for this module (bench/replicas.py: initdb,
pg_basebackup -R, two postgres servers on free ports); tests/config/replica_probe.py runs in its
own process against them, as a deployment with DATABASE_REPLICA_URLS would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.replicas import StreamingPair, stop_standby, streaming_pair
from config.replicas import replica_databases

PROBE = Path(__file__).with_name("replica_probe.py")
# One xdist worker runs this module, so the pair and the probe are started once.
pytestmark = pytest.mark.xdist_group("replicas")


def test_each_replica_url_becomes_an_alias_with_the_primarys_options() -> None:
    default = {"ENGINE": "django.db.backends.postgresql", "NAME": "main", "HOST": "db1", "OPTIONS": {"x": 1}}
    parsed = {
        "a": {"NAME": "main", "HOST": "r1", "PORT": 5433, "ENGINE": "ignored"},
        "b": {"NAME": "main", "HOST": "r2", "PORT": 5434},
    }
    databases = replica_databases(default, " a, ,b ", parsed.__getitem__)
    assert list(databases) == ["replica_1", "replica_2"]
    assert databases["replica_1"]["HOST"] == "r1" and databases["replica_2"]["PORT"] == 5434
    assert databases["replica_1"]["OPTIONS"] == {"x": 1}
    assert databases["replica_1"]["ENGINE"] == "django.db.backends.postgresql"
    assert databases["replica_1"]["TEST"] == {"MIRROR": "default"}


def test_replicas_need_postgresql() -> None:
    env = {
        **os.environ,
        "DATABASE_URL": "sqlite:///tmp/x.sqlite3",
        "DATABASE_REPLICA_URLS": "postgres://h/db",
    }
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1"},
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "DATABASE_REPLICA_URLS needs DATABASE_URL to be PostgreSQL" in done.stderr


@pytest.fixture(scope="module")
def pair() -> Iterator[StreamingPair]:
    with streaming_pair() as running:
        yield running


@pytest.fixture(scope="module")
def observations(pair: StreamingPair) -> dict[str, dict[str, Any]]:
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": pair.primary_url,
        "DATABASE_REPLICA_URLS": pair.standby_url,
        "STANDBY_ADMIN_URL": pair.url(pair.standby_port, "postgres"),
        "GRAPHQL_RESPONSE_CACHE": "1",
    }
    process = subprocess.Popen(
        [sys.executable, str(PROBE)],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdin is not None
    seen: dict[str, dict[str, Any]] = {}
    for line in process.stdout:
        observation = json.loads(line)
        seen[observation["case"]] = observation
        if observation["case"] == "stop the standby now":
            stop_standby(pair)
            process.stdin.write("\n")
            process.stdin.flush()
    stderr = process.stderr.read() if process.stderr else ""
    assert process.wait(timeout=300) == 0, stderr
    seen["stderr"] = {"text": stderr}
    return seen


def test_a_mutation_writes_on_the_primary_and_pins_its_client(
    observations: dict[str, dict[str, Any]],
) -> None:
    assert observations["create"] == {
        "case": "create",
        "typename": "Event",
        "read_from": "default",
        "pinned": True,
    }
    assert observations["update while replay paused"]["pinned"] is True


def test_anonymous_reads_come_from_the_replica(observations: dict[str, dict[str, Any]]) -> None:
    assert observations["anonymous after catch-up"] == {
        "case": "anonymous after catch-up",
        "title": "Before",
        "read_from": "replica_1",
    }


def test_the_editor_reads_their_write_while_the_replica_lags(observations: dict[str, dict[str, Any]]) -> None:
    assert observations["editor reads own write"]["title"] == "After"
    assert observations["editor reads own write"]["read_from"] == "default"
    assert observations["editor page while lagging"] == {
        "case": "editor page while lagging",
        "status": 200,
        "read_from": "default",
    }


def test_an_anonymous_reader_sees_the_replicas_older_state_never_a_mix(
    observations: dict[str, dict[str, Any]],
) -> None:
    lagging = observations["anonymous reads lagging replica"]
    assert (lagging["title"], lagging["read_from"]) == ("Before", "replica_1")
    after = observations["anonymous after replay"]
    assert (after["title"], after["read_from"]) == ("After", "replica_1")


def test_once_the_replica_has_replayed_the_editor_reads_from_it(
    observations: dict[str, dict[str, Any]],
) -> None:
    after = observations["editor after replay"]
    assert (after["title"], after["read_from"]) == ("After", "replica_1")


def test_a_failed_replica_falls_back_to_the_primary_and_says_so(
    observations: dict[str, dict[str, Any]],
) -> None:
    for case in ("anonymous with the replica down", "anonymous again with the replica down"):
        assert (observations[case]["title"], observations[case]["read_from"]) == ("After", "default")
    assert "replica replica_1 unreachable, reading from the primary" in observations["stderr"]["text"]

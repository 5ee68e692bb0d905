"""What every dataset checker shares: the API client, the checker contract, the run and its table.

A checker reads its dataset's raw files itself (defusedxml, csv), never through the
adapters in ``seeds/datasets/``: an adapter's mistake must not be read back as the truth.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
import urllib.request
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from anyascii import anyascii


@dataclass(frozen=True)
class ErrorKind:
    """One way a served record differs from its raw record: ``kind`` is counted, ``detail`` shown once."""

    kind: str
    detail: str = ""


@dataclass
class Record:
    """One raw record as the checker read it: ``key`` says where (file #id), ``fields`` what it says."""

    key: str
    fields: dict[str, Any]


class Checker(Protocol):
    """One dataset's audit: draw raw records, find each through the API, list what differs."""

    name: str

    def sample(self, raw_dir: Path, seed: int, n: int) -> list[Record]: ...

    def lookup(self, client: Api, record: Record) -> Any: ...

    def compare(self, expected: Record, got: Any) -> list[ErrorKind]: ...


_REGISTRY: dict[str, Checker] = {}


def register(checker: Checker) -> Checker:
    _REGISTRY[checker.name] = checker
    return checker


def checkers() -> dict[str, Checker]:
    return dict(_REGISTRY)


NOT_FOUND = "not served"


class Api:
    """POST GraphQL to ``/graphql/``: in process through Django's test client, or to ``url`` over HTTP."""

    def __init__(self, url: str | None = None) -> None:
        # A server's root (http://127.0.0.1:8000) or its endpoint itself (…/graphql/).
        root = (url or "").rstrip("/")
        self.url = root + "/" if root.endswith("/graphql") else root + "/graphql/"
        self._client: Any = None
        if url is None:
            from django.test import Client

            # localhost is in every ALLOWED_HOSTS default; the test client's own "testserver" is not.
            self._client = Client(HTTP_HOST="localhost")

    def query(self, query: str, **variables: Any) -> dict[str, Any]:
        payload = json.dumps({"query": query, "variables": variables})
        if self._client is not None:
            response = self._client.post("/graphql/", payload, content_type="application/json")
            body = json.loads(response.content)
        else:
            request = urllib.request.Request(
                self.url,
                data=payload.encode(),
                headers={"Content-Type": "application/json"},
            )
            with urllib.request.urlopen(request, timeout=60) as response:
                body = json.loads(response.read())
        if body.get("errors"):
            raise RuntimeError(f"GraphQL error: {body['errors']}")
        return body["data"]


def fold(value: str | None) -> str:
    """Compare names and texts as a reader would: accents, case, punctuation and spacing ignored."""
    text = anyascii(unicodedata.normalize("NFKC", value or "")).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def contains_words(haystack: str, needle: str) -> bool:
    """``needle``'s folded words appear, in order and whole, in ``haystack``'s."""
    hay, pin = fold(haystack), fold(needle)
    return bool(pin) and f" {pin} " in f" {hay} "


def squash(value: str | None) -> str:
    """Whitespace collapsed, nothing else changed (quotes and descriptions are compared verbatim)."""
    return " ".join((value or "").split())


def draw(population: Sequence[Any], seed: int, n: int) -> list[Any]:
    """``n`` items (all when fewer), the same for the same seed and population order."""
    if len(population) <= n:
        return list(population)
    return random.Random(seed).sample(list(population), n)


@dataclass
class Result:
    """One dataset's audit: how many sampled, how many fully right, the errors by kind with an example."""

    dataset: str
    sampled: int = 0
    right: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)

    @property
    def percent(self) -> float:
        return 100.0 * self.right / self.sampled if self.sampled else 100.0


def audit(checker: Checker, client: Api, raw_dir: Path, seed: int, n: int) -> Result:
    """Sample, look up and compare one dataset; a record is right when nothing differs."""
    result = Result(checker.name)
    for record in checker.sample(raw_dir, seed, n):
        errors = checker.compare(record, checker.lookup(client, record))
        result.sampled += 1
        if not errors:
            result.right += 1
        for error in dict.fromkeys(errors):
            result.kinds[error.kind] += 1
            result.examples.setdefault(error.kind, f"{record.key}: {error.detail}".strip())
    return result


def table(results: list[Result]) -> str:
    """The report: one line per dataset, then its error kinds with a count and one example each."""
    lines = [f"{'dataset':<28} {'sampled':>7} {'right':>6} {'%':>7}", "-" * 51]
    for r in results:
        lines.append(f"{r.dataset:<28} {r.sampled:>7} {r.right:>6} {r.percent:>6.1f}%")
        for kind, count in r.kinds.most_common():
            lines.append(f"    {count:>4}  {kind}")
            lines.append(f"          e.g. {r.examples[kind][:300]}")
    return "\n".join(lines)

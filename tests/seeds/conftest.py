"""Helpers for the seed importer tests: run the command, snapshot every table, write bad files."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from seeds.importer import baseline_rows

SEEDS = Path(settings.BASE_DIR) / "seeds" / "curated"
ARTICLE_YAML = SEEDS / "000_90c99206324603d7.yaml"
ARTICLE_TEXT = SEEDS / "000_90c99206324603d7.txt"
ARTICLE = "article-000-90c99206324603d7"


@pytest.fixture
def read_children(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, list[Any]]]:
    """Every read of stored child rows the merge makes: (relation, parent ids)."""
    reads: list[tuple[str, list[Any]]] = []
    real: Callable[..., Any] = baseline_rows.stored_values

    def recording(relation: Any, parent_ids: Any) -> Any:
        reads.append((relation.name, list(parent_ids)))
        return real(relation, parent_ids)

    monkeypatch.setattr(baseline_rows, "stored_values", recording)
    return reads


def snapshot() -> dict[str, int]:
    """Row count of every table of places, people and events, history tables included."""
    return {
        model._meta.label: model._base_manager.count()
        for label in ("places", "people", "events")
        for model in apps.get_app_config(label).get_models()
    }


def run(*args: str | Path, verbosity: int = 1) -> str:
    """Run import_seeds and return what it printed: the curated seeds only, unless paths are given.

    The bundled datasets have tests of their own on small excerpts (tests/datasets).
    """
    if not any(isinstance(a, Path) for a in args):
        args = ("--only", "seeds", *args)
    out = StringIO()
    call_command("import_seeds", *[str(a) for a in args], stdout=out, stderr=StringIO(), verbosity=verbosity)
    return out.getvalue()


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a file under tmp_path and return its path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return _write


@pytest.fixture
def article_copy(tmp_path: Path) -> Path:
    """A copy of the seed article and its YAML in tmp_path, to edit."""
    shutil.copy(ARTICLE_TEXT, tmp_path / ARTICLE_TEXT.name)
    return Path(shutil.copy(ARTICLE_YAML, tmp_path / ARTICLE_YAML.name))


@pytest.fixture
def empty_database(db: None) -> None:
    """Delete every seeded row inside the test's transaction (rolled back afterwards)."""
    models = [
        model for label in ("events", "people", "places") for model in apps.get_app_config(label).get_models()
    ]
    # Raw deletes: no signals, no history; foreign keys are checked at commit, which never comes.
    for model in models:
        model._base_manager.all()._raw_delete(model._base_manager.db)

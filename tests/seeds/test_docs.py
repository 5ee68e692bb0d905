"""docs/seed-format.md is generated from the schema, and its worked example imports as written."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from events.models import Citation, Event
from people.models import Person
from seeds.importer import seeds_import
from seeds.importer.docs import EXAMPLE_TEXT, EXAMPLE_YAML, render
from seeds.management.commands.seed_format_doc import DOC_PATH


def test_format_doc_is_up_to_date():
    assert DOC_PATH.read_text(encoding="utf-8") == render()
    call_command("seed_format_doc", "--check")


def test_format_doc_lists_every_field_of_every_record():
    text = render()
    for name in ("EventRecord", "VisitRecord", "CitationRecord", "RegionRecord"):
        assert f"### {name}" in text
    assert "| `delegation_size` | integer or null | `null` |" in text
    assert "| `kind` | one of `VISIT`, `MEETING`, `TREATY`," in text


@pytest.mark.django_db
def test_worked_example_imports_without_code(tmp_path: Path):
    (tmp_path / "001_example-communique.txt").write_text(EXAMPLE_TEXT, encoding="utf-8")
    (tmp_path / "001_example-communique.yaml").write_text(EXAMPLE_YAML, encoding="utf-8")
    stats = seeds_import(paths=[tmp_path])
    assert stats.counts["events.Event"]["inserted"] == 1
    event = Event.objects.get(slug="example-warsaw-meeting")
    assert list(event.regions.values_list("parent__iso_code", flat=True)) == ["PL-14"]
    assert Citation.objects.filter(
        event=event, quote="“Our support will not waver,” the minister said."
    ).exists()
    assert Person.objects.get(slug="example-minister").roles.get().start == "2025~"

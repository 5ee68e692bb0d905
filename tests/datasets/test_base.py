"""The dataset adapter interface: a registered dataset goes through the one import pipeline."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from events.models import Citation, Event
from seeds.datasets import base
from seeds.datasets.base import DataProblem, DatasetError, Item, Parsed, document

pytestmark = pytest.mark.django_db


@dataclass
class Fake:
    """A dataset of one source and one event per file, with one unusable date."""

    name: str = "fake-data"
    folder: Path = Path("/nonexistent")
    broken: bool = False
    calls: list[int] = field(default_factory=list)

    def parse(self) -> Parsed:
        self.calls.append(1)
        if self.broken:
            raise DatasetError(self.name, "data/2.xml", 7, "not well-formed (invalid token)")
        parsed = Parsed()
        parsed.add(
            document(
                self.name,
                "source",
                [
                    Item(
                        "sources", {"slug": "fake-data", "title": "Fake data", "licence": "CC0 1.0"}, "source"
                    )
                ],
            )
        )
        citation = {"source": "fake-data", "locator": "data/1.xml #1"}
        event = {"slug": "fake-1", "kind": "OTHER", "title": "One", "date": "2020", "citations": [citation]}
        parsed.add(document(self.name, "data/1.xml", [Item("events", event, "1", line=3)]))
        parsed.problems.append(DataProblem(self.name, "empty date", "data/1.xml", "2", "start-date", "", 9))
        return parsed


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Fake:
    adapter = Fake()
    monkeypatch.setattr(base, "_REGISTRY", {})
    base.register(adapter)
    return adapter


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("import_seeds", *args, stdout=out)
    return out.getvalue()


def test_a_registered_dataset_is_imported_by_default_with_its_problems_counted(fake: Fake) -> None:
    output = run()
    assert "fake-data: read 2 records from 2 file(s)" in output
    # One line at the default verbosity; each value with -v 2 (issue 23).
    line = "Unusable values recorded as unknown: 1 (fake-data: empty date: 1); -v 2 lists each"
    assert line in output.splitlines()
    assert "data/1.xml:9" not in output
    # A run with nothing to do says the same line, once.
    again = run()
    assert "Up to date" in again and again.splitlines().count(line.removesuffix("; -v 2 lists each")) == 1
    detail = run("--full", "-v", "2")
    assert "fake-data data/1.xml:9: #2: start-date: empty date (value ''); recorded as unknown" in detail
    citation = Citation.objects.get(event__slug="fake-1")
    assert (citation.source.slug, citation.locator) == ("fake-data", "data/1.xml #1")
    # A second run changes nothing.
    assert "Nothing changed." in detail


def test_only_names_what_to_load(fake: Fake) -> None:
    run("--only", "seeds")
    assert not fake.calls and not Event.objects.filter(slug="fake-1").exists()
    run("--only", "fake-data")
    assert fake.calls and Event.objects.filter(slug="fake-1").exists()
    with pytest.raises(CommandError) as excinfo:
        run("--only", "no-such-data")
    assert "--only: no dataset 'no-such-data'; known: seeds, fake-data" in str(excinfo.value)


def test_a_broken_file_fails_the_whole_import_with_file_and_line(fake: Fake) -> None:
    fake.broken = True
    before = Event.objects.count()
    with pytest.raises(CommandError) as excinfo:
        run()
    assert "fake-data data/2.xml:7: not well-formed (invalid token)" in str(excinfo.value)
    assert Event.objects.count() == before


def test_a_record_the_schema_refuses_fails_with_its_record_id(
    fake: Fake, monkeypatch: pytest.MonkeyPatch
) -> None:
    def bad(self: Fake) -> Parsed:
        parsed = Parsed()
        parsed.add(
            document(self.name, "data/1.xml", [Item("events", {"slug": "x", "kind": "NOPE"}, "42", 5)])
        )
        return parsed

    monkeypatch.setattr(Fake, "parse", bad)
    with pytest.raises(CommandError) as excinfo:
        run("--only", "fake-data")
    assert "fake-data data/1.xml:5: 42: kind:" in str(excinfo.value)


def test_a_dataset_alone_on_an_empty_database_says_to_load_the_seeds_with_it(
    fake: Fake, monkeypatch: pytest.MonkeyPatch
) -> None:
    import seeds.importer

    # A freshly migrated database: no countries (emptying the seeded test database's gazetteer
    # would take its every region and event with it).
    monkeypatch.setattr(seeds.importer, "gazetteer_loaded", lambda: False)
    events = Event.objects.count()
    with pytest.raises(CommandError) as excinfo:
        run("--only", "fake-data")
    assert "the database has no countries yet" in str(excinfo.value)
    assert "import_seeds --only seeds fake-data" in str(excinfo.value)
    assert Event.objects.count() == events and not Event.objects.filter(slug="fake-1").exists()
    assert fake.calls == []  # refused before reading a file
    # With the seeds named beside it, the same run goes through.
    assert "fake-data: read 2 records" in run("--only", "seeds", "fake-data")

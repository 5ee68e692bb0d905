"""The dataset adapter interface: a bundled dataset read into the importer's own records.

An adapter has a ``name`` (``hsg-visits``), the ``folder`` its files are in
(``seeds/data/hsg-visits``) and a ``parse()`` that reads them into
``DatasetDocument``s: the same intermediate records the YAML loader makes
(``seeds.importer.loader.SeedDocument``: section -> validated schema records),
one document per data file, each record with its record id and, where the
format has them, its line. From there a dataset goes through the shared
validate -> plan -> write steps like any seed file.

Two kinds of bad input, treated differently:

- a structurally broken file (not XML, a missing root, an element the adapter
  cannot read at all) raises ``DatasetError`` with file and line: the whole
  import fails and nothing is written;
- a single unusable value (an empty date, an unknown slug) is a
  ``DataProblem`` (dataset, file, line, record id, field): the adapter leaves
  the value unknown, never guesses, and the run's summary counts the problems
  by kind.

A curated seed file keeps its strict all-or-nothing rule; only bundled
datasets report-and-continue, because their quirks are the publisher's and a
copy must not be edited to make it importable.
"""

from __future__ import annotations

import tarfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from pydantic import ValidationError

from seeds.importer.loader import SeedDocument, _pydantic_message, field_path, share_fields_sets
from seeds.importer.problems import Problem
from seeds.importer.sections import RECORDS

DATA_FOLDER = Path(settings.BASE_DIR) / "seeds" / "data"


class DatasetError(Exception):
    """A structurally broken dataset file: the import stops, naming the file and line."""

    def __init__(self, dataset: str, file: str, line: int | None, message: str) -> None:
        self.dataset, self.file, self.line, self.message = dataset, file, line, message
        where = f"{dataset} {file}:{line}" if line else f"{dataset} {file}"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class DataProblem:
    """A single unusable value in a bundled dataset: reported, recorded as unknown, never guessed.

    ``kind`` groups problems for the run's summary ("empty date", "unknown country slug"...).
    """

    dataset: str
    kind: str
    file: str
    record: str
    field: str
    value: Any
    line: int | None = None
    recorded_as: str = "unknown"

    def __str__(self) -> str:
        where = f"{self.dataset} {self.file}"
        where = f"{where}:{self.line}" if self.line else where
        parts = [where, f"#{self.record}" if self.record else "", self.field]
        detail = f"{self.kind} (value {self.value!r}); recorded as {self.recorded_as}"
        return ": ".join(p for p in (*parts, detail) if p)


@dataclass
class DatasetDocument(SeedDocument):
    """A data file's records as seed records; ``record_key`` is the dataset's own record id."""

    dataset: str = ""
    record_ids: dict[tuple[str, int], str] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        return f"import_seeds: {self.name}"

    def record_key(self, section: str, index: int) -> str:
        return self.record_ids.get((section, index)) or super().record_key(section, index)


@dataclass(frozen=True)
class Item:
    """One record an adapter read: its section, its values as a seed file would give them, its id."""

    section: str
    values: Mapping[str, Any]
    record_id: str
    line: int | None = None


@dataclass
class Parsed:
    """What an adapter read: documents for the importer, the values it could not use, and
    ``errors``: records the schema refused (the adapter's bug), which fail the import."""

    documents: list[DatasetDocument] = field(default_factory=list)
    problems: list[DataProblem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)

    def add(self, doc: tuple[DatasetDocument, list[Problem]]) -> None:
        self.documents.append(doc[0])
        self.errors.extend(doc[1])

    @property
    def records(self) -> int:
        return sum(len(items) for doc in self.documents for items in doc.records.values())


class Adapter(Protocol):
    """A bundled dataset: ``parse()`` reads ``folder`` (raise DatasetError when a file is broken)."""

    name: str
    folder: Path

    def parse(self) -> Parsed: ...


def document(dataset: str, file: str, items: Iterable[Item]) -> tuple[DatasetDocument, list[Problem]]:
    """Build one data file's document, each record checked against its section's schema.

    A record the schema refuses is the adapter's bug, not the data's: it is a
    Problem (with file, line and record id) that fails the import, like a
    seed file's.
    """
    doc = DatasetDocument(path=DATA_FOLDER / dataset / file, name=f"{dataset} {file}", dataset=dataset)
    problems: list[Problem] = []
    counts: Counter[str] = Counter()
    # Only the validated record is kept (issue 25, item 3): no copy of the item's values, which
    # messages never read (``record_ids`` names each record), so ``items`` may be a generator
    # whose values go as soon as each is validated.
    for item in items:
        model = RECORDS[item.section]
        index = counts[item.section]
        counts[item.section] += 1
        doc.record_ids[(item.section, index)] = item.record_id
        if item.line is not None:
            doc.lines[(item.section, index)] = item.line
        try:
            record = share_fields_sets(model.model_validate(item.values))
            doc.records.setdefault(item.section, []).append((index, record))
        except ValidationError as error:
            for detail in error.errors():
                loc = tuple(detail["loc"])
                problems.append(
                    Problem(
                        doc.name, item.line, item.record_id, field_path(loc), _pydantic_message(model, detail)
                    )
                )
    return doc, problems


def problem_counts(problems: Sequence[DataProblem]) -> Counter[tuple[str, str]]:
    """Problems counted by dataset and kind, for the run's summary."""
    return Counter((p.dataset, p.kind) for p in problems)


_REGISTRY: dict[str, Adapter] = {}


def register(adapter: Adapter) -> Adapter:
    """Make a bundled dataset part of every default ``import_seeds`` run."""
    _REGISTRY[adapter.name] = adapter
    return adapter


def registered() -> list[Adapter]:
    """Every registered dataset, in registration order (the order they are read in)."""
    from seeds import datasets  # noqa: F401  (importing the package registers the adapters)

    return list(_REGISTRY.values())


def by_name(name: str) -> Adapter | None:
    return next((a for a in registered() if a.name == name), None)


def archived(archive: Path, wanted: Callable[[str], bool]) -> Iterator[tuple[str, bytes]]:
    """Yield (name, bytes) of each file in the xz tarball ``archive`` whose name is ``wanted``, by name."""
    with tarfile.open(archive, "r:xz") as tar:
        members = sorted((m for m in tar.getmembers() if m.isfile() and wanted(m.name)), key=lambda m: m.name)
        for member in members:
            handle = tar.extractfile(member)
            assert handle is not None  # a regular file always has a handle
            yield member.name, handle.read()

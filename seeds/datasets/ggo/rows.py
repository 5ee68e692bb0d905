"""Read GGO's CSV files into rows that remember their line, and the problems the data has.

Both files are RFC 4180 CSV with a header; a field may hold a newline, so a row's
line is the physical line it starts on, as an editor opening the file sees it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from seeds.datasets import base
from seeds.importer.problems import Problem


@dataclass(frozen=True)
class Row:
    """One CSV record: its values by column, and the line it starts on."""

    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(column) or ""


@dataclass(frozen=True)
class DataProblem:
    """An unusable or doubtful value in a bundled dataset, reported and never guessed.

    ``kind`` groups problems for the import summary ("malformed date", "unknown party"...).
    """

    kind: str
    file: str
    line: int | None
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        return str(Problem(self.file, self.line, self.record, self.field, f"{self.kind}: {self.message}"))

    def for_import(self, dataset: str, *, recorded_as: str) -> base.DataProblem:
        """The import's record of it, counted in the run's summary (seeds.datasets.base.DataProblem)."""
        where = (self.file, self.record, self.field, self.message)
        return base.DataProblem(dataset, self.kind, *where, line=self.line, recorded_as=recorded_as)


class MissingColumns(ValueError):
    """A file without the columns the adapter reads: the whole dataset is refused, with file and line."""


def read_rows(handle: IO[str], *, name: str, required: tuple[str, ...]) -> Iterator[Row]:
    """Yield the file's rows; raise MissingColumns naming the file when a required column is absent."""
    reader = csv.DictReader(handle)
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise MissingColumns(f"{name}:1: missing column(s) {', '.join(missing)}")
    start = 2
    for values in reader:
        if None in values:
            raise MissingColumns(f"{name}:{start}: more fields than the header names")
        yield Row(start, values)
        start = reader.line_num + 1


def text_handle(data: bytes) -> IO[str]:
    """A text handle over UTF-8 CSV bytes, keeping newlines inside quoted fields as they are."""
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="")

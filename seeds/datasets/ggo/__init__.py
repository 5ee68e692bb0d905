"""The GGO (manytreaties) agreements and their parties, read from the bundled CSV files.

Steps, each testable alone: ``rows`` reads CSV keeping lines; ``agreements`` keys
agreements by treatyID; ``parties`` reconciles party rows; ``states`` says what a
stateID names; ``messydates`` turns the package's dates into EDTF.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from seeds.datasets.ggo import agreements, parties
from seeds.datasets.ggo.agreements import Agreement
from seeds.datasets.ggo.parties import Party
from seeds.datasets.ggo.rows import DataProblem, read_rows, text_handle

NAME = "manytreaties-ggo"
FOLDER = Path(settings.BASE_DIR) / "seeds" / "data" / NAME


@dataclass
class GGO:
    """Everything read from GGO: agreements (in file order), their parties, and what was reported."""

    agreements: list[Agreement]
    parties: list[Party]
    problems: list[DataProblem]
    agreement_rows: int
    party_rows: int
    repeated_party_rows: int


def _open(folder: Path, name: str) -> bytes:
    for candidate in (folder / f"{name}.gz", folder / name):
        if candidate.exists():
            data = candidate.read_bytes()
            return gzip.decompress(data) if candidate.suffix == ".gz" else data
    raise FileNotFoundError(f"{folder / name}(.gz) is missing")


def read(folder: Path = FOLDER) -> GGO:
    """Parse both files; raise MissingColumns or FileNotFoundError when a file is structurally unusable."""
    rows = list(
        read_rows(
            text_handle(_open(folder, agreements.FILE)), name=agreements.FILE, required=agreements.COLUMNS
        )
    )
    by_id, problems = agreements.parse_agreements(rows)
    party_rows = read_rows(
        text_handle(_open(folder, parties.FILE)), name=parties.FILE, required=parties.COLUMNS
    )
    result, _added = parties.parse_parties(party_rows, by_id)
    problems.extend(result.problems)
    agreements.link_parents(by_id, problems)
    ordered = [a for variants in by_id.values() for a in variants]
    return GGO(ordered, result.parties, problems, len(rows), result.rows, result.repeated_rows)

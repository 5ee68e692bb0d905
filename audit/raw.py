"""Read a dataset's raw files as bundled (a ``.tar.xz``/``.csv.gz`` in ``seeds/data/<name>/``) or unpacked."""

from __future__ import annotations

import csv
import gzip
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from defusedxml import ElementTree

from audit.base import Record, draw, squash


def xml_files(
    raw_dir: Path, prefixes: tuple[str, ...], archive: str = "data.tar.xz"
) -> Iterator[tuple[str, Element]]:
    """(path inside the dataset, root element) of each XML file under ``prefixes``, sorted by path."""
    packed = raw_dir / archive
    if packed.exists():
        with tarfile.open(packed, "r:xz") as tar:
            members = sorted(
                (
                    m
                    for m in tar.getmembers()
                    if m.isfile() and m.name.endswith(".xml") and m.name.startswith(prefixes)
                ),
                key=lambda m: m.name,
            )
            for member in members:
                handle = tar.extractfile(member)
                assert handle is not None
                yield member.name, ElementTree.fromstring(handle.read())
        return
    paths = sorted(p for p in raw_dir.rglob("*.xml") if str(p.relative_to(raw_dir)).startswith(prefixes))
    for path in paths:
        yield str(path.relative_to(raw_dir)), ElementTree.fromstring(path.read_bytes())


def csv_rows(raw_dir: Path, name: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) of ``name`` (``name.gz`` when bundled compressed); line 1 is the header."""
    packed = raw_dir / f"{name}.gz"
    opener = gzip.open if packed.exists() else open
    with opener(packed if packed.exists() else raw_dir / name, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            yield reader.line_num, row


def text(element: Element | None, path: str) -> str:
    """Whitespace-collapsed text at ``path`` (its own text only), '' when absent."""
    found = element.find(path) if element is not None else None
    return " ".join((found.text or "").split()) if found is not None else ""


def journey(file: str, node: Element, country: Element | None, **fields: Any) -> Record:
    """An hsg trip or visit as sampled: id, dates, the country as shown and by slug, and ``fields``."""
    record_id = text(node, "id")
    return Record(
        f"{file} #{record_id}",
        {
            "id": record_id,
            "start": text(node, "start-date"),
            "end": text(node, "end-date"),
            "country": squash(country.text) if country is not None else "",
            "country_slug": country.get("id", "") if country is not None else "",
            **fields,
        },
    )


class XmlAudit:
    """An audit of a dataset of XML files: ``records`` reads one file's records, ``sample`` draws from all.

    A subclass names the dataset (``name``), the folders its records are in (``prefixes``) and,
    when not ``data.tar.xz``, the archive bundled.
    """

    name: str
    prefixes: tuple[str, ...]
    archive: str = "data.tar.xz"

    def records(self, file: str, root: Element) -> Iterator[Record]:
        raise NotImplementedError

    def sample(self, raw_dir: Path, seed: int, n: int) -> list[Record]:
        files = xml_files(raw_dir, self.prefixes, archive=self.archive)
        return draw([record for file, root in files for record in self.records(file, root)], seed, n)

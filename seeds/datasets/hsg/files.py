"""Read a bundled hsg dataset: XML files from its ``data.tar.xz`` (or a folder of the same files)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from seeds.datasets.base import DatasetError, archived

ARCHIVE = "data.tar.xz"


def xml_files(dataset: str, folder: Path, prefixes: tuple[str, ...]) -> Iterator[tuple[str, Element]]:
    """Yield (path inside the dataset, root element) for each XML file under ``prefixes``, by name.

    A file that is not well-formed XML fails the whole import with its line (DatasetError).
    """
    for name, data in xml_bytes(folder, prefixes):
        yield name, parse_xml(dataset, name, data)


def xml_bytes(folder: Path, prefixes: tuple[str, ...]) -> Iterator[tuple[str, bytes]]:
    """Yield (path inside the dataset, bytes) for each XML file under ``prefixes``, by name, unparsed."""
    archive = folder / ARCHIVE
    if archive.exists():
        yield from archived(archive, lambda name: name.endswith(".xml") and name.startswith(prefixes))
        return
    for prefix in prefixes:
        where = folder / prefix
        for path in [where] if where.is_file() else sorted(where.rglob("*.xml")) if where.is_dir() else []:
            yield str(path.relative_to(folder)), path.read_bytes()


def parse_xml(dataset: str, name: str, data: bytes) -> Element:
    """One file's root element; DatasetError with its line when it is not well-formed XML."""
    try:
        return ElementTree.fromstring(data)
    except ParseError as error:
        line = error.position[0] if getattr(error, "position", None) else None
        raise DatasetError(dataset, name, line, f"not well-formed XML: {error}") from None
    except DefusedXmlException as error:
        raise DatasetError(dataset, name, None, f"refused XML construct: {error}") from None


def text(element: Element | None, path: str) -> str:
    """The stripped text at ``path`` below ``element``, '' when absent or empty."""
    if element is None:
        return ""
    found = element.find(path)
    return " ".join((found.text or "").split()) if found is not None and found.text else ""

"""The Office of the Historian's guide to U.S. recognition and relations, by country (hsg-rdcr).

``tei`` reads one article into its text and timeline entries; ``entries`` says what
kind of event each entry is and when; this module reads the bundled archive.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from seeds.datasets.base import archived
from seeds.datasets.rdcr.entries import Dated, date_of, kind_of, title_of
from seeds.datasets.rdcr.tei import Article, Entry, parse_article

NAME = "hsg-rdcr"
FOLDER = Path(settings.BASE_DIR) / "seeds" / "data" / NAME
ARCHIVE = "articles.tar.xz"


@dataclass(frozen=True)
class Relation:
    """One dated entry of one article, read: an event between the United States and that country."""

    article: Article
    entry: Entry
    kind: str
    title: str
    date: Dated

    @property
    def locator(self) -> str:
        return f"articles/{self.article.slug}.xml #{self.entry.section or 'body'}, entry {self.entry.index}"


@dataclass(frozen=True)
class Undated:
    article: Article
    entry: Entry


def articles(folder: Path = FOLDER) -> Iterator[Article]:
    """Every article in the bundled archive (or an ``articles/`` folder beside it), in name order."""
    archive = folder / ARCHIVE
    if archive.exists():
        for name, data in archived(archive, lambda name: name.startswith("articles/")):
            yield parse_article(data, Path(name).stem)
        return
    for path in sorted((folder / "articles").glob("*.xml")):
        yield parse_article(path.read_bytes(), path.stem)


def relations(article: Article) -> tuple[list[Relation], list[Undated]]:
    """The article's dated entries as relations, and the entries no date could be read for."""
    found, undated = [], []
    for entry in article.entries:
        dated = date_of(entry)
        if dated is None:
            undated.append(Undated(article, entry))
            continue
        title = title_of(entry.head) if entry.head else f"Entry {entry.index}"
        found.append(Relation(article, entry, kind_of(title), title, dated))
    return found, undated

"""One RDCR TEI article → its plain text and its dated timeline entries.

The text is what a citation quotes: the article's title, section heads, entry heads
and paragraphs in document order, each with its whitespace collapsed (TEI breaks
lines inside elements), one blank line between blocks. Every quote this adapter
makes is cut from that text, so it is verbatim by construction and checked again
on import.

XML is read with defusedxml: the files are data, and an entity bomb in one must
fail the import, not the machine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from defusedxml import ElementTree

from seeds.datasets.hsg.tei import TEI, XML_ID, text_of

# Blocks of text kept in the source text, in document order.
_BLOCKS = {f"{TEI}head", f"{TEI}p"}
_SKIPPED = {f"{TEI}figure", f"{TEI}listBibl"}


class ArticleError(ValueError):
    """A file that is not a readable RDCR article: the import names it and stops."""


@dataclass(frozen=True)
class HeadDate:
    """The ``<date>`` of an entry's head: its attributes and its text."""

    when: str = ""
    from_: str = ""
    to: str = ""
    text: str = ""


@dataclass
class Entry:
    """One ``div[@type='timeline']``: head, its date, and its paragraphs as they read in the text."""

    index: int  # 1-based position among the article's entries
    section: str  # xml:id of the section it sits in, hyphens for underscores
    head: str
    date: HeadDate | None
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class Article:
    slug: str  # file name without .xml, shared with the other hsg-* sets
    name: str  # titleStmt/title[@type='short'], without a trailing '*'
    title: str  # titleStmt/title[@type='complete']
    text: str
    entries: list[Entry]


def _text(element: Element) -> str:
    return text_of(element, _SKIPPED)


def _head_date(head: Element) -> HeadDate | None:
    date = head.find(f".//{TEI}date")
    if date is None:
        return None
    return HeadDate(date.get("when", ""), date.get("from", ""), date.get("to", ""), _text(date))


def parse_article(data: bytes, slug: str) -> Article:
    """Parse one article's bytes; raise ArticleError naming what is wrong."""
    try:
        root = ElementTree.fromstring(data)
    except Exception as error:  # defusedxml raises ParseError or its own DefusedXmlException
        raise ArticleError(f"{slug}.xml: not readable XML ({error})") from None
    title_stmt = root.find(f"{TEI}teiHeader/{TEI}fileDesc/{TEI}titleStmt")
    body = root.find(f"{TEI}text/{TEI}body")
    if title_stmt is None or body is None:
        raise ArticleError(f"{slug}.xml: not a TEI article (no titleStmt or body)")
    short = title_stmt.find(f"{TEI}title[@type='short']")
    complete = title_stmt.find(f"{TEI}title[@type='complete']")
    name = _text(short).rstrip("*").strip() if short is not None else ""
    if not name:
        raise ArticleError(f"{slug}.xml: no short title (the country's name)")
    title = _text(complete) if complete is not None else name
    blocks: list[str] = [title]
    entries: list[Entry] = []

    def walk(node: Element, section: str) -> None:
        for child in node:
            if child.tag in _SKIPPED:
                continue
            if child.tag in _BLOCKS:
                text = _text(child)
                if text:
                    blocks.append(text)
                continue
            if child.tag != f"{TEI}div":
                walk(child, section)
                continue
            if child.get("type") == "section":
                walk(child, (child.get(XML_ID) or section).replace("_", "-"))
            elif child.get("type") == "timeline":
                entries.append(_entry(child, section, len(entries) + 1, blocks))
                walk_nested(child, section)
            else:
                walk(child, section)

    def walk_nested(div: Element, section: str) -> None:
        # A timeline entry may hold entries of its own (Hawaii's consular posts).
        nested = [child for child in div if child.tag == f"{TEI}div"]
        for child in nested:
            walk(_Wrapper(child), section)

    walk(body, "")
    return Article(slug, name, title, "\n\n".join(blocks), entries)


class _Wrapper(list):  # type: ignore[type-arg]
    """A one-child node, so ``walk`` treats a nested div as it treats a section's."""

    def __init__(self, child: Element) -> None:
        super().__init__([child])


def _entry(div: Element, section: str, index: int, blocks: list[str]) -> Entry:
    head = div.find(f"{TEI}head")
    head_text = _text(head) if head is not None else ""
    if head_text:
        blocks.append(head_text)
    entry = Entry(index, section, head_text, _head_date(head) if head is not None else None)
    for child in div:
        if child.tag == f"{TEI}p":
            text = _text(child)
            if text:
                blocks.append(text)
                entry.paragraphs.append(text)
        elif child.tag == f"{TEI}div" or child.tag in _SKIPPED or child is head:
            continue
        elif (text := _text(child)) and child.tag != f"{TEI}head":
            blocks.append(text)
            entry.paragraphs.append(text)
    return entry

"""The prose of an Office of the Historian TEI file as a reader sees it (timeline, milestones).

A file's text is its heads and paragraphs in document order, each with its whitespace
collapsed (TEI breaks lines inside elements), one blank line between blocks; figures
(image captions) are left out. Every quote the adapters make is cut from that text, so
it is verbatim by construction, and the importer checks it again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from xml.etree.ElementTree import Element

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
BLOCKS = {f"{TEI}head", f"{TEI}p", f"{TEI}closer"}
SKIPPED = {f"{TEI}figure"}
# A full stop after these does not end a sentence ("U.S. Minister", "Mr. Jay", "1 Stat. 28",
# "Palmer v. Shultz").
_ABBREVIATION = re.compile(
    r"\b(?:U\.S|U\.N|Mr|Mrs|Ms|St|Gen|Jr|Sr|Dr|No|Nos|Lt|Col|Capt|Gov|Sen|Rep|Stat|Dept|Sec|Ft|Mt"
    r"|D\.C|Jan|Feb|Mar|Apr|Aug|Sept|Oct|Nov|Dec|v|[A-Z])\.$"
)
_SENTENCE_END = re.compile(r"[.!?][”’\")]*(?=\s+[A-Z“\"(‘]|\s*$)")


def squash(text: str) -> str:
    """Collapse whitespace as a reader sees it."""
    return " ".join(text.split())


def text_of(element: Element, skipped: Iterable[str] = SKIPPED) -> str:
    """The element's words, ``skipped`` elements (figures) left out, whitespace collapsed."""
    skipped = frozenset(skipped)
    parts: list[str] = []

    def walk(node: Element) -> None:
        if node.tag in skipped:
            return
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return squash("".join(parts))


def blocks(element: Element) -> Iterable[Element]:
    """The heads and paragraphs under ``element`` in document order (a block's own blocks are its text)."""
    for child in element:
        if child.tag in SKIPPED:
            continue
        if child.tag in BLOCKS:
            yield child
        else:
            yield from blocks(child)


def file_text(root: Element, *, title: str) -> str:
    """The whole file's text: its title, then every non-empty block under ``text``."""
    body = root.find(f"{TEI}text")
    found = [title] if title else []
    if body is not None:
        found += [t for t in (text_of(b) for b in blocks(body)) if t]
    return "\n\n".join(found)


def title_of(root: Element, kind: str = "complete") -> str:
    title = root.find(f"{TEI}teiHeader/{TEI}fileDesc/{TEI}titleStmt/{TEI}title[@type='{kind}']")
    return text_of(title) if title is not None else ""


def first_sentence(text: str) -> str:
    """The text up to its first full stop that ends a sentence (not "U.S." or "Stat.")."""
    for match in _SENTENCE_END.finditer(text):
        if not _ABBREVIATION.search(text[: match.start() + 1]):
            return text[: match.end()].strip()
    return text.strip()

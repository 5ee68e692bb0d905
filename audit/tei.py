"""The words of an Office of the Historian TEI element as a reader sees them (timeline, milestones).

The audit's own reading, not the adapters' (``seeds/datasets/hsg/tei.py``): figures (image
captions) are no part of the text, and TEI's line breaks inside elements are spaces.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
# A full stop after these ends no sentence ("U.S. Minister", "1 Stat. 28", "John F. Kennedy",
# "Bergstrom et al. v. Kissinger").
ABBREVIATION = re.compile(
    r"(\b[A-Z]|\bv|\bvs|\bal|U\.S|U\.N|D\.C|Mr|Mrs|Ms|Dr|St|Gen|Jr|Sr|Lt|Col|Capt|Gov|Sen|Rep|Stat|No|Nos|Sec|Dept)\.$"
)
SENTENCE_END = re.compile(r"[.!?][”’\")]*$")
# What begins a sentence: a capital, an opening quote or bracket ("9 a.m. to" ends none).
NEXT_SENTENCE = re.compile(r"\s+[A-Z“\"(‘]")


def words(element: Element | None) -> str:
    """The element's text, figures left out, whitespace collapsed."""
    if element is None:
        return ""
    parts: list[str] = []

    def walk(node: Element) -> None:
        if node.tag == f"{TEI}figure":
            return
        parts.append(node.text or "")
        for child in node:
            walk(child)
            parts.append(child.tail or "")

    walk(element)
    return " ".join("".join(parts).split())


def first_sentence_is(paragraph: str, title: str) -> bool:
    """``title`` is ``paragraph`` up to its first sentence's end (or all of it), not one sooner or later."""
    if not ends_a_sentence(paragraph, title):
        return False
    return not any(
        ends_a_sentence(paragraph, title[: end.end()])
        for end in re.finditer(r"[.!?][”’\")]*", title)
        if end.end() < len(title)
    )


def ends_a_sentence(paragraph: str, title: str) -> bool:
    """``title`` is ``paragraph`` up to a sentence's end (or all of it): not cut after "U.S." or mid-word."""
    if not paragraph.startswith(title):
        return False
    if title == paragraph:
        return True
    rest = paragraph[len(title) :]
    return (
        bool(SENTENCE_END.search(title))
        and not ABBREVIATION.search(title)
        and bool(NEXT_SENTENCE.match(rest))
    )

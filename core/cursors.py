"""Compact keyset cursors: the ordering values a page ends on, without the user's text.

strawberry-django's cursor is the JSON list of every ordering value, titles and names
included, so its length grew with the text (a treaty cursor of 716 characters) and the
API refused cursors it had handed out (issue 19). Here every text value (title, name,
slug) is left out and replaced by a short digest; the values are found again from the
record the cursor ends on, which the cursor names by its primary key (always the last
ordering column). The cursor's size then depends on dates, numbers and the key only.

Finding a text value again, in order:
1. the record as it is now, when its text still has the digest (the usual case);
2. the record's history (django-simple-history), newest first, for the version with that
   digest: a record renamed or deleted between two pages is still placed where it was;
3. the record as it is now, when no version matches (history pruned): renamed, it is
   placed at its new name;
4. nothing left of the record: the cursor is refused with a message saying to start over.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from strawberry.relay import from_base64, to_base64
from strawberry_django.relay import DjangoCursorEdge
from strawberry_django.relay.cursor_connection import OrderedCollectionCursor, OrderingDescriptor

from core.errors import ChanceryError

# Versioned, so a later encoding can tell its own cursors from these.
PREFIX = "k1"
# How many past versions of a record are searched for the text a cursor was made from.
HISTORY_VERSIONS = 50
# Marks a text value's place in the compact list: every library value is a string or None.
TEXT = 0


class InvalidCursor(ChanceryError):
    """A paging cursor this API did not hand out, or whose record is gone."""

    code = "INVALID_CURSOR"


def _is_text(descriptor: OrderingDescriptor) -> bool:
    field = getattr(descriptor.order_by.expression, "output_field", None)
    return isinstance(field, models.CharField | models.TextField)


def _digest(texts: Sequence[str | None]) -> str:
    joined = "\x1f".join("\x00" if text is None else text for text in texts)
    return hashlib.blake2b(joined.encode(), digest_size=6).hexdigest()


def compact(library_cursor: str, descriptors: Sequence[OrderingDescriptor]) -> str:
    """The compact form of a cursor strawberry-django made for these ordering columns."""
    values = json.loads(from_base64(library_cursor)[1])
    return encode(values, descriptors)


def encode(values: Sequence[str | None], descriptors: Sequence[OrderingDescriptor]) -> str:
    """The compact cursor of one record's ordering values (as strings, the library's form)."""
    return encode_marked(values, [_is_text(d) for d in descriptors])


def encode_marked(values: Sequence[str | None], text: Sequence[bool]) -> str:
    """``encode`` with each value's text-ness given (for code that pages without descriptors)."""
    texts = [value for value, is_text in zip(values, text, strict=True) if is_text]
    kept: list[Any] = [TEXT if is_text else value for value, is_text in zip(values, text, strict=True)]
    payload = [kept, _digest(texts)] if texts else [kept]
    return to_base64(PREFIX, json.dumps(payload, separators=(",", ":")))


# (key, digest) -> the record's text values, or None when nothing is left of it.
TextLookup = Callable[[str, str], "list[str | None] | None"]


def expand(cursor: str, name: str, descriptors: Sequence[OrderingDescriptor], texts_of: TextLookup) -> str:
    """The library cursor a compact cursor stands for; ``InvalidCursor`` for anything else.

    ``texts_of(key, digest)`` finds the text values of the record with that key, in the
    order of the module docstring.
    """

    def refuse(why: str) -> InvalidCursor:
        return InvalidCursor(f"Invalid cursor for '{name}': {why}")

    not_ours = refuse("pass a startCursor, endCursor or edge cursor this connection returned.")
    try:
        kind, text = from_base64(cursor)
        payload = json.loads(text)
    except (ValueError, TypeError, UnicodeDecodeError):
        raise not_ours from None
    if kind != PREFIX or not isinstance(payload, list) or len(payload) not in (1, 2):
        raise not_ours
    kept = payload[0]
    if not isinstance(kept, list) or len(kept) != len(descriptors) or not kept:
        raise not_ours
    text_slots = [i for i, d in enumerate(descriptors) if _is_text(d)]
    for i, value in enumerate(kept):
        expected_text = i in text_slots
        if (value == TEXT and not isinstance(value, bool)) != expected_text:
            raise not_ours
        if not expected_text and value is not None and not isinstance(value, str):
            raise not_ours
    values: list[Any] = list(kept)
    if text_slots:
        digest = payload[1] if len(payload) == 2 else None
        key = kept[-1]
        if not isinstance(digest, str) or not isinstance(key, str) or not key:
            raise not_ours
        found = texts_of(key, digest)
        if found is None:
            raise refuse("the record it ends on no longer exists; start again from the first page.")
        for slot, text in zip(text_slots, found, strict=True):
            values[slot] = text
    elif len(payload) != 1:
        raise not_ours
    library = to_base64(DjangoCursorEdge.CURSOR_PREFIX, json.dumps(values, separators=(",", ":")))
    try:
        OrderedCollectionCursor.from_cursor(library, list(descriptors))
    except (ValueError, TypeError):
        raise refuse("its values are not those of this list's order.") from None
    return library


def texts_lookup(records: QuerySet, descriptors: Sequence[OrderingDescriptor]) -> TextLookup:
    """``texts_of`` for a connection's annotated queryset: the record now, then its history."""
    attnames = [d.attname for d in descriptors if _is_text(d)]
    model = records.model
    own_columns = set(attnames) <= {f.attname for f in model._meta.concrete_fields}

    def texts_of(key: str, digest: str) -> list[str | None] | None:
        try:
            pk = model._meta.pk.to_python(key)
        except ValidationError:
            return None
        now = next(iter(records.filter(pk=pk).order_by().values_list(*attnames)), None)
        if now is not None and _digest(now) == digest:
            return list(now)
        if not own_columns:
            return None if now is None else list(now)
        if now is None:
            # Out of the filtered list now (edited out of it, or deleted): its own row, if any.
            now = next(iter(model._base_manager.filter(pk=pk).values_list(*attnames)), None)
        history = getattr(model, "history", None)
        if history is not None:
            past = history.filter(**{model._meta.pk.attname: pk}).order_by("-history_date")
            versions = [list(row) for row in past.values_list(*attnames)[:HISTORY_VERSIONS]]
            if match := next((v for v in versions if _digest(v) == digest), None):
                return match
            if now is None and versions:
                return versions[0]
        return None if now is None else list(now)

    return texts_of

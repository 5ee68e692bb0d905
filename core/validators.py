"""Validators shared by several apps: aliases, and the one text check every surface calls."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError

# NUL cannot be stored by PostgreSQL and SQLite stores it silently; a lone surrogate (U+D800 to
# U+DFFF in a Python str, which a JSON "\ud800" escape produces) cannot be encoded as UTF-8 at
# all. Neither is ever meant text, so both are refused wherever text comes in.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def text_problem(value: str, *, limit: int | None = None) -> str | None:
    """Say what is wrong with ``value`` as stored text (too long, NUL, lone surrogate), or None.

    The length is checked first: it is the cheap check, and an oversized value needs no scan.
    """
    if limit is not None and len(value) > limit:
        return f"Text is {len(value):,} characters long; the limit is {limit:,}."
    if found := _UNSTORABLE.search(value):
        char = found.group()
        if char == "\x00":
            return f"Text may not contain a NUL character (U+0000); found at character {found.start() + 1}."
        return (
            f"Text may not contain an unpaired surrogate (U+{ord(char):04X}); "
            f"found at character {found.start() + 1}."
        )
    return None


def validate_text(value: Any, *, limit: int | None = None) -> None:
    """Raise ValidationError (code ``invalid_text``) for text that is too long or cannot be stored."""
    if isinstance(value, str) and (problem := text_problem(value, limit=limit)):
        raise ValidationError(problem, code="invalid_text")


def validate_aliases(value: Any) -> None:
    """Require a list of distinct, non-empty strings."""
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValidationError(
            'Aliases must be a list of non-empty names, e.g. ["DPRK", "North Korea"]; got %(value)r.',
            code="invalid_aliases",
            params={"value": value},
        )
    for name in value:
        validate_text(name, limit=200)
    if len({v.casefold() for v in value}) != len(value):
        raise ValidationError("Aliases repeat a name: %(value)r.", params={"value": value})


def check_text_fields(instance: Any, *, reason: str | None = None) -> None:
    """Refuse a record whose text fields (or change reason) are too long or cannot be stored.

    Run before ``full_clean``: a 20 MB summary or a 4 KB date should cost a length check, not
    a parse. Raises one ValidationError keyed by field.
    """
    from django.db import models

    from core import limits

    errors: dict[str, list[ValidationError]] = {}
    for field in instance._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        value = getattr(instance, field.attname, None)
        limit = limits.text_limit(field.name, field.max_length)
        if isinstance(value, str) and (problem := text_problem(value, limit=limit)):
            errors[field.name] = [ValidationError(problem, code="invalid_text")]
    if reason and (problem := text_problem(reason, limit=limits.REASON)):
        errors["reason"] = [ValidationError(problem, code="invalid_text")]
    if errors:
        raise ValidationError(errors)

"""What several models declare alike, each rule stated once (issue 22, "repeated blocks").

Like ``core.fuzzydates.fuzzy_date_fields`` and ``core.history.version_field``, each field
helper returns a plain Django field, so a model that uses one keeps the same column, the same
``deconstruct()`` and therefore the same migrations: only the declaration is shorter.
``KeyedBySlug`` is a plain mixin (no fields, no table).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.validators import RegexValidator
from django.db import models

from core.validators import validate_aliases

NOTE_HELP = "Editorial note: what was inferred, and from what."


def optional_link(
    to: Any,
    *,
    related_name: str,
    on_delete: Callable[..., Any] = models.PROTECT,
    help_text: str = "",
    **options: Any,
) -> models.ForeignKey:
    """Return a foreign key a record may lack: NULL in the table, left empty in a form.

    The target is protected unless ``on_delete`` says otherwise: a record that something
    refers to is deleted only once nothing does.
    """
    return models.ForeignKey(
        to,
        on_delete=on_delete,
        null=True,
        blank=True,
        related_name=related_name,
        help_text=help_text,
        **options,
    )


def optional_code(
    verbose_name: str, *, max_length: int, pattern: str, message: str, help_text: str = ""
) -> models.CharField:
    """Return an identifier some records lack, unique among those that have one.

    A missing code is stored as NULL, not "": NULLs are distinct in a unique index, so any
    number of records may lack one (a form field on a ``null=True`` CharField cleans "" to None).
    """
    return models.CharField(
        verbose_name,
        max_length=max_length,
        unique=True,
        null=True,
        blank=True,
        validators=[RegexValidator(pattern, message)],
        help_text=help_text,
    )


def aliases_field(help_text: str = "") -> models.JSONField:
    """Return a record's other names: a list of strings, each checked by ``validate_aliases``."""
    return models.JSONField(default=list, blank=True, validators=[validate_aliases], help_text=help_text)


def note_field(help_text: str = NOTE_HELP) -> models.TextField:
    """Return the editorial note a curated record carries: what was inferred, and from what."""
    return models.TextField(blank=True, help_text=help_text)


class KeyedBySlug:
    """A record every surface names by its slug (``core.declarations.natural_key``): Django's
    serializers too (``dumpdata --natural-primary``)."""

    slug: str

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

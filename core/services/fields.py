"""The allowlist check every service runs on the fields it is given (issue 22).

A service sets only the fields its model's declaration names (``core.declarations``,
``Editable.allowed``); anything else (an id, a derived bound, a typo) is refused by name
before a row is touched, whichever surface sent it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError


def check_fields(fields: Mapping[str, Any], allowed: frozenset[str]) -> None:
    """Refuse fields a service does not set (ids, derived bounds, typos)."""
    known = allowed | {f"{name}_id" for name in allowed}
    if unknown := sorted(set(fields) - known):
        raise ValidationError(f"These fields cannot be set here: {', '.join(unknown)}.", code="unknown_field")

"""Validators shared by several apps."""

from typing import Any

from django.core.exceptions import ValidationError


def validate_aliases(value: Any) -> None:
    """Require a list of distinct, non-empty strings."""
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValidationError(
            'Aliases must be a list of non-empty names, e.g. ["DPRK", "North Korea"]; got %(value)r.',
            code="invalid_aliases",
            params={"value": value},
        )
    if len({v.casefold() for v in value}) != len(value):
        raise ValidationError("Aliases repeat a name: %(value)r.", params={"value": value})

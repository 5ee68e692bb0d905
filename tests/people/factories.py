"""People for tests."""

from __future__ import annotations

from typing import Any

from people.models import Person


def make_person(slug: str = "someone", **extra: Any) -> Person:
    """Create person ``test-<slug>``."""
    return Person.objects.create(
        slug=f"test-{slug}", name=extra.pop("name", slug.replace("-", " ").title()), **extra
    )

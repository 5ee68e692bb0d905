"""Events, sources, visits and treaties for tests."""

from __future__ import annotations

from typing import Any

from events.models import Event, EventKind, Source, Treaty


def make_event(slug: str = "event", **extra: Any) -> Event:
    """Create event ``test-<slug>`` (a May 2024 meeting unless told otherwise)."""
    return Event.objects.create(
        slug=f"test-{slug}",
        title=extra.pop("title", slug.replace("-", " ").capitalize()),
        kind=extra.pop("kind", EventKind.MEETING),
        date=extra.pop("date", "2024-05"),
        **extra,
    )


def make_source(slug: str = "source", **extra: Any) -> Source:
    """Create source ``test-<slug>``."""
    return Source.objects.create(slug=f"test-{slug}", title=extra.pop("title", f"Source {slug}"), **extra)


def make_treaty(slug: str = "treaty", **extra: Any) -> Treaty:
    """Create treaty ``test-<slug>``."""
    return Treaty.objects.create(slug=f"test-{slug}", name=extra.pop("name", f"Treaty {slug}"), **extra)

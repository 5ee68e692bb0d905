"""Reads of people, as QuerySets the API and admin compose."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from core.errors import InvalidFilter
from people.models import Person


def person_list(*, search: str | None = None) -> QuerySet[Person]:
    """Return people by name, narrowed to names, aliases or slugs containing ``search``."""
    people = Person.objects.order_by("name", "pk")
    if search and (text := search.strip()):
        # Aliases are a JSON list; its text form is searched, which is honest for names.
        people = people.filter(Q(name__icontains=text) | Q(slug__icontains=text) | Q(aliases__icontains=text))
    return people


def person_by_slug(*, slug: str) -> QuerySet[Person]:
    """Return the person with ``slug`` (none or one)."""
    return Person.objects.filter(slug=slug)


def person_for_filter(slug: str) -> Person:
    """Return the person a filter names, or raise InvalidFilter naming the slug."""
    if (person := person_by_slug(slug=slug).first()) is None:
        raise InvalidFilter(f"Unknown person slug {slug!r}.")
    return person


def person_for_text(text: str) -> Person:
    """The person a reader typed: a slug, or an exact name or alias in any case."""
    text = text.strip()
    found = (
        person_by_slug(slug=text).first() or Person.objects.filter(name__iexact=text).order_by("pk").first()
    )
    if found is None:
        found = next(
            (p for p in person_list(search=text)[:20] if text.lower() in map(str.lower, p.aliases)), None
        )
    if found is None:
        raise InvalidFilter(f"No person is called {text!r}: give their name or slug (andrzej-duda).")
    return found

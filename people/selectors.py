"""Reads of people, as QuerySets the API and admin compose."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from core.errors import InvalidFilter
from people.models import Person, PersonMerge, Role


def person_list(*, search: str | None = None) -> QuerySet[Person]:
    """Return people by name, narrowed to names, aliases or slugs containing ``search``."""
    people = Person.objects.order_by("name", "pk")
    if search and (text := search.strip()):
        # Aliases are a JSON list; its text form is searched, which is honest for names.
        people = people.filter(Q(name__icontains=text) | Q(slug__icontains=text) | Q(aliases__icontains=text))
    return people


def person_by_slug(*, slug: str) -> QuerySet[Person]:
    """Return the person with ``slug`` (none or one); a slug merged away names its survivor."""
    return Person.objects.filter(
        Q(slug=slug) | Q(pk__in=PersonMerge.objects.filter(merged_slug=slug).values("survivor"))
    )


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


def office_holders(
    *,
    on: date,
    country: str | None = None,
    organization: str | None = None,
    title: str | None = None,
    of: str | None = None,
) -> QuerySet[Role]:
    """The roles of the office named by the filters whose holder held it on ``on``, by start.

    The office is every role matching the filters (held in ``country`` or at
    ``organization``, with ``title``, of the country ``of``). A role counts when it
    started on or before the day and ended on or after it, or is still held
    (``ongoing``), or its end is unknown and no later holder of the office had
    started by that day (the data does not say when it ended, but nobody had
    taken it over yet). A role without a start is not counted: nothing says it
    had begun. Only served terms count: a nominee who declined, was withdrawn or
    never reached the post did not hold it (issue 21), nor does their
    nomination end an earlier holder's term.
    """
    if not any((country, organization, title, of)):
        raise InvalidFilter("Name the office: post country, post organization, title or whose office (of).")
    roles = Role.objects.served().filter(start_earliest__isnull=False, start_earliest__lte=on)
    if country:
        roles = roles.filter(post_country__code=country.strip().upper())
    if organization:
        roles = roles.filter(post_organization__slug=organization.strip())
    if title:
        roles = roles.filter(title=title.strip())
    if of:
        roles = roles.filter(country__code=of.strip().upper())
    candidates = list(roles.values_list("pk", "start_earliest", "end", "end_latest", "ongoing"))
    starts = sorted(start for _, start, *_ in candidates)
    held = []
    for pk, start, end, end_latest, ongoing in candidates:
        if end:
            if end_latest is not None and end_latest >= on:
                held.append(pk)
        elif ongoing or not any(start < other <= on for other in starts):
            held.append(pk)
    return Role.objects.filter(pk__in=held).order_by("start_earliest", "pk")

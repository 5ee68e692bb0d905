"""Reads of people, as QuerySets the API and admin compose."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from core.errors import InvalidFilter
from core.namesearch import EXACT, MATCHED, WORDS, name_search
from people.models import Person, PersonMerge, Role

# People the explorer suggests as one types, and offers when a name matches several.
SUGGESTIONS = 8


def person_list(*, search: str | None = None) -> QuerySet[Person]:
    """Return people by name, or those any form of whose name matches ``search``, best first.

    Any form: the name, an alias, given + family name without middle names, in any script
    or spelling that folds to the same letters (core.namesearch).
    """
    people = Person.objects.order_by("name", "pk")
    if search and search.strip():
        people = name_search(people, search, also=Q(slug=search.strip()))
    return people


def person_suggestions(*, text: str, limit: int = SUGGESTIONS) -> QuerySet[Person]:
    """Return the few best-matching people for a name being typed (the explorer's suggestions)."""
    return person_list(search=text).only("pk", "slug", "name", "born_earliest", "died_earliest")[:limit]


def person_by_slug(*, slug: str) -> QuerySet[Person]:
    """Return the person with ``slug`` (none or one); a slug merged away names its survivor.

    One ``IN (… UNION …)`` of the two indexed lookups: as ``slug = … OR pk IN (…)`` PostgreSQL
    tested the OR on every person (a scan of the people table on each person page and
    person filter, growing with the record, issue 25).
    """
    by_slug = Person.objects.filter(slug=slug).order_by().values("pk")
    merged = PersonMerge.objects.filter(merged_slug=slug).order_by().values("survivor")
    return Person.objects.filter(pk__in=by_slug.union(merged))


def person_for_filter(slug: str) -> Person:
    """Return the person a filter names, or raise InvalidFilter naming the slug."""
    if (person := person_by_slug(slug=slug).first()) is None:
        raise InvalidFilter(f"Unknown person slug {slug!r}.")
    return person


class AmbiguousPerson(InvalidFilter):
    """A typed name that matches several people, or only nearly matches one: the reader picks."""

    code = "AMBIGUOUS_PERSON"

    def __init__(self, text: str, candidates: list[Person]) -> None:
        self.candidates = candidates
        super().__init__(f"Several people match {text!r}: pick one.")


def person_for_text(text: str) -> Person:
    """The person a reader typed: a slug, or a name that matches one person unmistakably.

    Unmistakably: the only person in the best rank of matches (core.namesearch): the only
    one with that exact form of name ("John Kerry" is John Forbes Kerry's given + family
    name), else the only one with each word whole, else the only one matching every word. Several
    matches, or near misses only, raise AmbiguousPerson with the candidates; nothing at
    all raises InvalidFilter.
    """
    text = text.strip()
    if (found := person_by_slug(slug=text).first()) is not None:
        return found
    candidates = list(person_list(search=text)[:SUGGESTIONS])
    if not candidates:
        raise InvalidFilter(f"No person is called {text!r}: give their name or slug (andrzej-duda).")
    ranks = [person.search_rank for person in candidates]
    for rank in (EXACT, WORDS, MATCHED):
        if ranks.count(rank) == 1 and ranks[0] == rank:
            return candidates[0]
        if rank in ranks:
            break
    raise AmbiguousPerson(text, candidates)


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

"""The public page of a person: offices over time, visits and their timeline."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core import limits
from core.citing import reads_as_of, record_or_nothing_yet
from core.folding import fold
from core.fuzzydates import FuzzyDate
from core.validators import text_problem
from events import selectors as event_selectors
from events.asof import visits_as_of
from events.models import Visit
from events.views import record_timeline
from people.models import Person, Role, RoleOutcome
from people.selectors import person_by_slug, person_suggestions

# Visits listed on the page; the explorer link shows them all.
VISITS_SHOWN = 100
# Folded letters typed before people are suggested: one letter would match most of them.
SUGGEST_FROM = 2


@require_safe
def person_suggest(request: HttpRequest) -> JsonResponse:
    """People matching the name being typed (``?q=``), best first, for the explorer's person field."""
    text = request.GET.get("q", "")
    if problem := text_problem(text, limit=limits.SEARCH_CHARACTERS):
        return JsonResponse({"error": problem}, status=400)
    people = person_suggestions(text=text) if len(fold(text).replace(" ", "")) >= SUGGEST_FROM else []
    return JsonResponse(
        {
            "query": text,
            "people": [
                {"slug": p.slug, "name": p.name, "years": _years(p), "url": p.get_absolute_url()}
                for p in people
            ],
        }
    )


def _years(person: Person) -> str:
    """Life years, as a reader tells two namesakes apart: '1943–', '1857–1930', or ''."""
    born, died = (
        d.year if d and 1 < d.year < 9999 else None for d in (person.born_earliest, person.died_earliest)
    )
    if born is None and died is None:
        return ""
    return f"{born or '?'}–{died or ''}"


def role_item(role: Role) -> dict[str, Any]:
    """A role as a bar on the person's axis: from its start to its end, each end as known."""
    start, end = FuzzyDate.of(role, "start"), FuzzyDate.of(role, "end")
    where = f" of {role.country.name}" if role.country else ""
    return {
        "id": f"role-{role.pk}",
        "title": f"{role.title}{where}",
        "kind": "ROLE",
        "kindLabel": "Office",
        "status": "REPORTED",
        "shape": "span",
        "start": start.earliest.isoformat() if start and start.earliest else None,
        "end": end.latest.isoformat() if end and end.latest else None,
        "startState": "known" if start else "unknown",
        "endState": "known" if end else "unknown",
        "display": role_period(start, end),
        "description": f"in office {role_period(start, end)}",
    }


def role_period(start: FuzzyDate | None, end: FuzzyDate | None) -> str:
    if start and end:
        return f"{start.display} – {end.display}"
    if start:
        return f"from {start.display} (end not recorded)"
    if end:
        return f"until {end.display} (start not recorded)"
    return "dates not recorded"


@require_safe
@reads_as_of
def person_detail(request: HttpRequest, slug: str, *, as_of: datetime | None) -> HttpResponse:
    if as_of is not None:
        return _person_as_of(request, slug, as_of)
    person = (
        person_by_slug(slug=slug)
        .select_related("nationality")
        .prefetch_related(
            Prefetch("roles", Role.objects.select_related("country").order_by("start_earliest", "pk"))
        )
        .first()
    )
    if person is None:
        raise Http404(f"No person {slug!r}.")
    if person.slug != slug:
        # A slug merged away: its links keep working, and search engines learn the new one.
        return HttpResponsePermanentRedirect(person.get_absolute_url())
    visits = list(
        event_selectors.visit_list(visitor=person)
        .select_related("event", "host_country")
        .prefetch_related("destinations")[: VISITS_SHOWN + 1]
    )
    return _person_page(request, person, visits, as_of=None)


def _person_as_of(request: HttpRequest, slug: str, as_of: datetime) -> HttpResponse:
    """The person's page as it stood (core.asof, events.asof): their record, offices, visits, events."""
    person = record_or_nothing_yet(request, Person, as_of, what=f"the person “{slug}”", slug=slug)
    # Their offices as they stood came with the record (core.asof), whom they name as now.
    prefetch_related_objects([person], "nationality")
    visits = visits_as_of(moment=as_of, visitor=person, limit=VISITS_SHOWN + 1)
    return _person_page(request, person, visits, as_of=as_of)


def _person_page(
    request: HttpRequest, person: Person, visits: list[Visit], *, as_of: datetime | None
) -> HttpResponse:
    # By start, unknown starts last, in Python: the same order on both databases, now or then.
    roles = sorted(person.roles.all(), key=lambda r: (r.start_earliest is None, r.start_earliest, r.pk))
    page = record_timeline(
        request, scope={"person": person}, name=person.name, query={"person": person.slug}, as_of=as_of
    )
    context = {
        "person": person,
        "roles": [(r, role_period(FuzzyDate.of(r, "start"), FuzzyDate.of(r, "end"))) for r in roles],
        "visits": [(v, FuzzyDate.of(v.event, "date")) for v in visits[:VISITS_SHOWN]],
        "more_visits": len(visits) > VISITS_SHOWN,
        **page,
        # A nomination never served is listed, but drawn as no term in office.
        "axis_items": [role_item(r) for r in roles if r.outcome == RoleOutcome.SERVED] + page["axis_items"],
    }
    return render(request, "people/person_detail.html", context)

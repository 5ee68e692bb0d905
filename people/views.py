"""The public page of a person: offices over time, visits and their timeline."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.fuzzydates import FuzzyDate
from events import selectors as event_selectors
from events.exports import DOUBTFUL_STATUSES, axis_item, dated
from events.views import PAGE_SIZE
from people.models import Role, RoleOutcome
from people.selectors import person_by_slug

# Visits listed on the page; the explorer link shows them all.
VISITS_SHOWN = 100


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
def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
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
    roles = list(person.roles.all())
    visits = list(
        event_selectors.visit_list(visitor=person)
        .select_related("event", "host_country")
        .prefetch_related("destinations")[: VISITS_SHOWN + 1]
    )
    events = list(
        event_selectors.with_details(event_selectors.event_timeline(person=person))[: PAGE_SIZE + 1]
    )
    context = {
        "person": person,
        "roles": [(r, role_period(FuzzyDate.of(r, "start"), FuzzyDate.of(r, "end"))) for r in roles],
        "visits": [(v, FuzzyDate.of(v.event, "date")) for v in visits[:VISITS_SHOWN]],
        "more_visits": len(visits) > VISITS_SHOWN,
        "events": dated(events[:PAGE_SIZE]),
        "more_events": len(events) > PAGE_SIZE,
        # A nomination never served is listed, but drawn as no term in office.
        "axis_items": [role_item(r) for r in roles if r.outcome == RoleOutcome.SERVED]
        + [axis_item(e) for e in events[:PAGE_SIZE]],
        "doubtful": DOUBTFUL_STATUSES,
    }
    return render(request, "people/person_detail.html", context)

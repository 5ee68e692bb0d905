"""``/export/plover.jsonl``: the explorer's query as PLOVER records, one JSON object a line.

The records come from events.plover (the one mapping, which the GraphQL ``Event.plover``
field serves too); the filters, paging and refusals are the other exports' (events.views).
Events whose kind has no PLOVER type are left out and counted in response headers, since
every line of a JSON-lines file must be a record.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from events.credits import event_credits
from events.exports import date_json
from events.plover import Record, Tally, plover_of

# The other exports' query and file: filters and moment read once, keyset pages, the same 400
# for a bad filter, the same attachment name, next-file and cite-as links.
from events.views import ExportPage, export


def record_json(record: Record, *, url: str, credits: list[str], citation: str = "") -> dict[str, Any]:
    """A record in PLOVER's JSON field names (manual, "Data Fields"), Chancery's additions last.

    A JSON-lines file has no header: each record carries the credits (licence and attribution,
    events.credits) of the sources it cites, as a TimelineJS slide does, and how to cite the
    file it came in (core.citing)."""
    return {
        "id": record.id,
        "date": record.date,
        "enddate": record.enddate,
        "actor": [e.as_json() for e in record.actor],
        "recipient": [e.as_json() for e in record.recipient],
        "event": [record.event],
        "mode": record.mode,
        "context": record.context,
        "quad_code": record.quad_code,
        "event_text": record.event_text,
        "cite_info": [c.as_json() for c in record.cite_info],
        "coder": "Chancery",
        "comment": record.comment,
        # Not PLOVER fields: what Chancery knows beyond one day, and how far it vouches.
        "date_bounds": date_json(record.date_bounds),
        "confidence": record.confidence,
        "status": record.status,
        "url": url,
        "credits": credits,
        "citation": citation or None,
    }


@require_safe
def export_plover(request: HttpRequest) -> HttpResponse:
    """PLOVER JSON lines of the query; the kinds left out are counted in ``X-PLOVER-Left-Out``."""

    def body(page: ExportPage) -> HttpResponse:
        tally, lines = Tally(), []
        for event in page.events:
            result = plover_of(event)
            tally.add(result)
            if isinstance(result, Record):
                credits = [credit.text for credit in event_credits(event) if credit.licensed]
                record = record_json(
                    result, url=page.url_of(event), credits=credits, citation=page.citation.text
                )
                lines.append(json.dumps(record, ensure_ascii=False) + "\n")
        response = HttpResponse("".join(lines), content_type="application/x-ndjson; charset=utf-8")
        response["X-PLOVER-Records"] = str(tally.records)
        left_out = ", ".join(f"{k}={n}" for k, n in sorted(tally.left_out.items()))
        response["X-PLOVER-Left-Out"] = left_out or "none"
        return response

    return export(request, "plover.jsonl", body)

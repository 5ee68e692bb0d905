"""Events as data: axis items for the pages, TimelineJS3 JSON, CSV and JSON with full date semantics."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from django.utils.html import escape

from core.fuzzydates import FuzzyDate
from core.fuzzydates.placement import Unit, placement
from events.credits import Credit, credits_for, distinct_credits, event_credits
from events.drawing import Drawing, drawing_of
from events.models import Event

# The statuses a reader must not take as fact; the pages mark them.
DOUBTFUL_STATUSES = {"CLAIMED", "DISPUTED", "DENIED"}


def event_drawing(event: Event) -> Drawing:
    return drawing_of(FuzzyDate.of(event, "date"))  # type: ignore[arg-type]


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def date_json(fd: FuzzyDate | None) -> dict[str, Any] | None:
    """A fuzzy date with everything a renderer needs: its text, days, shape and ends."""
    if fd is None:
        return None
    drawing = drawing_of(fd)
    return {
        "edtf": fd.edtf,
        "kind": fd.kind.value,
        "display": fd.display,
        "earliest": _iso(fd.earliest),
        "latest": _iso(fd.latest),
        "precision": fd.precision.value,
        "uncertain": fd.uncertain,
        "approximate": fd.approximate,
        "shape": drawing.shape,
        "start": {"day": _iso(drawing.start), "state": drawing.start_state},
        "end": {"day": _iso(drawing.end), "state": drawing.end_state},
        "description": drawing.description,
    }


def axis_item(event: Event) -> dict[str, Any]:
    """One event as the page's time axis draws it (static/core/timeline.js reads these keys)."""
    drawing = event_drawing(event)
    return {
        "id": event.slug,
        "title": event.title,
        "kind": event.kind,
        "kindLabel": event.get_kind_display(),
        "status": event.status,
        "shape": drawing.shape,
        "start": _iso(drawing.start),
        "end": _iso(drawing.end),
        "startState": drawing.start_state,
        "endState": drawing.end_state,
        "display": drawing.display,
        "description": drawing.description,
    }


def event_json(event: Event, *, url: str) -> dict[str, Any]:
    """An event with its date semantics, places, participants and citations."""
    return {
        "slug": event.slug,
        "url": url,
        "title": event.title,
        "kind": event.kind,
        "status": event.status,
        "summary": event.summary,
        "note": event.note,
        "date": date_json(FuzzyDate.of(event, "date")),
        "countries": [c.code for c in event.countries.all()],
        "regions": [{"slug": r.slug, "name": r.name, "isoCode": r.iso_code} for r in event.regions.all()],
        "participants": [
            {
                "role": p.role,
                "person": p.person.slug if p.person else None,
                "country": p.country.code if p.country else None,
                "note": p.note,
            }
            for p in event.participants.all()
        ],
        "citations": [
            {
                "source": c.source.title,
                "sourceSlug": c.source.slug,
                "url": c.source.url or None,
                "quote": c.quote,
            }
            for c in event.citations.all()
        ],
    }


def _timelinejs_date(day: date, unit: Unit) -> dict[str, int]:
    """A TimelineJS date object carrying only what is known: a year, a month, or a day."""
    value = {"year": day.year}
    if unit != "year":
        value["month"] = day.month
        if unit == "day":
            value["day"] = day.day
    return value


def _credit_html(credits: Iterable[Credit]) -> str:
    """Credits as TimelineJS shows them: escaped text, each licence a link."""
    parts = []
    for credit in credits:
        who = escape(credit.attribution or credit.title)
        if credit.licence_url:
            licence = f' <a href="{escape(credit.licence_url)}" rel="license">{escape(credit.licence)}</a>'
        else:
            licence = f" {escape(credit.licence)}" if credit.licence else ""
        parts.append(f"{who}{licence}")
    return "; ".join(parts)


def timelinejs_event(event: Event, *, url: str, today: date | None = None) -> dict[str, Any] | None:
    """An event in TimelineJS3's format, placed by core.fuzzydates.placement; None when it has no day.

    TimelineJS draws no uncertainty (its issue #499): a single day not known exactly is a
    point on the first day it may be, an open end a span from the known one, and
    ``display_date`` (shown instead of TimelineJS's own label) says what is known.
    """
    fd = FuzzyDate.of(event, "date")
    assert fd is not None
    where = placement(fd, today=today or date.today())
    if where is None:
        return None
    credits = event_credits(event)
    # TimelineJS renders both headline and text as HTML (its slides set innerHTML):
    # every user string is escaped, so a title like ``<img onerror=…>`` is shown, not run.
    text = (f"<p>{escape(event.summary)}</p>" if event.summary else "") + (
        f'<p><a href="{escape(url)}">Sources and more</a></p>'
    )
    if credits:
        text += f'<p class="credit"><small>Source: {_credit_html(credits)}</small></p>'
    item: dict[str, Any] = {
        "unique_id": event.slug,
        "start_date": _timelinejs_date(where.start, where.start_unit),
        "display_date": where.text,
        "text": {"headline": escape(event.title), "text": text},
        "group": escape(event.get_kind_display()),
    }
    if where.end is not None:
        item["end_date"] = _timelinejs_date(where.end, where.end_unit)
    return item


def timelinejs(events: list[Event], *, title: str, url_of: Any, citation: str = "") -> dict[str, Any]:
    """A TimelineJS3 data file: a title slide with how to cite it and crediting every licensed source,
    then one slide an event."""
    today = date.today()
    slides = [timelinejs_event(e, url=url_of(e), today=today) for e in events]
    # One line per distinct credit: a dataset with a Source row per country is credited once.
    licensed = {(c.attribution, c.licence, c.licence_url): c for c in credits_for(events) if c.licensed}
    credit = f"<p><small>Data: {_credit_html(licensed.values())}</small></p>" if licensed else ""
    cite = f'<p class="cite"><small>Cite as: {escape(citation)}</small></p>' if citation else ""
    return {
        "title": {
            "text": {
                "headline": escape(title),
                "text": f"<p>Exported from Chancery: curated, sourced events.</p>{cite}{credit}",
            }
        },
        "events": [slide for slide in slides if slide is not None],
    }


CSV_COLUMNS = (
    "slug",
    "title",
    "kind",
    "status",
    "date_edtf",
    "date_display",
    "date_shape",
    "date_earliest",
    "date_latest",
    "start_state",
    "end_state",
    "precision",
    "uncertain",
    "approximate",
    "countries",
    "regions",
    "participants",
    "url",
    "sources",
)


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
# OWASP's advice: prefix such a cell with a single quote, which the spreadsheet shows
# as text and does not evaluate. https://owasp.org/www-community/attacks/CSV_Injection
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert_cell(value: object) -> str:
    """Return ``value`` as CSV cell text no spreadsheet evaluates as a formula."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


CREDITS_INTRO = "# Credits and licences of the sources these events cite (one a line; the header follows):"
CITE_PREFIX = "# Cite as: "


def csv_lines(events: list[Event], *, url_of: Any, citation: str = "") -> Iterator[str]:
    """CSV text: how to cite it and credit lines starting ``#``, a header, then one line per event
    (streamed).

    Each credit line is a single cell (quoted when it holds a comma), so a spreadsheet shows
    it in the first column and a reader skips it as a comment; the ``sources`` column names
    each event's sources by slug.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    if citation:
        writer.writerow([inert_cell(f"{CITE_PREFIX}{citation}")])
    writer.writerow([CREDITS_INTRO])
    for text in distinct_credits(credits_for(events)):
        writer.writerow([inert_cell(f"# {text}")])
    writer.writerow(CSV_COLUMNS)
    yield flush()
    for event in events:
        fd = FuzzyDate.of(event, "date")
        assert fd is not None
        drawing = drawing_of(fd)
        # Every cell, not only the free-text ones: a negative EDTF year would otherwise
        # be read as a number too (``-0044`` as -44).
        cells = [
            event.slug,
            event.title,
            event.kind,
            event.status,
            fd.edtf,
            fd.display,
            drawing.shape,
            _iso(fd.earliest) or "",
            _iso(fd.latest) or "",
            drawing.start_state,
            drawing.end_state,
            fd.precision.value,
            fd.uncertain,
            fd.approximate,
            " ".join(c.code for c in event.countries.all()),
            "; ".join(r.name for r in event.regions.all()),
            "; ".join(
                f"{p.get_role_display()}: {p.person or (p.country.name if p.country else '')}"
                for p in event.participants.all()
            ),
            url_of(event),
            " ".join(c.slug for c in event_credits(event)),
        ]
        writer.writerow([inert_cell(cell) for cell in cells])
        yield flush()


def dated(events: list[Event]) -> list[Event]:
    """Give each event ``when``, its :class:`Drawing`, for templates to say its date in words."""
    for event in events:
        event.when = event_drawing(event)  # type: ignore[attr-defined]
    return events

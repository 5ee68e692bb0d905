"""What a public page offers for citing it: the as-of moment a reader asked for, a permalink
fixed at a moment, a suggested citation text and the credits of the sources the page draws on.

A page answers ``?as_of=`` from history (core.asof); the permalink always carries a moment (the
one asked for, else now), so the link shows the same record whenever it is followed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from core import dataversion
from core.asof import aware
from core.errors import InvalidFilter

SITE = "Chancery"


def as_of_parameter(request: HttpRequest) -> datetime | None:
    """The ``?as_of=`` moment (ISO 8601 date or date-time, UTC when no offset), or None when absent."""
    raw = request.GET.get("as_of")
    if raw is None or raw == "":
        return None
    try:
        moment = parse_datetime(raw)
        day = None if moment else parse_date(raw)
    except ValueError:
        moment = day = None
    if moment is None and day is None:
        raise InvalidFilter(
            f"as_of {raw[:40]!r} is not a date or date-time: use ISO 8601, e.g. 2026-01-31 or "
            "2026-01-31T12:00:00Z."
        )
    if moment is None:
        assert day is not None
        # A day means the record at the end of that day.
        moment = datetime(day.year, day.month, day.day, 23, 59, 59, 999999)
    return aware(moment)


def cite(
    request: HttpRequest, *, title: str, as_of: datetime | None, sources: Iterable[Any] = ()
) -> dict[str, Any]:
    """Template context for the cite block (core/public/_cite.html)."""
    moment = as_of or timezone.now()
    stamp = moment.astimezone(UTC)
    permalink = request.build_absolute_uri(f"{request.path}?{urlencode({'as_of': stamp.isoformat()})}")
    version = dataversion.current()
    accessed = timezone.now().date().isoformat()
    text = (
        f"“{title}”. {SITE}. {permalink}. As it stood on {stamp:%Y-%m-%d %H:%M} UTC"
        f" (accessed {accessed}{f'; data version {version}' if version is not None else ''})."
    )
    unique = {source.pk: source for source in sources}
    return {"permalink": permalink, "text": text, "sources": list(unique.values()), "as_of": as_of}

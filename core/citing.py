"""What a public page offers for citing it: the as-of moment a reader asked for, a permalink
fixed at a moment, a suggested citation text and the credits of the sources the page draws on.

A page answers ``?as_of=`` from history (core.asof); the permalink always carries a moment (the
one asked for, else now), so the link shows the same record whenever it is followed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from core import dataversion
from core.asof import first_recorded, passed, record_as_of
from core.errors import InvalidFilter

SITE = "Chancery"

M = TypeVar("M", bound=models.Model)


class NothingYet(Exception):
    """A record page's record was not recorded yet at the moment asked for: ``response`` says so.

    Raised by the record lookups below and answered by ``reads_as_of``, so a view gets its
    record, typed, or does not run on.
    """

    def __init__(self, response: HttpResponse) -> None:
        super().__init__("nothing recorded yet at the moment asked for")
        self.response = response


def parse_as_of(raw: str | None) -> datetime | None:
    """An ``as_of`` value (ISO 8601 date or date-time, UTC when no offset) as a moment; None when empty.

    A day alone means the end of that day (UTC): the record as it stood when the day was over.
    A moment still to come is refused as the API's ``asOf`` is (core.asof.passed): the answer
    would change as edits arrive, and its permalink would not show the same page.
    """
    if raw is None or raw.strip() == "":
        return None
    raw = raw.strip()
    try:
        # The day first: parse_datetime reads a bare day as its midnight.
        day = parse_date(raw)
        moment = None if day else parse_datetime(raw)
    except ValueError:
        moment = day = None
    if moment is None and day is None:
        raise InvalidFilter(
            f"as_of {raw[:40]!r} is not a date or date-time: use ISO 8601, e.g. 2026-01-31 or "
            "2026-01-31T12:00:00Z."
        )
    if moment is None:
        assert day is not None
        moment = datetime(day.year, day.month, day.day, 23, 59, 59, 999999)
    return passed(moment, name="as_of")


def reads_as_of(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A record page's view, given the request's ``?as_of=`` moment as ``as_of`` (parse_as_of: None
    when absent); one that is not a moment, or is still to come, gets the 400 page (refuse_as_of)
    and the view is not run; a record not recorded yet then gets the "nothing yet" page (NothingYet)."""

    @functools.wraps(view)
    def with_as_of(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            as_of = parse_as_of(request.GET.get("as_of"))
        except InvalidFilter as error:
            return refuse_as_of(request, error)
        try:
            return view(request, *args, as_of=as_of, **kwargs)
        except NothingYet as nothing:
            return nothing.response

    return with_as_of


def record_now_or_then(
    request: HttpRequest,
    model: type[M],
    as_of: datetime | None,
    *,
    live: models.QuerySet[M],
    what: str,
    **key: Any,
) -> M:
    """A record page's record: now, the first of ``live`` (a 404 when there is none), or as it
    stood at ``as_of`` (record_or_nothing_yet: from history; NothingYet when it was not yet)."""
    if as_of is not None:
        return record_or_nothing_yet(request, model, as_of, what=what, **key)
    record = live.first()
    if record is None:
        raise Http404(f"No {model._meta.verbose_name} {next(iter(key.values()))!r}.")
    return record


def record_or_nothing_yet(
    request: HttpRequest, model: type[M], as_of: datetime, *, what: str, **key: Any
) -> M:
    """The record ``key`` names as it stood at ``as_of``, or NothingYet with the page saying so.

    A record never known under ``key`` is a plain 404; one recorded only later (or one deleted
    by then) gets the "nothing yet" page, with when it was first recorded (answered by
    ``reads_as_of``).
    """
    try:
        record = record_as_of(model, as_of, **key)
    except InvalidFilter:  # before anything of the kind was recorded
        record = None
    if record is not None:
        return record
    first = first_recorded(model, **key)
    if first is None:
        raise Http404(f"No {model._meta.verbose_name} {next(iter(key.values()))!r}.")
    raise NothingYet(nothing_yet(request, what=what, as_of=as_of, first=first))


@dataclass(frozen=True)
class Cite:
    """How to cite a page or an export: what the cite block shows and exports carry."""

    title: str
    permalink: str  # the same address with the as-of moment: it shows the same record whenever followed
    current_url: str  # the same address without a moment: the record as it is now
    text: str  # the suggested citation
    as_of: datetime | None  # the moment asked for, or None for the record as it is now
    moment: datetime  # the moment the permalink fixes (as_of, else now)
    accessed: str
    data_version: int | None
    sources: list[Any] = field(default_factory=list)  # the Source rows drawn on, once each
    credits: list[str] = field(default_factory=list)  # their licences' credit lines (events.credits)

    @property
    def as_of_query(self) -> str:
        """``as_of=…`` for links from a page as it stood to records as they stood then ('' when live)."""
        return as_of_pair(self.moment) if self.as_of else ""

    def as_json(self) -> dict[str, Any]:
        """The citation as an export's metadata carries it."""
        return {
            "text": self.text,
            "title": self.title,
            "permalink": self.permalink,
            "asOf": self.as_of.isoformat() if self.as_of else None,
            "permalinkAsOf": self.moment.isoformat(),
            "accessed": self.accessed,
            "dataVersion": self.data_version,
            "credits": self.credits,
        }


def stamp(moment: datetime) -> str:
    """A moment as a permalink writes it: UTC, ``Z``, e.g. 2026-12-07T00:38:56.203560Z."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def as_of_pair(moment: datetime) -> str:
    """``as_of=<stamp>``, its colons left readable (a query string may hold them, RFC 3986 §3.4)."""
    return urlencode({"as_of": stamp(moment)}, safe=":")


def _without_as_of(request: HttpRequest) -> list[tuple[str, str]]:
    """The page's own query (filters, page cursor), every pair but the moment."""
    return [(k, v) for k, values in request.GET.lists() if k != "as_of" for v in values]


def _url(request: HttpRequest, pairs: list[tuple[str, str]]) -> str:
    return request.build_absolute_uri(
        f"{request.path}?{urlencode(pairs, safe=':')}" if pairs else request.path
    )


def cite(
    request: HttpRequest,
    *,
    title: str,
    as_of: datetime | None,
    sources: Iterable[Any] = (),
    credits: Iterable[str] = (),
) -> Cite:
    """The citation of the page ``request`` asked for: its filters kept, ``as_of`` fixed in the permalink."""
    moment = (as_of or timezone.now()).astimezone(UTC)
    # The page's own query stays in both links; only the moment changes.
    kept = _without_as_of(request)
    permalink = _url(request, [*kept, ("as_of", stamp(moment))])
    version = dataversion.current()
    accessed = timezone.now().date().isoformat()
    text = (
        f"“{title}”. {SITE}. {permalink}. As it stood on {moment:%Y-%m-%d %H:%M} UTC"
        f" (accessed {accessed}{f'; data version {version}' if version is not None else ''})."
    )
    unique = {source.pk: source for source in sources}
    return Cite(
        title=title,
        permalink=permalink,
        current_url=_url(request, kept),
        text=text,
        as_of=as_of,
        moment=moment,
        accessed=accessed,
        data_version=version,
        sources=list(unique.values()),
        credits=list(credits),
    )


def refuse_as_of(request: HttpRequest, error: InvalidFilter) -> HttpResponse:
    """A 400 page for an ``?as_of=`` that is not a moment: the message, and the page as it is now."""
    context = {"message": str(error), "current_url": _url(request, _without_as_of(request))}
    return render(request, "core/public/as_of_refused.html", context, status=400)


def nothing_yet(request: HttpRequest, *, what: str, as_of: datetime, first: datetime | None) -> HttpResponse:
    """A 404 page saying the record did not exist yet at ``as_of``, and since when it does."""
    current_url = _url(request, _without_as_of(request))
    context = {"what": what, "as_of": as_of, "first": first, "current_url": current_url}
    return render(request, "core/public/nothing_yet.html", context, status=404)

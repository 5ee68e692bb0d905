"""Output types every app's GraphQL types use: fuzzy dates, revisions, deletions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import dateutil.parser
import strawberry
import strawberry_django
from django.conf import settings
from django.contrib.auth import get_user_model
from graphql import GraphQLError
from strawberry.schema.types.base_scalars import wrap_parser
from strawberry.types import Info
from strawberry.types.scalar import ScalarDefinition

from core.fuzzydates import DateKind, EndState, FuzzyDate, Precision, parse_day
from core.revisions import revisions_for

# The contract's Date scalar, read more kindly: a filter bound may be a month or a year
# ("from: 2025-05" is 1 May, "to: 2025-05" is 31 May; see core.fuzzydates.parse_day).
# Output is unchanged (YYYY-MM-DD). config.schema installs it with scalar_overrides.
DateScalar = ScalarDefinition(
    name="Date",
    description=(
        "A day, YYYY-MM-DD. Where a filter takes a date, a month (YYYY-MM) or a year (YYYY) "
        "is accepted too: as a window's start it means its first day, as its end its last."
    ),
    specified_by_url=None,
    serialize=date.isoformat,
    parse_value=wrap_parser(parse_day, "Date"),
    parse_literal=None,
    origin=date,
)


def parse_moment(value: object) -> datetime:
    """An ISO 8601 moment from a client, or a GraphQLError coded INVALID_FILTER saying what to send.

    The library's DateTime parser fails with a bare coercion error and no code (issue 24, item 5);
    every DateTime the API takes is a filter (``asOf``, ``since``), so a malformed one is refused
    as a filter. The wrapping variable error keeps this code (graphql-core copies it).
    """
    shown = repr(value)[:60]
    if isinstance(value, str) and len(value) <= 64:
        try:
            return dateutil.parser.isoparse(value)
        except (ValueError, OverflowError):
            pass
    raise GraphQLError(
        f"{shown} is not a moment: send an ISO 8601 date-time such as 2026-01-31T12:00:00Z, or a "
        "date such as 2026-01-31 (UTC when no offset is given).",
        extensions={"code": "INVALID_FILTER"},
    )


# The DateTime scalar, its input refused with a typed code. config.schema installs it.
DateTimeScalar = ScalarDefinition(
    name="DateTime",
    description="Date with time (isoformat)",
    specified_by_url=None,
    serialize=datetime.isoformat,
    parse_value=parse_moment,
    parse_literal=None,
    origin=datetime,
)

DatePrecision = strawberry.enum(
    Precision, name="DatePrecision", description="How finely a date is known; a span takes its coarser end's."
)
DateKindEnum = strawberry.enum(
    DateKind,
    name="DateKind",
    description=(
        "What a FuzzyDate's interval [earliest, latest] means, i.e. how to draw it. "
        "POINT: one day, known to the day (earliest = latest). "
        "WITHIN: one day, somewhere within [earliest, latest] (month, season or year precision, "
        "one-of sets like [2022-02-24..2025-08-06]): a band, not a bar. "
        "SPAN: lasting from start to end (an EDTF interval): a bar; see start/end and their states. "
        "MULTIPLE: every one of several dates ({2022,2023}), all within [earliest, latest]."
    ),
)
DateEndStateEnum = strawberry.enum(
    EndState,
    name="DateEndState",
    description=(
        "One end of a span. KNOWN: a date (see start/end). OPEN: EDTF '..', no end, e.g. still "
        "going (2022-02-24/..). UNKNOWN: EDTF empty end, there is one but the source does not "
        "say when (2022-02-24/)."
    ),
)


@strawberry.type(
    name="FuzzyDate",
    description="An EDTF value plus the interval of days it may denote and what that interval means.",
)
class FuzzyDateType:
    edtf: str = strawberry.field(
        description="The EDTF value, e.g. 2024-05, 2022-04-13, 2022~, 2024-05?, 2022-02-24/.."
    )
    earliest: date | None = strawberry.field(
        description=(
            "First day the value may denote; null only when it has no first day "
            "(a span whose start is open or unknown, a set like [..2025-08-06])."
        )
    )
    latest: date | None = strawberry.field(
        description=(
            "Last day the value may denote; null only when it has no last day "
            "(a span whose end is open or unknown, a set like [2022..])."
        )
    )
    precision: DatePrecision  # type: ignore[valid-type]
    uncertain: bool = strawberry.field(
        description="EDTF '?' or '%' anywhere in the value: the source is unsure of (part of) it."
    )
    approximate: bool = strawberry.field(
        description="EDTF '~' or '%' anywhere in the value: (part of) it is approximate (circa)."
    )
    display: str = strawberry.field(
        description=(
            "Human form for display, e.g. 'May 2024', 'c. 2022', 'from 24 February 2022', "
            "'11 June 2004 (day approximate)'."
        )
    )
    kind: DateKindEnum = strawberry.field(  # type: ignore[valid-type]
        description="What [earliest, latest] means: one known day, one day within it, a span, several dates."
    )
    start: FuzzyDateType | None = strawberry.field(
        description="A span's start as a date of its own (its own precision and qualifiers); null otherwise."
    )
    end: FuzzyDateType | None = strawberry.field(
        description="A span's end as a date of its own; null unless the span's endState is KNOWN."
    )
    start_state: DateEndStateEnum | None = strawberry.field(  # type: ignore[valid-type]
        description="A span's start: KNOWN, OPEN ('..') or UNKNOWN (empty); null for a non-span."
    )
    end_state: DateEndStateEnum | None = strawberry.field(  # type: ignore[valid-type]
        description="A span's end: KNOWN, OPEN ('..', still going) or UNKNOWN (empty); null for a non-span."
    )


def fuzzy_date_only(name: str) -> list[str]:
    """Return the optimizer ``only`` hint for the fuzzy date ``name``."""
    return [name, f"{name}_earliest", f"{name}_latest"]


EDITORS_NOTE = "The editors' note: what was inferred (a date, a role) and from what; null when none."

# A record's fields read from its own columns alone, declared in one line each. Each states
# the columns it reads (``only``): the optimizer loads them, and the compiled read path runs
# the resolver on the row (core.graphql.compiled.types.row_resolver).


def fuzzy_date_field(name: str, *, description: str | None = None) -> Any:
    """The record's fuzzy date ``name`` (core.fuzzydates.FuzzyDate.of), null when it has none."""

    def resolve(root: Any) -> FuzzyDateType | None:
        return FuzzyDate.of(root, name)  # type: ignore[return-value]

    return strawberry_django.field(resolver=resolve, description=description, only=fuzzy_date_only(name))


def history_field(description: str) -> Any:
    """Every edit of the record and its lists, oldest first (core.revisions)."""

    def resolve(root: Any) -> list[RevisionType]:
        return revisions_for(root)  # type: ignore[return-value]

    return strawberry_django.field(resolver=resolve, description=description)


def text_or_null(name: str, *, description: str | None = None) -> Any:
    """The record's text column ``name``, null where it is empty (the column stores '' for none)."""

    def resolve(root: Any) -> str | None:
        return getattr(root, name) or None

    return strawberry_django.field(resolver=resolve, description=description, only=[name])


@strawberry.type(name="FieldChange", description="One field's value before and after a revision.")
class FieldChangeType:
    field: str
    old: str | None
    new: str | None


@strawberry.type(name="Revision", description="One edit of a record, its relations included.")
class RevisionType:
    date: datetime

    @strawberry.field(
        description=(
            "Username of the editor, or the import that made the change. Signed-in staff see "
            "usernames; other clients see what the server is configured to show (by default the "
            "editor's full name, or 'editor'); imports are always named."
        )
    )
    def user(self, info: Info) -> str | None:
        return public_editor_name(getattr(self, "user", None), info)

    kind: str = strawberry.field(description="CREATED, CHANGED or DELETED.")
    reason: str | None
    changes: list[FieldChangeType]


def public_editor_name(username: str | None, info: Info) -> str | None:
    """How a revision's author is named to this client (settings.HISTORY_PUBLIC_NAMES).

    Editors are people: anonymous readers get a display name, not the login name an attacker
    would need. Accounts that cannot log in (imports) are named as they are. One query per
    distinct author per request, cached on the request.
    """
    if username is None:
        return None
    request = info.context.request
    if getattr(request.user, "is_staff", False) or settings.HISTORY_PUBLIC_NAMES == "username":
        return username
    cache: dict[str, str] = request.__dict__.setdefault("_public_editor_names", {})
    if username not in cache:
        account = get_user_model().objects.filter(username=username).first()
        if account is None:
            cache[username] = "editor"
        elif not account.is_active and not account.has_usable_password():
            cache[username] = username
        elif settings.HISTORY_PUBLIC_NAMES == "name":
            cache[username] = account.get_full_name() or "editor"
        else:
            cache[username] = "editor"
    return cache[username]


@strawberry.type(name="Deletion", description="What a delete mutation removed.")
class DeletionType:
    id: strawberry.relay.GlobalID
    slug: str

"""GraphQL pieces every app shares: fuzzy dates, revisions, deletions, references, permissions."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

import strawberry
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from strawberry import relay
from strawberry.relay import from_base64
from strawberry.schema.types.base_scalars import wrap_parser
from strawberry.types import Info
from strawberry.types.scalar import ScalarDefinition
from strawberry_django.optimizer import is_optimized_by_prefetching
from strawberry_django.relay import DjangoCursorConnection, DjangoCursorEdge
from strawberry_django.relay.cursor_connection import OrderedCollectionCursor, annotate_ordering_fields

from core import limits
from core.errors import ChanceryError
from core.fuzzydates import DateKind, EndState, Precision, parse_day
from core.permissions import Denied

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


M = TypeVar("M", bound=models.Model)

# The optional argument of every update and delete mutation (issue 8: no lost updates).
ExpectedVersion = Annotated[
    int | None,
    strawberry.argument(
        description=(
            "The record's `version` as you read it: if it has changed since, nothing is written "
            "and the answer is an OperationInfo message with code CONFLICT."
        )
    ),
]


class MutationDenied(Denied):
    """The caller may not make this change; the mutation wrote nothing."""


def require_permission(info: Info, permission: str) -> Any:
    """Return the signed-in user holding ``permission``, or raise MutationDenied saying what is missing."""
    user = info.context.request.user
    if not user.is_authenticated:
        raise MutationDenied(
            "Sign in first: changes need an editor account (a session cookie and its CSRF token)."
        )
    if not user.has_perm(permission):
        raise MutationDenied(f"Your account lacks the permission {permission!r} this change needs.")
    return user


def record_to_change(model: type[M], slug: str) -> M:
    """Return the record a mutation names by slug, or raise a ValidationError on ``slug``."""
    if (found := model._default_manager.filter(slug=slug).first()) is None:
        raise ValidationError(
            {
                "slug": ValidationError(
                    f"No {model._meta.verbose_name} has the slug {slug!r}.", code="not_found"
                )
            }
        )
    return found


def deletion(instance: Any) -> DeletionType:
    """Describe a record about to be deleted (taken before its id is gone)."""
    return DeletionType(id=relay.GlobalID(type(instance).__name__, str(instance.pk)), slug=instance.slug)


class References:
    """Resolve the slugs and codes a mutation input names, collecting every unknown one.

    ``check()`` then raises one ValidationError naming each field and value, so an
    editor sees all problems of a submission at once.
    """

    def __init__(self) -> None:
        self.errors: dict[str, list[ValidationError]] = {}

    def get(self, model: type[M], field: str, value: str | None, *, key: str = "slug") -> M | None:
        """Return the ``model`` record whose ``key`` is ``value`` (None stays None)."""
        if value is None:
            return None
        lookup = value.strip().upper() if key == "code" else value
        found = model._default_manager.filter(**{key: lookup}).first()
        if found is None:
            label = model._meta.verbose_name
            self.errors.setdefault(field, []).append(
                ValidationError(f"Unknown {label} {key} {value!r}.", code="not_found")
            )
        return found

    def check(self) -> None:
        """Raise the collected problems, if any."""
        if self.errors:
            raise ValidationError(self.errors)


def given(data: object, *, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Return an input's fields the caller set (UNSET ones left out), by Python name."""
    return {
        f.name: value
        for f in dataclasses.fields(data)  # type: ignore[arg-type]
        if f.name not in skip and (value := getattr(data, f.name)) is not strawberry.UNSET
    }


class InvalidCursor(ChanceryError):
    """A paging cursor this API did not hand out."""

    code = "INVALID_CURSOR"


class InvalidPageSize(ChanceryError):
    """A ``first`` or ``last`` below zero or above the page cap."""

    code = "INVALID_PAGE_SIZE"


def check_page_size(*, first: int | None, last: int | None, cap: int) -> None:
    """Refuse a page size outside 0..cap, naming the argument and the bound.

    Checked here, at the API's edge, for every connection: the paging library checks each
    argument alone but not ``last`` when ``first`` comes with it, and a negative one then
    reached a queryset slice as a negative index (a 500 the fuzz test found).
    """
    for name, size in (("first", first), ("last", last)):
        if size is None:
            continue
        if size < 0:
            raise InvalidPageSize(f"Argument '{name}' must be a non-negative integer.")
        if size > cap:
            raise InvalidPageSize(f"Argument '{name}' cannot be higher than {cap}.")


@strawberry.type(name="KeysetConnection", description="A page of records; cursors hold the ordering values.")
class KeysetConnection(DjangoCursorConnection[relay.NodeType]):
    """Keyset-paged connection that stays fast at depth.

    On top of strawberry-django's cursor connection: a bad cursor gets a message saying
    what to pass, no page size means one full page, and a cursor adds a plain range bound
    on the leading ordering column, so PostgreSQL starts its index walk at the cursor.
    The library's cursor filter alone is an OR chain it applies while walking the index
    from the start: as slow as OFFSET deep in a timeline (bench/report.md).
    """

    @classmethod
    def resolve_connection(cls, nodes: Any, *, info: Info, **kwargs: Any) -> Any:
        check_page_size(
            first=kwargs.get("first"),
            last=kwargs.get("last"),
            cap=kwargs.get("max_results") or info.schema.config.relay_max_results,
        )
        for name in ("after", "before"):
            if (cursor := kwargs.get(name)) is not None:
                if len(cursor) > limits.CURSOR_CHARACTERS:
                    # Checked before decoding: a cursor the API hands out is far shorter.
                    raise InvalidCursor(
                        f"Invalid cursor for '{name}': it is {len(cursor):,} characters long, and "
                        f"cursors this API returns are at most {limits.CURSOR_CHARACTERS}."
                    )
                try:
                    kind, _ = from_base64(cursor)
                except ValueError:
                    kind = None
                if kind != DjangoCursorEdge.CURSOR_PREFIX:
                    raise InvalidCursor(
                        f"Invalid cursor for '{name}': pass a startCursor, endCursor or edge cursor "
                        "this connection returned."
                    )
        if kwargs.get("first") is None and kwargs.get("last") is None:
            # No size asked for: one full page, never the whole table.
            kwargs["first"] = kwargs.get("max_results") or info.schema.config.relay_max_results
        bounded = nodes
        if isinstance(nodes, QuerySet) and not is_optimized_by_prefetching(nodes):
            bounded = _leading_bound(nodes, after=kwargs.get("after"), before=kwargs.get("before"))
        connection = super().resolve_connection(bounded, info=info, **kwargs)
        if bounded is not nodes and isinstance(connection, KeysetConnection):
            connection.total_count_qs = nodes  # the count is of the whole list, not what follows the cursor
        return connection


def _leading_bound(records: QuerySet, *, after: str | None, before: str | None) -> QuerySet:
    """Add the range on the first ordering column that ``after``/``before`` imply, where one exists.

    After a cursor whose leading value is v, an ascending column holds values >= v, plus
    NULLs when they sort last; so the bound is added only where NULLs cannot follow
    (and mirrored for ``before`` and descending columns).
    """
    if not (after or before):
        return records
    _, descriptors, _ = annotate_ordering_fields(records)
    lead = descriptors[0]
    if lead.attname not in {f.attname for f in records.model._meta.concrete_fields}:
        return records  # an annotation or a related column: no index to start from
    for cursor, forward in ((after, True), (before, False)):
        if cursor is None:
            continue
        value = OrderedCollectionCursor.from_cursor(cursor, descriptors).field_values[0]
        nulls_at_start = bool(lead.order_by.nulls_first)
        if value is None or (lead.maybe_null and nulls_at_start != forward):
            continue
        upward = forward != lead.order_by.descending
        records = records.filter(**{f"{lead.attname}__{'gte' if upward else 'lte'}": value})
    return records

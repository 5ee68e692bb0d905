"""Writes of people and their roles (and the roles' citations): typed, keyword-only, one edit each.

``people_write(actor=…, reason=…, records=[Record(slug, fields, {"roles": [...]})])``
is the batch form importers use; each role row may carry its own
``"citations"`` list, which replaces that role's citations. ``person_create`` /
``person_update`` / ``person_delete`` and ``role_*`` are batches of one for the
admin and the API.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from core.edits import edit
from core.services import (
    ListEdit,
    Outcome,
    Record,
    Row,
    Rows,
    Tally,
    Written,
    check_fields,
    sync_children,
    write_rows,
)
from core.services.children import lists_given
from core.services.record_services import RecordServices
from core.services.record_writes import DeclaredWrite, create_one, delete_one, update_one, write_declared
from core.services.records import tally_rows
from events.services.citations import with_sources
from people.declarations import ORGANIZATION, PERSON, ROLE
from people.models import Organization, Person, Role
from people.relations import ROLE_CITATIONS

# What an editor may write, from the declarations (people.declarations).
PERSON_FIELDS = PERSON.allowed
ROLE_FIELDS = ROLE.allowed
ORGANIZATION_FIELDS = ORGANIZATION.allowed


class _PeopleWrite(DeclaredWrite[Person]):
    """Write people by slug with their roles (and each role's citations) where given."""

    def write(
        self, records: Sequence[Record[Person]], *, actor: Any, reason: str | None, full: bool, tally: Tally
    ) -> list[Written[Person]]:
        citations: list[Rows | None] = []
        stripped = []
        for record in records:
            roles = record.children.get("roles")
            if roles is not None:
                citations.extend(row.get("citations") for row in roles)
                roles = [{k: v for k, v in row.items() if k != "citations"} for row in roles]
                record = Record(
                    record.key,
                    record.fields,
                    {**record.children, "roles": roles},
                    record.reason,
                    record.instance,
                    record.create_only,
                )
            stripped.append(record)

        def role_citations(written: list[Written[Person]], diffs: dict[str, Any]) -> None:
            kept = [
                role
                for record, result in zip(stripped, written, strict=True)
                if "roles" in record.children
                for role in diffs["roles"][result.instance.pk].kept
            ]
            given = [(role, rows) for role, rows in zip(kept, citations, strict=True) if rows is not None]
            if not given:
                return
            resolved = with_sources([rows for _, rows in given])
            wanted = {role.pk: rows for (role, _), rows in zip(given, resolved, strict=True)}
            by_person = {w.instance.pk: r.reason for r, w in zip(stripped, written, strict=True) if r.reason}
            reasons = {role.pk: by_person[role.person_id] for role, _ in given if role.person_id in by_person}
            results = {w.instance.pk: w for w in written}
            diffs = sync_children(ROLE_CITATIONS, wanted, full=full, reasons=reasons)
            tally_rows(tally, ROLE_CITATIONS, [(f"role {role_pk}", diff) for role_pk, diff in diffs.items()])
            for role_pk, diff in diffs.items():
                if diff.changed:
                    result = results[_person_of(kept, role_pk)]
                    if "roles" not in result.changed:
                        result.changed.append("roles")
                    if result.outcome is Outcome.UNCHANGED:
                        result.outcome = Outcome.UPDATED

        return write_declared(
            PERSON,
            actor=actor,
            reason=reason,
            records=stripped,
            full=full,
            tally=tally,
            after_children=role_citations,
        )


people_write = _PeopleWrite(PERSON)


def _person_of(roles: list[Any], role_pk: Any) -> Any:
    return next(role.person_id for role in roles if role.pk == role_pk)


def person_create(
    *,
    actor: Any,
    reason: str | None = None,
    fields: dict[str, Any],
    roles: Rows = (),
    identifiers: Rows = (),
) -> Person:
    """Create a person with their roles and identifiers."""
    children = {"roles": roles, "identifiers": identifiers}
    return create_one(people_write, Person, actor=actor, reason=reason, fields=fields, children=children)


def person_update(
    *,
    actor: Any,
    reason: str | None = None,
    person: Person,
    fields: dict[str, Any],
    roles: Rows | None = None,
    identifiers: Rows | None = None,
    list_edits: Mapping[str, ListEdit] | None = None,
    expected_version: int | None = None,
) -> tuple[Person, bool]:
    """Change a person's fields and, when given, their roles and identifiers; return them and whether
    anything changed.

    ``list_edits`` names rows to add to or remove from a list (``{"roles": ListEdit(add=[…])}``),
    applied to the rows stored when the write holds the lock. A stale ``expected_version``
    raises ``StaleVersion`` and writes nothing.
    """
    return update_one(
        people_write,
        person,
        actor=actor,
        reason=reason,
        fields=fields,
        children=lists_given(roles=roles, identifiers=identifiers),
        list_edits=list_edits,
        expected_version=expected_version,
    )


def person_delete(
    *, actor: Any, reason: str | None = None, person: Person, expected_version: int | None = None
) -> None:
    """Delete a person who takes part in nothing; otherwise explain what still refers to them."""
    delete_one(actor=actor, reason=reason, instance=person, expected_version=expected_version)


def role_write(
    *,
    actor: Any,
    reason: str | None = None,
    role: Role | None,
    fields: dict[str, Any],
    citations: Rows | None = None,
) -> tuple[Role, bool]:
    """Create (``role=None``) or change a role and, when given, its citations."""
    check_fields(fields, ROLE_FIELDS)
    with edit(actor=actor, reason=reason):
        (written,) = write_rows(Role, [Row(fields, role)], full=True)
        changed = written.outcome is not Outcome.UNCHANGED
        if citations is not None:
            (rows,) = with_sources([citations])
            diff = sync_children(ROLE_CITATIONS, {written.instance.pk: rows}, full=True)[written.instance.pk]
            changed |= diff.changed
    return written.instance, changed


def role_delete(*, actor: Any, reason: str | None = None, role: Role) -> None:
    """Delete a role with its citations."""
    delete_one(actor=actor, reason=reason, instance=role)


organizations_write: DeclaredWrite[Organization] = DeclaredWrite(
    ORGANIZATION, doc="Insert, update or leave alone international organisations by slug."
)


def organization_create(*, actor: Any, reason: str | None = None, fields: dict[str, Any]) -> Organization:
    """Create an organisation."""
    return create_one(organizations_write, Organization, actor=actor, reason=reason, fields=fields)


def organization_update(
    *, actor: Any, reason: str | None = None, organization: Organization, fields: dict[str, Any]
) -> tuple[Organization, bool]:
    """Change an organisation; return it and whether anything changed."""
    return update_one(organizations_write, organization, actor=actor, reason=reason, fields=fields)


def organization_delete(*, actor: Any, reason: str | None = None, organization: Organization) -> None:
    """Delete an organisation no office refers to."""
    delete_one(actor=actor, reason=reason, instance=organization)


# Each record's create, update and delete, as the admin and the GraphQL mutations call them.
PERSON_SERVICES = RecordServices(
    create=person_create, update=person_update, delete=person_delete, record="person"
)
ORGANIZATION_SERVICES = RecordServices(
    create=organization_create, update=organization_update, delete=organization_delete, record="organization"
)

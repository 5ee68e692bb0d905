"""The steps every app's record services share: a checked batch, and a create, update or delete of one.

An app's services (``events.services.treaty_update``…) differ in their typed
arguments and child lists; what they do with them is the same everywhere and
written here once (issue 22, "repeated blocks"):

- ``write_declared``: refuse fields the model's declaration does not name, then
  write the batch in one edit (``core.edits.edit``), keyed by its natural key;
  ``DeclaredWrite`` is that batch write for a model that needs nothing more (sources,
  countries, organisations, treaties);
- ``create_one`` / ``update_one``: a batch of one through the app's batch write,
  the update under the record's lock (``claim``) with its list edits applied;
- ``delete_one``: delete one record (and what CASCADE takes) in one edit.

A record that counts versions (``core.services.versions.has_version``) is claimed
before an update or a delete, so a stale ``expected_version`` is refused; the
others carry no version to compare and are written without the extra lock.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from django.db import models

from core.declarations import Editable, declaration_of, natural_key
from core.edits import edit
from core.services.children import ListEdit, apply_list_edits
from core.services.records import Record, Rows, Tally, write_records
from core.services.rows import Outcome, Written, delete_rows
from core.services.versions import claim, has_version

M = TypeVar("M", bound=models.Model)

# An app's batch write: ``<records>_write(actor=…, reason=…, records=[…], full=…)``.
BatchWrite = Callable[..., Sequence[Written[Any]]]
# Turns a batch's references into rows inside its edit (a citation's source slug).
Resolve = Callable[[Sequence[Record[Any]]], Sequence[Record[Any]]]


def write_declared(
    declaration: Editable,
    *,
    actor: Any,
    reason: str | None,
    records: Sequence[Record[Any]],
    full: bool,
    tally: Tally | None,
    resolve: Resolve | None = None,
    checked: bool = False,
    **hooks: Any,
) -> list[Written[Any]]:
    """Write ``records`` of the declared model in one edit once every record's fields are allowed.

    ``resolve`` turns the records' references into rows inside the edit (a citation's
    source slug); ``checked``: the new records' values were validated by the caller
    (``core.services.rows.plan_rows``); ``hooks`` are ``write_records``' ``before_children`` and
    ``after_children``.
    """
    for record in records:
        declaration.check(record.fields)
    model = declaration.model_class
    with edit(actor=actor, reason=reason):
        if resolve is not None:
            records = resolve(records)
        written, _ = write_records(
            model,
            records,
            full=full,
            tally=tally if tally is not None else Tally(),
            key_field=natural_key(model),
            checked=checked,
            **hooks,
        )
    return written


class DeclaredWrite(Generic[M]):
    """An app's batch write of a declared model: ``sources_write(actor=…, reason=…, records=[…])``.

    The call is the same for every model; what it does is ``write``, by default
    ``write_declared`` (``resolve`` as there). A model with steps of its own (a person's role
    citations, a region's path) overrides ``write``.
    """

    def __init__(
        self, declaration: Editable, *, doc: str | None = None, resolve: Resolve | None = None
    ) -> None:
        self.declaration = declaration
        self.resolve = resolve
        if doc is not None:  # a subclass's own docstring otherwise
            self.__doc__ = doc

    def __call__(
        self,
        *,
        actor: Any,
        reason: str | None = None,
        records: Sequence[Record[M]],
        full: bool = False,
        tally: Tally | None = None,
    ) -> list[Written[M]]:
        tally = tally if tally is not None else Tally()
        return self.write(records, actor=actor, reason=reason, full=full, tally=tally)

    def write(
        self, records: Sequence[Record[M]], *, actor: Any, reason: str | None, full: bool, tally: Tally
    ) -> list[Written[M]]:
        """Write the batch in one edit: ``write_declared``."""
        return write_declared(
            self.declaration,
            actor=actor,
            reason=reason,
            records=records,
            full=full,
            tally=tally,
            resolve=self.resolve,
        )


def create_one(
    write: BatchWrite,
    model: type[M],
    *,
    actor: Any,
    reason: str | None,
    fields: dict[str, Any],
    children: dict[str, Rows] | None = None,
) -> M:
    """Create one ``model`` record (its fields and child lists) through ``write``; return it."""
    record = Record(fields.get(natural_key(model)), fields, children or {}, create_only=True)
    (written,) = write(actor=actor, reason=reason, records=[record], full=True)
    return written.instance


def update_one(
    write: BatchWrite,
    instance: M,
    *,
    actor: Any,
    reason: str | None,
    fields: dict[str, Any],
    children: dict[str, Rows] | None = None,
    list_edits: Mapping[str, ListEdit] | None = None,
    expected_version: int | None = None,
) -> tuple[M, bool]:
    """Change ``instance``'s fields and the lists given through ``write``; return it and if anything changed.

    The fields are checked against the model's declaration before anything is locked;
    ``list_edits`` are applied to the rows stored once the record is claimed, so two
    editors adding to one list from the same read both keep theirs.
    """
    model = type(instance)
    _declaration(model).check(fields)
    with edit(actor=actor, reason=reason):
        if has_version(model):
            claim(instance, expected_version=expected_version)
        children = apply_list_edits(instance, list_edits, children or {})
        record = Record(getattr(instance, natural_key(model)), fields, children, instance=instance)
        (written,) = write(actor=actor, reason=reason, records=[record], full=True)
    return instance, written.outcome is not Outcome.UNCHANGED


def _declaration(model: type[models.Model]) -> Editable:
    declaration = declaration_of(model)
    if declaration is None:
        raise LookupError(f"{model._meta.label} has no declaration of what an editor may write.")
    return declaration


def delete_one(
    *, actor: Any, reason: str | None, instance: models.Model, expected_version: int | None = None
) -> None:
    """Delete ``instance`` and what CASCADE takes with it, in one edit; refuse a stale version."""
    with edit(actor=actor, reason=reason):
        if has_version(instance):
            claim(instance, expected_version=expected_version)
        delete_rows([instance])


__all__ = ["BatchWrite", "DeclaredWrite", "create_one", "delete_one", "update_one", "write_declared"]

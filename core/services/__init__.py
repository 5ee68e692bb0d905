"""The write engine every app's services share.

An app's service (``events.services.event_update``…) resolves its typed
arguments into rows and calls these, inside one ``core.edits.edit``:

- ``write_rows(model, rows, full=…)`` inserts, updates only the fields that
  differ (``update_fields``/grouped ``bulk_update``), or leaves alone, each row
  validated first, history written in bulk with the edit's id;
- ``sync_children(relation, wanted, full=…)`` makes the child rows of many
  parents equal to the lists given, matching rows on the relation's identity
  (``core.relations``), so unchanged rows stay untouched;
- ``apply_list_edits(parent, {name: ListEdit(add=…, remove=…)}, lists)`` turns rows to
  add to and remove from a list into the whole list, from the rows stored under the
  parent's lock, so two editors adding to one list from the same read both keep theirs;
- ``delete_rows(instances)`` deletes with history for the rows and every row the
  CASCADE takes with them (stamped by ``core.edits``).

``full=True`` (a batch of one from the admin or the API) runs every model check,
uniqueness and foreign keys included, one query each; ``full=False`` (an import
batch already checked as a whole by its validate step) runs the field rules and
``clean()`` without queries and leaves uniqueness to the database constraints.
Either way nothing is written unless every row of the call is valid.

``claim(instance, expected_version=…)`` (``core.services.versions``) locks and
reloads a record before a single-record update or delete, refusing a stale
version with ``StaleVersion`` (code ``CONFLICT``).
"""

from core.services.children import ChildDiff, ListEdit, apply_list_edits, sync_children
from core.services.fields import check_fields
from core.services.rows import (
    Outcome,
    Row,
    Written,
    apply_changes,
    delete_rows,
    prefixed,
    raise_collected,
    validate_row,
    write_rows,
)
from core.services.versions import StaleVersion, claim

__all__ = [
    "ChildDiff",
    "ListEdit",
    "Outcome",
    "Row",
    "Written",
    "apply_changes",
    "apply_list_edits",
    "check_fields",
    "delete_rows",
    "prefixed",
    "raise_collected",
    "sync_children",
    "validate_row",
    "write_rows",
]

from core.services.records import Record, Rows, Tally, stored_by_key, tally_rows, write_records

__all__ += ["Record", "Rows", "Tally", "stored_by_key", "tally_rows", "write_records"]
__all__ += ["StaleVersion", "claim"]

"""Find, and where possible repair, rows written before an invariant held (``manage.py check_integrity``).

Each kind of problem is a ``Check``: ``find()`` returns ``Finding``s (each with
an example line an operator can read), ``repair(findings, reason)`` fixes what
can be fixed through the services, inside one edit whose reason goes into the
history of every row it touches, and returns the findings it fixed. A check
without ``repair`` only reports (a quote not in its source needs an editor).

Checks are declared in ``<app>/integrity.py`` and registered on app load, in the
order they should run: repairs that remove rows (orphans, repeats) come before
the ones that add rows (the visit mirror).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Count, Exists, OuterRef

from core.relations import ChildRelation, all_relations
from core.services import Record, Tally, delete_rows, write_records


@dataclass(frozen=True)
class Finding:
    """One problem: what an operator reads, and what a repair needs."""

    example: str
    data: Any = None


@dataclass(frozen=True)
class Check:
    """A kind of problem: how to find it and, where it can be, how to fix it."""

    name: str
    description: str
    find: Callable[[], list[Finding]]
    repair: Callable[[list[Finding], str], list[Finding]] | None = None
    unrepairable: str = ""  # why there is no repair, said in the report


_CHECKS: list[Check] = []


def register(*checks: Check) -> None:
    """Add checks (each app's ``integrity`` module calls this)."""
    for check in checks:
        if all(c.name != check.name for c in _CHECKS):
            _CHECKS.append(check)


def checks() -> list[Check]:
    """Every registered check, in run order."""
    return sorted(_CHECKS, key=lambda c: ORDER.index(c.name) if c.name in ORDER else len(ORDER))


# Removing rows first: a repeat or an orphan must not be mirrored or counted again.
ORDER = ["orphan-rows", "repeated-rows", "region-paths", "visit-mirror", "visit-dates", "quotes"]


@dataclass
class Report:
    """What one run found and fixed, per check."""

    found: dict[str, list[Finding]] = field(default_factory=dict)
    repaired: dict[str, list[Finding]] = field(default_factory=dict)

    @property
    def left(self) -> int:
        return sum(len(f) - len(self.repaired.get(name, [])) for name, f in self.found.items())


def run(*, repair: bool, reason: str) -> Report:
    """Run every check; with ``repair``, fix what can be fixed (each check one edit)."""
    report = Report()
    for check in checks():
        found = check.find()
        report.found[check.name] = found
        if repair and found and check.repair is not None:
            report.repaired[check.name] = check.repair(found, reason)
    return report


# -- child rows: orphans and repeats, for every declared relation ------------------------------


def _label(relation: ChildRelation, parent_id: Any) -> str:
    return f"{relation.parent} #{parent_id} {relation.name}"


def find_orphans() -> list[Finding]:
    """Child rows whose parent row is gone (written with foreign-key checks off, or restored in part)."""
    found = []
    for relation in all_relations():
        model = relation.child_model
        parent = model._meta.get_field(relation.parent_key).related_model
        rows = model._base_manager.filter(**{f"{relation.parent_attname}__isnull": False}).exclude(
            Exists(parent._base_manager.filter(pk=OuterRef(relation.parent_attname)))
        )
        for row in rows.order_by("pk"):
            parent_id = getattr(row, relation.parent_attname)
            found.append(
                Finding(
                    f"{model._meta.label_lower} #{row.pk}: its {_label(relation, parent_id)} is gone", row
                )
            )
    return found


def repair_orphans(findings: list[Finding], reason: str) -> list[Finding]:
    from core.edits import edit

    with edit(actor=None, reason=reason):
        delete_rows([f.data for f in findings])
    return findings


def find_repeats() -> list[Finding]:
    """Child rows stored more than once under one parent (before the identity constraints)."""
    found = []
    for relation in all_relations():
        model = relation.child_model
        key = [relation.parent_attname, *(model._meta.get_field(n).attname for n in relation.identity)]
        groups = (
            model._base_manager.filter(**{f"{relation.parent_attname}__isnull": False})
            .values(*key)
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
            .order_by(*key)
        )
        for group in groups:
            parent_id = group[relation.parent_attname]
            identity = tuple(group[k] for k in key[1:])
            shown = ", ".join(str(v)[:40] for v in identity)
            found.append(
                Finding(
                    f"{_label(relation, parent_id)}: ({shown}) stored {group['n']} times",
                    (relation, parent_id),
                )
            )
    return found


def repair_repeats(findings: list[Finding], reason: str) -> list[Finding]:
    """Give each parent its own rows once, through the batch engine: the oldest of each repeat stays."""
    from core.edits import edit
    from core.services.children import stored_rows

    by_relation: dict[ChildRelation, set[Any]] = defaultdict(set)
    for finding in findings:
        relation, parent_id = finding.data
        by_relation[relation].add(parent_id)
    with edit(actor=None, reason=reason):
        for relation, parent_ids in by_relation.items():
            parent_model = relation.child_model._meta.get_field(relation.parent_key).related_model
            parents = parent_model._base_manager.in_bulk(parent_ids)
            stored = stored_rows(relation, list(parent_ids))
            records = [
                Record(
                    str(parent),
                    {},
                    {relation.name: _distinct(relation, stored[pk])},
                    instance=parent,
                )
                for pk, parent in parents.items()
            ]
            write_records(parent_model, records, full=False, tally=Tally())
    return findings


def _distinct(relation: ChildRelation, rows: Sequence[models.Model]) -> list[dict[str, Any]]:
    """Each identity once, as the oldest row has it (rows come in id order)."""
    kept: dict[Any, dict[str, Any]] = {}
    for row in rows:
        kept.setdefault(
            relation.key_of_row(row), {f.attname: getattr(row, f.attname) for f in relation.value_fields}
        )
    return list(kept.values())


def find_lost_history_users() -> list[Finding]:
    """Historical rows whose user is gone: ``history_user`` has no database constraint
    (core.history), so a user deleted by SQL, not through Django, leaves its id behind."""
    from django.contrib.auth import get_user_model

    users = get_user_model()._base_manager.filter(pk=OuterRef("history_user_id"))
    findings = []
    for history in _historical_models():
        lost = history._base_manager.filter(history_user_id__isnull=False).exclude(Exists(users))
        for user_id, n in (
            lost.values_list("history_user_id").annotate(n=Count("pk")).order_by("history_user_id")
        ):
            label = history._meta.label_lower
            findings.append(
                Finding(f"{n} {label} row(s) name user #{user_id}, who does not exist", (history, user_id))
            )
    return findings


def repair_lost_history_users(findings: list[Finding], reason: str) -> list[Finding]:
    """Clear those rows' user, as Django's ``SET_NULL`` does when a user is deleted through it.

    The rows are the history itself (who did what, when): there is no history of them to write.
    """
    for finding in findings:
        history, user_id = finding.data
        history._base_manager.filter(history_user_id=user_id).update(history_user=None)
    return findings


def _historical_models() -> list[type[models.Model]]:
    from django.apps import apps

    return [m for m in apps.get_models() if hasattr(m, "instance_type") and hasattr(m, "history_user_id")]


register(
    Check(
        "orphan-rows",
        "child rows whose record is gone",
        find_orphans,
        repair_orphans,
    ),
    Check(
        "repeated-rows",
        "child rows stored twice under one record",
        find_repeats,
        repair_repeats,
    ),
    Check(
        "history-users",
        "historical rows naming a user who no longer exists",
        find_lost_history_users,
        repair_lost_history_users,
    ),
)

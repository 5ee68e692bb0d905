"""Remove child rows that repeat a sibling, before an identity constraint is added (issue 8).

Databases written before the child-row constraints existed may hold two
identical participants (two stale admin forms, two imports at once). A
migration adding a constraint first keeps the oldest row of each repeated
identity and deletes the others, each deletion recorded in the row's history
with a reason naming the row it duplicated, so ``migrate`` never fails on an
existing database and nothing goes without a trace.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import Count, Min
from django.utils import timezone

REASON = (
    "Removed: repeats row #{kept} ({label}), kept as the oldest; "
    "before the identity constraint ({migration})."
)


def remove_duplicates(
    apps: Any,
    label: str,
    identity: Sequence[str],
    *,
    migration: str,
    where: dict[str, Any] | None = None,
    before_delete: Callable[[int, list[int]], None] | None = None,
) -> int:
    """Delete every row of ``label`` repeating an older one on ``identity``; return how many went.

    ``where`` limits the rows considered (a partial constraint's condition);
    ``before_delete(kept_pk, doomed_pks)`` may move what hangs on the doomed rows.
    Works on the historical models a migration's ``apps`` gives.
    """
    model = apps.get_model(label)
    app_label, name = label.split(".")
    history = apps.get_model(app_label, f"Historical{model.__name__}")
    rows = model._base_manager.filter(**(where or {}))
    groups = rows.values(*identity).annotate(n=Count("pk"), kept=Min("pk")).filter(n__gt=1).order_by()
    edit = uuid.uuid4()
    now = timezone.now()
    history_names = {f.attname for f in history._meta.concrete_fields}
    removed = 0
    for group in groups:
        kept = group["kept"]
        doomed = list(
            rows.filter(**{field: group[field] for field in identity}).exclude(pk=kept).order_by("pk")
        )
        if not doomed:
            continue
        if before_delete is not None:
            before_delete(kept, [row.pk for row in doomed])
        reason = REASON.format(kept=kept, label=name, migration=migration)
        history.objects.bulk_create(
            history(
                **{
                    f.attname: getattr(row, f.attname)
                    for f in model._meta.concrete_fields
                    if f.attname in history_names
                },
                history_date=now,
                history_type="-",
                history_change_reason=reason,
                history_edit=edit,
                # The history's link to its record (related_name="revisions", core.history).
                **({"history_relation_id": row.pk} if "history_relation_id" in history_names else {}),
            )
            for row in doomed
        )
        model._base_manager.filter(pk__in=[row.pk for row in doomed]).delete()
        removed += len(doomed)
    if removed:
        print(f"\n  {migration}: removed {removed} repeated {name} row(s), oldest kept; see their history.")
    return removed

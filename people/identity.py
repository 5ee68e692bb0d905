"""Who is who: merge two person records, split a merge again, mark a pair distinct, record proposals.

Each service is one edit (``core.edits``) with the actor and reason on every
historical row it makes, so a merge reads in history as one revision with its
reason, and ``person_split`` can give back exactly what that revision took:

- the merge *moves* the rows that point at the merged person (participations,
  visits, roles, identifiers, treaty signatures, earlier merges into them) and
  lists their ids in ``PersonMerge.moved``;
- a row that would repeat one of the survivor's (same event and role, same
  office and start) is *deleted* instead, with its citations: history keeps it,
  tagged with the merge's edit id, and the split restores it from there, as it
  restores the merged person itself.

What imports and seed files need of these decisions is in ``people.identity_imports``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from core.edits import edit
from core.folding import new_names
from core.services import Outcome, Row, claim, delete_rows, write_rows
from core.services.rows import bump, plan_rows, save_planned
from events.models import Citation, Participation, TreatyParty, Visit
from people.models import CandidateStatus, Identifier, Person, PersonCandidate, PersonMerge, Role

# What a merge moves: (key in PersonMerge.moved, model, the field pointing at the person).
MOVED: tuple[tuple[str, type[models.Model], str], ...] = (
    ("participations", Participation, "person"),
    ("visits", Visit, "visitor"),
    ("roles", Role, "person"),
    ("identifiers", Identifier, "person"),
    ("treaty_parties", TreatyParty, "signatory"),
    ("merges", PersonMerge, "survivor"),
)
# What a collision may make a merge delete, in the order a split restores it (parents first).
RESTORED: tuple[tuple[type[models.Model], str], ...] = (
    (Person, "id"),
    (Role, "person_id"),
    (Participation, "person_id"),
    (Citation, "role_id"),
)
# Facts of the merged person the survivor takes where it has none (a split gives them back).
FILLED = ("wikidata_id", "nationality", "born", "died")


def pair_key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def _need_reason(reason: str | None, what: str) -> str:
    if not reason or not reason.strip():
        raise ValidationError({"reason": [f"Say why {what}: history shows the reason with the decision."]})
    return reason.strip()


def _merged_away(person: Person, role: str) -> None:
    """Refuse a record that no longer exists, saying where it went if a merge took it."""
    if Person.objects.filter(pk=person.pk).exists():
        return
    into = PersonMerge.objects.filter(merged_pk=person.pk).select_related("survivor").first()
    where = f" into {into.survivor.name} ({into.survivor.slug})" if into else ""
    raise ValidationError(
        {role: [f"{person.name} ({person.slug}) was merged{where} or deleted; reload and choose again."]},
        code="not_found",
    )


def record_decision(
    *, actor: Any, reason: str, a: Person, b: Person, status: str, slugs: tuple[str, str] | None = None
) -> None:
    """Store the editor's decision on the pair, creating the pair if nobody proposed it.

    ``slugs`` names the pair where a slug is no longer the person's (merged away); by
    default it is ``a``'s and ``b``'s.
    """
    slug_a, slug_b = pair_key(*(slugs or (a.slug, b.slug)))
    stored = PersonCandidate.objects.filter(slug_a=slug_a, slug_b=slug_b).first()
    by_slug = {a.slug: a, b.slug: b}
    values: dict[str, Any] = {
        "status": status,
        "decided_by": actor if getattr(actor, "is_authenticated", False) else None,
        "decided_at": timezone.now(),
        "reason": reason,
        # The person merged away is gone (its link cleared); a split brings it back.
        "person_a_id": by_slug[slug_a].pk if slug_a in by_slug and by_slug[slug_a].pk else None,
        "person_b_id": by_slug[slug_b].pk if slug_b in by_slug and by_slug[slug_b].pk else None,
    }
    if stored is None:
        values |= {"slug_a": slug_a, "slug_b": slug_b, "rule": "editor"}
    write_rows(PersonCandidate, [Row(values, stored)], full=True)


def person_merge(
    *,
    actor: Any,
    reason: str | None,
    survivor: Person,
    merged: Person,
    survivor_version: int | None = None,
    merged_version: int | None = None,
) -> PersonMerge:
    """Merge ``merged`` into ``survivor``: one edit that moves everything of theirs and deletes them.

    The survivor keeps every participation, visit, role, identifier and treaty
    signature of the merged person, gains their name and aliases as aliases and
    any of their facts it lacks (Wikidata id, nationality, birth, death); the
    merged slug keeps answering for the survivor. Stale versions raise
    ``StaleVersion`` and write nothing.
    """
    reason = _need_reason(reason, "these records are one person")
    if survivor.pk == merged.pk:
        raise ValidationError({"merged": ["A person cannot be merged into themselves: choose two records."]})
    _merged_away(survivor, "survivor")
    _merged_away(merged, "merged")
    with edit(actor=actor, reason=reason) as current:
        claim(survivor, expected_version=survivor_version)
        claim(merged, expected_version=merged_version)
        moved: dict[str, Any] = {key: [] for key, _, _ in MOVED}
        dropped = _move_rows(survivor, merged, moved)
        added = new_names([merged.name, *merged.aliases], known=[survivor.name, *survivor.aliases])
        filled = [n for n in FILLED if _blank(survivor, n) and not _blank(merged, n)]
        taken = {n: getattr(merged, Person._meta.get_field(n).attname) for n in filled}
        merged_slug, merged_pk, merged_name = merged.slug, merged.pk, merged.name
        delete_rows([*dropped, merged])
        values: dict[str, Any] = {Person._meta.get_field(n).attname: v for n, v in taken.items()}
        if added:
            values["aliases"] = [*survivor.aliases, *added]
        _count_edit(survivor, values)
        moved |= {"aliases": added, "filled": filled}
        (record,) = write_rows(
            PersonMerge,
            [
                Row(
                    {
                        "survivor": survivor,
                        "merged_slug": merged_slug,
                        "merged_pk": merged_pk,
                        "merged_name": merged_name,
                        "moved": moved,
                        "edit": current.id,
                        "decided_by": current.actor,
                        "reason": reason,
                    }
                )
            ],
            full=True,
        )
        record_decision(
            actor=current.actor,
            reason=reason,
            a=survivor,
            b=merged,
            status=CandidateStatus.MERGED,
            slugs=(survivor.slug, merged_slug),
        )
    return record.instance


def _blank(person: Person, name: str) -> bool:
    return getattr(person, Person._meta.get_field(name).attname) in (None, "")


def _move_rows(survivor: Person, merged: Person, moved: dict[str, Any]) -> list[models.Model]:
    """Point the merged person's rows at the survivor; return the ones that would repeat the survivor's."""
    participation_key = ("event_id", "role", "country_id")
    role_key = ("title", "country_id", "post_country_id", "post_organization_id", "start")
    keys = {
        "participations": participation_key,
        "roles": role_key,
    }
    dropped: list[models.Model] = []
    for key, model, name in MOVED:
        attname = model._meta.get_field(name).attname
        own = model._base_manager.filter(**{attname: merged.pk}).order_by("pk")
        identity = keys.get(key)
        taken: set[tuple[Any, ...]] = set()
        if identity is not None:
            taken = {
                tuple(getattr(row, f) for f in identity)
                for row in model._base_manager.filter(**{attname: survivor.pk})
            }
        rows = []
        for row in own:
            if identity is not None:
                found = tuple(getattr(row, f) for f in identity)
                if found in taken:
                    dropped.append(row)
                    continue
                taken.add(found)
            rows.append(Row({attname: survivor.pk}, row))
            moved[key].append(row.pk)
        write_rows(model, rows, full=False)
    return dropped


def person_split(*, actor: Any, reason: str | None, merge_record: PersonMerge) -> Person:
    """Undo a merge: bring back the merged person as recorded, give back what moved; mark the pair distinct.

    Rows moved by the merge go back wherever they are now (a later merge may have
    moved them on); rows the merge deleted come back from its history.
    """
    reason = _need_reason(reason, "the merge is undone")
    with edit(actor=actor, reason=reason) as current:
        record = PersonMerge.objects.select_for_update().filter(pk=merge_record.pk).first()
        if record is None:
            raise ValidationError("This merge was already undone; nothing was changed.", code="not_found")
        survivor = Person.objects.get(pk=record.survivor_id)
        if Person.objects.filter(slug=record.merged_slug).exists():
            raise ValidationError(
                f"The slug {record.merged_slug!r} names another person now: rename them before splitting.",
                code="slug_taken",
            )
        claim(survivor, expected_version=None)
        _give_back_facts(survivor, record)
        restored = _restore_deleted(record)
        if restored is None:
            raise ValidationError(
                f"History holds no copy of {record.merged_name} as merged; the merge cannot be undone.",
                code="no_history",
            )
        for key, model, name in MOVED:
            attname = model._meta.get_field(name).attname
            rows = [
                Row({attname: restored.pk}, row)
                for row in model._base_manager.filter(pk__in=record.moved.get(key, [])).order_by("pk")
            ]
            write_rows(model, rows, full=False)
        delete_rows([record])
        distinct = CandidateStatus.DISTINCT
        record_decision(actor=current.actor, reason=reason, a=survivor, b=restored, status=distinct)
    return restored


def _give_back_facts(survivor: Person, record: PersonMerge) -> None:
    """Take from the survivor the aliases and facts the merge gave it."""
    added = {a.casefold() for a in record.moved.get("aliases", [])}
    values: dict[str, Any] = {
        Person._meta.get_field(n).attname: None if n in ("wikidata_id", "nationality") else ""
        for n in record.moved.get("filled", [])
    }
    if added:
        values["aliases"] = [a for a in survivor.aliases if a.casefold() not in added]
    _count_edit(survivor, values)


def _count_edit(survivor: Person, values: dict[str, Any]) -> None:
    """Write the survivor's changed fields, and count the edit even when only its lists changed.

    Its rows moved (roles, identifiers, visits), so a form read before the merge is stale;
    the historical row this writes is also where the merge shows in the survivor's history.
    """
    (written,) = plan_rows(Person, [Row(values, survivor)], full=True)
    if written.outcome is Outcome.UNCHANGED:
        written.outcome = Outcome.UPDATED
    bump(written)
    save_planned(Person, [written])


def _restore_deleted(record: PersonMerge) -> Person | None:
    """Insert again, from the merge's history, the person and the rows the merge deleted."""
    person: Person | None = None
    roles: list[Any] = []
    for model, pointer in RESTORED:
        history = model.history.filter(history_edit=record.edit, history_type="-")  # type: ignore[attr-defined]
        if model is Person:
            history = history.filter(id=record.merged_pk)
        elif model is Citation:
            history = history.filter(role_id__in=roles)
        else:
            history = history.filter(**{pointer: record.merged_pk})
        # The columns history keeps (a derived one such as the search key is made again on save).
        kept = {f.attname for f in history.model._meta.concrete_fields}
        names = [f.attname for f in model._meta.concrete_fields if f.attname in kept]
        rows = [Row({n: getattr(h, n) for n in names}) for h in history.order_by("history_id")]
        written = write_rows(model, rows, full=False)
        if model is Person:
            person = written[0].instance if written else None
            if person is None:
                return None
        if model is Role:
            roles = [w.instance.pk for w in written]
    return person


def person_mark_distinct(*, actor: Any, reason: str | None, a: Person, b: Person) -> PersonCandidate:
    """Record that ``a`` and ``b`` are two people: no import merges them, the pair leaves the open list."""
    reason = _need_reason(reason, "these are two people")
    if a.pk == b.pk:
        raise ValidationError("A person is the same as themselves: choose two records.")
    _merged_away(a, "a")
    _merged_away(b, "b")
    with edit(actor=actor, reason=reason) as current:
        record_decision(actor=current.actor, reason=reason, a=a, b=b, status=CandidateStatus.DISTINCT)
    return PersonCandidate.objects.get(slug_a=min(a.slug, b.slug), slug_b=max(a.slug, b.slug))

"""Child-row identity lives in the database too, and agrees with the declarations (issue 8)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction

from core.dedupe import remove_duplicates
from core.relations import ChildRelation, all_relations, identity_problems
from events.models import Event, ParticipantRole, Participation, ProvisionKind, TreatyProvision
from events.services import event_update, treaty_create
from people.models import Person
from places.models import Country
from tests.events.factories import make_event
from tests.integrity.constraints import duplicate, without_constraint

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("relation", all_relations(), ids=lambda r: f"{r.parent}.{r.name}")
def test_each_declared_identity_is_a_database_constraint(relation: ChildRelation) -> None:
    assert identity_problems(relation) == []


def test_an_identity_the_constraints_do_not_enforce_is_reported() -> None:
    wider = ChildRelation("participants", "events.event", "events.participation", "event", ("role", "person"))
    problems = identity_problems(wider)
    assert any("participation_unique " in p and "declares" in p for p in problems)
    narrower = ChildRelation(
        "provisions", "events.treaty", "events.treatyprovision", "treaty", ("kind", "article")
    )
    assert any("treaty_provision_unique" in p for p in identity_problems(narrower))


def _participants(event: Event) -> list[tuple[str, int | None, int | None]]:
    return sorted(Participation.objects.filter(event=event).values_list("role", "person_id", "country_id"))


@pytest.mark.parametrize(
    "actor", [{"person": "andrzej-duda"}, {"country": "UA"}, {"person": "andrzej-duda", "country": "PL"}]
)
def test_the_database_refuses_a_repeated_participant(actor: dict[str, str]) -> None:
    event = make_event("twice")
    values = {
        "person": Person.objects.get(slug=actor["person"]) if "person" in actor else None,
        "country": Country.objects.get(code=actor["country"]) if "country" in actor else None,
    }
    Participation.objects.create(event=event, role=ParticipantRole.HOST, **values)
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(event=event, role=ParticipantRole.HOST, **values)
    assert Participation.objects.filter(event=event).count() == 1


def test_the_database_refuses_a_repeated_provision_of_a_long_summary() -> None:
    summary = "Long obligation. " * 1000  # past a btree entry: the MD5 stands in
    treaty = treaty_create(actor=None, fields={"slug": "long-one", "name": "Long"})
    TreatyProvision.objects.create(treaty=treaty, kind=ProvisionKind.ECONOMIC, summary=summary)
    with pytest.raises(IntegrityError), transaction.atomic():
        TreatyProvision.objects.create(treaty=treaty, kind=ProvisionKind.ECONOMIC, summary=summary)
    TreatyProvision.objects.create(treaty=treaty, kind=ProvisionKind.ECONOMIC, summary=summary + ".")
    assert treaty.provisions.count() == 2


def test_a_list_replace_converges_on_rows_stored_twice() -> None:
    event = make_event("stored-twice")
    ua, pl = Country.objects.get(code="UA"), Country.objects.get(code="PL")
    with without_constraint(Participation, "participation_unique_country"):
        row = Participation.objects.create(event=event, role=ParticipantRole.HOST, country=ua)
        duplicate(row)
        assert Participation.objects.filter(event=event).count() == 2
        event_update(
            actor=None,
            event=event,
            fields={},
            participants=[{"role": "HOST", "country": ua}, {"role": "PARTY", "country": pl}],
        )
        assert _participants(event) == [
            (ParticipantRole.HOST, None, ua.pk),
            (ParticipantRole.PARTY, None, pl.pk),
        ]
    oldest = Participation.objects.get(event=event, role=ParticipantRole.HOST)
    assert oldest.pk < row.pk  # the oldest stays, the repeat went, with its history
    assert Participation.history.filter(id=row.pk, history_type="-").exists()


def test_the_migration_step_keeps_the_oldest_and_records_the_rest(capsys: pytest.CaptureFixture[str]) -> None:
    event = make_event("repeats")
    ua = Country.objects.get(code="UA")
    with without_constraint(Participation, "participation_unique_country"):
        first = Participation.objects.create(event=event, role=ParticipantRole.HOST, country=ua)
        copies = [duplicate(Participation.objects.get(pk=first.pk)) for _ in range(2)]
        other = Participation.objects.create(event=event, role=ParticipantRole.PARTY, country=ua)
        removed = remove_duplicates(
            apps, "events.Participation", ["event", "role", "person", "country"], migration="test"
        )
    assert removed == 2
    assert sorted(Participation.objects.filter(event=event).values_list("pk", flat=True)) == [
        first.pk,
        other.pk,
    ]
    # (The live models here also send simple-history's own delete rows; a migration's do not.)
    gone = Participation.history.filter(
        id__in=[c.pk for c in copies], history_type="-", history_change_reason__startswith="Removed"
    )
    assert gone.count() == 2
    assert all(f"repeats row #{first.pk}" in h.history_change_reason for h in gone)
    assert "removed 2 repeated" in capsys.readouterr().out


def test_constraints_are_unique_constraints_of_the_child_models() -> None:
    # Guard for the checker itself: it reads these constraint shapes.
    for relation in all_relations():
        kinds = {type(c) for c in relation.child_model._meta.constraints}
        assert models.UniqueConstraint in kinds

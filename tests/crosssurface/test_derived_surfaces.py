"""Every field Event's declaration names is written by the admin, the API and a seed file (issue 22).

The admin form, the API's ``EventInput``/``EventPatch`` and the seed ``EventRecord`` are derived
from ``events.declarations.EVENT``; these scenarios write every declared field through each
surface, with a value made from the model field's type, and assert what the database holds. A
field added to the declaration is covered here with no edit: the values are derived too.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from strawberry.utils.str_converters import to_camel_case

from core.declarations import natural_key
from core.errors import SeedError
from core.fuzzydates import FuzzyDateField
from core.graphql_inputs import DeclaredInputs
from events.declarations import EVENT
from events.models import Event, TreatyParty
from events.types.inputs import EventInput, EventPatch
from places.models import Country, Region
from places.services import region_create, region_update
from seeds.importer.schema import EventRecord
from tests.crosssurface.conftest import Surfaces

pytestmark = pytest.mark.django_db

STORED = "duda-zelenskyy-meeting"
NEW = "declared-fields-event"
CREATE = """mutation ($input: EventInput!) { eventCreate(input: $input) {
    __typename ... on OperationInfo { messages { field message code } } } }"""
TREATY_PATCH = """mutation ($slug: String!, $input: TreatyPatch!) { treatyUpdate(slug: $slug, input: $input) {
    __typename ... on OperationInfo { messages { field message code } } } }"""
PATCH = """mutation ($slug: String!, $input: EventPatch!) { eventUpdate(slug: $slug, input: $input) {
    __typename ... on OperationInfo { messages { field message code } } } }"""


def _declared_fields() -> list[models.Field]:
    return [Event._meta.get_field(name) for name in EVENT.fields]


def _value(field: models.Field, stored: Event | None) -> tuple[Any, Any]:
    """A value for ``field`` other than ``stored``'s: (as a surface sends it, as the database holds it)."""
    current = getattr(stored, field.attname) if stored is not None else None
    if field.name == "slug":
        return NEW, NEW
    if field.is_relation:
        other = field.related_model._default_manager.exclude(pk=current).order_by("pk").first()
        assert other is not None, f"the seed data has no {field.related_model._meta.verbose_name} to link"
        return getattr(other, natural_key(field.related_model)), other.pk
    if field.choices:
        value = next(v for v, _ in field.choices if v and v != current and v != field.get_default())
        return value, value
    if isinstance(field, FuzzyDateField):
        return "2024-05?", "2024-05?"
    if isinstance(field, models.BooleanField):
        return not current, not current
    if isinstance(field, models.IntegerField):
        return 7, 7
    text = f"{field.name} as declared"
    return text, text


def _stored(event: Event) -> dict[str, Any]:
    return {f.name: getattr(event, f.attname) for f in _declared_fields()}


def _wanted(stored: Event | None, *, keep_slug: bool = False) -> tuple[dict[str, Any], dict[str, Any]]:
    sent, held = {}, {}
    for field in _declared_fields():
        if keep_slug and field.name == "slug":
            continue
        sent[field.name], held[field.name] = _value(field, stored)
    return sent, held


def _api_input(kind: type, values: dict[str, Any]) -> dict[str, Any]:
    names = {
        f.python_name: f.graphql_name or to_camel_case(f.python_name)
        for f in kind.__strawberry_definition__.fields
    }  # type: ignore[attr-defined]
    return {names[name]: value for name, value in values.items()}


def test_the_derived_inputs_and_record_hold_exactly_the_declared_fields() -> None:
    lists = {r.name for r in EVENT.children}
    for kind in (EventInput, EventPatch):
        found = [f.python_name for f in kind.__strawberry_definition__.fields]  # type: ignore[attr-defined]
        assert found[: len(EVENT.fields)] == list(EVENT.fields)
        assert set(found[len(EVENT.fields) :]) - lists <= {
            f"{n}_{v}" for n in lists for v in ("add", "remove")
        }
    assert list(EventRecord.model_fields)[: len(EVENT.fields)] == list(EVENT.fields)


def test_a_declaration_alone_decides_the_inputs() -> None:
    """A narrower declaration of the same model gives inputs of just its fields, typed from the model."""
    narrow = type(EVENT)("events.event", fields=("title", "summary", "treaty"))
    inputs = DeclaredInputs(
        narrow, name="NarrowEventInput", description="test", patch_description="test", lists={}
    )
    create = {f.python_name: f for f in inputs.create.__strawberry_definition__.fields}  # type: ignore[attr-defined]
    assert list(create) == ["title", "summary", "treaty"]
    assert create["summary"].default == "" and create["treaty"].default is None
    patch = inputs.patch.__strawberry_definition__.fields  # type: ignore[attr-defined]
    assert [f.python_name for f in patch] == ["title", "summary", "treaty"]


def test_the_admin_writes_every_declared_field(surfaces: Surfaces) -> None:
    event = Event.objects.get(slug=STORED)
    data, _ = surfaces.admin_form(event)
    _, held = _wanted(event)
    for field in _declared_fields():
        assert field.name in data, f"the admin form lacks {field.name}"
        data[field.name] = held[field.name]
    response = surfaces.admin_post(event, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert _stored(Event.objects.get(pk=event.pk)) == held


def test_the_api_creates_with_every_declared_field(surfaces: Surfaces) -> None:
    sent, held = _wanted(None)
    result = surfaces.graphql(CREATE, input=_api_input(EventInput, sent))
    assert result["eventCreate"]["__typename"] == "Event", result
    assert _stored(Event.objects.get(slug=NEW)) == held


def test_the_api_patches_every_declared_field(surfaces: Surfaces) -> None:
    event = Event.objects.get(slug=STORED)
    sent, held = _wanted(event)
    result = surfaces.graphql(PATCH, slug=STORED, input=_api_input(EventPatch, sent))
    assert result["eventUpdate"]["__typename"] == "Event", result
    assert _stored(Event.objects.get(pk=event.pk)) == held


def test_a_seed_file_writes_every_declared_field(surfaces: Surfaces) -> None:
    sent, held = _wanted(None)
    lines = [f"  - slug: {NEW}"]
    lines += [f"    {name}: {value!r}" for name, value in sent.items() if name != "slug"]
    surfaces.import_edited("events:\n", "events:\n" + "\n".join(lines) + "\n")
    assert _stored(Event.objects.get(slug=NEW)) == held


def test_a_seed_value_outside_a_declared_vocabulary_is_refused_by_name(surfaces: Surfaces) -> None:
    with pytest.raises(SeedError) as refused:
        surfaces.import_edited(
            "events:\n", f"events:\n  - slug: {NEW}\n    kind: PICNIC\n    title: T\n    date: '2024'\n"
        )
    assert "kind" in str(refused.value) and "PICNIC" in str(refused.value)
    assert not Event.objects.filter(slug=NEW).exists()


# -- one cycle rule for the region tree (core.trees), on every surface that writes regions ------


@pytest.mark.parametrize("surface", ["admin", "services", "importer"])
def test_a_region_cycle_is_refused_on_every_surface(surfaces: Surfaces, surface: str) -> None:
    ukraine = Country.objects.get(code="UA")
    top = region_create(
        actor=None, fields={"slug": "loop-top", "name": "Loop Top", "kind": "oblast", "country": ukraine}
    )
    low = region_create(
        actor=None,
        fields={"slug": "loop-low", "name": "Loop Low", "kind": "city", "country": ukraine, "parent": top},
    )
    if surface == "admin":
        data, _ = surfaces.admin_form(top)
        data["parent"] = low.pk
        response = surfaces.admin_post(top, data)
        assert response.status_code == 200
        assert "cannot be its own ancestor" in str(response.context["adminform"].form.errors["parent"])
    elif surface == "services":
        with pytest.raises(ValidationError) as refused:
            region_update(actor=None, region=top, fields={"parent": low})
        assert "cannot be its own ancestor" in str(refused.value)
    else:
        loop = (
            "regions:\n"
            "  - slug: loop-a\n    name: Loop A\n    kind: city\n    country: UA\n    parent: loop-b\n"
            "  - slug: loop-b\n    name: Loop B\n    kind: city\n    country: UA\n    parent: loop-a\n"
        )
        with pytest.raises(SeedError) as refused:
            surfaces.import_edited("regions:\n", loop)
        assert "'loop-a' lies below itself" in str(refused.value)
        assert "'loop-b' lies below itself" in str(refused.value)
        assert not Region.objects.filter(slug__in=["loop-a", "loop-b"]).exists()
    assert Region.objects.get(pk=top.pk).parent_id is None
    assert Region.objects.get(pk=top.pk).path == "/"


def test_the_api_writes_a_party_s_source_code_and_note(surfaces: Surfaces) -> None:
    """Every declared party field reaches the service (the API dropped these two, emptying them)."""
    treaty = "russia-north-korea-comprehensive-strategic-partnership-treaty"
    parties = [
        {"country": "RU", "sourceCode": "RUS", "note": "GGO writes RUS."},
        {"country": "KP", "sourceCode": "PRK"},
    ]
    result = surfaces.graphql(TREATY_PATCH, slug=treaty, input={"parties": parties})
    assert result["treatyUpdate"]["__typename"] == "Treaty", result
    stored = TreatyParty.objects.filter(treaty__slug=treaty)
    stored = stored.values_list("country__code", "source_code", "note")
    assert sorted(stored) == [("KP", "PRK", ""), ("RU", "RUS", "GGO writes RUS.")]

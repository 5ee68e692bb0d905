"""Every surface writes what the declarations say, no more, no less (issue 22).

For each declared model (``<app>/declarations.py``) the service signatures, the
GraphQL input and patch, the admin form and its inlines and the seed schema's
record are compared with the declaration: its fields, its child lists, and
each child row's fields. A difference fails naming the model, the surface and
the field. A surface that deliberately differs says so below, with the reason.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from pydantic import BaseModel

from core.declarations import Editable
from core.relations import ChildRelation, relations_of
from events import declarations as events_declared
from events import services as events_services
from events.types import inputs as event_inputs
from people import declarations as people_declared
from people import services as people_services
from people import types as people_types
from places import declarations as places_declared
from places import services as places_services
from seeds.importer import schema as seed

DECLARED: tuple[Editable, ...] = (
    events_declared.DECLARED + people_declared.DECLARED + places_declared.DECLARED
)

# Where a surface writes a model: its create and update services; (input, patch) GraphQL types; seed record.
SERVICES: dict[str, tuple[Callable[..., Any], ...]] = {
    "events.event": (events_services.event_create, events_services.event_update),
    "events.visit": (events_services.visit_create, events_services.visit_update),
    "events.treaty": (events_services.treaty_create, events_services.treaty_update),
    "events.source": (events_services.source_create, events_services.source_update),
    "events.citation": (events_services.citation_create, events_services.citation_update),
    "people.person": (people_services.person_create, people_services.person_update),
    "people.role": (people_services.role_write,),
    "people.organization": (people_services.organization_create, people_services.organization_update),
    "places.country": (places_services.country_create, places_services.country_update),
    "places.region": (places_services.region_create, places_services.region_update),
}
GRAPHQL: dict[str, tuple[type, type]] = {
    "events.event": (event_inputs.EventInput, event_inputs.EventPatch),
    "events.visit": (event_inputs.VisitInput, event_inputs.VisitPatch),
    "events.treaty": (event_inputs.TreatyInput, event_inputs.TreatyPatch),
    "people.person": (people_types.PersonInput, people_types.PersonPatch),
}
SEED: dict[str, type[BaseModel]] = {
    "events.event": seed.EventRecord,
    "events.visit": seed.VisitRecord,
    "events.treaty": seed.TreatyRecord,
    "events.source": seed.SourceRecord,
    "people.person": seed.PersonRecord,
    "people.organization": seed.OrganizationRecord,
    "places.country": seed.CountryRecord,
    "places.region": seed.RegionRecord,
}
# Models a surface does not write at all, and why.
NOT_WRITTEN = {
    ("events.citation", "graphql"): "citations are written in their record's list (CitationInput)",
    ("events.citation", "seed"): "citations are written in their record's list (CitationRecord)",
    ("events.source", "graphql"): "the API writes no sources yet",
    ("people.role", "graphql"): "roles are written in their person's list (RoleInput)",
    ("people.role", "seed"): "roles are written in their person's list (RoleRecord)",
    ("people.organization", "graphql"): "the API writes no organisations yet",
    ("places.country", "graphql"): "the API writes no places",
    ("places.region", "graphql"): "the API writes no places",
}
# Models with an admin that are not edited as records: who is who is decided there, through the
# identity services (people.identity: merge, split, not the same person), never a change form.
DECIDED_NOT_EDITED = {"people.personcandidate", "people.personmerge"}
# Fields (or lists) a surface has beyond the declaration, or lacks, on purpose.
EXTRA = {
    ("events.event", "seed", "visit"): "the event's visit is written with it (events_write(visits=…))",
    ("events.source", "seed", "text_file"): "a file holding the text, read into `text`",
}
MISSING = {
    ("events.visit", "seed", "event"): "a seed visit sits in its event's record",
    ("people.role", "graphql", "citations"): "the API does not write role citations yet (kept as stored)",
    ("people.role", "admin-inline", "citations"): "Django inlines do not nest: the role's own page",
}


def _model_problems(decl: Editable, surface: str, found: set[str], wanted: set[str]) -> list[str]:
    problems = []
    for name in sorted(found - wanted):
        if (decl.model, surface, name) not in EXTRA:
            problems.append(f"{decl.model}: {surface} has {name!r}, which the declaration does not name")
    for name in sorted(wanted - found):
        if (decl.model, surface, name) not in MISSING:
            problems.append(f"{decl.model}: {surface} lacks {name!r}, which the declaration names")
    return problems


def _child_wanted(decl: Editable, relation: ChildRelation) -> set[str]:
    """A child row's fields and, for a row with lists of its own (a role's citations), those lists."""
    return set(decl.child_fields(relation)) | {r.name for r in relations_of(relation.child_model)}


def _item_type(annotation: Any) -> Any:
    """The element type of a list annotation (``list[X] | None`` -> X, ``Annotated[str, …]`` -> str)."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (list, typing.Union) or str(origin) == "<class 'types.UnionType'>":
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        else:
            return annotation


def _strawberry_item(field: Any) -> Any:
    kind = field.type
    while hasattr(kind, "of_type"):
        kind = kind.of_type
    return kind


def _graphql_fields(cls: type) -> dict[str, Any]:
    return {f.python_name: f for f in cls.__strawberry_definition__.fields}  # type: ignore[attr-defined]


def _compare_children(
    decl: Editable, surface: str, children: dict[str, Any], fields_of: Callable[[Any], set[str]]
) -> list[str]:
    """Each child list's row type against the relation: a link list is plain text (a slug or code)."""
    problems = []
    for relation in decl.children:
        if relation.name not in children:
            continue
        item = children[relation.name]
        wanted = _child_wanted(decl, relation)
        if item is str:
            if len(wanted) != 1:
                problems.append(
                    f"{decl.model}: {surface} list {relation.name!r} is plain text but its rows have "
                    f"fields {sorted(wanted)}"
                )
            continue
        found = _model_problems(Editable(relation.model, ()), surface, fields_of(item), wanted)
        problems += [p.replace(relation.model, f"{decl.model}.{relation.name}", 1) for p in found]
    return problems


def test_the_declarations_cover_the_models_every_surface_writes() -> None:
    declared = {d.model for d in DECLARED}
    for model in (*SERVICES, *GRAPHQL, *SEED):
        assert model in declared, f"{model} is written by a surface but has no declaration"
    # A child list with pages of its own (a treaty's 198 parties) is declared by its parent.
    rows = {relation.model: (d, relation) for d in DECLARED for relation in d.children}
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        if label.split(".")[0] not in ("events", "people", "places") or label in DECIDED_NOT_EDITED:
            continue
        if label not in declared and label in rows:
            parent, relation = rows[label]
            request = RequestFactory().get("/")
            request.user = AnonymousUser()
            written = set(model_admin.get_fields(request))
            wanted = {relation.parent_key, *parent.child_fields(relation)}
            assert written == wanted, (
                f"{label}: the admin writes {sorted(written)}, its parent declares {sorted(wanted)}"
            )
            continue
        assert label in declared, f"{label} has an admin but no declaration"


@pytest.mark.parametrize("decl", DECLARED, ids=lambda d: d.model)
def test_the_services_take_what_the_declaration_names(decl: Editable) -> None:
    assert decl.model in SERVICES, f"{decl.model}: declared but no service writes it"
    problems = []
    for function in SERVICES[decl.model]:
        params = inspect.signature(function).parameters
        lists = {
            n for n in params if n not in ("actor", "reason", "fields", "expected_version", "list_edits")
        }
        lists -= {decl.model_class._meta.model_name}  # the record an update changes
        problems += _model_problems(decl, f"service {function.__name__}", lists, set(decl.child_names))
    assert problems == []


@pytest.mark.parametrize("decl", DECLARED, ids=lambda d: d.model)
def test_the_graphql_inputs_take_what_the_declaration_names(decl: Editable) -> None:
    if decl.model not in GRAPHQL:
        assert (decl.model, "graphql") in NOT_WRITTEN, f"{decl.model}: no GraphQL input and no reason given"
        return
    problems = []
    create, patch = GRAPHQL[decl.model]
    for cls in (create, patch):
        fields = _graphql_fields(cls)
        wanted = set(decl.fields) | set(decl.child_names)
        if cls is patch:  # an update also adds or removes rows of each list (issue 19)
            wanted |= {f"{name}_{verb}" for name in decl.child_names for verb in ("add", "remove")}
        problems += _model_problems(decl, "graphql", set(fields), wanted)
        for verb in ("", "_add", "_remove"):
            children = {
                name: _strawberry_item(fields[f"{name}{verb}"])
                for name in decl.child_names
                if f"{name}{verb}" in fields
            }
            problems += _compare_children(decl, "graphql", children, lambda item: set(_graphql_fields(item)))
    assert problems == []


@pytest.mark.parametrize("decl", DECLARED, ids=lambda d: d.model)
def test_the_seed_schema_takes_what_the_declaration_names(decl: Editable) -> None:
    if decl.model not in SEED:
        assert (decl.model, "seed") in NOT_WRITTEN, f"{decl.model}: no seed record and no reason given"
        return
    record = SEED[decl.model]
    fields = record.model_fields
    problems = _model_problems(decl, "seed", set(fields), set(decl.fields) | set(decl.child_names))
    children = {name: _item_type(f.annotation) for name, f in fields.items() if name in decl.child_names}
    problems += _compare_children(decl, "seed", children, lambda item: set(item.model_fields))
    assert problems == []


@pytest.fixture
def admin_request(db: Any) -> Any:
    request = RequestFactory().get("/admin/")
    request.user = get_user_model().objects.create_superuser("declarations", password="x")
    return request


def _form_fields(form: type) -> set[str]:
    # The admin's own fields (change reason, version) are declared on the form class.
    return set(form.base_fields) - set(form.declared_fields)  # type: ignore[attr-defined]


@pytest.mark.parametrize("decl", DECLARED, ids=lambda d: d.model)
def test_the_admin_edits_what_the_declaration_names(decl: Editable, admin_request: Any) -> None:
    model_admin = admin.site._registry[decl.model_class]
    form = model_admin.get_form(admin_request)
    problems = _model_problems(decl, "admin", _form_fields(form), set(decl.fields))
    inlines: dict[str, set[str]] = {}
    for inline in model_admin.get_inline_instances(admin_request):
        formset = inline.get_formset(admin_request)
        relation = next(
            (r for r in decl.children if r.child_model is inline.model and r.parent_key == formset.fk.name),
            None,
        )
        if relation is None:
            problems.append(f"{decl.model}: admin inline {inline.model._meta.label} is no declared list")
            continue
        inlines[relation.name] = _form_fields(formset.form) - {formset.fk.name}
    problems += _model_problems(decl, "admin", set(inlines), set(decl.child_names))
    for relation in decl.children:
        if relation.name in inlines:
            wanted = _child_wanted(decl, relation)
            found = _model_problems(
                Editable(relation.model, ()), "admin-inline", inlines[relation.name], wanted
            )
            problems += [p.replace(relation.model, f"{decl.model}.{relation.name}", 1) for p in found]
    assert problems == []

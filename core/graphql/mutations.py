"""What every mutation does around its service call: permission, the record named, inputs read."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import strawberry
import strawberry_django
from django.core.exceptions import ValidationError
from django.db import models
from strawberry import relay
from strawberry.types import Info

from core.graphql.types import DeletionType
from core.permissions import Denied, check_lists
from core.services.record_services import RecordServices

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


def record_named(model: type[M], slug: str) -> M:
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


class ReferenceResolver:
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


def provided_fields(data: object, *, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Return an input's fields the caller set (UNSET ones left out), by Python name."""
    return {
        f.name: value
        for f in dataclasses.fields(data)  # type: ignore[arg-type]
        if f.name not in skip and (value := getattr(data, f.name)) is not strawberry.UNSET
    }


@dataclasses.dataclass(frozen=True)
class RecordMutations:
    """What a model's create, update and delete mutations do around its services.

    Each checks the model's Django permission (``<app>.add_<model>`` …) first, names the
    record by slug, reads the input into the service's arguments (``arguments``) and checks
    the caller may edit the lists it gives, then calls the service; nothing else.
    """

    model: type[models.Model]
    services: RecordServices
    arguments: Callable[[Any], dict[str, Any]]

    def _actor(self, info: Info, action: str) -> Any:
        meta = self.model._meta
        return require_permission(info, f"{meta.app_label}.{action}_{meta.model_name}")

    def create(self, info: Info, input: object, *, reason: str | None) -> Any:
        """Create a record from ``input``; return it."""
        actor = self._actor(info, "add")
        arguments = self.arguments(input)
        check_lists(actor, self.model, None, arguments)
        return self.services.write(actor=actor, reason=reason, stored=None, arguments=arguments)

    def update(
        self, info: Info, slug: str, input: object, *, reason: str | None, expected_version: int | None
    ) -> Any:
        """Change the record ``slug`` names as ``input`` says; return it."""
        actor = self._actor(info, "change")
        record = record_named(self.model, slug)
        arguments = self.arguments(input)
        check_lists(actor, self.model, record, arguments)
        return self.services.write(
            actor=actor, reason=reason, stored=record, arguments=arguments, expected_version=expected_version
        )

    def delete(
        self, info: Info, slug: str, *, reason: str | None, expected_version: int | None
    ) -> DeletionType:
        """Delete the record ``slug`` names; return what it was."""
        actor = self._actor(info, "delete")
        record = record_named(self.model, slug)
        deleted = deletion(record)
        self.services.remove(actor=actor, reason=reason, record=record, expected_version=expected_version)
        return deleted

    def fields(
        self,
        *,
        input: type,
        patch: type,
        output: type,
        create: str,
        update: str,
        delete: str,
    ) -> tuple[Any, Any, Any]:
        """The create, update and delete mutation fields, described by ``create``/``update``/``delete``.

        Assign them in an app's ``Mutation`` (``event_create, event_update, event_delete =
        EVENTS.fields(...)``): the attribute names name the fields, and every model's three
        mutations take the same arguments (``input``, ``slug``, ``reason``, ``expectedVersion``).
        """
        mutations = self

        # Typed by the annotations set below (the model's input, patch and output types), which
        # strawberry reads as any resolver's; a hint written in the signature too would be overwritten.
        def created(self, info, input, reason=None):
            return mutations.create(info, input, reason=reason)

        def updated(self, info, slug, input, reason=None, expected_version=None):
            return mutations.update(info, slug, input, reason=reason, expected_version=expected_version)

        def deleted(self, info, slug, reason=None, expected_version=None):
            return mutations.delete(info, slug, reason=reason, expected_version=expected_version)

        optional = {"reason": str | None, "expected_version": ExpectedVersion}
        created.__annotations__ = {"info": Info, "input": input, "reason": str | None, "return": output}
        updated.__annotations__ = {"info": Info, "slug": str, "input": patch, **optional, "return": output}
        deleted.__annotations__ = {"info": Info, "slug": str, **optional, "return": DeletionType}
        return tuple(  # type: ignore[return-value]
            strawberry_django.mutation(handle_django_errors=True, description=description)(resolver)
            for resolver, description in ((created, create), (updated, update), (deleted, delete))
        )

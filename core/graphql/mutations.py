"""What every mutation does around its service call: permission, the record named, inputs read."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any, TypeVar

import strawberry
from django.core.exceptions import ValidationError
from django.db import models
from strawberry import relay
from strawberry.types import Info

from core.graphql.types import DeletionType
from core.permissions import Denied

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


def record_to_change(model: type[M], slug: str) -> M:
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


class References:
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


def given(data: object, *, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Return an input's fields the caller set (UNSET ones left out), by Python name."""
    return {
        f.name: value
        for f in dataclasses.fields(data)  # type: ignore[arg-type]
        if f.name not in skip and (value := getattr(data, f.name)) is not strawberry.UNSET
    }

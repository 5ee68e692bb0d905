"""What validation hands to the writer: records in write order, each with its origin."""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from seeds.importer.loader import Loc, SeedDocument


@dataclass(slots=True, weakref_slot=True)
class Planned:
    """A record to write and where it came from, for messages and history reasons.

    Slotted: the default import plans ~36,000 of them, each a ~100-byte dict otherwise.
    """

    record: Any
    doc: SeedDocument | None
    section: str
    index: int
    reason: str

    def where(self, loc: Loc = ()) -> str:
        if self.doc is None:
            return self.reason
        line = self.doc.line((self.section, self.index, *loc))
        return f"{self.doc.name}:{line}" if line else self.doc.name


@dataclass
class Plan:
    """Validated records in write order; regions parents-first."""

    sources: list[Planned] = field(default_factory=list)
    countries: list[Planned] = field(default_factory=list)
    organizations: list[Planned] = field(default_factory=list)
    regions: list[Planned] = field(default_factory=list)
    people: list[Planned] = field(default_factory=list)
    treaties: list[Planned] = field(default_factory=list)
    events: list[Planned] = field(default_factory=list)
    person_decisions: list[Planned] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)

    def take(self, section: str) -> list[Planned]:
        """Hand a section's records to the writer, keeping none, so each can go once written."""
        items: list[Planned] = getattr(self, section)
        setattr(self, section, [])
        return items


def record_values(model: type[models.Model], record: Any, **extra: Any) -> dict[str, Any]:
    """The record's values for the model's own (non-relation) fields, enums as their values."""
    names = _declared_names(model, type(record))
    if names is None:
        own = (f for f in model._meta.concrete_fields if not (f.is_relation or f.primary_key))
        names = tuple(f.name for f in own if hasattr(record, f.name))
    values = {}
    for name in names:
        value = getattr(record, name)
        values[name] = value.value if isinstance(value, enum.Enum) else value
    values.update(extra)
    return values


@functools.cache
def _declared_names(model: type[models.Model], record_type: type) -> tuple[str, ...] | None:
    """The model's own (non-relation) fields that records of ``record_type`` have, once per pair;
    None unless the type is a pydantic model that forbids extra fields.

    A ``hasattr`` per field per record on a pydantic model (a miss raises inside pydantic) was
    a tenth of a no-op import. The seed records forbid extra fields (seeds.importer.schema), so
    what such a record has is what its class declares (fields, or properties).
    """
    declared = getattr(record_type, "model_fields", None)
    config = getattr(record_type, "model_config", None) or {}
    if declared is None or config.get("extra") != "forbid":
        return None
    return tuple(
        f.name
        for f in model._meta.concrete_fields
        if not (f.is_relation or f.primary_key) and (f.name in declared or hasattr(record_type, f.name))
    )

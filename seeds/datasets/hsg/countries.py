"""The one table mapping the hsg datasets' country slugs to Chancery countries, by era."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

TABLE = Path(__file__).with_name("countries.yaml")


@dataclass(frozen=True)
class Era:
    code: str
    before: str | None  # ISO day, exclusive; None: from the previous era on


@cache
def table() -> dict[str, tuple[Era, ...]]:
    """Slug -> its eras, in order (a plain code is one era)."""
    raw = yaml.load(TABLE.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)  # dates stay text
    result = {}
    for slug, value in raw.items():
        if isinstance(value, str):
            result[slug] = (Era(value, None),)
        else:
            result[slug] = tuple(Era(item["code"], item.get("before")) for item in value)
    return result


def code_for(slug: str, day: str) -> str | None:
    """The country a record names by ``slug`` on ``day`` (ISO text; '' when unknown), or None."""
    eras = table().get(slug.strip())
    if not eras:
        return None
    if day:
        for era in eras:
            if era.before is None or day < era.before:
                return era.code
    return eras[-1].code


def codes() -> set[str]:
    return {era.code for eras in table().values() for era in eras}

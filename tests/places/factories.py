"""Places for tests, with codes and slugs the seed gazetteer never uses."""

from __future__ import annotations

from typing import Any

from places.models import Country, Region


def make_country(code: str = "QM", name: str = "Testland", **extra: Any) -> Country:
    """Return the user-assigned-code country ``code`` (QM-QZ, XA-XZ are never ISO countries)."""
    country, _ = Country.objects.get_or_create(
        code=code, defaults={"alpha3": f"{code}X", "name": name, **extra}
    )
    return country


def make_region(
    slug: str, *, country: Country | None = None, parent: Region | None = None, **extra: Any
) -> Region:
    """Create region ``test-<slug>``, in ``parent``'s country by default."""
    country = country or (parent.country if parent else make_country())
    return Region.objects.create(
        slug=f"test-{slug}",
        name=extra.pop("name", slug.replace("-", " ").title()),
        kind=extra.pop("kind", "oblast"),
        country=country,
        parent=parent,
        **extra,
    )

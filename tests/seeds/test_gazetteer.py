"""The pycountry gazetteer: every ISO country and subdivision, in a tree with correct paths."""

from __future__ import annotations

import pycountry
import pytest

from places.models import Country, Region
from seeds.importer import gazetteer

pytestmark = pytest.mark.django_db


def test_every_iso_country_and_subdivision_is_loaded():
    iso = {c.alpha_2 for c in pycountry.countries}
    codes = set(Country.objects.filter(historical=False).values_list("code", flat=True))
    # Beside ISO 3166-1, only the current countries of seeds/curated/countries-not-in-iso.yaml.
    assert iso <= codes and codes - iso == {"XK"}
    assert Region.objects.exclude(iso_code=None).count() == len(pycountry.subdivisions)


def test_subdivisions_sit_under_their_iso_parents_with_materialized_paths():
    regions = {r.pk: r for r in Region.objects.all()}
    assert all(
        r.path == (regions[r.parent_id].descendant_prefix if r.parent_id else "/") for r in regions.values()
    )
    rayon = Region.objects.select_related("parent").get(iso_code="AZ-BAB")
    assert (rayon.parent.iso_code, rayon.kind) == ("AZ-NX", "rayon")
    nested = [s for s in pycountry.subdivisions if s.parent_code]
    assert Region.objects.exclude(parent=None).exclude(iso_code=None).count() == len(nested)


@pytest.mark.parametrize(
    ("iso_code", "slug"),
    [
        ("UA-32", "kyivska-oblast"),  # unique name: slugify(name)
        ("AZ-LAN", "lenkeran-az-lan"),  # city and rayon share name and country: name + ISO code
        ("PL-14", "mazowieckie"),
    ],
)
def test_region_slug_scheme(iso_code: str, slug: str):
    assert gazetteer.regions()[iso_code].slug == slug
    assert Region.objects.get(iso_code=iso_code).slug == slug


def test_region_slugs_are_unique_and_kinds_fit_the_model():
    records = gazetteer.regions().values()
    assert len({r.slug for r in records}) == len(records)
    assert gazetteer.region_kind("Group of islands (20 inhabited islands)") == "group of islands"
    assert (
        gazetteer.region_kind("Metropolitan collectivity with special status")
        == "metropolitan collectivity with special"
    )


def test_countries_lead_with_the_common_name():
    korea = gazetteer.countries()["KP"]
    assert (korea.name, korea.aliases) == (
        "North Korea",
        ["Korea, Democratic People's Republic of", "Democratic People's Republic of Korea"],
    )

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.errors import SeedError
from places.models import Country, Region, parent_elsewhere
from seeds.importer import seeds_import
from tests.places.factories import make_country, make_region

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree() -> dict[str, Region]:
    """oblast > (raion > (city, village), other-raion); plus an unrelated oblast."""
    oblast = make_region("oblast")
    raion = make_region("raion", parent=oblast, kind="raion")
    other_raion = make_region("other-raion", parent=oblast, kind="raion")
    city = make_region("city", parent=raion, kind="city")
    village = make_region("village", parent=raion, kind="village")
    elsewhere = make_region("elsewhere")
    return {
        "oblast": oblast,
        "raion": raion,
        "other_raion": other_raion,
        "city": city,
        "village": village,
        "elsewhere": elsewhere,
    }


def slugs(queryset) -> set[str]:
    return set(queryset.values_list("slug", flat=True))


def test_path_lists_ancestor_ids(tree):
    city = Region.objects.get(pk=tree["city"].pk)
    assert city.path == f"/{tree['oblast'].pk}/{tree['raion'].pk}/"
    assert city.ancestor_ids() == [tree["raion"].pk, tree["oblast"].pk]


def test_subtree_is_the_region_and_everything_below_it(tree):
    assert slugs(Region.objects.subtree(tree["oblast"])) == {
        "test-oblast",
        "test-raion",
        "test-other-raion",
        "test-city",
        "test-village",
    }
    assert slugs(Region.objects.subtree(tree["raion"])) == {"test-raion", "test-city", "test-village"}
    assert slugs(Region.objects.subtree(tree["village"])) == {"test-village"}


def test_subtree_is_one_prefix_query(tree):
    with CaptureQueriesContext(connection) as queries:
        list(Region.objects.subtree(tree["oblast"]))
    assert len(queries) == 1
    assert "LIKE" in queries[0]["sql"].upper()


def test_moving_a_subtree_rewrites_the_paths_below_it(tree):
    raion = tree["raion"]
    raion.parent = tree["elsewhere"]
    raion.save()

    assert slugs(Region.objects.subtree(tree["elsewhere"])) == {
        "test-elsewhere",
        "test-raion",
        "test-city",
        "test-village",
    }
    assert slugs(Region.objects.subtree(tree["oblast"])) == {"test-oblast", "test-other-raion"}
    village = Region.objects.get(pk=tree["village"].pk)
    assert village.path == f"/{tree['elsewhere'].pk}/{raion.pk}/"


def test_moving_to_the_top_level_clears_the_path(tree):
    raion = tree["raion"]
    raion.parent = None
    raion.save()
    assert Region.objects.get(pk=tree["city"].pk).path == f"/{raion.pk}/"


def test_a_region_cannot_be_its_own_parent(tree):
    oblast = tree["oblast"]
    oblast.parent = oblast
    with pytest.raises(ValidationError) as excinfo:
        oblast.save()
    assert excinfo.value.message_dict == {
        "parent": ["Oblast lies below Oblast: a region cannot be its own ancestor."]
    }


def test_a_region_cannot_move_below_its_own_descendant(tree):
    oblast = Region.objects.get(pk=tree["oblast"].pk)
    oblast.parent = tree["village"]
    with pytest.raises(ValidationError) as excinfo:
        oblast.full_clean()
    assert excinfo.value.message_dict == {
        "parent": ["Village lies below Oblast: a region cannot be its own ancestor."]
    }
    with pytest.raises(ValidationError):
        oblast.save()
    # Nothing moved.
    assert Region.objects.get(pk=oblast.pk).parent_id is None
    assert Region.objects.get(pk=tree["village"].pk).path == f"/{oblast.pk}/{tree['raion'].pk}/"


def test_a_parent_in_another_country_is_refused(tree):
    foreign = make_region("foreign", country=make_country("QN", "Otherland"))
    foreign.parent = tree["oblast"]
    with pytest.raises(ValidationError) as excinfo:
        foreign.full_clean()
    assert excinfo.value.message_dict == {"parent": ["Oblast is in another country than Otherland (QN)."]}


def test_country_code_must_be_two_upper_case_letters():
    country = make_country("QO", "Thirdland")
    country.code = "Q1"
    with pytest.raises(ValidationError) as excinfo:
        country.full_clean()
    assert excinfo.value.message_dict == {
        "code": ["Two upper-case letters (ISO 3166-1 alpha-2, e.g. PL), or four for a former state (SUHH)."]
    }


def test_a_former_state_has_a_four_letter_code_and_a_current_one_two():
    former = Country(code="QOHH", name="Old Thirdland", historical=True, dissolved="1991-12-26")
    former.full_clean()
    assert former.alpha3 is None and former.dissolved_latest is None  # bounds are set on save
    for code, historical in (("QOHH", False), ("QQ", True)):
        wrong = Country(code=code, name="Wrong", historical=historical)
        with pytest.raises(ValidationError) as excinfo:
            wrong.full_clean()
        assert list(excinfo.value.message_dict) == ["code"]


def test_aliases_must_be_distinct_names():
    country = make_country("QP", "Fourthland", aliases=["Fourth", "fourth"])
    with pytest.raises(ValidationError) as excinfo:
        country.full_clean()
    assert excinfo.value.message_dict == {"aliases": ["Aliases repeat a name: ['Fourth', 'fourth']."]}


def test_the_importer_refuses_a_parent_in_another_country_by_the_same_rule(tmp_path):
    # One home for the rule (places.models.parent_elsewhere): the model's check above and the
    # importer's validate step, which words it with the files' country codes.
    path = tmp_path / "regions.yaml"
    path.write_text(
        "regions:\n"
        "  - {slug: test-oblast, name: Test Oblast, kind: oblast, country: UA}\n"
        "  - {slug: test-town, name: Test Town, kind: city, country: PL, parent: test-oblast}\n"
    )
    with pytest.raises(SeedError) as caught:
        seeds_import(paths=[path])
    assert "parent 'test-oblast' is in UA, not PL" in "\n".join(caught.value.problems)
    assert not Region.objects.filter(slug__in=["test-oblast", "test-town"]).exists()
    assert parent_elsewhere(country="PL", parent_country="UA")
    assert not parent_elsewhere(country="UA", parent_country="UA")

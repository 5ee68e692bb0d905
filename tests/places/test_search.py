"""Region search folds names as person search does (issue 20): Kyiv, Kiev, Київ; São Paulo, Sao Paulo."""

from __future__ import annotations

import pytest

from places.selectors import region_for_text, region_search

pytestmark = pytest.mark.django_db


def slugs(text: str) -> list[str]:
    return list(region_search(text).values_list("slug", flat=True))


@pytest.mark.parametrize("text", ["Kyiv", "Kiev", "Київ", "Киев", "kijow", "KYIV"])
def test_kyiv_by_any_of_its_names(text: str) -> None:
    assert slugs(text)[0] == "kyiv"
    assert region_for_text(text).slug == "kyiv"


def test_accents_fold_both_ways_and_the_city_is_not_its_state() -> None:
    # The state and its city both have the name, in either spelling.
    assert set(slugs("Sao Paulo")[:2]) == set(slugs("São Paulo")[:2]) == {"sao-paulo-city", "sao-paulo"}
    # The gazetteer spells the governorate "Baghdād": the name typed is the city's; the
    # governorate is found by its folded name, after the city.
    assert region_for_text("Baghdad").kind == "city"
    assert [r.kind for r in region_search("Baghdad")[:2]] == ["city", "governorate"]


def test_codes_and_slugs_still_find_regions() -> None:
    assert slugs("ua-14") == ["donetsk-oblast"]
    assert "donetsk-oblast" in slugs("donetsk")
    assert slugs("no such place anywhere") == []

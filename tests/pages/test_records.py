"""Record pages (event, treaty, person, country, region): content, links, and constant SQL statements."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from events.models import Event, Treaty
from tests.pages.conftest import DUDA_KYIV, add_events

pytestmark = pytest.mark.django_db

TREATY = "russia-north-korea-comprehensive-strategic-partnership-treaty"
PAGES = [
    "/",
    "/?person=andrzej-duda",
    "/?region=donetsk-oblast&kind=MEETING&kind=MILITARY",
    "/?country=UA",
    f"/events/{DUDA_KYIV}/",
    f"/treaties/{TREATY}/",
    "/people/andrzej-duda/",
    "/countries/UA/",
    "/regions/donetsk-oblast/",
]


def text(response: Any) -> str:
    return response.content.decode()


def test_the_event_page_shows_participants_places_and_verbatim_quotes(client: Client) -> None:
    html = text(client.get(f"/events/{DUDA_KYIV}/"))
    assert "Andrzej Duda, first head of state to visit Kyiv after the invasion" in html
    assert "between 24 February 2022 and 6 August 2025" in html
    assert "one day, not known exactly" in html
    assert 'href="/people/andrzej-duda/"' in html and 'href="/regions/kyiv/"' in html
    quote = Event.objects.get(slug=DUDA_KYIV).citations.first().quote
    assert f"<blockquote>{quote}</blockquote>".replace("’", "’") in html.replace("&#x27;", "'")
    assert "Edit in admin" not in html


def test_signed_in_editors_get_a_link_to_the_admin_and_the_admin_links_back(admin_client: Client) -> None:
    event = Event.objects.get(slug=DUDA_KYIV)
    assert f'href="/admin/events/event/{event.pk}/change/"' in text(admin_client.get(f"/events/{DUDA_KYIV}/"))
    change_page = text(admin_client.get(f"/admin/events/event/{event.pk}/change/"))
    assert "View on site" in change_page
    assert event.get_absolute_url() == f"/events/{DUDA_KYIV}/"


def test_the_treaty_page_lists_parties_provisions_and_steps(client: Client) -> None:
    treaty = Treaty.objects.get(slug=TREATY)
    html = text(client.get(f"/treaties/{TREATY}/"))
    for party in treaty.parties.select_related("country"):
        assert party.country.name in html
    for provision in treaty.provisions.all():
        assert provision.summary in html
    assert "Russia and North Korea sign a treaty with a mutual-defence pact" in html
    assert "May 2025?" in html


def test_the_person_page_shows_offices_over_time_visits_and_timeline(client: Client) -> None:
    response = client.get("/people/andrzej-duda/")
    html = text(response)
    assert "President" in html and "6 August 2015 – 6 August 2025" in html
    assert 'href="/events/duda-first-visit-kyiv/"' in html
    items = {i["id"]: i for i in response.context["axis_items"]}
    role = next(i for i in items.values() if i["kind"] == "ROLE")
    assert (role["shape"], role["start"], role["end"]) == ("span", "2015-08-06", "2025-08-06")


def test_country_and_region_pages_link_down_the_tree(client: Client) -> None:
    country = text(client.get("/countries/UA/"))
    assert 'href="/regions/donetsk-oblast/"' in country
    assert "Andrzej Duda" in country  # hosted visits
    region = client.get("/regions/donetsk-oblast/")
    assert "ISO 3166-2 UA-14" in text(region)
    assert "chervona-zirka-capture-claim" in [e.slug for e in region.context["events"]]
    kostiantynivka = text(client.get("/regions/kostiantynivka/"))
    assert 'href="/regions/donetsk-oblast/"' in kostiantynivka  # its breadcrumb


@pytest.mark.parametrize(
    "url", ["/events/nope/", "/treaties/nope/", "/people/nope/", "/countries/ZZ/", "/regions/nope/"]
)
def test_an_unknown_record_is_a_404(client: Client, url: str) -> None:
    assert client.get(url).status_code == 404


def test_pages_are_read_only(client: Client) -> None:
    assert client.post("/").status_code == 405
    assert client.post(f"/events/{DUDA_KYIV}/").status_code == 405


def test_each_page_runs_the_same_statements_however_many_events_it_shows(
    client: Client, count_statements: Callable[[Client, str], tuple[int, Any]]
) -> None:
    before = {url: count_statements(client, url)[0] for url in PAGES}
    add_events(40)
    after = {url: count_statements(client, url)[0] for url in PAGES}
    assert after == before
    # 16: the cite block's data version is one statement (issue 24).
    assert max(before.values()) <= 16, before

"""Pages at the record's real size (issue 23): a treaty with two hundred parties, a person with
more events than a page holds, the explorer's order and search parameter, the favicon."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from events import selectors, views
from events.models import Event, EventKind
from tests.events.factories import make_event
from tests.pages.conftest import KERRY, MONTREAL, add_events, build_kerry, build_montreal_protocol

pytestmark = pytest.mark.django_db


def party_names(response: Any) -> list[str]:
    html = response.content.decode()
    table = html[html.index('id="parties"') :]
    return re.findall(r'<th scope="row"><a href="/countries/[^"]+/">([^<]+)</a>', table)


def test_a_treaty_with_many_parties_shows_its_steps_first_and_every_party() -> None:
    build_montreal_protocol(198)
    response = Client().get(f"/treaties/{MONTREAL}/")
    html = response.content.decode()
    assert response.status_code == 200
    # The axis of its steps comes before the long table, not 16,000 px below.
    assert html.index('id="axis"') < html.index('id="parties"')
    assert 'Parties <span class="muted">(198)</span>' in html
    names = party_names(response)
    assert len(names) == 198 and names == sorted(names, key=str.casefold)
    assert "No provisions recorded" not in html  # no empty box beside the parties


def test_parties_sort_by_a_step_date_with_the_undated_last() -> None:
    treaty = build_montreal_protocol(40)
    by_signature = party_names(Client().get(f"/treaties/{MONTREAL}/?parties=signed"))
    signed = {
        p.country.name for p in treaty.parties.select_related("country") if p.signed
    }  # every fourth signed in 1987
    assert set(by_signature[: len(signed)]) == signed
    by_ratification = party_names(Client().get(f"/treaties/{MONTREAL}/?parties=ratified"))
    days = {p.country.name: p.ratified_earliest for p in treaty.parties.select_related("country")}
    assert [days[n] for n in by_ratification] == sorted(days.values())


def test_an_unknown_party_sort_says_so_and_sorts_by_name() -> None:
    build_montreal_protocol(5)
    response = Client().get(f"/treaties/{MONTREAL}/?parties=population")
    assert response.status_code == 200
    assert (
        "Parties cannot be sorted by &#x27;population&#x27;: sort by name, signed, ratified, in_force."
        in (response.content.decode())
    )
    names = party_names(response)
    assert names == sorted(names, key=str.casefold)


def test_a_busy_persons_axis_spans_their_whole_record() -> None:
    build_kerry(120)
    response = Client().get(f"/people/{KERRY}/")
    html = response.content.decode()
    listed = json.loads(re.search(r'id="axis-items" type="application/json">(.*?)</script>', html).group(1))
    assert len([i for i in listed if i["kind"] == "VISIT"]) == views.PAGE_SIZE  # 50 in detail …
    bands = json.loads(re.search(r'id="axis-overview" type="application/json">(.*?)</script>', html).group(1))
    # … and the overview counts all 120, year by year, 2013 to 2017.
    assert [b["id"] for b in bands] == [f"overview-{y}" for y in range(2013, 2018)]
    assert sum(b["count"] for b in bands) == 120
    assert "All 120 events, by year" in html
    assert f'href="/?person={KERRY}&amp;from=2016&amp;to=2016"' in html  # each bar opens its year


def test_a_countrys_page_counts_its_events_by_year() -> None:
    add_events(3)  # 2023, in Ukraine
    response = Client().get("/countries/UA/")
    html = response.content.decode()
    bands = json.loads(re.search(r'id="axis-overview" type="application/json">(.*?)</script>', html).group(1))
    assert {b["id"] for b in bands} >= {"overview-2022", "overview-2023"}
    assert sum(b["count"] for b in bands) == selectors.event_timeline(country="UA").count()


def test_year_counts_place_an_open_start_in_the_year_of_its_known_end() -> None:
    make_event("until-2019", date="../2019-03-01")
    make_event("in-2019", date="2019-05")
    counts = dict(selectors.year_counts(Event.objects.filter(slug__in=["test-until-2019", "test-in-2019"])))
    assert counts == {2019: 2}
    assert 1 not in dict(selectors.year_counts(Event.objects.all()))  # no "year 1" from an open start


def test_oldest_first_puts_an_open_start_after_every_dated_event_on_every_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_events(12)
    monkeypatch.setattr(views, "PAGE_SIZE", 5)
    client, seen, url = Client(), [], "/"
    while url:
        html = client.get(url).content.decode()
        seen += re.findall(r'<li class="event[^"]*" id="event-([^"]+)"', html)
        next_link = re.search(r'href="(\?[^"]*after=[^"]+)"', html)
        url = "/" + next_link.group(1).replace("&amp;", "&") if next_link else ""
    everything = list(Event.objects.values_list("slug", flat=True))
    assert sorted(seen) == sorted(everything)  # each once, none lost at the seam
    assert seen[-1] == "eastern-ukraine-offensive-damage"  # "../2025-08-06": after all dated events
    firsts = Event.objects.in_bulk(seen[:-1], field_name="slug")
    days = [firsts[s].date_earliest for s in seen[:-1]]
    assert days == sorted(days)


def test_the_explorer_reads_search_as_well_as_q() -> None:
    make_event("nuclear-talks", title="Nuclear talks in Vienna", kind=EventKind.MEETING, date="2023-03-01")
    client = Client()

    def listed(url: str) -> list[str]:
        return re.findall(r'<li class="event[^"]*" id="event-([^"]+)"', client.get(url).content.decode())

    assert listed("/?search=nuclear") == listed("/?q=nuclear") == ["test-nuclear-talks"]
    assert len(listed("/")) > 1
    by_search = client.get("/?search=nuclear").content.decode()
    assert 'value="nuclear"' in by_search  # the search box shows what was searched
    assert "q=nuclear" in client.get("/?search=nuclear").context["querystring"]


def test_the_favicon_is_served_where_browsers_ask() -> None:
    response = Client().get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg") and "max-age=86400" in response["Cache-Control"]

"""Pages at the record's real size in a real browser, at a laptop's width and a phone's (issue 23),
and the project's TimelineJS export drawn by the real TimelineJS library (vendored from npm).

Screenshots go to var/screenshots/ beside test_browser.py's: ``<page>-1366.png`` and
``<page>-390.png``, each the first screen a reader sees (a 198-party treaty is 30,000 px tall
on a phone; what matters is what is above the fold and that nothing runs off sideways).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from events.models import Citation, Event, Source
from tests.pages.conftest import DUDA_KYIV, KERRY, MONTREAL, build_kerry, build_montreal_protocol
from tests.pages.test_browser import CHROMIUM, ORIGIN, SHOTS, axis_drawn, browser, open_page, sync_api

__all__ = ["browser", "open_page"]  # the fixtures, shared with test_browser.py

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
    pytest.mark.django_db,
    # One xdist worker runs this module, so its browser (a module fixture) is launched once.
    pytest.mark.xdist_group("pages-browser-sizes"),
]

WIDTHS = (1366, 390)
FOLD = 900


def at_each_width(page: Any, path: str, name: str, *, drawn: int | None = None) -> list[dict[str, float]]:
    """Open ``path`` at each width, check nothing overflows sideways, screenshot the first screen;
    return where the axis starts and how wide the page is at each."""
    measures = []
    for width in WIDTHS:
        page.tab.set_viewport_size({"width": width, "height": FOLD})
        tab = page.goto(path)
        if drawn is not None:
            axis_drawn(tab, drawn)
        measure = tab.evaluate(
            """() => ({
                scrollWidth: document.documentElement.scrollWidth,
                axisTop: document.getElementById('axis').getBoundingClientRect().top + window.scrollY,
            })"""
        )
        assert measure["scrollWidth"] <= width, f"{path} overflows sideways at {width} px: {measure}"
        SHOTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(SHOTS / f"{name}-{width}.png"))
        measures.append(measure)
    return measures


def test_the_montreal_protocol_shows_its_steps_above_the_fold_at_any_width(open_page: Any) -> None:
    build_montreal_protocol(198)
    page = open_page()
    for measure in at_each_width(page, f"/treaties/{MONTREAL}/", "montreal-protocol", drawn=2):
        assert measure["axisTop"] < FOLD - 100  # the steps' axis is on the first screen
    assert page.tab.locator("#parties tbody tr").count() == 198
    page.tab.set_viewport_size({"width": 1366, "height": FOLD})
    tab = page.goto(f"/treaties/{MONTREAL}/")
    tab.get_by_role("link", name="ratified").click()
    sync_api.expect(tab.locator(".sort-links strong")).to_have_text("ratified")
    # The new page's stylesheet too: measured before it applies, main is the window's width.
    tab.wait_for_load_state("load")
    # Full width: the table is as wide as the page's column, not squeezed beside provisions.
    widths = tab.evaluate(
        "() => [document.querySelector('#parties table').offsetWidth,"
        " document.querySelector('main').clientWidth]"
    )
    assert widths[0] >= widths[1] - 120


def test_kerrys_axis_spans_2013_to_2017_though_the_page_lists_fifty(open_page: Any) -> None:
    build_kerry(120)
    page = open_page()
    # 50 visits and the office drawn; all 120 counted in five year bands behind them.
    at_each_width(page, f"/people/{KERRY}/", "person-kerry", drawn=51)
    assert page.tab.locator("#axis .vis-item.overview").count() == 5
    start, end = page.tab.evaluate(
        "() => { const w = window.chanceryTimeline.getWindow();"
        " return [w.start.getFullYear(), w.end.getFullYear()]; }"
    )
    assert start <= 2013 and end >= 2017
    assert page.tab.locator(".overview-bars li").count() == 5


def test_poland_and_the_explorer_read_at_both_widths(open_page: Any) -> None:
    page = open_page()
    at_each_width(page, "/countries/PL/", "country-poland")
    at_each_width(page, "/", "explorer")
    first = page.tab.locator("#event-list > li").first
    # Oldest first: the open start "../2025-08-06" no longer leads the list.
    assert first.get_attribute("id") != "event-eastern-ukraine-offensive-damage"


TIMELINEJS_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="/static/vendor/timelinejs/css/timeline.css">
<script src="/static/vendor/timelinejs/js/timeline.js"></script></head>
<body style="margin:0"><div id="timeline" style="width:1366px;height:640px"></div>
<script>
  window.timeline = new TL.Timeline("timeline", "%s",
    {script_path: "/static/vendor/timelinejs/js/", font: null, theme: null, hash_bookmark: false});
  window.timeline.on("loaded", function () { window.timelineLoaded = true; });
</script></body></html>"""


def test_the_real_timelinejs_draws_the_kyiv_visit_inside_its_window(open_page: Any) -> None:
    from seeds.datasets.ggo.adapter import SOURCE_RECORD

    # The GGO credit, as its adapter writes it, cited by the visit: the title slide must carry it.
    ggo = Source.objects.create(**SOURCE_RECORD)
    Citation.objects.create(source=ggo, event=Event.objects.get(slug=DUDA_KYIV), quote="")
    page = open_page()
    export = "/export/timelinejs.json?person=andrzej-duda"
    page.tab.route(
        f"{ORIGIN}/timelinejs-check",
        lambda route: route.fulfill(content_type="text/html", body=TIMELINEJS_PAGE % export),
    )
    page.tab.set_viewport_size({"width": 1366, "height": 700})
    tab = page.goto("/timelinejs-check")
    tab.wait_for_function("window.timelineLoaded === true")
    title = tab.locator(".tl-slide-titleslide")
    sync_api.expect(title).to_contain_text("Hollway, James, and Jael Tan")
    sync_api.expect(title).to_contain_text("CC BY 4.0")
    # Where TimelineJS put the visit: its own parsed date, on its own scale.
    placed = tab.evaluate(
        """id => {
            const data = window.timeline.getDataById(id);
            return [data.start_date.getTime(), data.end_date ? data.end_date.getTime() : null,
                    data.start_date.getDisplayDate ? null : null];
        }""",
        DUDA_KYIV,
    )
    first, last = (
        int(date(2022, 2, 24).strftime("%s")) * 1000 - 86_400_000,
        int(date(2025, 8, 6).strftime("%s")) * 1000 + 86_400_000,
    )
    assert first <= placed[0] <= last and placed[1] is None  # a point inside the window, not a bar
    tab.evaluate("id => window.timeline.goToId(id)", DUDA_KYIV)
    slide = tab.locator(
        ".tl-slide:not(.tl-slide-titleslide)", has_text="first head of state to visit Kyiv"
    ).first
    sync_api.expect(slide).to_contain_text("between 24 February 2022 and 6 August 2025")
    sync_api.expect(slide).to_contain_text("Hollway, James")  # the per-slide credit
    tab.wait_for_timeout(1000)  # TimelineJS animates to the slide
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SHOTS / "timelinejs-duda-kyiv.png"))
    # On TimelineJS's own axis the marker starts where 24 February 2022 is, not at 1 January.
    left, window_start, new_year = tab.evaluate(
        """id => {
            const scale = window.timeline._timenav.timescale;
            const marker = document.getElementById(id + '-marker');
            return [marker.offsetLeft, scale.getPosition(Date.UTC(2022, 1, 24)),
                    scale.getPosition(Date.UTC(2022, 0, 1))];
        }""",
        DUDA_KYIV,
    )
    assert abs(left - window_start) <= 2 < abs(left - new_year), (left, window_start, new_year)
    data = json.loads(tab.evaluate("u => fetch(u).then(r => r.text())", export))
    assert next(e for e in data["events"] if e["unique_id"] == DUDA_KYIV)["start_date"] == {
        "year": 2022,
        "month": 2,
        "day": 24,
    }


def test_a_person_page_as_it_stood_says_so_above_the_fold_at_any_width(open_page: Any) -> None:
    from urllib.parse import quote

    from django.contrib.auth.models import User
    from django.utils import timezone

    from people.models import Person
    from people.services import person_update

    before = timezone.now()
    person_update(
        actor=User.objects.create_superuser("renamer"),
        reason="renamed",
        person=Person.objects.get(slug="andrzej-duda"),
        fields={"name": "A. Duda"},
    )
    page = open_page()
    path = f"/people/andrzej-duda/?as_of={quote(before.isoformat())}"
    at_each_width(page, path, "person-as-of")
    tab = page.tab
    sync_api.expect(tab.locator("h1")).to_have_text("Andrzej Duda")
    header = tab.locator(".as-of")
    sync_api.expect(header).to_contain_text("As it stood on")
    assert header.bounding_box()["y"] < FOLD  # at 390 px too: the reader sees it first
    tab.locator(".cite summary").click()
    sync_api.expect(tab.locator(".cite-text")).to_contain_text("“Andrzej Duda”. Chancery.")
    tab.locator(".cite").screenshot(path=str(SHOTS / "person-as-of-cite-390.png"))

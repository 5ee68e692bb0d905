"""The public pages in a real browser (Debian's Chromium through Playwright), screenshots in var/screenshots/.

As in tests/admin/test_browser.py, the browser's requests are answered by Django's test
client inside each test's transaction, static files by the staticfiles finders; every
other address is aborted, so nothing may come from outside. One browser serves the module.
"""

from __future__ import annotations

import csv
import io
import json
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client

from events import views
from events.models import Event
from tests.pages.conftest import DUDA_KYIV, add_events

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path("/usr/bin/chromium")
ORIGIN = "http://localhost"  # a trustworthy origin, as a reader on a real host has
SHOTS = settings.BASE_DIR / "var" / "screenshots"

if not CHROMIUM.exists():  # pragma: no cover - loud on purpose
    print("\n!!! /usr/bin/chromium is missing: the public pages' browser tests are SKIPPED (make browser).\n")
pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (make browser)"
    ),
    pytest.mark.django_db,
    # One xdist worker runs this module, so its browser (a module fixture) is launched once.
    pytest.mark.xdist_group("pages-browser"),
]


def outside_the_event_loop(connection: Any, call: Callable[[], Any]) -> Any:
    """Run ``call`` in a thread without Playwright's event loop, on this test's connection.

    In the loop's thread strawberry would take the view for async and leave its resolvers
    unawaited; the thread shares the connection (and so the test's transaction) while this
    one waits for it.
    """
    outcome: dict[str, Any] = {}

    def run() -> None:
        connections[DEFAULT_DB_ALIAS] = connection
        try:
            outcome["value"] = call()
        except BaseException as error:  # re-raised in the test's thread
            outcome["error"] = error

    connection.inc_thread_sharing()
    try:
        worker = threading.Thread(target=run)
        worker.start()
        worker.join()
    finally:
        connection.dec_thread_sharing()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def serve(client: Client, route: Any, connection: Any) -> None:
    """Answer a request to the test server from Django or the static files; abort any other."""
    request = route.request
    url = urlsplit(request.url)
    if f"{url.scheme}://{url.netloc}" != ORIGIN:
        route.abort()
        return
    connections[DEFAULT_DB_ALIAS] = connection  # Playwright's greenlet would open another connection
    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if url.path.startswith(static_prefix):
        found = finders.find(url.path.removeprefix(static_prefix))
        route.fulfill(path=found) if found else route.fulfill(status=404)
        return
    response = outside_the_event_loop(
        connection,
        lambda: client.generic(
            request.method,
            f"{url.path}?{url.query}" if url.query else url.path,
            data=request.post_data_buffer or b"",
            content_type=request.headers.get("content-type", "application/octet-stream"),
            headers={"accept": request.headers.get("accept", "*/*")},
        ),
    )
    body = b"".join(response.streaming_content) if response.streaming else response.content
    route.fulfill(status=response.status_code, headers=dict(response.items()), body=body)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    # Playwright's sync API keeps an event loop in this thread; the ORM calls are still synchronous.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
            yield browser
            browser.close()
            # Under Playwright's event loop Django's connection handler (an asgiref Local) gave
            # this thread connections of its own: closed here, or the test database cannot be
            # dropped at the end of the run ("is being accessed by other users").
            connections.close_all()


class Page:
    """A browser tab on the test server that records console errors."""

    def __init__(self, browser: Any, client: Client, *, javascript: bool = True) -> None:
        self.context = browser.new_context(
            viewport={"width": 1280, "height": 900}, java_script_enabled=javascript, accept_downloads=True
        )
        self.tab = self.context.new_page()
        self.errors: list[str] = []
        self.tab.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.tab.on("pageerror", lambda e: self.errors.append(str(e)))
        connection = connections[DEFAULT_DB_ALIAS]
        self.context.route("**/*", lambda route: serve(client, route, connection))

    def goto(self, path: str) -> Any:
        self.tab.goto(ORIGIN + path)
        return self.tab

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.tab.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def open_page(browser: Any, client: Client) -> Iterator[Any]:
    pages: list[Page] = []

    def make(**kwargs: Any) -> Page:
        pages.append(Page(browser, client, **kwargs))
        return pages[-1]

    yield make
    for page in pages:
        page.context.close()
        assert page.errors == [], page.errors  # no console errors on any page


def axis_drawn(tab: Any, count: int) -> None:
    # Events and offices; a record's overview bands (background items, events/overview.py) aside.
    sync_api.expect(tab.locator("#axis .vis-item:not(.overview) .vis-item-content")).to_have_count(count)


def test_the_explorer_draws_the_uncertain_kyiv_visit_as_a_faint_band(open_page: Any) -> None:
    page = open_page()
    tab = page.goto("/")
    shown = min(Event.objects.count(), views.PAGE_SIZE)
    axis_drawn(tab, shown)
    kyiv = tab.locator("#axis .vis-item", has_text="Andrzej Duda, first head of state")
    assert "shape-within" in kyiv.get_attribute("class")
    style = kyiv.evaluate(
        "e => { const s = getComputedStyle(e); return [s.backgroundColor, s.borderStyle]; }"
    )
    assert style == ["rgba(45, 106, 159, 0.16)", "dashed"]  # faint and dashed, not a solid three-year bar
    solid = tab.locator("#axis .vis-item.shape-span", has_text="Poland becomes a logistics hub")
    assert "end-open" in solid.get_attribute("class")  # still going: it fades out
    claimed = tab.locator("#axis .vis-item.status-claimed")
    assert claimed.evaluate("e => getComputedStyle(e).borderStyle") == "dashed"
    assert tab.locator("#event-list > li").count() == shown
    tab.keyboard.press("Tab")  # keyboard users move through the list; the axis follows
    tab.locator(f"#event-{DUDA_KYIV} summary").focus()
    sync_api.expect(kyiv).to_have_class(re.compile(r"\bvis-selected\b"))
    page.shot("explorer")


def test_filters_by_person_and_by_region(open_page: Any) -> None:
    page = open_page()
    tab = page.goto("/")
    tab.get_by_label("Person").fill("Andrzej Duda")
    tab.get_by_role("button", name="Show events").click()
    tab.wait_for_url("**/?*person=Andrzej+Duda*")
    axis_drawn(tab, 2)
    sync_api.expect(tab.locator("h1")).to_have_text("Timeline: Andrzej Duda")
    page.shot("explorer-duda")

    tab = page.goto("/?region=donetsk-oblast")
    axis_drawn(tab, 4)
    sync_api.expect(tab.locator("#event-list")).to_contain_text("Russia claims the capture of Chervona Zirka")
    page.shot("explorer-donetsk")


def test_an_event_opens_to_its_quote_and_its_page(open_page: Any) -> None:
    page = open_page()
    tab = page.goto("/")
    tab.locator("#axis .vis-item", has_text="Russia claims the capture").click()
    row = tab.locator("#event-chervona-zirka-capture-claim")
    quote = "Russia’s defense ministry claimed that its forces have taken the village of Chervona Zirka."
    sync_api.expect(row.locator("blockquote").first).to_contain_text(quote)
    sync_api.expect(row.locator("details")).to_have_attribute("open", "")
    row.get_by_role("link", name="Event page →").click()
    sync_api.expect(tab.locator("h1")).to_have_text("Russia claims the capture of Chervona Zirka")
    sync_api.expect(tab.locator("blockquote").first).to_contain_text(quote)
    page.shot("event-chervona-zirka")
    tab = page.goto(f"/events/{DUDA_KYIV}/")
    axis_drawn(tab, 1)
    page.shot("event-duda-kyiv")


def test_pages_through_more_events_than_one_screen(open_page: Any) -> None:
    add_events(views.PAGE_SIZE + 10)
    page = open_page()
    tab = page.goto("/?person=andrzej-duda")
    axis_drawn(tab, views.PAGE_SIZE)
    tab.get_by_role("link", name="Later events →").click()
    axis_drawn(tab, 12)
    sync_api.expect(tab.locator("#event-list")).to_contain_text("Zelenskyy and Duda meet")
    sync_api.expect(tab.get_by_role("link", name="Later events →")).to_have_count(0)
    page.shot("explorer-page-2")


def test_without_javascript_the_list_is_the_page(open_page: Any) -> None:
    page = open_page(javascript=False)
    tab = page.goto("/?kind=VISIT")
    sync_api.expect(tab.locator("#event-list > li")).to_have_count(
        min(Event.objects.filter(kind="VISIT").count(), views.PAGE_SIZE)
    )
    sync_api.expect(tab.locator("#axis")).to_be_hidden()
    tab.locator(f"#event-{DUDA_KYIV} summary").click()
    sync_api.expect(tab.locator(f"#event-{DUDA_KYIV} blockquote").first).to_be_visible()
    page.shot("explorer-no-javascript")


def test_each_export_downloads_and_parses(open_page: Any) -> None:
    page = open_page()
    tab = page.goto("/?person=andrzej-duda")
    files = {}
    for name in ("TimelineJS", "CSV", "JSON"):
        link = tab.get_by_role("link", name=name, exact=True)
        assert link.get_attribute("download") == ""
        # Fetched as the link's download would be, through the same (offline) routing.
        disposition, files[name] = tab.evaluate(
            "href => fetch(href).then(async r => [r.headers.get('content-disposition'), await r.text()])",
            link.get_attribute("href"),
        )
        assert disposition.startswith("attachment; filename=")
    timelinejs = json.loads(files["TimelineJS"])
    assert [e["unique_id"] for e in timelinejs["events"]] == [DUDA_KYIV, "duda-zelenskyy-meeting"]
    # The credit lines before the header are single cells starting "#" (events/exports.py).
    lines = [line for line in io.StringIO(files["CSV"]) if not line.lstrip('"').startswith("#")]
    assert [r["slug"] for r in csv.DictReader(lines)] == [
        DUDA_KYIV,
        "duda-zelenskyy-meeting",
    ]
    assert json.loads(files["JSON"])["events"][0]["date"]["shape"] == "within"


def test_record_pages_draw_their_timelines(open_page: Any) -> None:
    page = open_page()
    for path, name, offices in [
        ("/people/andrzej-duda/", "person-duda", 1),
        ("/countries/UA/", "country-ua", 0),
        ("/regions/donetsk-oblast/", "region-donetsk", 0),
        ("/treaties/russia-north-korea-comprehensive-strategic-partnership-treaty/", "treaty-ru-kp", 0),
    ]:
        tab = page.goto(path)
        listed = tab.locator("#event-list > li:not(.empty)").count()
        assert listed >= 1
        axis_drawn(tab, listed + offices)  # every listed event, and each office, is on the axis
        page.shot(name)


def test_graphiql_runs_a_query_with_the_outside_network_blocked(open_page: Any) -> None:
    page = open_page()
    tab = page.goto("/graphql/")
    tab.locator(".graphiql-execute-button").click()
    sync_api.expect(tab.locator(".result-window")).to_contain_text(DUDA_KYIV, timeout=10_000)
    page.shot("graphiql")


def test_the_person_field_suggests_as_one_types_and_the_keyboard_picks(open_page: Any) -> None:
    # issue 20: "kerr" suggests John Forbes Kerry (the ARIA combobox of person-suggest.js).
    from django.contrib.auth.models import User

    from people.services import person_create

    editor = User.objects.create_user("browser-suggest")
    person_create(actor=editor, fields={"slug": "kerry-john-forbes", "name": "John Forbes Kerry"})
    page = open_page()
    tab = page.goto("/")
    field = tab.get_by_role("combobox", name="Person")
    field.press_sequentially("kerr", delay=30)
    option = tab.get_by_role("option", name="John Forbes Kerry")
    sync_api.expect(option).to_be_visible()
    sync_api.expect(field).to_have_attribute("aria-expanded", "true")
    page.shot("explorer-person-suggestions")
    field.press("ArrowDown")
    sync_api.expect(option).to_have_attribute("aria-selected", "true")
    sync_api.expect(field).to_have_attribute("aria-activedescendant", option.get_attribute("id"))
    field.press("Enter")  # picks; does not submit yet
    sync_api.expect(field).to_have_value("kerry-john-forbes")
    sync_api.expect(tab.get_by_role("listbox")).to_be_hidden()
    field.press("Enter")  # now submits the form
    tab.wait_for_url("**/?*person=kerry-john-forbes*")
    sync_api.expect(tab.locator("h1")).to_have_text("Timeline: John Forbes Kerry")

"""The EDTF input's live preview in a real browser; skipped without Playwright and Chromium.

The browser's requests are answered by Django's test client inside this
test's transaction (no live server, so the seeded database is never flushed);
static files come from the staticfiles finders.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client
from django.urls import reverse

from events.models import TreatyParty
from tests.events.factories import make_event, make_treaty
from tests.places.factories import make_country

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path("/usr/bin/chromium")
ORIGIN = "http://testserver"
SCREENSHOT = settings.BASE_DIR / "var" / "screenshots" / "edtf-preview.png"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")


def serve(client: Client, route: Any, connection: Any) -> None:
    """Answer one browser request from Django or the static files."""
    # Playwright calls back in its own greenlet, whose context would open a
    # second connection outside the test's transaction; hand it this one.
    connections[DEFAULT_DB_ALIAS] = connection
    request = route.request
    url = urlsplit(request.url)
    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if url.path.startswith(static_prefix):
        found = finders.find(url.path.removeprefix(static_prefix))
        route.fulfill(path=found) if found else route.fulfill(status=404)
        return
    response = client.generic(
        request.method,
        f"{url.path}?{url.query}" if url.query else url.path,
        data=request.post_data_buffer or b"",
        content_type=request.headers.get("content-type", "application/octet-stream"),
    )
    route.fulfill(status=response.status_code, headers=dict(response.items()), body=response.content)


@pytest.fixture
def page(editor_client: Client, monkeypatch: pytest.MonkeyPatch) -> Any:
    # Playwright's sync API keeps an event loop in this thread; the ORM calls are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    connection = connections[DEFAULT_DB_ALIAS]
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = browser.new_page()
        page.route(f"{ORIGIN}/**", lambda route: serve(editor_client, route, connection))
        yield page
        browser.close()


@pytest.fixture
def event(db: Any) -> Any:
    return make_event("browser", date="2022~")


@pytest.fixture
def treaty(db: Any) -> Any:
    return make_treaty("browser")


# Records are made by fixtures listed before ``page``: once the browser runs, this thread's ORM
# context belongs to Playwright.
def test_the_date_input_shows_what_the_editor_types(event: Any, page: Any) -> None:
    page.goto(ORIGIN + reverse("admin:events_event_change", args=[event.pk]))
    preview = page.locator("#id_date_preview")
    sync_api.expect(preview).to_have_text("c. 2022 (2022-01-01 to 2022-12-31)")

    page.locator("#id_date").fill("2024-05")
    sync_api.expect(preview).to_have_text("May 2024 (2024-05-01 to 2024-05-31)")
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    page.locator("#id_date").fill("2024-13")
    sync_api.expect(preview).to_have_text(
        "'2024-13' is not a valid EDTF date (examples: 2024-05, 2022-04-13, 2022~, 2024-05?, 2022-02-24/..)."
    )
    sync_api.expect(preview).to_have_class("edtf-preview edtf-error")

    page.locator("#id_date").fill("")
    sync_api.expect(preview).to_have_text("")


def test_inline_rows_added_in_the_page_get_the_preview_too(treaty: Any, page: Any) -> None:
    page.goto(ORIGIN + reverse("admin:events_treaty_change", args=[treaty.pk]))
    page.locator("#parties-group .add-row a").click()
    page.locator("#id_parties-0-signed").fill("2024-06-19")
    sync_api.expect(page.locator("#id_parties-0-signed_preview")).to_have_text(
        "19 June 2024 (2024-06-19 to 2024-06-19)"
    )


# The admin at real size (issue 23): wide inlines fit a 1,366 px window, the Delete column shows.
WIDE_SCREENSHOT = settings.BASE_DIR / "var" / "screenshots" / "admin-treaty-parties-1366.png"


@pytest.fixture
def big_treaty(db: Any) -> Any:
    treaty = make_treaty("browser-many", signed="1987-09-16")
    countries = [make_country("QJ"[i // 26] + chr(65 + i % 26), f"Party {i}") for i in range(30)]
    TreatyParty.objects.bulk_create(
        TreatyParty(treaty=treaty, country=c, signed="1988", note="A long note " * 8) for c in countries
    )
    return treaty


def test_a_treaty_with_many_parties_fits_a_1366_px_window(big_treaty: Any, page: Any) -> None:
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(ORIGIN + reverse("admin:events_treaty_change", args=[big_treaty.pk]))
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    page.evaluate("document.getElementById('parties-bounded').scrollIntoView()")
    delete = page.locator("#parties-group td.delete").first.bounding_box()
    assert delete is not None and delete["x"] + delete["width"] <= 1366
    assert page.locator("#parties-group tr.form-row.has_original").count() == 12
    WIDE_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(WIDE_SCREENSHOT))

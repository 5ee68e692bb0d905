"""An editor decides a possible duplicate in a real browser; skipped without Playwright and Chromium."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from people.models import PersonCandidate
from tests.admin.test_browser import CHROMIUM, ORIGIN, page, sync_api  # noqa: F401 (the page fixture)
from tests.admin.test_identity import pair  # noqa: F401 (the pair fixture)

SCREENSHOT = settings.BASE_DIR / "var" / "screenshots" / "possible-duplicate.png"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")


@pytest.fixture
def slugs(pair: Any) -> tuple[str, str, str]:  # noqa: F811
    """The survivor's and the merged record's slugs, and the pair's page, read before the browser runs."""
    candidate = PersonCandidate.objects.get()
    return pair[0].slug, pair[1].slug, reverse("admin:people_personcandidate_change", args=[candidate.pk])


# ``slugs`` is listed before ``page``: once the browser runs, this thread's ORM context is Playwright's.
def test_an_editor_merges_a_pair_side_by_side(slugs: Any, page: Any) -> None:  # noqa: F811
    survivor, merged, url = slugs
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(ORIGIN + url)
    sides = page.locator(".pair section")
    sync_api.expect(sides).to_have_count(2)
    sync_api.expect(sides.nth(0)).to_contain_text("Person alias 0")
    sync_api.expect(sides.nth(1)).to_contain_text("Person alias 1")
    page.get_by_label("Reason").fill("Same person, two records")
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    page.get_by_role("button", name="Merge: one person").click()
    sync_api.expect(page.locator(".messagelist")).to_contain_text(f"{merged} now names {survivor}")
    sync_api.expect(page.locator("h2").first).to_contain_text("Person 0")

"""The admin at real size in Chromium at 1,366 px: wide inlines fit, the Delete column shows (issue 23)."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from events.models import TreatyParty
from tests.admin.test_browser import CHROMIUM, ORIGIN, page  # noqa: F401 (the page fixture)
from tests.events.factories import make_treaty
from tests.places.factories import make_country

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
SCREENSHOT = settings.BASE_DIR / "var" / "screenshots" / "admin-treaty-parties-1366.png"


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
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))

"""Exports of an explorer query: TimelineJS3 JSON, CSV and JSON, each with Chancery's date semantics."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.test import Client

from events import views
from events.models import Event
from tests.pages.conftest import DUDA_KYIV, add_events

pytestmark = pytest.mark.django_db

TIMELINEJS_DATE_KEYS = {"year", "month", "day", "hour", "minute", "second", "millisecond", "display_date"}


def body(response: Any) -> str:
    return b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()


def test_timelinejs_export_of_dudas_visits_is_in_timelinejs_format(client: Client) -> None:
    response = client.get("/export/timelinejs.json?person=andrzej-duda&kind=VISIT")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(body(response))
    assert data["title"]["text"]["headline"] == "Timeline: Andrzej Duda"
    for event in data["events"]:  # TimelineJS's slide format: dates are objects of integers
        assert set(event["start_date"]) <= TIMELINEJS_DATE_KEYS and isinstance(
            event["start_date"]["year"], int
        )
        assert event["text"]["headline"] and event["group"]
    (kyiv,) = data["events"]
    # One day somewhere in three and a half years: a date at the year, no end_date, and the honest text.
    assert kyiv["unique_id"] == DUDA_KYIV
    assert kyiv["start_date"] == {"year": 2022}
    assert "end_date" not in kyiv
    assert kyiv["display_date"] == "between 24 February 2022 and 6 August 2025"
    assert kyiv["group"] == "Visit"
    assert f"/events/{DUDA_KYIV}/" in kyiv["text"]["text"]


def test_timelinejs_keeps_spans_and_what_is_known_of_a_month(client: Client) -> None:
    events = {e["unique_id"]: e for e in json.loads(body(client.get("/export/timelinejs.json")))["events"]}
    assert events["russia-north-korea-treaty-signing"]["start_date"] == {"year": 2025, "month": 5}
    assert events["russia-north-korea-treaty-signing"]["display_date"] == "May 2025?"
    hub = events["poland-logistics-hub"]  # from 24 February 2022, still going: no end to draw
    assert hub["start_date"] == {"year": 2022, "month": 2, "day": 24} and "end_date" not in hub
    assert events["full-scale-invasion"]["start_date"] == {"year": 2022, "month": 2, "day": 24}


def test_json_export_carries_the_full_date_semantics(client: Client) -> None:
    data = json.loads(body(client.get("/export/events.json?region=kyiv")))
    (kyiv,) = data["events"]
    assert kyiv["date"] == {
        "edtf": "[2022-02-24..2025-08-06]",
        "kind": "WITHIN",
        "display": "between 24 February 2022 and 6 August 2025",
        "earliest": "2022-02-24",
        "latest": "2025-08-06",
        "precision": "DAY",
        "uncertain": False,
        "approximate": False,
        "shape": "within",
        "start": {"day": "2022-02-24", "state": "known"},
        "end": {"day": "2025-08-06", "state": "known"},
        "description": "one day, not known exactly: between 24 February 2022 and 6 August 2025",
    }
    assert kyiv["citations"][0]["quote"].startswith("According to Ukrainian President Volodymyr Zelenskyy")
    assert data["next"] is None


def test_csv_export_has_one_row_per_event_with_date_columns(client: Client) -> None:
    rows = list(csv.DictReader(io.StringIO(body(client.get("/export/events.csv?kind=MILITARY")))))
    by_slug = {r["slug"]: r for r in rows}
    assert len(rows) == Event.objects.filter(kind="MILITARY").count() >= 5
    hub = by_slug["poland-logistics-hub"]
    assert (hub["date_shape"], hub["date_earliest"], hub["date_latest"], hub["end_state"]) == (
        "span",
        "2022-02-24",
        "",
        "open",
    )
    assert by_slug["full-scale-invasion"]["date_shape"] == "point"


def test_a_long_export_links_to_its_next_file(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    add_events(5)
    monkeypatch.setattr(views, "EXPORT_SIZE", 10)
    first = json.loads(body(client.get("/export/events.json?person=andrzej-duda")))
    assert len(first["events"]) == 7 and first["next"] is None
    monkeypatch.setattr(views, "EXPORT_SIZE", 4)
    page = json.loads(body(client.get("/export/events.json?person=andrzej-duda")))
    assert len(page["events"]) == 4 and "after=" in page["next"]
    rest = json.loads(body(client.get(page["next"].removeprefix("http://testserver"))))
    assert [e["slug"] for e in page["events"] + rest["events"]] == [e["slug"] for e in first["events"]]


def test_a_wrong_filter_is_a_400_with_the_reason(client: Client) -> None:
    response = client.get("/export/events.csv?region=atlantis")
    assert response.status_code == 400
    assert json.loads(response.content)["errors"] == [
        "No region is called 'atlantis': give its name, slug or ISO 3166-2 code (UA-14)."
    ]

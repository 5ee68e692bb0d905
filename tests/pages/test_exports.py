"""Exports of an explorer query: TimelineJS3 JSON, CSV and JSON, each with Chancery's date semantics."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

import pytest
from django.test import Client

from events import views
from events.models import Citation, Event, EventKind, ParticipantRole, Source
from places.models import Country
from tests.events.factories import make_event
from tests.pages.conftest import DUDA_KYIV, add_events

pytestmark = pytest.mark.django_db

TIMELINEJS_DATE_KEYS = {"year", "month", "day", "hour", "minute", "second", "millisecond", "display_date"}


def data_lines(text: str) -> list[str]:
    """The CSV without its credit lines (those before the header, each a cell starting ``#``)."""
    lines = io.StringIO(text).readlines()
    return [line for line in lines if not line.lstrip('"').startswith("#")]


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
    # One day somewhere in three and a half years: a point on the window's first day (never on
    # 1 January 2022, before the invasion it follows), no end_date, and the honest text.
    assert kyiv["unique_id"] == DUDA_KYIV
    assert kyiv["start_date"] == {"year": 2022, "month": 2, "day": 24}
    assert "end_date" not in kyiv
    assert kyiv["display_date"] == "between 24 February 2022 and 6 August 2025"
    assert kyiv["group"] == "Visit"
    assert f"/events/{DUDA_KYIV}/" in kyiv["text"]["text"]


def test_timelinejs_keeps_spans_and_what_is_known_of_a_month(client: Client) -> None:
    events = {e["unique_id"]: e for e in json.loads(body(client.get("/export/timelinejs.json")))["events"]}
    assert events["russia-north-korea-treaty-signing"]["start_date"] == {"year": 2025, "month": 5}
    assert events["russia-north-korea-treaty-signing"]["display_date"] == "May 2025?"
    hub = events["poland-logistics-hub"]  # from 24 February 2022, still going: a span up to today
    assert hub["start_date"] == {"year": 2022, "month": 2, "day": 24}
    assert hub["end_date"] == {
        "year": date.today().year,
        "month": date.today().month,
        "day": date.today().day,
    }
    assert hub["display_date"] == "from 24 February 2022"
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
    rows = list(csv.DictReader(data_lines(body(client.get("/export/events.csv?kind=MILITARY")))))
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


# Hostile text an editor (or an imported file) may put in a record: none of it may run in the
# spreadsheet or page that opens the export (issue 19, item 6).
FORMULA_TITLE = '=HYPERLINK("http://evil.example","x")'
SCRIPT_SUMMARY = "<script>alert(1)</script> & more"
IMG_QUOTE = '<img src=x onerror="alert(1)">'


def hostile_event(slug: str = "hostile", *, title: str = FORMULA_TITLE) -> Event:
    event = make_event(slug, title=title, summary=SCRIPT_SUMMARY, kind=EventKind.MEETING, date="2023-05-01")
    event.country_links.create(country=Country.objects.get(code="UA"))
    source = Source.objects.create(slug=f"{slug}-source", title="<b>Source</b>", text="x")
    Citation.objects.create(source=source, event=event, quote=IMG_QUOTE)
    return event


def csv_rows(client: Client, query: str = "") -> dict[str, dict[str, str]]:
    rows = csv.DictReader(data_lines(body(client.get(f"/export/events.csv{query}"))))
    return {r["slug"]: r for r in rows}


@pytest.mark.parametrize(
    ("title", "cell"),
    [
        (FORMULA_TITLE, "'" + FORMULA_TITLE),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("A plain title = fine", "A plain title = fine"),
    ],
)
def test_csv_cells_that_a_spreadsheet_would_run_are_prefixed_with_a_quote(
    client: Client, title: str, cell: str
) -> None:
    hostile_event(title=title)
    assert csv_rows(client, "?kind=MEETING")["test-hostile"]["title"] == cell
    assert Event.objects.get(slug="test-hostile").title == title  # the record keeps what was typed


def test_no_csv_cell_of_the_whole_export_starts_a_formula(client: Client) -> None:
    event = hostile_event()
    event.participants.create(role=ParticipantRole.PARTICIPANT, country=Country.objects.get(code="UA"))
    for row in csv_rows(client).values():
        for column, value in row.items():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), (row["slug"], column, value)


def test_timelinejs_shows_markup_in_titles_and_summaries_as_text(client: Client) -> None:
    hostile_event(title='<img src=x onerror="alert(1)"><script>alert(2)</script>')
    events = {e["unique_id"]: e for e in json.loads(body(client.get("/export/timelinejs.json")))["events"]}
    text = events["test-hostile"]["text"]
    # TimelineJS sets headline and text as HTML: both arrive escaped, so the browser shows them.
    assert text["headline"] == (
        "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"
    )
    assert text["text"].startswith("<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</p>")
    assert "<script" not in json.dumps(events["test-hostile"]) and "<img" not in json.dumps(events)


def test_json_export_carries_hostile_text_as_plain_text_unchanged(client: Client) -> None:
    hostile_event()
    response = client.get("/export/events.json?kind=MEETING")
    assert response["Content-Type"] == "application/json"
    (event,) = [e for e in json.loads(body(response))["events"] if e["slug"] == "test-hostile"]
    # Plain text, as stored: a JSON consumer escapes for its own medium (HTML, CSV, ...).
    assert (event["title"], event["summary"]) == (FORMULA_TITLE, SCRIPT_SUMMARY)
    assert event["citations"] == [
        {"source": "<b>Source</b>", "sourceSlug": "hostile-source", "url": None, "quote": IMG_QUOTE}
    ]


# Credits: every export names the authors and licence of each source its events cite (issue 23).
def ggo_cited_event() -> Event:
    """A treaty event citing the GGO dataset's Source row as its adapter writes it."""
    from seeds.datasets.ggo.adapter import SOURCE_RECORD

    ggo = Source.objects.create(**{k: v for k, v in SOURCE_RECORD.items()})
    event = make_event(
        "ggo-treaty-signed", title="A GGO treaty is signed", kind=EventKind.TREATY, date="1987-09-16"
    )
    Citation.objects.create(source=ggo, event=event, quote="")
    return event


def test_every_export_credits_ggo_as_its_authors_ask(client: Client) -> None:
    ggo_cited_event()
    authors = 'Hollway, James, and Jael Tan. "Global governance observations on international agreements"'
    query = "?kind=TREATY"

    data = json.loads(body(client.get(f"/export/events.json{query}")))
    (ggo,) = [s for s in data["sources"] if s["slug"] == "manytreaties-ggo"]
    assert (
        ggo["licence"] == "CC BY 4.0" and ggo["licenceUrl"] == "https://creativecommons.org/licenses/by/4.0/"
    )
    assert ggo["attribution"].startswith(authors) and authors in ggo["credit"]
    assert ggo["credit"] in data["credits"]
    (event,) = [e for e in data["events"] if e["slug"] == "test-ggo-treaty-signed"]
    assert event["citations"][0]["sourceSlug"] == "manytreaties-ggo"

    text = body(client.get(f"/export/events.csv{query}"))
    head, _, _ = text.partition("slug,title,")
    cite_line, _, head = head.partition("\n")
    assert cite_line.startswith("# Cite as: “Timeline”. Chancery. http://testserver/export/events.csv?")
    assert (
        head.startswith("# Credits and licences")
        and authors.replace('"', '""') in head
        and "CC BY 4.0" in head
    )
    rows = {r["slug"]: r for r in csv.DictReader(data_lines(text))}
    assert rows["test-ggo-treaty-signed"]["sources"] == "manytreaties-ggo"

    timeline = json.loads(body(client.get(f"/export/timelinejs.json{query}")))
    title = timeline["title"]["text"]["text"]
    assert "Hollway, James, and Jael Tan. &quot;Global governance" in title and "CC BY 4.0</a>" in title
    (slide,) = [e for e in timeline["events"] if e["unique_id"] == "test-ggo-treaty-signed"]
    assert (
        "Hollway, James" in slide["text"]["text"]
        and "creativecommons.org/licenses/by/4.0/" in slide["text"]["text"]
    )


def test_a_credit_line_stays_inert_in_a_spreadsheet(client: Client) -> None:
    event = hostile_event()
    source = event.citations.get().source
    source.licence, source.attribution = "CC BY 4.0", "=cmd|' /C calc'!A0"
    source.save()
    text = body(client.get("/export/events.csv?kind=MEETING"))
    credit_cells = [row[0] for row in csv.reader(io.StringIO(text)) if row and row[0].startswith("#")]
    assert "# =cmd|' /C calc'!A0 Licence: CC BY 4.0." in credit_cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in credit_cells)


def test_timelinejs_places_open_and_unknown_ends_as_spans_from_the_known_day(client: Client) -> None:
    for slug, edtf in (("open-start", "../2025-08-06"), ("unknown-end", "2022-02-24/"), ("a-year", "2019")):
        make_event(slug, title=slug, kind=EventKind.MEETING, date=edtf)
    events = {
        e["unique_id"]: e
        for e in json.loads(body(client.get("/export/timelinejs.json?kind=MEETING")))["events"]
    }
    until = events["test-open-start"]  # a span ending on the known day, saying "until"
    assert until["end_date"] == {"year": 2025, "month": 8, "day": 6}
    assert (
        until["start_date"] == {"year": 2024, "month": 8, "day": 6}
        and until["display_date"] == "until 6 August 2025"
    )
    cut = events["test-unknown-end"]  # it ended, nobody says when: cut short, and the text says so
    assert cut["start_date"] == {"year": 2022, "month": 2, "day": 24} and cut["end_date"]["year"] == 2022
    assert cut["display_date"] == "from 24 February 2022 (end unknown)"
    assert events["test-a-year"]["start_date"] == {"year": 2019} and "end_date" not in events["test-a-year"]

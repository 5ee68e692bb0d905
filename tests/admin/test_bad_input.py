"""The admin answers bad input with a 400 or an error on the form, never a 500 (issue 13)."""

import pytest
from django.urls import reverse

from tests.admin.formdata import change_form_data
from tests.events.factories import make_event

CHANGELIST = "admin:events_event_changelist"


@pytest.fixture
def event(db):
    return make_event("summit", title="Summit", date="2024-05", summary="Leaders met.")


@pytest.mark.parametrize("year", ["10000", "-1", "2147483648", "0"])
def test_out_of_range_date_lookups_are_a_400(editor_client, event, year):
    response = editor_client.get(reverse(CHANGELIST), {"date_earliest__year": year})
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert b"This filter cannot be applied" in response.content
    else:
        assert b"Summit" not in response.content


def test_in_range_date_lookups_still_filter(editor_client, event):
    response = editor_client.get(reverse(CHANGELIST), {"date_earliest__year": "2024"})
    assert response.status_code == 200
    assert b"Summit" in response.content


def test_an_oversized_admin_search_shows_nothing_and_says_the_limit(editor_client, event):
    response = editor_client.get(reverse(CHANGELIST), {"q": "Summit " * 800, "status__exact": "REPORTED"})
    assert response.status_code == 302
    assert response.url == reverse(CHANGELIST) + "?status__exact=REPORTED"
    page = editor_client.get(response.url)
    assert "Search is limited to 200 characters and 20 words; shorten it." in page.content.decode()
    assert len(page.content) < 200_000


def test_an_oversized_autocomplete_search_finds_nothing(editor_client, event):
    url = reverse("admin:autocomplete")
    term = "Summit " * 800
    response = editor_client.get(
        url, {"term": term, "app_label": "events", "model_name": "visit", "field_name": "event"}
    )
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_a_short_admin_search_finds(editor_client, event):
    response = editor_client.get(reverse(CHANGELIST), {"q": "Summit"})
    assert b"/change/" in response.content and b"Summit" in response.content


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "Sum\x00mit", "Null characters are not allowed."),
        ("summary", "s" * 20_001, "Text is 20,001 characters long; the limit is 20,000."),
        ("note", "n" * 10_001, "Text is 10,001 characters long; the limit is 10,000."),
    ],
)
def test_bad_text_in_the_change_form_is_a_form_error_and_not_stored(
    editor_client, event, field, value, message
):
    url = reverse("admin:events_event_change", args=[event.pk])
    data = change_form_data(editor_client.get(url))
    data[field] = value
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    event.refresh_from_db()
    assert (event.title, event.summary, event.note) == ("Summit", "Leaders met.", "")
    assert event.revisions.count() == 1

"""The admin answers bad input with a 400 or an error on the form, never a 500 (issue 13)."""

from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.test.client import BOUNDARY, encode_multipart
from django.urls import reverse

from core.admin_input import NOT_UTF8
from tests.admin.conftest import EDITED_APPS
from tests.admin.formdata import add_inline_row, change_form_data
from tests.events.factories import make_event
from tests.places.factories import make_country

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


EDITED_MODELS = sorted(
    (m for m in admin.site._registry if m._meta.app_label in EDITED_APPS), key=lambda m: m._meta.label
)
# What the probe typed, and its neighbours: a path tail, words, a number no id column holds.
BAD_IDS = ["7155/change", "abc", "1.5", "2147483648000000000000", "-1x"]
TAILS = ["change/", "history/", "delete/", "change/history/", "history/1/"]


@pytest.mark.parametrize("model", EDITED_MODELS, ids=[m._meta.label for m in EDITED_MODELS])
def test_a_malformed_id_in_an_admin_address_is_a_404(editor_client, records, model):
    """The probe's ``/admin/events/event/7155/change/history/`` was a 500 (issue 19, item 11)."""
    base = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    answers = {
        # Django redirects an address it cannot place to the change view: follow it there.
        f"{base}{bad}/{tail}": editor_client.get(f"{base}{bad}/{tail}", follow=True).status_code
        for bad in BAD_IDS
        for tail in TAILS
    }
    if model in records:  # a record's history versions (the identity decisions have no such page)
        pk = records[model].pk
        answers.update(
            {
                f"{base}{pk}/history/{bad}/": editor_client.get(f"{base}{pk}/history/{bad}/").status_code
                for bad in BAD_IDS[1:]
            }
        )
    assert answers == dict.fromkeys(answers, 404)


def _raw_form(data: dict, **bad: bytes) -> bytes:
    """``data`` urlencoded as a browser sends it, with ``bad`` fields carrying raw bytes."""
    kept = {k: v for k, v in data.items() if k not in bad}
    return urlencode(kept, doseq=True).encode() + b"".join(
        b"&" + name.encode() + b"=" + value for name, value in bad.items()
    )


@pytest.mark.parametrize(
    "title",
    [b"Sum%FFmit", b"Sum\xffmit", b"Sum%C3%28mit", b"%ED%A0%80"],
    ids=["percent-ff", "raw-ff", "bad-continuation", "encoded-surrogate"],
)
def test_text_that_is_not_utf8_is_a_form_error_and_not_stored(editor_client, event, title):
    """The admin stored U+FFFD (or Latin-1 mojibake) where the API answers 400 (issue 19, item 11)."""
    url = reverse("admin:events_event_change", args=[event.pk])
    data = change_form_data(editor_client.get(url))
    body = _raw_form(data, title=title, summary=b"Still%20fine")
    response = editor_client.post(url, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"title": [NOT_UTF8]}
    event.refresh_from_db()
    assert (event.title, event.summary) == ("Summit", "Leaders met.")
    assert event.revisions.count() == 1


def test_multipart_text_that_is_not_utf8_is_refused_too(editor_client, event):
    url = reverse("admin:events_event_change", args=[event.pk])
    data = change_form_data(editor_client.get(url))
    data["note"] = "placeholder"
    body = encode_multipart(BOUNDARY, data).replace(b"placeholder", b"Bad \xc3 byte")
    # A content type equal to, not the test client's own, MULTIPART_CONTENT: sent as given.
    response = editor_client.post(url, body, content_type=f"multipart/form-data; boundary={BOUNDARY}")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"note": [NOT_UTF8]}
    event.refresh_from_db()
    assert (event.title, event.note, event.revisions.count()) == ("Summit", "", 1)


def test_an_inline_field_that_is_not_utf8_is_named_on_the_form(editor_client, event):
    url = reverse("admin:events_event_change", args=[event.pk])
    data = change_form_data(editor_client.get(url))
    add_inline_row(data, "participants", role="HOST", country=make_country().pk)
    body = _raw_form(data, **{"participants-0-note": b"%FF"})
    response = editor_client.post(url, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"__all__": [f"participants-0-note: {NOT_UTF8}"]}
    assert event.participants.count() == 0

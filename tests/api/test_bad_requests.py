"""The probe's hand-crafted bad requests (issue 13): each is a 4xx with GraphQL-shaped JSON, none a 500.

Every test also checks what the database holds afterwards where the request tried to write.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from django.test import Client

from config.graphql.cost import MAX_DEPTH
from core import limits
from events.models import Event
from tests.api.conftest import post_graphql
from tests.api.editing import as_user

UPDATE = """mutation ($slug: String!, $input: EventPatch!, $reason: String) {
  eventUpdate(slug: $slug, input: $input, reason: $reason) {
    __typename ... on Event { title } ... on OperationInfo { messages { field message code } } } }"""
SLUG = "chervona-zirka-capture-claim"


def graphql_error(response: Any, status: int) -> dict[str, Any]:
    """The one error of a refused request, after checking its status and shape."""
    assert response.status_code == status, response.content[:500]
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert body["data"] is None
    assert len(body["errors"]) == 1, body
    return body["errors"][0]


@pytest.mark.parametrize("body", [b"null", b"42", b'"x"', b"true", b"3.5"])
def test_a_json_body_that_is_not_an_object_is_a_400(client: Client, body: bytes) -> None:
    error = graphql_error(client.post("/graphql/", body, content_type="application/json"), 400)
    assert error["message"].startswith('Expected a JSON object such as {"query": "{ __typename }"}, got ')
    assert error["extensions"] == {"code": "BAD_REQUEST"}


def test_invalid_utf8_is_a_400(client: Client) -> None:
    error = graphql_error(
        client.post("/graphql/", b'{"query": "\xff\xfe"}', content_type="application/json"), 400
    )
    assert error["message"] == "The request body is not valid UTF-8 (byte 11); send JSON in UTF-8."


@pytest.mark.parametrize("levels", [100_000, limits.JSON_DEPTH + 1])
def test_deeply_nested_variables_are_a_400(client: Client, levels: int) -> None:
    body = b'{"query": "{ __typename }", "variables": {"v": ' + b"[" * levels + b"]" * levels + b"}}"
    error = graphql_error(client.post("/graphql/", body, content_type="application/json"), 400)
    assert error["message"].startswith(f"JSON is nested more than {limits.JSON_DEPTH} levels deep")


def test_a_10_mb_body_is_a_413_before_it_is_read(client: Client, seeded: None) -> None:
    body = json.dumps({"query": UPDATE, "variables": {"slug": SLUG, "input": {"summary": "x" * 10_000_000}}})
    error = graphql_error(client.post("/graphql/", body, content_type="application/json"), 413)
    assert error == {
        "message": f"The request body is over the limit of {limits.REQUEST_BYTES:,} bytes.",
        "extensions": {"code": "REQUEST_TOO_LARGE"},
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Sum\x00mit", "Text may not contain a NUL character (U+0000); found at character 4."),
        ("Sum\ud800mit", "Text may not contain an unpaired surrogate (U+D800); found at character 4."),
    ],
)
def test_nul_and_lone_surrogates_in_variables_are_refused_and_not_stored(
    client: Client, editor: Any, text: str, message: str
) -> None:
    before = Event.objects.get(slug=SLUG).title
    as_user(client, editor)
    # json.dumps writes both as \\u escapes, as a client's JSON encoder would.
    response = post_graphql(client, UPDATE, {"slug": SLUG, "input": {"title": text}})
    error = graphql_error(response, 400)
    assert error == {"message": f"variables.input.title: {message}", "extensions": {"code": "INVALID_TEXT"}}
    assert Event.objects.get(slug=SLUG).title == before


@pytest.mark.parametrize("literal", ["Sum\\u0000mit", "\\u0000"])
def test_nul_in_a_string_literal_is_refused_for_reads_and_writes(
    client: Client, editor: Any, literal: str
) -> None:
    as_user(client, editor)
    for document in (
        f'{{ timeline(filters: {{search: "{literal}"}}) {{ totalCount }} }}',
        f'{{ event(slug: "{literal}") {{ slug }} }}',
        f'mutation {{ eventUpdate(slug: "{SLUG}", input: {{title: "{literal}"}}) {{ __typename }} }}',
    ):
        error = graphql_error(post_graphql(client, document), 400)
        assert error["message"].startswith("Text may not contain a NUL character (U+0000)")
        assert error["extensions"] == {"code": "INVALID_TEXT"}
    assert "\x00" not in Event.objects.get(slug=SLUG).title


def test_nul_is_refused_by_the_service_itself(editor: Any) -> None:
    # The service is the last line for callers other than the API (admin, importer, scripts).
    from django.core.exceptions import ValidationError

    from events.services import event_update

    event = Event.objects.get(slug=SLUG)
    with pytest.raises(ValidationError) as refused:
        event_update(actor=editor, event=event, fields={"summary": "a\x00b"})
    assert refused.value.message_dict == {
        "summary": ["Text may not contain a NUL character (U+0000); found at character 2."],
    }
    with pytest.raises(ValidationError) as refused:
        event_update(actor=editor, reason="x\ud800", event=event, fields={"summary": "fine"})
    assert refused.value.message_dict == {
        "reason": ["Text may not contain an unpaired surrogate (U+D800); found at character 2."],
    }
    assert "\x00" not in Event.objects.get(slug=SLUG).summary


@pytest.mark.parametrize(
    ("search", "message"),
    [
        ("x" * 2_000_000, "Search text is 2,000,000 characters long; the limit is 200."),
        ("x" * 300_000, "Search text is 300,000 characters long; the limit is 200."),
        (" ".join(["war"] * 30_000)[:199], None),  # under the character limit, over the word limit
        ("a " * 21, "Search has 21 words; the limit is 20."),
    ],
)
def test_oversized_search_is_refused_before_searching(
    client: Client, seeded: None, search: str, message: str | None
) -> None:
    response = post_graphql(
        client, "query ($s: String) { timeline(filters: {search: $s}) { totalCount } }", {"s": search}
    )
    if len(search) > limits.REQUEST_BYTES:
        graphql_error(response, 413)
        return
    body = response.json()
    assert response.status_code == 200
    assert body["data"] is None
    expected = message or f"Search has {len(search.split())} words; the limit is 20."
    assert body["errors"][0]["message"] == expected
    assert body["errors"][0]["extensions"] == {"code": "INVALID_FILTER"}


def test_a_search_within_the_limits_runs(client: Client, seeded: None) -> None:
    response = post_graphql(client, '{ timeline(filters: {search: "Chervona Zirka"}) { totalCount } }')
    assert response.json() == {"data": {"timeline": {"totalCount": 1}}}


def test_an_oversized_cursor_is_refused_naming_the_limit(client: Client, seeded: None) -> None:
    response = post_graphql(
        client, "query ($c: String) { timeline(after: $c) { totalCount } }", {"c": "Q" * 5000}
    )
    body = response.json()
    assert body["errors"][0]["message"] == (
        "Invalid cursor for 'after': it is 5,000 characters long, "
        "and cursors this API returns are at most 1,000."
    )
    assert body["errors"][0]["extensions"] == {"code": "INVALID_CURSOR"}


def test_node_with_a_non_integer_key_is_null_not_a_leak(client: Client, seeded: None) -> None:
    import base64

    for key in ("abc", "1e3", "99999999999999999999999"):
        node_id = base64.b64encode(f"Event:{key}".encode()).decode()
        response = post_graphql(client, "query ($id: ID!) { node(id: $id) { id } }", {"id": node_id})
        assert response.json() == {"data": {"node": None}}


def test_node_still_finds_a_record(client: Client, seeded: None) -> None:
    import base64

    event = Event.objects.get(slug=SLUG)
    node_id = base64.b64encode(f"Event:{event.pk}".encode()).decode()
    response = post_graphql(
        client, "query ($id: ID!) { node(id: $id) { ... on Event { slug } } }", {"id": node_id}
    )
    assert response.json() == {"data": {"node": {"slug": SLUG}}}


def nested(levels: int) -> str:
    """A query with ``levels`` levels of fields, the leaf included: region → children → … → slug."""
    return (
        '{ region(slug: "donetsk-oblast") '
        + "{ children " * (levels - 2)
        + "{ slug"
        + " }" * (levels - 1)
        + " }"
    )


def test_the_depth_guard_allows_exactly_the_documented_12_levels(client: Client, seeded: None) -> None:
    assert MAX_DEPTH == 12
    assert "errors" not in post_graphql(client, nested(12)).json()
    error = graphql_error(post_graphql(client, nested(13)), 400)
    assert error["message"] == "'anonymous' exceeds maximum operation depth of 12"


def test_unexpected_errors_are_masked_and_logged_once_with_a_traceback(
    client: Client, seeded: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(**kwargs: object) -> None:
        raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")

    monkeypatch.setattr("places.selectors.country_by_code", broken)
    with caplog.at_level(logging.INFO, logger="chancery.graphql"):
        response = post_graphql(client, '{ country(code: "PL") { code } }')
    assert [e["message"] for e in response.json()["errors"]] == ["Unexpected error."]
    assert "surrogates" not in response.content.decode()
    logged = [r for r in caplog.records if r.name == "chancery.graphql"]
    assert len(logged) == 1
    assert logged[0].levelno == logging.ERROR and logged[0].exc_info is not None


def test_client_mistakes_are_logged_without_a_traceback(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="chancery.graphql"):
        post_graphql(client, "{ nope }")
    logged = [r for r in caplog.records if r.name == "chancery.graphql"]
    assert len(logged) == 1
    assert logged[0].levelno == logging.INFO and logged[0].exc_info is None


def test_oversized_texts_and_reasons_are_validation_errors(client: Client, editor: Any) -> None:
    before = Event.objects.get(slug=SLUG)
    as_user(client, editor)
    response = post_graphql(
        client,
        UPDATE,
        {"slug": SLUG, "input": {"summary": "s" * 20_001, "note": "n" * 10_001}},
    )
    messages = {m["field"]: m for m in response.json()["data"]["eventUpdate"]["messages"]}
    # The reason is checked first, on its own, before the edit starts.
    response = post_graphql(client, UPDATE, {"slug": SLUG, "input": {"title": "x"}, "reason": "r" * 1_001})
    messages.update({m["field"]: m for m in response.json()["data"]["eventUpdate"]["messages"]})
    assert messages["summary"]["message"] == "Text is 20,001 characters long; the limit is 20,000."
    assert messages["note"]["message"] == "Text is 10,001 characters long; the limit is 10,000."
    assert messages["reason"]["message"] == "Text is 1,001 characters long; the limit is 1,000."
    assert {m["code"] for m in messages.values()} == {"invalid_text"}
    after = Event.objects.get(slug=SLUG)
    assert (after.summary, after.note) == (before.summary, before.note)
    assert after.revisions.count() == before.revisions.count()


def test_a_4_kb_date_in_event_update_is_refused_before_any_parsing(
    client: Client, editor: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The probe's 4 KB date took 15 s of EDTF parsing; now it costs a length check."""
    from core.fuzzydates import MAX_EDTF_LENGTH, package

    def fail(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("parsed a date over the limit")

    monkeypatch.setattr(package, "parse_edtf", fail)
    before = Event.objects.get(slug=SLUG)
    as_user(client, editor)
    date = "[" + "2022-01-01," * 372 + "]"
    assert len(date) > 4000
    response = post_graphql(client, UPDATE, {"slug": SLUG, "input": {"date": date}})
    messages = response.json()["data"]["eventUpdate"]["messages"]
    assert [(m["field"], m["code"]) for m in messages] == [("date", "invalid_text")]
    assert messages[0]["message"] == f"Text is {len(date):,} characters long; the limit is {MAX_EDTF_LENGTH}."
    after = Event.objects.get(slug=SLUG)
    assert (after.date, after.revisions.count()) == (before.date, before.revisions.count())


@pytest.mark.parametrize("date", ["２０２２", "٢٠٢٢", "१९९९", "2022-٠٥"])
def test_a_date_in_another_scripts_digits_is_a_validation_error(
    client: Client, editor: Any, date: str
) -> None:
    """``eventUpdate(date: "２０２２")`` was stored and then served as EDTF (issue 19, item 9)."""
    before = Event.objects.get(slug=SLUG)
    as_user(client, editor)
    response = post_graphql(client, UPDATE, {"slug": SLUG, "input": {"date": date}})
    assert response.json()["data"]["eventUpdate"]["messages"] == [
        {
            "field": "date",
            "message": f"{date!r} is not a valid EDTF date "
            "(examples: 2024-05, 2022-04-13, 2022~, 2024-05?, 2022-02-24/..).",
            "code": "invalid_edtf",
        }
    ]
    after = Event.objects.get(slug=SLUG)
    assert (after.date, after.date_earliest, after.revisions.count()) == (
        before.date,
        before.date_earliest,
        before.revisions.count(),
    )

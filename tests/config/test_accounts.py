"""Accounts and privacy (issue 13): admin login lockout, editor names, Content-Security-Policy."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.test import Client, override_settings

from tests.api.conftest import post_graphql

PASSWORD = "correct horse battery staple"


@pytest.fixture
def staff(db: None) -> User:
    return User.objects.create_user(
        "ada", password=PASSWORD, is_staff=True, first_name="Ada", last_name="Byron"
    )


def login(client: Client, password: str, username: str = "ada") -> int:
    response = client.post("/admin/login/?next=/admin/", {"username": username, "password": password})
    return response.status_code


def test_five_wrong_passwords_lock_the_account_out_even_for_the_right_one(
    client: Client, staff: User
) -> None:
    # Issue 13: 30 wrong passwords and then the right one were all accepted without delay.
    assert [login(client, f"guess-{n}") for n in range(4)] == [200] * 4  # the form again, with an error
    assert login(client, "guess-5") == 429
    assert login(client, PASSWORD) == 429
    assert "_auth_user_id" not in client.session
    attempt = AccessAttempt.objects.get(username="ada")
    # The five wrong passwords, and the right one refused while locked out.
    assert attempt.failures_since_start == 6


def test_a_locked_out_username_does_not_lock_out_another_address(client: Client, staff: User) -> None:
    for n in range(5):
        login(client, f"guess-{n}")
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert (
        other.post("/admin/login/?next=/admin/", {"username": "ada", "password": PASSWORD}).status_code == 302
    )
    assert other.session["_auth_user_id"] == str(staff.pk)


def test_a_success_resets_the_failure_count(client: Client, staff: User) -> None:
    for n in range(3):
        login(client, f"guess-{n}")
    assert login(client, PASSWORD) == 302
    assert not AccessAttempt.objects.filter(username="ada").exists()


HISTORY = '{ event(slug: "chervona-zirka-capture-claim") { history { user } } }'


def _authors(client: Client) -> list[str]:
    return [revision["user"] for revision in post_graphql(client, HISTORY).json()["data"]["event"]["history"]]


@pytest.fixture
def edited(db: None, staff: User) -> None:
    """The seeded event, edited once by Ada (staff) and once by an editor without a full name."""
    from events.models import Event
    from events.services import event_update

    event = Event.objects.get(slug="chervona-zirka-capture-claim")
    event_update(
        actor=staff, reason="title", event=event, fields={"title": "Chervona Zirka: claimed captured"}
    )
    plain = User.objects.create_user("b.smith.admin", password=PASSWORD)
    event_update(
        actor=plain, reason="title", event=event, fields={"title": "Chervona Zirka: capture claimed"}
    )


def test_anonymous_clients_see_full_names_or_editor_not_usernames(client: Client, edited: None) -> None:
    assert _authors(client) == ["import_seeds", "Ada Byron", "editor"]


@override_settings(HISTORY_PUBLIC_NAMES="editor")
def test_the_public_name_can_be_editor_for_everyone(client: Client, edited: None) -> None:
    assert _authors(client) == ["import_seeds", "editor", "editor"]


def test_signed_in_staff_see_usernames(client: Client, edited: None, staff: User) -> None:
    client.force_login(staff)
    assert _authors(client) == ["import_seeds", "ada", "b.smith.admin"]


def test_pages_carry_a_content_security_policy(client: Client, staff: User) -> None:
    for url in ("/admin/login/", "/graphql/"):
        response = client.get(url, HTTP_ACCEPT="text/html")
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-eval" not in policy
        assert "frame-ancestors 'none'" in policy

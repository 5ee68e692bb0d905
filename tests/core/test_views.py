import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

PREVIEW = reverse("edtf-preview")


@pytest.fixture
def staff_client(client, db):
    client.force_login(get_user_model().objects.create_user("test-staff", password="x", is_staff=True))
    return client


def test_preview_reads_a_month(staff_client):
    response = staff_client.get(PREVIEW, {"value": "2024-05"})
    assert response.status_code == 200
    assert response.json() == {
        "value": "2024-05",
        "display": "May 2024",
        "earliest": "2024-05-01",
        "latest": "2024-05-31",
        "precision": "MONTH",
        "uncertain": False,
        "approximate": False,
        "preview": "May 2024 (2024-05-01 to 2024-05-31)",
        "error": None,
    }


def test_preview_reads_an_open_interval(staff_client):
    data = staff_client.get(PREVIEW, {"value": "2022-02-24/.."}).json()
    assert (data["display"], data["earliest"], data["latest"]) == (
        "from 24 February 2022",
        "2022-02-24",
        None,
    )
    assert data["preview"] == "from 24 February 2022 (2022-02-24 to open)"


def test_preview_explains_invalid_values(staff_client):
    data = staff_client.get(PREVIEW, {"value": "2024-13"}).json()
    assert data["display"] is None
    assert data["error"] == (
        "'2024-13' is not a valid EDTF date (examples: 2024-05, 2022-04-13, 2022~, 2024-05?, 2022-02-24/..)."
    )


def test_preview_of_nothing_says_it_is_empty(staff_client):
    assert staff_client.get(PREVIEW).json()["error"] == (
        "'' is empty (examples: 2024-05, 2022-04-13, 2022~, 2024-05?, 2022-02-24/..)."
    )


def test_preview_is_for_staff_only(client, db):
    response = client.get(PREVIEW, {"value": "2024-05"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_preview_answers_get_only(staff_client):
    assert staff_client.post(PREVIEW, {"value": "2024-05"}).status_code == 405


def test_preview_of_a_2_kb_value_is_refused_before_parsing(staff_client, monkeypatch):
    """The probe's 2 KB value took 10.4 s on the preview; now it costs a length check."""
    from core.fuzzydates import MAX_EDTF_LENGTH, package

    def fail(*args, **kwargs):
        raise AssertionError("parsed a value over the limit")

    monkeypatch.setattr(package, "parse_edtf", fail)
    response = staff_client.get(PREVIEW, {"value": "2" * 2048})
    assert response.status_code == 200
    assert f"at most {MAX_EDTF_LENGTH} characters" in response.json()["error"]

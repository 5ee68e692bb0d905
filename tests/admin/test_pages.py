"""Every admin page of every edited model loads for a staff editor, on both databases."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.admin import EstimatedCountPaginator, HistoryAdmin
from events.models import Event
from people.models import PersonCandidate, PersonMerge
from places.models import Country
from tests.admin.conftest import EDITED_APPS, populate

# Identity decisions have pages of their own, not add/change forms (tests/admin/test_identity.py).
DECISIONS = (PersonCandidate, PersonMerge)
MODELS = sorted(
    (m for m in admin.site._registry if m._meta.app_label in EDITED_APPS and m not in DECISIONS),
    key=lambda m: m._meta.label,
)
IDS = [m._meta.label for m in MODELS]


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_edited_model_is_registered():
    assert IDS == [
        "events.Citation",
        "events.Event",
        "events.Source",
        "events.Treaty",
        "events.TreatyParty",
        "events.Visit",
        "people.Organization",
        "people.Person",
        "people.Role",
        "places.Country",
        "places.Region",
    ]


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_every_admin_keeps_history_and_autocompletes_every_foreign_key(model):
    model_admin = admin.site._registry[model]
    assert isinstance(model_admin, HistoryAdmin)
    assert model_admin.show_full_result_count is False
    assert model_admin.show_facets is admin.ShowFacets.NEVER
    for part in (model_admin, *(inline(model, admin.site) for inline in model_admin.inlines)):
        # An inline's own link to the record it sits in is not a field the editor picks.
        parent_link = getattr(part, "fk_name", None)
        foreign_keys = {
            f.name
            for f in part.model._meta.concrete_fields
            if f.is_relation
            and f.editable
            and (not part.fields or f.name in part.fields)
            and not (part is not model_admin and (f.name == parent_link or f.related_model is model))
        }
        assert foreign_keys <= set(part.autocomplete_fields), type(part).__name__


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_changelist_add_change_and_history_pages_load(editor_client, records, model):
    obj = records[model]
    for page in (
        url(model, "changelist"),
        url(model, "add"),
        url(model, "change", obj.pk),
        url(model, "history", obj.pk),
        url(model, "delete", obj.pk),
    ):
        response = editor_client.get(page)
        assert response.status_code == 200, page


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_history_version_page_loads_with_the_inline_warning(editor_client, records, model):
    obj = records[model]
    version = obj.revisions.latest("history_date")
    response = editor_client.get(url(model, "simple_history", obj.pk, version.history_id))
    assert response.status_code == 200
    assert "are <strong>not</strong> reverted" in response.content.decode()


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_changelist_query_count_does_not_grow_with_rows(editor_client, records, model):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert editor_client.get(url(model, "changelist")).status_code == 200
        return len(captured)

    few = queries()
    for n in range(1, 6):
        populate(n)
    assert queries() == few


@pytest.mark.parametrize(
    ("model_label", "term", "expected"),
    [
        ("places.Country", "alias of testland 0", "Testland 0"),
        ("places.Country", "alias of testland 0", "Testland 0"),
        ("people.Organization", "org alias 0", "Organisation 0"),
        ("places.Region", "region alias 0", "Region 0"),
        ("people.Person", "person alias 0", "Person 0"),
        ("people.Role", "person alias 0", "Minister"),
        ("events.Visit", "person alias 0", "test-visit-0"),
        ("events.Event", "summit testland 0", "Summit of Testland 0"),
        ("events.Source", "source-0", "Source source-0"),
        ("events.Treaty", "treaty-0", "Treaty treaty-0"),
        ("events.Citation", "source-0", "Source source-0: met in Kyiv"),
    ],
)
def test_search_finds_names_and_aliases(editor_client, records, model_label, term, expected):
    model = next(m for m in MODELS if m._meta.label == model_label)
    populate(1)
    response = editor_client.get(url(model, "changelist"), {"q": term})
    assert response.status_code == 200
    assert [str(o) for o in response.context["cl"].result_list] == [
        str(o) for o in model.objects.filter(pk=records[model].pk)
    ]
    assert expected in response.content.decode()


@pytest.mark.parametrize(
    ("model_label", "params", "hits"),
    [
        ("events.Event", {"kind": "MEETING"}, {"test-event-0", "test-event-1"}),
        (
            "events.Event",
            {"status": "REPORTED"},
            {"test-event-0", "test-event-1", "test-visit-0", "test-visit-1"},
        ),
        ("events.Event", {"country": "XB"}, {"test-event-1"}),
        ("events.Event", {"participant_country": "XA"}, {"test-event-0"}),
        (
            "events.Event",
            {"date_period": "2020s"},
            {"test-event-0", "test-event-1", "test-visit-0", "test-visit-1"},
        ),
        (
            "events.Event",
            {"date_period": "2024"},
            {"test-event-0", "test-event-1", "test-visit-0", "test-visit-1"},
        ),
        ("events.Event", {"date_period": "2023"}, set()),
        ("events.Event", {"date_period": "1990s"}, set()),
        (
            "events.Visit",
            {"host_country__id__exact": lambda: Country.objects.get(code="XB").pk},
            {"test-visit-1"},
        ),
        # By the visit's copy of its event's dates (events.visit_dates), the same address.
        ("events.Visit", {"date_period": "2024"}, {"test-visit-0", "test-visit-1"}),
        ("events.Visit", {"date_period": "1990s"}, set()),
        ("events.Treaty", {"party": "XA"}, {"test-treaty-0"}),
        ("events.Treaty", {"signed_period": "2024"}, {"test-treaty-0", "test-treaty-1"}),
        ("events.Source", {"published_on_period": "2020s"}, {"test-source-0", "test-source-1"}),
        ("people.Role", {"start_period": "2011"}, {"Minister of Testland 1"}),
        ("places.Region", {"kind": "oblast"}, {"test-region-0", "test-region-1"}),
    ],
)
def test_list_filters(editor_client, records, model_label, params, hits):
    model = next(m for m in MODELS if m._meta.label == model_label)
    populate(1)
    params = {k: v() if callable(v) else v for k, v in params.items()}
    response = editor_client.get(url(model, "changelist"), params)
    assert response.status_code == 200
    found = {getattr(o, "slug", None) or str(o) for o in response.context["cl"].result_list}
    # Seeded records may also match broad filters; the test records must match exactly.
    assert {f for f in found if f.startswith(("test-", "Minister of Testland"))} == hits


def test_an_unknown_period_is_refused(editor_client, records):
    response = editor_client.get(url(Event, "changelist"), {"date_period": "recently"})
    # The admin answers bad lookups by redirecting to the unfiltered list with ?e=1.
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_the_date_filter_offers_decades_then_years(editor_client, records):
    response = editor_client.get(url(Event, "changelist"), {"date_period": "2024"})
    [date_filter] = [
        f for f in response.context["cl"].filter_specs if getattr(f, "parameter_name", "") == "date_period"
    ]
    choices = [c["display"] for c in date_filter.choices(response.context["cl"])]
    assert "2020s" in choices
    assert "– 2024" in choices and "– 2029" in choices and "– 2019" not in choices


def test_changelists_show_readable_dates(editor_client, records):
    month = editor_client.get(url(Event, "changelist"), {"q": "summit testland 0"}).content.decode()
    assert '<td class="field-date_display">May 2024</td>' in month
    day = editor_client.get(url(Event, "changelist"), {"q": "visit 0"}).content.decode()
    assert '<td class="field-date_display">14 May 2024</td>' in day
    treaty = editor_client.get(url(records[Event].treaty.__class__, "changelist"), {"q": "treaty-0"})
    assert '<td class="field-signed_display">19 June 2024</td>' in treaty.content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner estimates are PostgreSQL's")
def test_a_big_unfiltered_changelist_runs_no_count(editor_client, records, monkeypatch):
    monkeypatch.setattr(EstimatedCountPaginator, "exact_below", 0)  # treat every table as big
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Event._meta.db_table}")

    def count_queries(params: dict) -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            assert editor_client.get(url(Event, "changelist"), params).status_code == 200
        return [q["sql"] for q in captured if "COUNT(" in q["sql"].upper()]

    assert count_queries({}) == []
    # Filtered lists are counted exactly: an estimate of the whole table would be wrong.
    assert len(count_queries({"kind": "MEETING"})) == 1

"""The admin at the record's real size: short filters, bounded inlines, slug search (issue 23)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.admin_filters import MAX_CHOICES
from events.models import Event, Treaty, TreatyParty
from places.models import Country
from tests.events.factories import make_event, make_treaty
from tests.places.factories import make_country

pytestmark = pytest.mark.django_db

PARTIES = 60


@pytest.fixture
def big_treaty(records):
    treaty = make_treaty("many-parties", signed="1987-09-16")
    countries = [make_country("QJK"[i // 26] + chr(65 + i % 26), f"Party {i}") for i in range(PARTIES)]
    TreatyParty.objects.bulk_create(TreatyParty(treaty=treaty, country=c, signed="1988") for c in countries)
    return treaty


def _sidebar_links(html: str) -> int:
    sidebar = html.split('id="changelist-filter"', 1)[1].split("</nav>", 1)[0]
    return len(re.findall(r"<a ", sidebar))


def test_open_ends_do_not_stretch_the_date_filter_and_no_filter_lists_more_than_30(editor_client, records):
    make_event("open-start", date="../2025-08-06")
    make_event("open-end", date="1600/..")
    make_event("ancient", date="1205")
    for i in range(40):
        country = make_country("WV"[i // 26] + chr(65 + i % 26), f"Country {i}")
        make_event(f"in-{i}", date="2020").country_links.create(country=country)
    response = editor_client.get(reverse("admin:events_event_changelist"))
    assert response.status_code == 200
    for spec in response.context["cl"].filter_specs:
        assert len(list(spec.choices(response.context["cl"]))) <= MAX_CHOICES + 1  # plus "All"
    [dates] = [
        f for f in response.context["cl"].filter_specs if getattr(f, "parameter_name", "") == "date_period"
    ]
    values = [v for v, _ in dates.lookup_choices]
    # 1205 to 2024: centuries, neither year 1 nor 9999.
    assert values[0] == "2000-2099" and values[-1] == "1200-1299"
    assert _sidebar_links(response.content.decode()) <= 40
    drill = editor_client.get(reverse("admin:events_event_changelist"), {"date_period": "1200-1299"})
    assert {o.slug for o in drill.context["cl"].result_list} == {"test-ancient"}
    assert "1200s" in [v for v, _ in drill.context["cl"].filter_specs[-1].lookup_choices]


def test_country_filters_are_searchable_autocompletes(editor_client, records):
    response = editor_client.get(reverse("admin:events_event_changelist"), {"country": records[Country].pk})
    html = response.content.decode()
    assert 'class="admin-autocomplete"' in html and 'data-field-name="country"' in html
    assert f'<option value="{records[Country].pk}" selected>' in html
    assert "core/admin/autocomplete-filter.js" in html
    found = editor_client.get(
        reverse("admin:autocomplete"),
        {"term": "Testland", "app_label": "events", "model_name": "eventcountry", "field_name": "country"},
    )
    assert records[Country].name in found.content.decode()
    refused = editor_client.get(reverse("admin:events_event_changelist"), {"country": "no such thing!" * 5})
    assert refused.status_code == 302 and refused["Location"].endswith("?e=1")


def test_a_treaty_with_many_parties_renders_a_bounded_number_of_rows(editor_client, big_treaty):
    url = reverse("admin:events_treaty_change", args=[big_treaty.pk])
    with CaptureQueriesContext(connection) as queries:
        response = editor_client.get(url)
    assert response.status_code == 200
    formset = next(f for f in response.context["inline_admin_formsets"] if f.formset.model is TreatyParty)
    shown = len(formset.formset.forms)
    assert shown == 12 and formset.formset.total == PARTIES
    html = response.content.decode()
    assert f"Showing the first 12 of {PARTIES}" in html
    assert f"/admin/events/treatyparty/?treaty={big_treaty.pk}" in html
    assert len(queries) <= 40, [q["sql"][:80] for q in queries]


def test_editing_through_the_bounded_inline_and_the_linked_list_loses_nothing(editor_client, big_treaty):
    url = reverse("admin:events_treaty_change", args=[big_treaty.pk])
    form = editor_client.get(url).context["adminform"].form
    inline = next(
        f for f in editor_client.get(url).context["inline_admin_formsets"] if f.formset.model is TreatyParty
    )
    data = {
        "name": big_treaty.name,
        "slug": big_treaty.slug,
        "treaty_type": big_treaty.treaty_type,
        "domain": big_treaty.domain,
        "signed": "1987-09-16",
        "change_reason": "note on the first party",
        "expected_version": big_treaty.version,
    }
    for name, field in form.fields.items():
        if name not in data and field.initial is not None and not isinstance(field.initial, (list, dict)):
            data.setdefault(name, field.initial)
    for formset in editor_client.get(url).context["inline_admin_formsets"]:
        fs = formset.formset
        data[f"{fs.prefix}-TOTAL_FORMS"] = len(fs.forms)
        data[f"{fs.prefix}-INITIAL_FORMS"] = len(fs.forms)
        for i, f in enumerate(fs.forms):
            for name in f.fields:
                value = f[name].value()
                if value not in (None, False):
                    data[f"{fs.prefix}-{i}-{name}"] = value
    first = inline.formset.forms[0].instance
    data[f"{inline.formset.prefix}-0-note"] = "edited in the form"
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert TreatyParty.objects.filter(treaty=big_treaty).count() == PARTIES
    assert TreatyParty.objects.get(pk=first.pk).note == "edited in the form"
    # The 13th party, not in the form, edited in the parties' own list through the treaty's service.
    hidden = TreatyParty.objects.filter(treaty=big_treaty).order_by("pk")[12]
    party_url = reverse("admin:events_treatyparty_change", args=[hidden.pk])
    page = editor_client.get(party_url)
    assert page.status_code == 200
    response = editor_client.post(
        party_url,
        {
            "treaty": big_treaty.pk,
            "country": hidden.country_id,
            "signed": "1988",
            "ratified": "1990",
            "note": "ratification found",
            "change_reason": "from the depositary",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert TreatyParty.objects.filter(treaty=big_treaty).count() == PARTIES
    hidden.refresh_from_db()
    assert (hidden.note, hidden.ratified) == ("ratification found", "1990")
    big_treaty.refresh_from_db()
    assert big_treaty.version > 0
    listed = editor_client.get(reverse("admin:events_treatyparty_changelist"), {"treaty": big_treaty.pk})
    assert listed.context["cl"].result_count == PARTIES


def test_admin_search_finds_a_record_by_its_slug(editor_client, records):
    make_event("hsg-visits-2858", title="Visit of the Secretary", date="2013-03-01")
    response = editor_client.get(reverse("admin:events_event_changelist"), {"q": "test-hsg-visits-2858"})
    assert [o.slug for o in response.context["cl"].result_list] == ["test-hsg-visits-2858"]
    people = editor_client.get(reverse("admin:people_person_changelist"), {"q": "person-0"})
    assert people.context["cl"].result_count >= 1
    assert Event.objects.filter(slug="test-hsg-visits-2858").exists() and Treaty.objects.exists()


def test_a_regions_children_are_a_linked_list_not_rows_in_its_form(editor_client, records):
    from places.models import Region
    from tests.places.factories import make_region

    parent = records[Region]
    for i in range(3):
        make_region(f"child-{i}", country=parent.country, parent=parent)
    html = editor_client.get(reverse("admin:places_region_change", args=[parent.pk])).content.decode()
    assert f'/admin/places/region/?parent={parent.pk}">3 regions part of this one</a>' in html
    listed = editor_client.get(reverse("admin:places_region_changelist"), {"parent": parent.pk})
    assert listed.context["cl"].result_count == 3

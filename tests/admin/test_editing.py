"""Editing through the admin records the editor and their reason on every row it touches."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from core.revisions import CHANGED, CREATED, DELETED, FieldChange, revisions_for
from events.models import Event, Participation
from tests.admin.formdata import add_inline_row, change_form_data, form_values
from tests.events.factories import make_event, make_treaty
from tests.people.factories import make_person
from tests.places.factories import make_country

REASON = "Named in the ministry's communiqué of 14 May"


@pytest.fixture
def event(db):
    return make_event("summit", title="Summit", date="2024-05")


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def history_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_history", args=[obj.pk])


def test_the_change_form_asks_for_a_reason_below_the_inlines(editor_client, event):
    content = editor_client.get(change_url(event)).content.decode()
    assert 'name="change_reason"' in content
    assert content.index('id="participants-group"') < content.index('name="change_reason"')


def test_adding_a_participant_with_a_reason_shows_in_the_history(editor_client, editor, event):
    person = make_person("syrskyi", name="Oleksandr Syrskyi")
    data = change_form_data(editor_client.get(change_url(event)))
    add_inline_row(data, "participants", role="SPEAKER", person=person.pk, note="defence ministry")
    data["change_reason"] = REASON

    response = editor_client.post(change_url(event), data)
    assert response.status_code == 302, response.context and response.context["errors"]

    participation = Participation.objects.get(event=event)
    row = participation.revisions.get()
    assert (row.history_user, row.history_change_reason) == (editor, REASON)
    event_row = event.revisions.latest("history_date")
    assert (event_row.history_user, event_row.history_change_reason) == (editor, REASON)

    revision = revisions_for(event)[-1]
    assert (revision.kind, revision.user, revision.reason) == (CHANGED, "test-editor", REASON)
    assert revision.changes == [
        FieldChange("participants", None, "role: Speaker; person: Oleksandr Syrskyi; note: defence ministry")
    ]

    page = editor_client.get(history_url(event))
    assert page.status_code == 200
    content = page.content.decode()
    assert "test-editor" in content
    assert "Named in the ministry&#x27;s communiqué of 14 May" in content
    assert "<td>participants</td>" in content
    assert "role: Speaker; person: Oleksandr Syrskyi; note: defence ministry" in content


def test_changing_and_deleting_inline_rows_carry_the_reason(editor_client, editor, event):
    country = make_country()
    kept = Participation.objects.create(event=event, role="HOST", country=country)
    dropped = Participation.objects.create(event=event, role="SPEAKER", person=make_person("dropped"))
    data = change_form_data(editor_client.get(change_url(event)))
    forms = {int(data[f"participants-{i}-id"]): i for i in range(2)}
    data[f"participants-{forms[kept.pk]}-note"] = "foreign ministry"
    data[f"participants-{forms[dropped.pk]}-DELETE"] = "on"
    data["change_reason"] = "Corrected from the source"

    assert editor_client.post(change_url(event), data).status_code == 302

    changed = kept.revisions.latest("history_date")
    assert (changed.history_type, changed.history_user, changed.history_change_reason) == (
        "~",
        editor,
        "Corrected from the source",
    )
    deleted = Participation.history.filter(id=dropped.pk).latest("history_date")
    assert (deleted.history_type, deleted.history_user, deleted.history_change_reason) == (
        "-",
        editor,
        "Corrected from the source",
    )
    revision = revisions_for(event)[-1]
    assert revision.reason == "Corrected from the source"
    assert [c.field for c in revision.changes] == ["participants.note", "participants"]


def test_adding_an_event_with_its_rows_is_one_revision(editor_client, editor):
    add_url = reverse("admin:events_event_add")
    data = change_form_data(editor_client.get(add_url))
    data.update(slug="test-added", title="Added", kind="MEETING", status="REPORTED", date="2024-05-14")
    add_inline_row(data, "country_links", country=make_country().pk)
    data["change_reason"] = "New from the wire"

    assert editor_client.post(add_url, data).status_code == 302

    [revision] = revisions_for(Event.objects.get(slug="test-added"))
    assert (revision.kind, revision.user, revision.reason) == (CREATED, "test-editor", "New from the wire")
    assert FieldChange("countries", None, "country: Testland (QM)") in revision.changes


def test_invalid_edtf_is_a_form_error_quoting_the_value(editor_client, event):
    data = change_form_data(editor_client.get(change_url(event)))
    data["date"] = "May 2024"
    response = editor_client.post(change_url(event), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "date": [
            "'May 2024' is not a valid EDTF date "
            "(examples: 2024-05, 2022-04-13, 2022~, 2024-05?, 2022-02-24/..)."
        ]
    }
    event.refresh_from_db()
    assert event.date == "2024-05"


@pytest.mark.parametrize("date", ["２０２２", "٢٠٢٢", "१९९९"])
def test_a_date_in_another_scripts_digits_is_a_form_error(editor_client, event, date):
    """Only ASCII digits are EDTF (issue 19, item 9)."""
    data = change_form_data(editor_client.get(change_url(event)))
    data["date"] = date
    response = editor_client.post(change_url(event), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "date": [
            f"{date!r} is not a valid EDTF date "
            "(examples: 2024-05, 2022-04-13, 2022~, 2024-05?, 2022-02-24/..)."
        ]
    }
    event.refresh_from_db()
    assert (event.date, event.revisions.count()) == ("2024-05", 1)


def test_an_invalid_inline_edtf_date_is_refused_too(editor_client):
    treaty = make_treaty()
    data = change_form_data(editor_client.get(change_url(treaty)))
    add_inline_row(data, "parties", country=make_country().pk, signed="2024-06-31")
    response = editor_client.post(change_url(treaty), data)
    assert response.status_code == 200
    [party_form] = response.context["inline_admin_formsets"][0].formset.forms
    assert party_form.errors["signed"] == [
        "'2024-06-31' is not a valid EDTF date "
        "(examples: 2024-05, 2022-04-13, 2022~, 2024-05?, 2022-02-24/..)."
    ]


def test_deleting_with_a_reason_is_the_last_revision(editor_client, editor, event):
    Participation.objects.create(event=event, role="HOST", country=make_country())
    delete_url = reverse("admin:events_event_delete", args=[event.pk])
    assert 'name="change_reason"' in editor_client.get(delete_url).content.decode()

    response = editor_client.post(delete_url, {"post": "yes", "change_reason": "Duplicate record"})
    assert response.status_code == 302
    assert not Event.objects.filter(pk=event.pk).exists()

    last = revisions_for(event)[-1]
    assert (last.kind, last.user, last.reason) == (DELETED, "test-editor", "Duplicate record")
    assert FieldChange("participants", "role: Host; country: Testland (QM)", None) in last.changes
    # A deleted record's history page still opens from its id.
    page = editor_client.get(history_url(event))
    assert page.status_code == 200
    assert "Duplicate record" in page.content.decode()


def test_revert_restores_the_fields_and_records_the_reason(editor_client, editor, event):
    first = event.revisions.get()
    event.title = "Renamed by mistake"
    event.save()

    revert_url = reverse("admin:events_event_simple_history", args=[event.pk, first.history_id])
    page = editor_client.get(revert_url)
    assert page.status_code == 200
    assert 'name="change_reason"' in page.content.decode()
    # The revert page has no inlines: revert restores the record's own fields only.
    data = form_values(page.context["adminform"].form)
    data["change_reason"] = "Undo the rename"
    assert editor_client.post(revert_url, data).status_code == 302

    event.refresh_from_db()
    assert event.title == "Summit"
    last = revisions_for(event)[-1]
    assert (last.user, last.reason) == ("test-editor", "Undo the rename")
    assert last.changes == [FieldChange("title", "Renamed by mistake", "Summit")]


def test_history_page_lists_newest_first_with_revert_links(editor_client, event):
    event.title = "Renamed"
    event.save()
    content = editor_client.get(history_url(event)).content.decode()
    assert content.index("Renamed") < content.index("<td>Summit</td>")
    for row in event.revisions.all():
        assert reverse("admin:events_event_simple_history", args=[event.pk, row.history_id]) in content
    assert "rows edited in the inlines are not reverted" in content


def test_aliases_are_typed_one_a_line_and_repeats_are_refused(editor_client):
    country = make_country("QR", "Aliasland")
    data = change_form_data(editor_client.get(change_url(country)))
    data["aliases"] = "Republic of Aliasland\nAliasia"
    assert editor_client.post(change_url(country), data).status_code == 302
    country.refresh_from_db()
    assert country.aliases == ["Republic of Aliasland", "Aliasia"]

    data["aliases"] = "Aliasia\naliasia"
    response = editor_client.post(change_url(country), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "aliases": ["Aliases repeat a name: ['Aliasia', 'aliasia']."]
    }


def test_autocomplete_finds_people_by_alias(editor_client):
    make_person("aliasov", name="Ivan Aliasov", aliases=["Jan Aliasow"])
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "events", "model_name": "participation", "field_name": "person", "term": "aliasow"},
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Ivan Aliasov"]


def test_a_view_only_editor_sees_history_but_no_reason_field(client, event):
    viewer = get_user_model().objects.create_user("test-viewer", password="x", is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename="view_event"))
    client.force_login(viewer)
    assert 'name="change_reason"' not in client.get(change_url(event)).content.decode()
    content = client.get(history_url(event)).content.decode()
    assert "View this version" in content
    assert "Revert to this version" not in content


def test_a_visit_saved_in_the_admin_puts_its_visitor_and_destination_on_the_event(
    editor_client, editor, event
):
    # Timelines find people and places through the event's participants and regions.
    from events.models import EventRegion
    from places.models import Region

    visitor = make_person("visitor", name="Visiting Minister")
    host = make_country("PL")
    city = Region.objects.create(slug="test-visit-city", name="Visit City", kind="city", country=host)
    data = change_form_data(editor_client.get(reverse("admin:events_visit_add")))
    data.update(slug="test-visit", event=event.pk, kind="OFFICIAL", visitor=visitor.pk, host_country=host.pk)
    add_inline_row(data, "destination_links", region=city.pk)
    data["change_reason"] = REASON

    response = editor_client.post(reverse("admin:events_visit_add"), data)
    assert response.status_code == 302, response.context and response.context["errors"]

    participant = Participation.objects.get(event=event, person=visitor)
    assert participant.role == "VISITOR"
    assert EventRegion.objects.filter(event=event, region=city).exists()
    assert (participant.revisions.get().history_user, participant.revisions.get().history_change_reason) == (
        editor,
        REASON,
    )

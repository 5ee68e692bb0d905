"""The same scenarios through the admin, the API and the importer: the same rows, the same history.

Scenarios (issue 8): the visit mirror after a participants edit, a provision list sent back as
it is, the quote rule, delete history, a region move, and a write based on a stale read. Where
a surface cannot do a scenario it is left out and says why: the importer deletes no records
and reads no versions; the API has no region mutation.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from core.revisions import DELETED, revisions_for
from core.services import StaleVersion
from events.models import Citation, Event, Participation, QuoteRule, Source, Treaty
from events.services import treaty_update
from places.models import Region
from seeds.importer import seeds_import
from tests.crosssurface.conftest import EDITOR, IMPORTER, Surfaces

pytestmark = pytest.mark.django_db

ARTICLE = "article-000-90c99206324603d7"
TREATY = "russia-north-korea-comprehensive-strategic-partnership-treaty"
ALL = ["admin", "api", "importer"]


def _author(surface: str) -> str:
    return IMPORTER if surface == "importer" else EDITOR


def _last_revision(record: Any) -> Any:
    return revisions_for(record)[-1]


# -- the visit mirror -------------------------------------------------------------------------


@pytest.mark.parametrize("surface", ALL)
def test_a_participants_edit_keeps_the_visitor(surfaces: Surfaces, surface: str) -> None:
    event = Event.objects.get(slug="duda-first-visit-kyiv")
    visitor = event.visit.visitor
    if surface == "admin":
        data, response = surfaces.admin_form(event)
        [formset] = [
            i.formset for i in response.context["inline_admin_formsets"] if i.formset.model is Participation
        ]
        for index, form in enumerate(formset.forms):
            if form.instance.role == "VISITOR":
                data[f"participants-{index}-DELETE"] = "on"
        assert surfaces.admin_post(event, data).status_code == 302
    elif surface == "api":
        result = surfaces.graphql(
            """mutation { eventUpdate(slug: "duda-first-visit-kyiv",
                 input: {participants: [{role: HOST, country: "UA"}]}) { __typename } }"""
        )
        assert result["eventUpdate"]["__typename"] == "Event"
    else:
        visitor_row = "      - role: VISITOR\n        person: andrzej-duda\n        country: PL\n"
        surfaces.import_edited(visitor_row, "", after="- slug: duda-first-visit-kyiv")
    rows = sorted(
        (role, person, country)
        for role, person, country in event.participants.values_list("role", "person__slug", "country__code")
    )
    assert [(role, person) for role, person, _ in rows] == [("HOST", None), ("VISITOR", visitor.slug)]
    revision = _last_revision(event)
    assert revision.user == _author(surface)
    assert {c.field.split(".")[0] for c in revision.changes} == {"participants"}


# -- child identity: a provision list sent back as it is --------------------------------------

TWO_ECONOMIC = """    provisions:
      - kind: MUTUAL_DEFENSE
        summary: A mutual defence pact between the two nations.
      - kind: ECONOMIC
        summary: Trade in grain.
      - kind: ECONOMIC
        summary: Joint ventures.
"""
ONE_PROVISION = """    provisions:
      - kind: MUTUAL_DEFENSE
        summary: A mutual defence pact between the two nations.
"""


@pytest.mark.parametrize("surface", ALL)
def test_a_treaty_takes_back_its_own_provision_list(surfaces: Surfaces, surface: str) -> None:
    # Two economic provisions without an article: distinct rows (issue 8).
    surfaces.import_edited(ONE_PROVISION, TWO_ECONOMIC)
    treaty = Treaty.objects.get(slug=TREATY)
    stored = sorted(treaty.provisions.values_list("pk", "kind", "summary"))
    assert len(stored) == 3
    history = treaty.provisions.model.history.count()
    if surface == "admin":
        data, _ = surfaces.admin_form(treaty)
        data["note"] = "Checked against the text."
        assert surfaces.admin_post(treaty, data).status_code == 302
    elif surface == "api":
        query = f'{{ treaty(slug: "{TREATY}") {{ provisions {{ kind article summary }} }} }}'
        provisions = surfaces.graphql(query)["treaty"]["provisions"]
        result = surfaces.graphql(
            """mutation ($slug: String!, $input: TreatyPatch!) { treatyUpdate(slug: $slug, input: $input) {
                 __typename ... on OperationInfo { messages { field message } } } }""",
            slug=TREATY,
            input={
                "note": "Checked against the text.",
                "provisions": [{**p, "article": p["article"] or ""} for p in provisions],
            },
        )
        assert result["treatyUpdate"]["__typename"] == "Treaty", result
    else:
        stats = surfaces.import_edited(ONE_PROVISION, TWO_ECONOMIC)
        assert dict(stats.counts["events.TreatyProvision"]) == {"unchanged": 3}
    assert sorted(treaty.provisions.values_list("pk", "kind", "summary")) == stored
    assert treaty.provisions.model.history.count() == history


# -- the quote rule ---------------------------------------------------------------------------


@pytest.mark.parametrize("surface", ALL)
def test_a_source_with_text_needs_a_quote_on_every_surface(surfaces: Surfaces, surface: str) -> None:
    source = Source.objects.get(slug=ARTICLE)
    event = Event.objects.get(slug="duda-zelenskyy-meeting")
    problem = QuoteRule.problem(source=source.slug, text=source.text, quote="")
    assert problem
    citations = Citation.objects.count()
    history = Citation.history.count()
    if surface == "admin":
        data, _ = surfaces.admin_form(event)
        index = int(data["citations-TOTAL_FORMS"])
        data["citations-TOTAL_FORMS"] = index + 1
        data.update({f"citations-{index}-source": source.pk, f"citations-{index}-quote": ""})
        response = surfaces.admin_post(event, data)
        assert response.status_code == 200
        assert problem in response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    elif surface == "api":
        result = surfaces.graphql(
            """mutation ($input: EventPatch!) { eventUpdate(slug: "duda-zelenskyy-meeting", input: $input) {
                 __typename ... on OperationInfo { messages { field message code } } } }""",
            input={"citations": [{"source": ARTICLE, "quote": ""}]},
        )
        [message] = result["eventUpdate"]["messages"]
        assert (message["field"], message["message"], message["code"]) == (
            "citations.0.quote",
            problem,
            "quote",
        )
    else:
        with pytest.raises(Exception) as refused:
            surfaces.import_edited(
                "    citations:\n      - source: article-000-90c99206324603d7\n        quote: >-\n",
                "    citations:\n      - source: article-000-90c99206324603d7\n        quote: ''\n"
                "      - source: article-000-90c99206324603d7\n        quote: >-\n",
                after="- slug: duda-zelenskyy-meeting",
            )
        assert problem in str(refused.value)
    assert Citation.objects.count() == citations
    assert Citation.history.count() == history


# -- delete history ---------------------------------------------------------------------------


@pytest.mark.parametrize("surface", ["admin", "admin-bulk", "api"])  # the importer deletes no records
def test_a_delete_is_one_revision_with_its_reason_children_included(surfaces: Surfaces, surface: str) -> None:
    event = Event.objects.get(slug="chervona-zirka-capture-claim")
    children = (
        event.participants.count()
        + event.citations.count()
        + event.country_links.count()
        + event.region_links.count()
    )
    assert children >= 3
    if surface == "admin":
        url = reverse("admin:events_event_delete", args=[event.pk])
        assert surfaces.client.post(url, {"post": "yes", "change_reason": "duplicate"}).status_code == 302
    elif surface == "admin-bulk":
        url = reverse("admin:events_event_changelist")
        chosen = {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"}
        assert "Say why" in surfaces.client.post(url, chosen).content.decode()  # a reason is asked for
        assert Event.objects.filter(pk=event.pk).exists()
        assert surfaces.client.post(url, {**chosen, "change_reason": "duplicate"}).status_code == 302
    else:
        result = surfaces.graphql(
            'mutation { eventDelete(slug: "chervona-zirka-capture-claim", reason: "duplicate") '
            "{ __typename } }"
        )
        assert result["eventDelete"]["__typename"] == "Deletion"
    assert not Event.objects.filter(pk=event.pk).exists()
    gone = Event.history.filter(id=event.pk, history_type="-").get()
    rows = [gone]
    for model in (Participation, Citation, event.country_links.model, event.region_links.model):
        rows += list(model.history.filter(event_id=event.pk, history_type="-"))
    assert len(rows) == children + 1
    assert {(r.history_edit, r.history_user.username, r.history_change_reason) for r in rows} == {
        (gone.history_edit, EDITOR, "duplicate")
    }
    revision = _last_revision(gone.instance)
    assert (revision.kind, revision.reason, revision.user) == (DELETED, "duplicate", EDITOR)
    assert len([r for r in revisions_for(gone.instance) if r.kind == DELETED]) == 1


# -- a region move ----------------------------------------------------------------------------


@pytest.mark.parametrize("surface", ["admin", "importer"])  # the API has no region mutation
def test_a_region_move_rewrites_the_paths_below_it(surfaces: Surfaces, surface: str) -> None:
    village = Region.objects.get(slug="chervona-zirka")
    luhansk = Region.objects.get(slug="luhansk-oblast")
    history = Region.history.filter(id=village.pk).count()
    if surface == "admin":
        data, _ = surfaces.admin_form(village)
        data["parent"] = luhansk.pk
        assert surfaces.admin_post(village, data).status_code == 302
    else:
        surfaces.import_edited(
            "parent: donetsk-oblast", "parent: luhansk-oblast", after="- slug: chervona-zirka"
        )
    village.refresh_from_db()
    assert village.parent_id == luhansk.pk
    assert village.path == luhansk.descendant_prefix
    assert Region.history.filter(id=village.pk).count() == history + 1
    revision = _last_revision(village)
    assert revision.user == _author(surface)
    assert [(c.field, c.new) for c in revision.changes] == [("parent", str(luhansk))]
    # The timeline filter by the new oblast finds the village's events.
    assert Event.objects.filter(region_links__region__path__startswith=luhansk.descendant_prefix).exists()


# -- a write based on a stale read ------------------------------------------------------------


@pytest.mark.parametrize("surface", ["admin", "api"])  # the importer reads no versions
def test_a_stale_write_is_refused_on_every_surface(surfaces: Surfaces, surface: str) -> None:
    treaty = Treaty.objects.get(slug=TREATY)
    read = treaty.version
    form = surfaces.admin_form(treaty)[0] if surface == "admin" else None
    # Another editor's save lands first.
    treaty_update(
        actor=None, reason="first", treaty=Treaty.objects.get(pk=treaty.pk), fields={"short_name": "First"}
    )
    history = Treaty.history.filter(id=treaty.pk).count()
    if surface == "admin":
        assert form is not None
        form["note"] = "Stale."
        response = surfaces.admin_post(treaty, form)
        assert response.status_code == 200
        text = response.content.decode()
    else:
        result = surfaces.graphql(
            """mutation ($slug: String!, $v: Int) {
                 treatyUpdate(slug: $slug, input: {note: "Stale."}, expectedVersion: $v) {
                 __typename ... on OperationInfo { messages { code message } } } }""",
            slug=TREATY,
            v=read,
        )
        [message] = result["treatyUpdate"]["messages"]
        assert message["code"] == StaleVersion.code
        text = message["message"]
    assert f"you read version {read}, it is now version {read + 1}" in text
    assert "(short_name)" in text
    stored = Treaty.objects.get(pk=treaty.pk)
    assert (stored.short_name, stored.note, stored.version) == ("First", treaty.note, read + 1)
    assert Treaty.history.filter(id=treaty.pk).count() == history


def test_the_importer_keeps_what_an_editor_changed_meanwhile(surfaces: Surfaces) -> None:
    # The importer's answer to a stale read is ownership (seeds.importer.ownership): kept, reported.
    event = Event.objects.get(slug="duda-zelenskyy-meeting")
    surfaces.graphql(
        'mutation { eventUpdate(slug: "duda-zelenskyy-meeting", input: {title: "Edited"}) { __typename } }'
    )
    stats = seeds_import(paths=[surfaces.seed_copy()])
    assert Event.objects.get(pk=event.pk).title == "Edited"
    assert any("title" in str(conflict) for conflict in stats.conflicts)

"""The admin's possible duplicates, merges and splits, as an editor uses them (issue 20, item 3)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from events.models import Visit
from people.identity import person_merge
from people.identity_imports import Proposal, person_candidates_record
from people.models import CandidateStatus, Person, PersonCandidate, PersonMerge
from tests.admin.conftest import populate

REASON = "Same birth date and office; two spellings"


@pytest.fixture
def pair(db: Any) -> tuple[Person, Person]:
    a, b = populate(0)[Person], populate(1)[Person]
    person_candidates_record(
        actor=None,
        reason="import",
        proposals=[Proposal(a.slug, b.slug, 0.82, "surname+country", {"given names": "Person 0 ~ Person 1"})],
    )
    return a, b


def candidate_url(candidate: PersonCandidate) -> str:
    return reverse("admin:people_personcandidate_change", args=[candidate.pk])


def test_the_list_shows_open_pairs_with_their_evidence(editor_client: Any, pair: Any) -> None:
    page = editor_client.get(reverse("admin:people_personcandidate_changelist"))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Person 0 / Person 1" in content and "0.82" in content and "surname+country" in content
    assert "XA / XB" in content
    detail = editor_client.get(candidate_url(PersonCandidate.objects.get())).content.decode()
    for shown in (
        "Person alias 0",
        "Person alias 1",
        "Testland 0",
        "Minister",
        "Visits (1)",
        "test:person-1",
    ):
        assert shown in detail, shown
    assert "given names" in detail and "Merge: one person" in detail and "Not the same person" in detail


def test_merge_from_the_pair_page(editor_client: Any, editor: Any, pair: Any) -> None:
    a, b = pair
    candidate = PersonCandidate.objects.get()
    old = b.slug
    response = editor_client.post(
        candidate_url(candidate), {"survivor": a.pk, "reason": REASON, "_merge": "1"}
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "admin:people_person_change", args=[a.pk]
    )
    assert not Person.objects.filter(slug=old).exists()
    assert Visit.objects.filter(visitor=a).count() == 2
    candidate.refresh_from_db()
    assert (candidate.status, candidate.decided_by, candidate.reason) == (
        CandidateStatus.MERGED,
        editor,
        REASON,
    )
    # The survivor's history shows the merge with its reason, and links to undo it.
    history = editor_client.get(reverse("admin:people_person_history", args=[a.pk])).content.decode()
    assert (
        REASON in history
        and reverse("admin:people_personmerge_change", args=[PersonMerge.objects.get().pk]) in history
    )
    # The list of open pairs is empty now; the decided one is under "Merged".
    listed = editor_client.get(reverse("admin:people_personcandidate_changelist"))
    assert list(listed.context["cl"].result_list) == []
    listed = editor_client.get(reverse("admin:people_personcandidate_changelist"), {"status": "merged"})
    assert list(listed.context["cl"].result_list) == [candidate]


def test_not_the_same_person(editor_client: Any, editor: Any, pair: Any) -> None:
    candidate = PersonCandidate.objects.get()
    response = editor_client.post(
        candidate_url(candidate), {"survivor": pair[0].pk, "reason": "Father and son", "_distinct": "1"}
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert (candidate.status, candidate.reason, candidate.decided_by) == (
        "distinct",
        "Father and son",
        editor,
    )
    assert Person.objects.filter(pk__in=[p.pk for p in pair]).count() == 2


def test_a_decision_without_a_reason_is_refused(editor_client: Any, pair: Any) -> None:
    candidate = PersonCandidate.objects.get()
    response = editor_client.post(
        candidate_url(candidate), {"survivor": pair[0].pk, "reason": "", "_merge": "1"}
    )
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    assert Person.objects.filter(pk__in=[p.pk for p in pair]).count() == 2
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.OPEN


def test_a_stale_pair_page_says_what_happened(editor_client: Any, pair: Any) -> None:
    """The other record was merged elsewhere after the page was opened: a clear refusal, nothing written."""
    a, b = pair
    third = populate(2)[Person]
    candidate = PersonCandidate.objects.get()
    page = editor_client.get(candidate_url(candidate))
    assert page.status_code == 200
    person_merge(actor=None, reason="elsewhere", survivor=third, merged=b)
    response = editor_client.post(
        candidate_url(candidate), {"survivor": a.pk, "reason": REASON, "_merge": "1"}
    )
    assert response.status_code == 200
    assert "no longer exists" in response.content.decode()
    assert PersonMerge.objects.count() == 1 and Person.objects.filter(pk=a.pk).exists()


def test_merge_from_the_person_page_and_undo_it(editor_client: Any, pair: Any) -> None:
    a, b = pair
    old = b.slug
    change = editor_client.get(reverse("admin:people_person_change", args=[a.pk])).content.decode()
    merge_url = reverse("admin:people_person_merge", args=[a.pk])
    assert merge_url in change
    refused = editor_client.post(merge_url, {"other": "test-nobody", "reason": REASON})
    assert "No person has the slug" in refused.content.decode()
    refused = editor_client.post(merge_url, {"other": a.slug, "reason": REASON})
    assert "cannot be merged into themselves" in refused.content.decode()
    response = editor_client.post(merge_url, {"other": old, "reason": REASON})
    assert response.status_code == 302
    merge = PersonMerge.objects.get()
    assert editor_client.get(f"/people/{old}/").status_code == 301

    listed = editor_client.get(reverse("admin:people_personmerge_changelist")).content.decode()
    assert old in listed and REASON in listed
    split_url = reverse("admin:people_personmerge_change", args=[merge.pk])
    page = editor_client.get(split_url).content.decode()
    assert "Undo this merge" in page and REASON in page
    response = editor_client.post(split_url, {"reason": "Two people after all"})
    assert response.status_code == 302
    restored = Person.objects.get(slug=old)
    assert Visit.objects.filter(visitor=restored).count() == 1
    assert not PersonMerge.objects.exists()
    assert PersonCandidate.objects.get().status == CandidateStatus.DISTINCT


def test_viewers_cannot_decide(client: Any, pair: Any) -> None:
    from django.contrib.auth.models import Permission

    viewer = get_user_model().objects.create_user("test-viewer", password="x", is_staff=True)
    viewer.user_permissions.set(
        Permission.objects.filter(codename__startswith="view_", content_type__app_label="people")
    )
    client.force_login(viewer)
    candidate = PersonCandidate.objects.get()
    assert client.get(candidate_url(candidate)).status_code == 200
    response = client.post(
        candidate_url(candidate), {"survivor": pair[0].pk, "reason": REASON, "_merge": "1"}
    )
    assert response.status_code == 403
    assert Person.objects.filter(pk__in=[p.pk for p in pair]).count() == 2
    assert client.get(reverse("admin:people_person_merge", args=[pair[0].pk])).status_code == 403


def test_a_record_changed_since_the_page_was_read_is_not_merged(editor_client: Any, pair: Any) -> None:
    from people.services import person_update

    a, b = pair
    candidate = PersonCandidate.objects.get()
    page = editor_client.get(candidate_url(candidate))
    form = page.context["form"]
    data = {name: field.initial for name, field in form.fields.items() if name.startswith("version_")}
    person_update(actor=None, reason="meanwhile", person=b, fields={"note": "Edited meanwhile."})
    response = editor_client.post(
        candidate_url(candidate), {**data, "survivor": a.pk, "reason": REASON, "_merge": "1"}
    )
    assert response.status_code == 200
    assert "was changed after you read it" in response.content.decode()
    assert Person.objects.filter(pk=b.pk).exists() and not PersonMerge.objects.exists()

"""Merging two person records, splitting the merge again, marking pairs distinct (issue 20, item 3)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from core.services import StaleVersion
from events.models import Citation, ParticipantRole, Participation, TreatyParty, Visit
from people.identity import person_mark_distinct, person_merge, person_split
from people.identity_imports import Proposal, identity_decisions, person_candidates_record
from people.models import CandidateStatus, Identifier, Person, PersonCandidate, PersonMerge, Role
from people.selectors import person_by_slug
from tests.admin.conftest import populate
from tests.api.conftest import post_graphql

pytestmark = pytest.mark.django_db


@pytest.fixture
def user() -> Any:
    return get_user_model().objects.create_user("test-merger", password="x", is_staff=True)


@pytest.fixture
def pair() -> tuple[Person, Person, dict[str, Any]]:
    """Two records of one person: set 0's and set 1's, the second repeating a role and a participation."""
    zero, one = populate(0), populate(1)
    survivor, merged = zero[Person], one[Person]
    country0 = zero[Role].country
    # The same office as the survivor's, with a citation of its own: a merge drops the row.
    twin = Role.objects.create(person=merged, title="Minister", country=country0, start="2010")
    Citation.objects.create(source=one[Citation].source, role=twin, quote="Leaders met")
    # The same part in the same event as the survivor's.
    twin_part = Participation.objects.create(
        event=zero[Participation.event.field.related_model],
        role=ParticipantRole.VISITOR,
        person=merged,
        country=country0,
    )
    merged.wikidata_id = "Q42"
    merged.born = "1949"
    merged.save()
    return survivor, merged, {"twin": twin.pk, "twin_part": twin_part.pk, "zero": zero, "one": one}


def holdings(person: Person) -> dict[str, set[int]]:
    return {
        "participations": set(Participation.objects.filter(person=person).values_list("pk", flat=True)),
        "visits": set(Visit.objects.filter(visitor=person).values_list("pk", flat=True)),
        "roles": set(Role.objects.filter(person=person).values_list("pk", flat=True)),
        "identifiers": set(Identifier.objects.filter(person=person).values_list("pk", flat=True)),
        "treaties": set(TreatyParty.objects.filter(signatory=person).values_list("pk", flat=True)),
    }


def test_merge_moves_everything_and_keeps_the_slug(pair: Any, user: Any) -> None:
    survivor, merged, info = pair
    before_survivor, before_merged = holdings(survivor), holdings(merged)
    merged_slug, merged_name = merged.slug, merged.name

    record = person_merge(actor=user, reason="Same minister", survivor=survivor, merged=merged)

    assert not Person.objects.filter(slug=merged_slug).exists()
    after = holdings(survivor)
    for key, rows in before_merged.items():
        kept = rows - {info["twin"], info["twin_part"]}
        assert kept <= after[key], key
        assert before_survivor[key] <= after[key], key
    # The repeated role and part were dropped, not doubled.
    assert not Role.objects.filter(pk=info["twin"]).exists()
    assert Role.objects.filter(person=survivor, title="Minister", start="2010").count() == 1
    survivor.refresh_from_db()
    assert merged_name in survivor.aliases and "Person alias 1" in survivor.aliases
    assert survivor.wikidata_id == "Q42" and survivor.born == "1949"
    # The old slug answers for the survivor.
    assert list(person_by_slug(slug=merged_slug)) == [survivor]
    assert identity_decisions().merged == {merged_slug: survivor.slug}
    # History: one edit, with the reason and the editor, on the deleted person's row too.
    gone = Person.history.get(id=record.merged_pk, history_type="-")
    assert gone.history_edit == record.edit and gone.history_change_reason == "Same minister"
    assert gone.history_user == user
    pair_row = PersonCandidate.objects.get()
    assert pair_row.status == CandidateStatus.MERGED and pair_row.reason == "Same minister"


def test_split_gives_back_what_the_merge_took(pair: Any, user: Any) -> None:
    survivor, merged, info = pair
    before_survivor, before_merged = holdings(survivor), holdings(merged)
    merged_slug, merged_pk = merged.slug, merged.pk
    survivor_aliases = list(survivor.aliases)
    record = person_merge(actor=user, reason="Same minister", survivor=survivor, merged=merged)

    restored = person_split(actor=user, reason="Two ministers after all", merge_record=record)

    assert (restored.pk, restored.slug) == (merged_pk, merged_slug)
    assert holdings(restored) == before_merged
    assert holdings(survivor) == before_survivor
    assert Citation.objects.filter(role_id=info["twin"]).count() == 1
    survivor.refresh_from_db()
    assert survivor.aliases == survivor_aliases and survivor.wikidata_id is None and survivor.born == ""
    restored.refresh_from_db()
    assert restored.wikidata_id == "Q42"
    assert not PersonMerge.objects.exists()
    decisions = identity_decisions()
    assert decisions.merged == {} and frozenset((survivor.slug, merged_slug)) in decisions.distinct
    assert list(person_by_slug(slug=merged_slug)) == [restored]


def test_a_merge_chain_splits_back(pair: Any, user: Any) -> None:
    """A survivor merged on later: its earlier merge follows, and its split still gives back its rows."""
    survivor, merged, _ = pair
    third = populate(2)[Person]
    merged_slug = merged.slug
    first = person_merge(actor=user, reason="Same", survivor=survivor, merged=merged)
    person_merge(actor=user, reason="Same again", survivor=third, merged=survivor)
    assert identity_decisions().merged[merged_slug] == third.slug
    assert list(person_by_slug(slug=merged_slug)) == [third]
    first.refresh_from_db()
    restored = person_split(actor=user, reason="Not the same", merge_record=first)
    assert Visit.objects.filter(visitor=restored).count() == 1


@pytest.mark.parametrize("case", ["self", "gone-survivor", "gone-merged", "no-reason", "stale"])
def test_bad_merges_change_nothing(pair: Any, user: Any, case: str) -> None:
    survivor, merged, _ = pair
    before = holdings(survivor), holdings(merged)
    kwargs: dict[str, Any] = {"actor": user, "reason": "Same", "survivor": survivor, "merged": merged}
    message = {
        "self": "cannot be merged into themselves",
        "gone-survivor": "was merged into",
        "gone-merged": "was merged or deleted",
        "no-reason": "Say why",
        "stale": "changed after you read it",
    }[case]
    if case == "self":
        kwargs["merged"] = survivor
    elif case == "gone-survivor":
        # Merge the chosen survivor away first: the editor's page is stale.
        other = populate(3)[Person]
        stale_survivor = Person.objects.get(pk=survivor.pk)
        person_merge(actor=user, reason="Earlier", survivor=other, merged=survivor)
        kwargs["survivor"] = stale_survivor
        survivor = other  # what the database holds for the survivor now
    elif case == "gone-merged":
        Person.objects.filter(pk=merged.pk).update(slug="test-renamed")
        Participation.objects.filter(person=merged).delete()
        Visit.objects.filter(visitor=merged).delete()
        TreatyParty.objects.filter(signatory=merged).delete()
        Person.objects.filter(pk=merged.pk).delete()
        before = holdings(survivor), holdings(merged)
    elif case == "no-reason":
        kwargs["reason"] = "  "
    else:
        kwargs["merged_version"] = merged.version - 1 if merged.version > 1 else 99
    merges = PersonMerge.objects.count()
    with pytest.raises(ValidationError, match=message) as caught:
        person_merge(**kwargs)
    if case == "stale":
        assert isinstance(caught.value, StaleVersion)
    assert PersonMerge.objects.count() == merges
    assert Person.objects.filter(pk=merged.pk).exists() == (case != "gone-merged")
    if case == "gone-survivor":
        assert holdings(merged) == before[1]
    else:
        assert (holdings(survivor), holdings(merged)) == before


def test_split_twice_is_refused(pair: Any, user: Any) -> None:
    survivor, merged, _ = pair
    record = person_merge(actor=user, reason="Same", survivor=survivor, merged=merged)
    person_split(actor=user, reason="Two", merge_record=record)
    count = Person.objects.count()
    with pytest.raises(ValidationError, match="already undone"):
        person_split(actor=user, reason="Two", merge_record=record)
    assert Person.objects.count() == count


def test_split_refused_when_the_slug_is_taken(pair: Any, user: Any) -> None:
    survivor, merged, _ = pair
    slug = merged.slug
    record = person_merge(actor=user, reason="Same", survivor=survivor, merged=merged)
    Person.objects.create(slug=slug, name="Someone new")
    with pytest.raises(ValidationError, match="names another person"):
        person_split(actor=user, reason="Two", merge_record=record)
    assert PersonMerge.objects.filter(pk=record.pk).exists()


def test_mark_distinct_and_proposals(pair: Any, user: Any) -> None:
    survivor, merged, _ = pair
    counts = person_candidates_record(
        actor=None,
        reason="import",
        proposals=[Proposal(survivor.slug, merged.slug, 0.8, "surname+country", {"names": ["a", "b"]})],
    )
    assert counts["inserted"] == 1
    candidate = PersonCandidate.objects.get()
    assert (candidate.person_a, candidate.person_b) == (survivor, merged)  # test-person-0 < test-person-1
    person_mark_distinct(actor=user, reason="Father and son", a=merged, b=survivor)
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.DISTINCT and candidate.decided_by == user
    # A re-import proposing the pair again leaves the decision alone.
    counts = person_candidates_record(
        actor=None, reason="import", proposals=[Proposal(merged.slug, survivor.slug, 0.95, "other")]
    )
    assert counts["unchanged"] == 1
    candidate.refresh_from_db()
    assert (candidate.status, candidate.score, candidate.rule) == ("distinct", 0.8, "surname+country")
    assert identity_decisions().are_distinct(survivor.slug, merged.slug)


def test_bad_distinct_and_proposals(pair: Any, user: Any) -> None:
    survivor, merged, _ = pair
    with pytest.raises(ValidationError, match="same as themselves"):
        person_mark_distinct(actor=user, reason="x", a=survivor, b=survivor)
    with pytest.raises(ValidationError, match="Say why"):
        person_mark_distinct(actor=user, reason="", a=survivor, b=merged)
    with pytest.raises(ValidationError, match="test-nobody"):
        person_candidates_record(
            actor=None,
            proposals=[Proposal(survivor.slug, merged.slug), Proposal(survivor.slug, "test-nobody")],
        )
    with pytest.raises(ValidationError, match="twice"):
        person_candidates_record(actor=None, proposals=[Proposal(survivor.slug, survivor.slug)])
    assert not PersonCandidate.objects.exists()


def test_old_slug_answers_in_the_api_and_redirects_the_page(pair: Any, user: Any, client: Any) -> None:
    survivor, merged, _ = pair
    old = merged.slug
    person_merge(actor=user, reason="Same minister", survivor=survivor, merged=merged)

    response = client.get(f"/people/{old}/")
    assert response.status_code == 301 and response["Location"] == f"/people/{survivor.slug}/"
    assert client.get(f"/people/{survivor.slug}/").status_code == 200
    assert client.get("/people/test-never-was/").status_code == 404

    query = "query($slug: String!) { person(slug: $slug) { slug canonicalSlug mergedSlugs } }"
    body = post_graphql(client, query, {"slug": old}).json()
    assert body == {
        "data": {"person": {"slug": survivor.slug, "canonicalSlug": survivor.slug, "mergedSlugs": [old]}}
    }
    # The explorer's filter takes the old slug too.
    assert client.get("/", {"person": old}).status_code == 200


def test_a_merge_counts_an_edit_of_the_survivor_even_with_nothing_new_to_name(user: Any) -> None:
    zero, one = populate(0), populate(1)
    survivor, merged = zero[Person], one[Person]
    Person.objects.filter(pk=merged.pk).update(name=survivor.name, aliases=survivor.aliases)
    merged.refresh_from_db()
    version = survivor.version
    person_merge(actor=user, reason="Same", survivor=survivor, merged=merged)
    survivor.refresh_from_db()
    assert survivor.version == version + 1 and survivor.aliases == ["Person alias 0"]
    latest = survivor.revisions.latest("history_date")
    assert (latest.history_change_reason, latest.history_type) == ("Same", "~")

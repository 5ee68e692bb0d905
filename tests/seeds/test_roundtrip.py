"""The seed article, imported by the session fixture, read back fact by fact with its quotes (issue 3)."""

from __future__ import annotations

import pytest

from events.models import Citation, Event, Source, Treaty, Visit
from people.models import Person
from places.models import Country, Region
from tests.seeds.conftest import ARTICLE, ARTICLE_TEXT

pytestmark = pytest.mark.django_db


def quotes(event_slug: str) -> list[str]:
    return list(
        Citation.objects.filter(event__slug=event_slug, source__slug=ARTICLE).values_list("quote", flat=True)
    )


def actors(event_slug: str) -> set[tuple[str, str | None, str | None, str]]:
    event = Event.objects.get(slug=event_slug)
    return {
        (p.role, p.person.slug if p.person else None, p.country.code if p.country else None, p.note)
        for p in event.participants.select_related("person", "country")
    }


def test_article_is_stored_byte_identical_with_its_inferred_date():
    source = Source.objects.get(slug=ARTICLE)
    assert source.text.encode("utf-8") == ARTICLE_TEXT.read_bytes()
    assert (source.published_on, str(source.published_on_latest)) == (
        "[2025-06-01..2025-08-06]",
        "2025-08-06",
    )
    assert "outgoing" in source.note


def test_every_quote_of_the_article_occurs_verbatim_in_it():
    text = Source.objects.get(slug=ARTICLE).text
    cited = list(Citation.objects.filter(source__slug=ARTICLE).values_list("quote", flat=True))
    assert len(cited) >= 25
    assert [q for q in cited if q not in text] == []


def test_chervona_zirka_capture_is_claimed_by_the_russian_defence_ministry():
    event = Event.objects.get(slug="chervona-zirka-capture-claim")
    assert (event.kind, event.status) == ("TERRITORIAL_CONTROL", "CLAIMED")
    assert actors(event.slug) == {("CLAIMANT", None, "RU", "defence ministry")}
    assert list(event.regions.values_list("slug", flat=True)) == ["chervona-zirka"]
    assert (
        "Russia’s defense ministry claimed that its forces have taken the village of Chervona Zirka."
        in " ".join(quotes(event.slug))
    )


def test_seed_places_hang_in_the_tree():
    donetsk = Region.objects.get(slug="donetsk-oblast")
    assert (donetsk.iso_code, donetsk.parent_id, donetsk.country.code) == ("UA-14", None, "UA")
    assert {"Donetsk region", "Donetska oblast"} <= set(donetsk.aliases)
    for slug in ("chervona-zirka", "kostiantynivka"):
        place = Region.objects.get(slug=slug)
        assert (place.parent_id, place.path) == (donetsk.pk, donetsk.descendant_prefix)
    kyiv = Region.objects.get(slug="kyiv")
    assert (kyiv.iso_code, kyiv.parent_id, kyiv.country.code) == ("UA-30", None, "UA")
    assert set(Region.objects.subtree(donetsk).values_list("slug", flat=True)) == {
        "donetsk-oblast",
        "chervona-zirka",
        "kostiantynivka",
    }


def test_kostiantynivka_offensive_and_syrskyis_words():
    offensive = Event.objects.get(slug="kostiantynivka-offensive")
    assert offensive.kind == "MILITARY"
    assert "Kostiantynivka has become a key target of their new offensive." in quotes(offensive.slug)
    statement = Event.objects.get(slug="syrskyi-kostiantynivka-statement")
    assert statement.kind == "STATEMENT"
    assert actors(statement.slug) == {("SPEAKER", "oleksandr-syrskyi", "UA", "")}
    words = (
        "“The enemy is surging towards Kostiantynivka, but apart from sustaining numerous losses, "
        "has achieved nothing.”"
    )
    assert f"He stated, {words}" in quotes(statement.slug)
    assert words in statement.summary


def test_settlement_condition_names_four_oblasts_and_control_of_one_fifth():
    condition = Event.objects.get(slug="russia-settlement-condition")
    assert set(condition.regions.values_list("iso_code", flat=True)) == {"UA-09", "UA-14", "UA-23", "UA-65"}
    assert any(
        "four regions: Luhansk, Donetsk, Zaporizhzhia, and Kherson." in q for q in quotes(condition.slug)
    )
    assert (
        quotes("russian-control-one-fifth")[0] == "Today, Russian forces control nearly one-fifth of Ukraine."
    )


def test_lyubimova_visits_north_korea_with_125_performers():
    visit = Visit.objects.select_related("visitor", "host_country", "event").get(
        slug="lyubimova-north-korea-visit"
    )
    assert (visit.visitor.slug, visit.host_country.code, visit.delegation_size) == (
        "olga-lyubimova",
        "KP",
        125,
    )
    assert visit.event.slug == "lyubimova-north-korea-visit"
    assert "By her side is an equally vibrant female force of 125 gifted performers." in quotes(
        visit.event.slug
    )
    assert Person.objects.get(slug="olga-lyubimova").roles.get().title == "Minister of Culture"


def test_russia_north_korea_treaty_with_mutual_defence_and_its_signing():
    treaty = Treaty.objects.get(slug="russia-north-korea-comprehensive-strategic-partnership-treaty")
    assert treaty.short_name == "Russia–North Korea mutual-defence treaty"
    assert set(treaty.parties.values_list("country__code", flat=True)) == {"RU", "KP"}
    assert list(treaty.provisions.values_list("kind", flat=True)) == ["MUTUAL_DEFENSE"]
    assert treaty.signed == "2025-05?" and "inferred" in treaty.note
    signing = treaty.events.get()
    assert (signing.kind, signing.date, str(signing.date_earliest)) == ("TREATY", "2025-05?", "2025-05-01")
    assert "in May by the signing of a treaty that includes a mutual defense pact" in quotes(signing.slug)[0]


def test_invasion_and_polands_part():
    invasion = Event.objects.get(slug="full-scale-invasion")
    assert invasion.date == "2022-02-24"
    assert "Since the invasion started in early 2022" in quotes(invasion.slug)
    # The day is not in the article: it cites a source of its own.
    assert invasion.citations.filter(source__slug="wikipedia-russian-invasion-of-ukraine", quote="").exists()
    assert any("more than a million Ukrainians" in q for q in quotes("poland-takes-in-ukrainians"))
    assert any(
        "key logistics hub for Western military assistance" in q for q in quotes("poland-logistics-hub")
    )


def test_duda_first_head_of_state_in_kyiv_and_the_current_meeting():
    visit = Visit.objects.get(slug="duda-first-visit-kyiv")
    assert (visit.visitor.slug, visit.host_country.code) == ("andrzej-duda", "UA")
    assert list(visit.destinations.values_list("slug", flat=True)) == ["kyiv"]
    assert visit.event.date == "[2022-02-24..2025-08-06]"
    assert (
        "was the first head of state to visit Kyiv following Russia’s invasion."
        in quotes(visit.event.slug)[0]
    )
    meeting = Event.objects.get(slug="duda-zelenskyy-meeting")
    assert ("SPEAKER", "volodymyr-zelenskyy", "UA", "") in actors(meeting.slug)
    words = (
        "“We will do everything in our power to ensure that relations between our countries "
        "only grow stronger.”"
    )
    assert f"He remarked, {words}" in quotes(meeting.slug)
    assert not meeting.regions.exists() and "no place" in meeting.note
    role = Person.objects.get(slug="andrzej-duda").roles.get()
    assert (role.end, role.country.code) == ("2025-08-06", "PL")


def test_country_names_and_aliases():
    korea = Country.objects.get(code="KP")
    assert (korea.name, korea.alpha3) == ("North Korea", "PRK")
    assert {"DPRK", "Korea, Democratic People's Republic of"} <= set(korea.aliases)
    assert Country.objects.get(code="RU").name == "Russia"


def test_revisions_name_the_import_that_made_them():
    from django.contrib.auth import get_user_model

    from core.revisions import CREATED, revisions_for
    from seeds.importer import IMPORT_USERNAME

    first = revisions_for(Event.objects.get(slug="chervona-zirka-capture-claim"))[0]
    assert (first.kind, first.user) == (CREATED, IMPORT_USERNAME)
    assert first.reason.startswith("import_seeds")
    account = get_user_model().objects.get(username=IMPORT_USERNAME)
    assert not account.is_active and not account.has_usable_password()

"""The identity rules on hand-made records (seeds.datasets.identity: forms, score, cluster)."""

from __future__ import annotations

from seeds.datasets.identity import Candidate, Decisions
from seeds.datasets.identity.cluster import group
from seeds.datasets.identity.forms import fold, name_form, same_lineage
from seeds.datasets.identity.score import MERGE, Profile, compare, conflict


def person(slug: str, name: str, country: str = "FR", **facts: object) -> Profile:
    return Profile(
        slug=slug, names=(name,), country=country, source=str(facts.pop("source", "hsg-visits")), **facts
    )  # type: ignore[arg-type]


def test_transliteration_and_variants_fold_to_one_form() -> None:
    assert fold("Wałęsa") == fold("Walesa") == "walesa"
    assert fold("Зеленський") == "zelenskiy"
    assert name_form("Binyamin Netanyahu").tokens == name_form("Benyamin Netanyahu").tokens
    assert name_form("Abdullah II bin Al-Hussein").suffix == "II"
    assert name_form("Leonid I. Brezhnev").suffix == ""  # an initial, not a regnal number


def test_a_state_succession_is_one_lineage_and_neighbours_are_not() -> None:
    assert same_lineage("CSHH", "CZ") and same_lineage("YUCS", "RS") and same_lineage("SUHH", "RU")
    assert not same_lineage("UA", "RU")
    assert (
        conflict(person("havel-a", "Vaclav Havel", "CSHH"), person("havel-b", "Vaclav Havel", "CZ")) is None
    )


def test_given_name_variants_initials_and_missing_middle_names_score_as_one_person() -> None:
    pairs = [
        ("Benjamin Netanyahu", "Binyamin Netanyahu"),
        ("Jacques R. Chirac", "Jacques Chirac"),
        ("Nicloas Sarkozy", "Nicolas Sarkozy"),
        ("Luiz Lula da Silva", "Luiz Inacio Lula da Silva"),
        ("Hassan al Bolkiah", "Hassanal Bolkiah"),
    ]
    for a, b in pairs:
        match = compare(person("a", a), person("b", b))
        assert match is not None and match.score >= MERGE, (a, b, match)
    bush = compare(
        person("bush-george-h-w", "George H.W. Bush", "US", born=1924),
        person("bush-george-herbert-walker", "George Herbert Walker Bush", "US", born=1924),
    )
    assert bush is not None and bush.score >= MERGE and "both born 1924" in bush.evidence


def test_conflicting_facts_keep_two_records_apart() -> None:
    taft = person(
        "taft-william-howard", "William Howard Taft", "US", born=1857, died=1930, source="hsg-travels"
    )
    iii = person("taft-william-howard", "William Howard Taft", "US", born=1915, died=1991, source="hsg-pocom")
    assert conflict(taft, iii) == "born 1857 and 1915"
    in_office = person("x", "William Howard Taft", "US", active=(1953, 1957), source="hsg-pocom")
    assert conflict(taft, in_office) == "x in office in 1953, after taft-william-howard died (1930)"
    father = person("seretse-khama", "Seretse Khama", "BW", active=(1969, 1976))
    son = person("seretse-khama-ian-khama", "Seretse Khama Ian Khama", "BW", active=(2009, 2009))
    assert conflict(father, son) == "active 33 years apart"
    assert conflict(person("m5", "Mohamed V", "MA"), person("m6", "Mohammed VI", "MA")) == "V and VI"
    assert (
        conflict(person("a", "Lech Walesa", "PL"), person("b", "Lech Walesa", "UA")) == "countries PL and UA"
    )


def test_a_given_name_with_a_ruling_house_is_only_a_candidate() -> None:
    match = compare(person("a", "Nasser al-Sabah", "KW"), person("b", "Nasser Sabah Al-Ahmed Al-Sabah", "KW"))
    assert match is not None and match.rule == "house-name" and match.score < MERGE


def test_a_one_word_name_joins_the_one_person_it_fits_when_close_in_time() -> None:
    tito = person("tito", "Tito", "YUCS", active=(1960, 1963))
    josip = person("josip-broz-tito", "Josip Broz Tito", "YUCS", active=(1971, 1978))
    outcome = group([tito, josip])
    assert outcome.survivor == {"tito": "josip-broz-tito"}
    assert [(m.survivor, m.slug, m.rule) for m in outcome.merges] == [("josip-broz-tito", "tito", "one-name")]


def test_a_one_word_name_fitting_two_people_is_a_candidate_for_each() -> None:
    park = person("park", "Park", "KR", active=(1961, 1965))
    chung = person("park-chung-hee", "Park Chung Hee", "KR", active=(1965, 1969))
    geun = person("park-geun-hye", "Park Geun Hye", "KR", active=(1966, 1967))  # made close on purpose
    outcome = group([park, chung, geun])
    assert outcome.survivor == {}
    assert {(c.slug_a, c.slug_b) for c in outcome.candidates} == {
        ("park", "park-chung-hee"),
        ("park", "park-geun-hye"),
    }
    assert all(isinstance(c, Candidate) and c.score < MERGE for c in outcome.candidates)


def test_editors_decisions_come_before_the_rules() -> None:
    chirac = person("jacques-r-chirac", "Jacques R. Chirac")
    short = person("jacques-chirac", "Jacques Chirac")
    assert group([chirac, short]).survivor == {"jacques-chirac": "jacques-r-chirac"}
    apart = Decisions(distinct=frozenset({frozenset({"jacques-chirac", "jacques-r-chirac"})}))
    kept = group([chirac, short], apart)
    assert kept.survivor == {} and kept.candidates == []
    # An editor's merge holds against the rules' conflicts, and its survivor stays the survivor.
    father = person("seretse-khama", "Seretse Khama", "BW", active=(1969, 1976))
    son = person("seretse-khama-ian-khama", "Seretse Khama Ian Khama", "BW", active=(2009, 2009))
    assert group([father, son]).survivor == {}
    merged = group([father, son], Decisions(merged={"seretse-khama-ian-khama": "seretse-khama"}))
    assert merged.survivor == {"seretse-khama-ian-khama": "seretse-khama"}
    assert [m.rule for m in merged.merges] == ["editor-merge"]

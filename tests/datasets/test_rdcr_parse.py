"""RDCR parsing: each dated timeline entry, its kind, its date from the head or the prose, verbatim quotes."""

from __future__ import annotations

from pathlib import Path

import pytest

from seeds.datasets import rdcr
from seeds.datasets.rdcr.entries import kind_of, sentence_around, title_of
from seeds.datasets.rdcr.records import records
from seeds.datasets.rdcr.tei import ArticleError, parse_article

EXCERPT = Path(__file__).parent / "rdcr"


@pytest.fixture(scope="module")
def articles() -> dict[str, rdcr.Article]:
    return {a.slug: a for a in rdcr.articles(EXCERPT)}


def _relations(article: rdcr.Article) -> dict[int, rdcr.Relation]:
    return {r.entry.index: r for r in rdcr.relations(article)[0]}


def test_articles_name_their_country(articles: dict[str, rdcr.Article]) -> None:
    assert articles["japan"].name == "Japan"
    assert articles["two-sicilies"].name == "Two Sicilies"
    assert articles["japan"].text.startswith(
        "A Guide to the United States’ History of Recognition, Diplomatic,"
    )


def test_the_day_comes_from_the_prose_with_its_sentence(articles: dict[str, rdcr.Article]) -> None:
    japan = articles["japan"]
    recognition = _relations(japan)[1]
    assert (recognition.kind, recognition.title) == ("RECOGNITION", "Mutual Recognition")
    assert (recognition.date.edtf, recognition.date.origin) == ("1854-03-31", "prose")
    assert recognition.date.sentence.startswith("The United States and Japan granted each other formal")
    assert recognition.date.sentence.endswith("Kanagawa, Japan.")
    assert recognition.date.sentence in japan.text


def test_head_dates_and_intervals(articles: dict[str, rdcr.Article]) -> None:
    posts = _relations(articles["japan"])[3]
    assert (posts.date.edtf, posts.date.origin) == ("1862/1950", "head")
    cessation = _relations(articles["central-american-federation"])[4]
    assert (cessation.kind, cessation.date.edtf) == ("RELATIONS_SEVERED", "1838/1840")
    # Only a year in the head and no day of it in the prose: the year.
    two_sicilies = _relations(articles["two-sicilies"])[4]
    assert (two_sicilies.date.edtf, two_sicilies.date.origin) == ("1861", "head year")


def test_the_day_must_fall_in_the_heads_year(articles: dict[str, rdcr.Article]) -> None:
    texas = _relations(articles["texas"])[4]
    # The prose first names 29 December 1845 (statehood); the head says 1846.
    assert texas.date.edtf == "1846-02-19"


def test_undated_entries_are_reported_not_invented(articles: dict[str, rdcr.Article]) -> None:
    article = articles["brunswick-luneburg"]
    found, undated = rdcr.relations(article)
    assert [u.entry.head for u in undated] == [
        "Establishment of Diplomatic Relations.",
        "German Unification.",
    ]
    problems: list = []
    _, events = records(article, found, undated, lambda slug, day, text: "XBRL", problems)
    assert len(events) == len(found) == 5
    assert [p.kind for p in problems] == ["timeline entry without a date"] * 2


def test_records_quote_the_article_verbatim(articles: dict[str, rdcr.Article]) -> None:
    for article in articles.values():
        found, undated = rdcr.relations(article)
        source, events = records(article, found, undated, lambda slug, day, text: "JP", [])
        for event in events:
            for citation in event["citations"]:
                assert citation["quote"] in source["text"], citation
                assert citation["locator"].startswith(f"articles/{article.slug}.xml #")
            assert [p["country"] for p in event["participants"]] == ["US", "JP"]


def test_an_article_without_a_country_record_is_reported(articles: dict[str, rdcr.Article]) -> None:
    article = articles["lew-chew"]
    found, undated = rdcr.relations(article)
    problems: list = []
    _, events = records(article, found, undated, lambda slug, day, text: None, problems)
    assert events == [] and "article names no country record" in {p.kind for p in problems}


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Establishment of Diplomatic Relations", "RELATIONS_ESTABLISHED"),
        ("Diplomatic Relations Severed", "RELATIONS_SEVERED"),
        ("Diplomatic Relations Reestablished", "RELATIONS_RESUMED"),
        ("Elevation of American Legation to Embassy Status", "EMBASSY_ELEVATION"),
        ("Legation Raised to Embassy", "EMBASSY_ELEVATION"),
        ("Establishment of Consular Relations", "CONSULAR_RELATIONS"),
        ("U.S. Recognition of Eritrean Independence", "RECOGNITION"),
        ("Treaty of Commerce and Navigation", "TREATY"),
        ("German Unification", "OTHER"),
    ],
)
def test_kinds_from_the_head(title: str, kind: str) -> None:
    assert kind_of(title) == kind


def test_titles_and_sentences() -> None:
    assert title_of("Mutual Recognition, 1854.") == "Mutual Recognition"
    assert title_of("The Austro-Prussian War of 1866.") == "The Austro-Prussian War of 1866"
    text = "He met U.S. Consul J. Smith on May 2, 1850. Then he left."
    start = text.index("May")
    assert sentence_around(text, start, start + 11) == "He met U.S. Consul J. Smith on May 2, 1850."


def test_bad_xml_is_refused_with_its_file() -> None:
    with pytest.raises(ArticleError, match=r"broken\.xml: not readable XML"):
        parse_article(b"<TEI><unclosed></TEI>", "broken")
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><TEI>&b;</TEI>'
    with pytest.raises(ArticleError, match=r"bomb\.xml"):
        parse_article(bomb, "bomb")

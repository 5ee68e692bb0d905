"""hsg-administrative-timeline and hsg-milestones: dated as their heads say, verbatim words, sure links."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from events.models import Citation, Event, Source
from events.selectors import event_timeline
from people.models import Person
from seeds.datasets import base
from seeds.datasets.hsg.files import parse_xml
from seeds.datasets.hsg.known import hsg_people
from seeds.datasets.hsg.milestones import Milestones
from seeds.datasets.hsg.pocom import _person as pocom_person
from seeds.datasets.hsg.timeline import Timeline
from seeds.importer import run_import

HERE = Path(__file__).parent
TIMELINE = HERE / "hsg-administrative-timeline"
MILESTONES = HERE / "hsg-milestones"
# One xdist worker runs this module: its module fixtures (the bundled timeline and milestones
# parsed) are built once, not on each worker.
pytestmark = pytest.mark.xdist_group("hsg-narrative")


def _events(parsed: base.Parsed) -> dict[str, object]:
    return {r.slug: r for d in parsed.documents for _, r in d.records.get("events", [])}


@pytest.fixture(scope="module")
def timeline() -> base.Parsed:
    return Timeline().parse()


@pytest.fixture(scope="module")
def milestones() -> base.Parsed:
    return Milestones().parse()


def test_every_bundled_timeline_entry_is_an_event(timeline: base.Parsed) -> None:
    events = _events(timeline)
    assert (len(events), timeline.errors) == (1488, [])
    jefferson = events["hsg-timeline-1789-09-26"]
    assert (jefferson.kind, jefferson.date) == ("ADMINISTRATIVE", "1789-09-26")
    assert jefferson.title == "Thomas Jefferson was commissioned as the first Secretary of State."
    assert [p.person for p in jefferson.participants] == [None, "jefferson-thomas"]
    year = events["hsg-timeline-1818-01-01"]
    assert (year.date, year.note) == (
        "1818",
        "The timeline dates this entry “1818” (notBefore 1818-01-01, notAfter 1818-12-31).",
    )
    assert {e.date for e in events.values()} >= {"1870-06", "1870-08/1871-09", "1790-02-10/1790-08-05"}
    # Every quote is a verbatim span of the one source's text.
    text = next(r for d in timeline.documents for _, r in d.records.get("sources", [])).text
    assert all(c.quote in text for e in events.values() for c in e.citations)


def test_every_bundled_milestone_is_an_event_dated_by_its_head(milestones: base.Parsed) -> None:
    events = _events(milestones)
    assert (len(events), milestones.errors, milestones.problems) == (186, [], [])
    jay = events["hsg-milestones-1784-1800-jay-treaty"]
    assert (jay.kind, jay.title, jay.date) == ("MILESTONE", "John Jay’s Treaty, 1794–95", "1794/1795")
    assert "its attribute says 1794" in jay.note
    assert "On November 19, 1794 representatives of the United States and Great Britain" in jay.summary
    assert events["hsg-milestones-1961-1968-cuban-missile-crisis"].date == "1962-10"
    era = events["hsg-milestones-1969-1976-salt"]
    assert era.date == "1969/1976"
    assert era.note == "The head gives no date: dated by its chapter's era, 1969–1976."
    # "William Clark" (Reagan's adviser) is not pocom's career ambassador William Clark Jr.
    assert [p.person for p in events["hsg-milestones-1981-1988-lebanon"].participants] == ["reagan-ronald"]


@pytest.fixture
def excerpts(monkeypatch: pytest.MonkeyPatch) -> tuple[Timeline, Milestones]:
    monkeypatch.setattr(base, "_REGISTRY", {})
    adapters = (Timeline(folder=TIMELINE), Milestones(folder=MILESTONES))
    for adapter in adapters:
        base.register(adapter)
    return adapters


@pytest.mark.django_db
def test_the_excerpts_import_with_their_words_and_links(excerpts: tuple[Timeline, Milestones]) -> None:
    report = run_import(only=["seeds", *(a.name for a in excerpts)])
    assert [p.kind for p in report.data_problems] == ["person id not in hsg-pocom (left as text)"]
    jefferson = Event.objects.get(slug="hsg-timeline-1789-09-26")
    assert (jefferson.kind, jefferson.date) == ("ADMINISTRATIVE", "1789-09-26")
    citation = Citation.objects.get(event=jefferson)
    assert citation.quote.startswith("Thomas Jefferson was commissioned as the first Secretary of State.")
    assert citation.quote in citation.source.text
    assert citation.source.slug == "hsg-administrative-timeline"
    assert citation.source.licence.startswith("Public domain")
    person = Person.objects.get(identifiers__scheme="hsg", identifiers__value="jefferson-thomas")
    assert person.name == "Thomas Jefferson"
    assert person.participations.filter(event=jefferson).exists()
    assert Event.objects.get(slug="hsg-timeline-1818-01-01").date == "1818"
    jay = Event.objects.get(slug="hsg-milestones-1784-1800-jay-treaty")
    assert (jay.kind, jay.title, jay.date) == ("MILESTONE", "John Jay’s Treaty, 1794–95", "1794/1795")
    assert Source.objects.get(slug="hsg-milestones-1784-1800").text.startswith("Milestones: 1784–1800")
    # The article's text is searchable: a word only its prose has.
    assert list(event_timeline(search="impressments").values_list("slug", flat=True)) == [jay.slug]
    # One Department of State entry per day in timeline order, the 1818 one a year among days.
    administrative = event_timeline(kinds=["ADMINISTRATIVE"]).values_list("date", flat=True)
    assert list(administrative)[:4] == ["1789-07-27", "1789-09-26", "1790-02-10/1790-08-05", "1818"]
    assert Event.objects.filter(slug__startswith="hsg-").count() == 6 + 2
    again = run_import(only=["seeds", *(a.name for a in excerpts)])
    assert again.stats.written == 0


@pytest.mark.django_db
def test_a_malformed_date_is_reported_by_file_and_entry_and_the_rest_imports(
    excerpts: tuple[Timeline, Milestones], tmp_path: Path
) -> None:
    folder = tmp_path / "hsg-administrative-timeline"
    shutil.copytree(TIMELINE, folder)
    xml = folder / "timeline" / "timeline.xml"
    xml.write_text(xml.read_text().replace('when="1789-07-27"', 'when="1789-07-32"'))
    timeline = excerpts[0]
    timeline.folder = folder
    report = run_import(only=["seeds", timeline.name])
    bad = [p for p in report.data_problems if p.kind == "malformed date"]
    assert [(p.file, p.record, p.field, p.value) for p in bad] == [
        ("timeline/timeline.xml", "chapter_1789-1899 entry 1", "head/date/@when", "1789-07-32")
    ]
    assert "timeline/timeline.xml: #chapter_1789-1899 entry 1" in str(bad[0])
    imported = set(Event.objects.filter(slug__startswith="hsg-timeline-").values_list("slug", flat=True))
    assert "hsg-timeline-1789-07-27" not in imported
    assert {"hsg-timeline-1789-09-26", "hsg-timeline-1818-01-01"} < imported and len(imported) == 5


def test_a_linked_person_is_named_as_pocom_names_it(timeline: base.Parsed) -> None:
    # Else a run of the timeline alone on an imported database would rewrite pocom's people.
    known = hsg_people()
    linked = [r for d in timeline.documents for _, r in d.records.get("people", [])]
    assert len(linked) == 186
    for record in linked:
        file, data = known.files[record.slug]
        assert record.name == pocom_person(parse_xml("hsg-pocom", file, data))["name"]

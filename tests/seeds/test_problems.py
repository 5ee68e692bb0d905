"""Bad seed input: every problem reported in one run, one exact line each, and nothing written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import CommandError

from core.errors import SeedError
from events.models import Event
from seeds.importer import seeds_import
from seeds.importer.problems import Msg
from seeds.importer.schema import EventRecord
from seeds.management.commands.import_seeds import Command
from tests.seeds.conftest import ARTICLE, run, snapshot

pytestmark = pytest.mark.django_db

Write = Callable[[str, str], Path]

EVENT = """\
events:
  - slug: {slug}
    kind: OTHER
    title: A test event
    date: {date}
"""


def problems(*paths: Path) -> list[str]:
    with pytest.raises(SeedError) as error:
        seeds_import(paths=list(paths))
    return error.value.problems


def test_unparseable_yaml(write: Write):
    path = write("broken.yaml", "events: [unclosed\n  - slug: x\n")
    assert problems(path) == [
        f"{path}:2: " + Msg.YAML_INVALID.format(problem="did not find expected ',' or ']'")
    ]


def test_unknown_field(write: Write):
    path = write("extra.yaml", EVENT.format(slug="extra", date="2022") + "    colour: red\n")
    allowed = ", ".join(EventRecord.model_fields)
    assert problems(path) == [
        f"{path}:6: extra: colour: " + Msg.UNKNOWN_FIELD.format(value="red", allowed=allowed)
    ]


def test_unknown_section(write: Write):
    path = write("section.yaml", "evnets: []\n")
    allowed = (
        "gazetteer, sources, countries, organizations, regions, people, treaties, events, person_decisions"
    )
    assert problems(path) == [f"{path}:1: " + Msg.UNKNOWN_SECTION.format(value="evnets", allowed=allowed)]


def test_unknown_references(write: Write):
    text = EVENT.format(slug="refs", date="2022") + (
        "    treaty: no-such-treaty\n"
        "    regions: [atlantis]\n"
        "    participants:\n"
        "      - role: SPEAKER\n"
        "        person: nobody\n"
        "    citations:\n"
        "      - source: no-such-source\n"
    )
    path = write("refs.yaml", text)
    assert problems(path) == [
        f"{path}:6: refs: treaty: " + Msg.UNKNOWN_REFERENCE.format(kind="treaty", value="no-such-treaty"),
        f"{path}:7: refs: regions[0]: " + Msg.UNKNOWN_REFERENCE.format(kind="region", value="atlantis"),
        f"{path}:10: refs: participants[0].person: "
        + Msg.UNKNOWN_REFERENCE.format(kind="person", value="nobody"),
        f"{path}:12: refs: citations[0].source: "
        + Msg.UNKNOWN_REFERENCE.format(kind="source", value="no-such-source"),
    ]


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("2022-13-45", "'2022-13-45' is not a valid EDTF date"),
        ("2022-02-30", "'2022-02-30' is not a valid EDTF date"),
        ("next spring", "'next spring' is not a valid EDTF date"),
        ("2024/2022", "'2024/2022' ends before it starts"),
        # Only ASCII digits are EDTF (issue 19, item 9).
        ("２０２２", "'２０２２' is not a valid EDTF date"),
        ("٢٠٢٢", "'٢٠٢٢' is not a valid EDTF date"),
        ("१९९९", "'१९९९' is not a valid EDTF date"),
    ],
)
def test_impossible_or_malformed_date(write: Write, date: str, message: str):
    path = write("dates.yaml", EVENT.format(slug="bad-date", date=date))
    examples = " (examples: 2024-05, 2022-04-13, 2022~, 2024-05?, 2022-02-24/..)."
    before = snapshot()
    assert problems(path) == [f"{path}:5: bad-date: date: {message}{examples}"]
    assert snapshot() == before


def test_unknown_country_code(write: Write):
    path = write("country.yaml", EVENT.format(slug="somewhere", date="2022") + "    countries: [UA, XX]\n")
    assert problems(path) == [f"{path}:6: somewhere: countries[1]: " + Msg.UNKNOWN_COUNTRY.format(value="XX")]


def test_quote_not_in_source(write: Write):
    text = EVENT.format(slug="misquoted", date="2022") + (
        "    citations:\n"
        f"      - source: {ARTICLE}\n"
        "        quote: Russia's defense ministry claimed\n"  # straight apostrophe; the article has ’
    )
    path = write("quote.yaml", text)
    message = Msg.QUOTE_NOT_FOUND.format(source=ARTICLE, value="Russia's defense ministry claimed")
    assert problems(path) == [f"{path}:8: misquoted: citations[0].quote: {message}"]


def test_quote_required_for_a_source_with_text(write: Write):
    text = EVENT.format(slug="unquoted", date="2022") + f"    citations:\n      - source: {ARTICLE}\n"
    path = write("unquoted.yaml", text)
    assert problems(path) == [
        f"{path}:7: unquoted: citations[0].quote: " + Msg.QUOTE_REQUIRED.format(source=ARTICLE)
    ]


def test_duplicate_slug_across_files(write: Write):
    first = write("a.yaml", EVENT.format(slug="twice", date="2022"))
    second = write("b.yaml", EVENT.format(slug="twice", date="2023"))
    message = Msg.DUPLICATE.format(kind="event", value="twice", other=f"{first}:2")
    assert problems(first, second) == [f"{second}:2: twice: slug: {message}"]


def test_all_problems_of_all_files_in_one_run_sorted_by_place(write: Write):
    dates = write("a.yaml", EVENT.format(slug="bad-date", date="2022-13-45"))
    country = write("b.yaml", EVENT.format(slug="somewhere", date="2022") + "    countries: [XX]\n")
    found = problems(country, dates)
    assert [line.split(": ", 1)[0] for line in found] == [f"{dates}:5", f"{country}:6"]


def test_a_bad_record_in_the_last_file_writes_nothing_not_even_the_valid_files(write: Write):
    good = write("a.yaml", EVENT.format(slug="valid-event", date="2022"))
    bad = write("z.yaml", EVENT.format(slug="bad-date", date="2022-13-45"))
    before = snapshot()
    with pytest.raises(SeedError):
        seeds_import(paths=[good, bad])
    assert snapshot() == before


def test_a_bad_record_leaves_an_empty_database_empty(write: Write, empty_database: None):
    good = write("a.yaml", "gazetteer: pycountry\n" + EVENT.format(slug="valid-event", date="2022"))
    bad = write("z.yaml", EVENT.format(slug="bad-date", date="2022-13-45"))
    with pytest.raises(SeedError):
        seeds_import(paths=[good, bad])
    assert set(snapshot().values()) == {0}


def test_command_refuses_bad_date_naming_file_and_value_with_status_1(write: Write):
    path = write("dates.yaml", EVENT.format(slug="bad-date", date="2022-13-45"))
    before = snapshot()
    with pytest.raises(CommandError) as error:
        run(path)
    assert error.value.returncode == 1
    lines = str(error.value).splitlines()
    assert lines[0].startswith(f"{path}:5: bad-date: date: '2022-13-45' is not a valid EDTF date")
    assert lines[-1] == Command.FAILED.format(count=1)
    assert snapshot() == before


def test_no_seed_files_at_the_path(tmp_path: Path):
    missing = tmp_path / "nothing-here"
    assert problems(missing) == [f"{missing}: " + Msg.NO_FILES.format(value=str(missing))]


def test_region_slug_taken_by_another_region_in_the_database(write: Write):
    text = "regions:\n  - slug: mazowieckie\n    name: Mazowieckie\n    kind: town\n    country: PL\n"
    path = write("region.yaml", text)
    message = Msg.DUPLICATE.format(kind="region", value="mazowieckie", other="the database, region PL-14")
    assert problems(path) == [f"{path}:2: mazowieckie: slug: {message}"]


def test_database_refusal_is_reported_and_rolls_back_everything(write: Write):
    # The visit slug belongs to another event's visit: only the database can tell.
    text = EVENT.format(slug="new-event", date="2022") + (
        "    visit:\n      slug: duda-first-visit-kyiv\n      visitor: andrzej-duda\n      host_country: UA\n"
    )
    path = write("clash.yaml", text)
    before = snapshot()
    found = problems(path)
    assert len(found) == 1
    assert found[0].startswith(f"{path}: " + Msg.DATABASE_REFUSED.format(problem=""))
    assert snapshot() == before


def test_duplicate_source_and_missing_text_file(write: Write):
    source = "  - slug: twice\n    title: A source\n    text_file: missing.txt\n"
    path = write("sources.yaml", "sources:\n" + source + source)
    missing = Msg.TEXT_FILE_MISSING.format(value="missing.txt", problem="No such file or directory")
    assert problems(path) == [
        f"{path}:4: twice: text_file: {missing}",
        f"{path}:5: twice: slug: " + Msg.DUPLICATE.format(kind="source", value="twice", other=f"{path}:2"),
    ]


def test_a_list_naming_the_same_region_twice(write: Write):
    path = write("twice.yaml", EVENT.format(slug="twice-there", date="2022") + "    regions: [kyiv, UA-30]\n")
    message = Msg.DUPLICATE.format(kind="region", value="UA-30", other=f"{path}:6")
    assert problems(path) == [f"{path}:6: twice-there: regions[1]: {message}"]


def test_new_country_and_region_need_their_fields(write: Write):
    path = write("new.yaml", "countries:\n  - code: QX\nregions:\n  - name: Nowhere\n    kind: town\n")
    assert problems(path) == [
        f"{path}:2: QX: alpha3: " + Msg.NOT_IN_GAZETTEER.format(value="QX"),
        f"{path}:2: QX: name: " + Msg.NOT_IN_GAZETTEER.format(value="QX"),
        f"{path}:4: regions[0]: slug: " + Msg.MISSING_FIELD,
        f"{path}:4: regions[0]: country: " + Msg.MISSING_FIELD,
    ]


def test_a_list_repeating_a_row_is_refused_by_the_rows_declared_identity(write: Write):
    # The identity is the relation's (events.relations.PARTIES: country, organization), not a
    # key the importer spells itself (issue 22).
    treaty = (
        "treaties:\n  - slug: twice-party\n    name: T\n    parties:\n"
        "      - {organization: nato}\n      - {country: PL}\n      - {organization: nato, signed: 2020}\n"
    )
    path = write("parties.yaml", treaty)
    message = Msg.DUPLICATE.format(kind="treaty party", value="- / nato", other=f"{path}:5")
    assert problems(path) == [f"{path}:7: twice-party: parties[2]: {message}"]


def test_a_person_deleted_while_the_import_runs_is_a_problem_naming_it(
    write: Write, monkeypatch: pytest.MonkeyPatch
):
    """Deleting a person after validation gave a KeyError traceback (issue 19, item 7)."""
    from people.models import Person
    from seeds import importer
    from tests.people.factories import make_person

    person = make_person("leaving", name="Soon Gone")
    text = EVENT.format(slug="meeting-with-someone", date="2022") + (
        f"    participants:\n      - role: HOST\n        person: {person.slug}\n"
    )
    path = write("meeting.yaml", text)
    build_plan = importer.build_plan

    def plan_then_an_editor_deletes(docs):  # between validation and the write
        planned = build_plan(docs)
        Person.objects.filter(pk=person.pk).delete()
        return planned

    monkeypatch.setattr(importer, "build_plan", plan_then_an_editor_deletes)
    before = snapshot()
    assert problems(path) == [
        f"{path}:2: meeting-with-someone: " + Msg.VANISHED.format(kind="person", value=person.slug)
    ]
    after = snapshot()
    assert not Event.objects.filter(slug="meeting-with-someone").exists()
    assert {k: after[k] - before[k] for k in after if after[k] != before[k]} == {
        "people.Person": -1,  # the editor's delete, and nothing of the import
        "people.HistoricalPerson": 1,
    }


def test_repeated_child_values_are_refused_in_every_record_that_gives_them(write: Write):
    # Equal values get one check (seeds.importer.validate.REPEATED), each record its report.
    treaty = "  - slug: {slug}\n    name: T\n    parties:\n      - {{country: PL, signed: not-a-date}}\n"
    path = write("parties.yaml", "treaties:\n" + treaty.format(slug="first") + treaty.format(slug="second"))
    found = problems(path)
    assert [p.split(": ")[:3] for p in found] == [
        [f"{path}:5", "first", "parties[0].signed"],
        [f"{path}:9", "second", "parties[0].signed"],
    ]
    assert found[0].split(": ", 3)[3] == found[1].split(": ", 3)[3]

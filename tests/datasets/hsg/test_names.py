"""hsg-visits visitor strings parsed into people (seeds.datasets.hsg.names), on every bundled string."""

from __future__ import annotations

import re

import pytest

from seeds.datasets.base import DATA_FOLDER
from seeds.datasets.hsg.files import text, xml_files
from seeds.datasets.hsg.names import parse_visitors, split_visitors

# What title-stripping used to leave in a name (issue 20): a leading "-", "&" or "of the", an
# office inside the name, two people run together.
LEFTOVER = re.compile(
    r"^[-&,]|^(?:and|of|the)\b|\bof the\b|\b(?:President|Minister|Premier|Chancellor|Chairman)\b"
    r"|-?\b(?:elect|designate)\b|,\s*(?:Prime|President)|\s&\s"
)
PARTICLES = {"de", "da", "van", "von", "del"}
# One xdist worker runs this module: its module fixture (every bundled hsg-visits file read) is
# built once, not on each worker.
pytestmark = pytest.mark.xdist_group("hsg-names")


@pytest.fixture(scope="module")
def visitor_strings() -> list[str]:
    found = {
        text(visit, "visitor")
        for _, root in xml_files("hsg-visits", DATA_FOLDER / "hsg-visits", ("data/",))
        for visit in root.iter("visit")
    }
    return sorted(v for v in found if v)


@pytest.mark.parametrize(
    ("visitor", "expected"),
    [
        ("President-elect Gerhard Schroeder", [("President-elect", "Gerhard Schroeder")]),
        ("Chancellor-elect Gerhard Schroeder", [("Chancellor-elect", "Gerhard Schroeder")]),
        (
            "President- elect Ernesto Zedillo Ponce de Leon",
            [("President-elect", "Ernesto Zedillo Ponce de Leon")],
        ),
        ("President-Elect Carlos Salinas de Gortari", [("President-elect", "Carlos Salinas de Gortari")]),
        ("Prince Norodom Sihanouk", [("Prince", "Norodom Sihanouk")]),
        ("King Abdullah II", [("King", "Abdullah II")]),
        ("King Abdullah II bin Al-Hussein", [("King", "Abdullah II bin Al-Hussein")]),
        (
            "Chairman of the Presidency Bakir Izetbegovic",
            [("Chairman of the Presidency", "Bakir Izetbegovic")],
        ),
        (
            "President of the Council of Ministers Hussain Mohammad Ershad",
            [("President of the Council of Ministers", "Hussain Mohammad Ershad")],
        ),
        # A record naming two people gives two.
        (
            "President Anwar Sadat, Prime Minister Mustafa Khalil",
            [("President", "Anwar Sadat"), ("Prime Minister", "Mustafa Khalil")],
        ),
        (
            "King Abdullah and Crown Prince Hussein",
            [("King", "Abdullah"), ("Crown Prince", "Crown Prince Hussein")],
        ),
        # One person holding two styles: the first is the office, the second a style.
        ("Premier & Prince Sihanouk", [("Premier", "Sihanouk")]),
        ("Premier and Prince Sihanouk", [("Premier", "Sihanouk")]),
        ("Prime Minister-Prince Norodom Kantol", [("Prime Minister", "Norodom Kantol")]),
        # The publisher's misspellings and missing spaces.
        ("Prime MinisterHaidar al- Abadi", [("Prime Minister", "Haidar al-Abadi")]),
        ("Prime Minster Adrian Nastase", [("Prime Minister", "Adrian Nastase")]),
        ("Prime Ministere Silvio Berlusconi", [("Prime Minister", "Silvio Berlusconi")]),
        # Suffixes stay with the name, as it is written.
        ("President Benigno S. Aquino, 3rd", [("President", "Benigno S. Aquino III")]),
        ("President Surangel Whipps, Jr", [("President", "Surangel Whipps, Jr.")]),
        ("Pope John Paul II", [("Pope", "John Paul II")]),
        ("King Carl XVI Gustav", [("King", "Carl XVI Gustav")]),
    ],
)
def test_offices_and_names_are_apart(visitor: str, expected: list[tuple[str, str]]) -> None:
    assert split_visitors(visitor) == expected


def test_what_nameparser_gets_wrong_is_corrected() -> None:
    """Each a tested exception (seeds.datasets.hsg.names)."""
    # An office word that is also a given name is not a style inside a name.
    assert split_visitors("Prime Minister Amir Abbas Hoveyda") == [("Prime Minister", "Amir Abbas Hoveyda")]
    # nameparser reads "St." as a saint's style.
    assert split_visitors("Prime Minister St. Laurent") == [("Prime Minister", "St. Laurent")]
    # A peerage is the name; a one-word name keeps the style it is known by.
    assert split_visitors("Governor General Earl of Athlone") == [("Governor General", "Earl of Athlone")]
    assert split_visitors("Governor General Lord Tweedsmuir") == [("Governor General", "Lord Tweedsmuir")]
    assert split_visitors("Prime Minister Sheikh Hasina") == [("Prime Minister", "Sheikh Hasina")]
    # A regnal number is a suffix, not a middle or family name.
    (abdullah,) = parse_visitors("King Abdullah II bin Al-Hussein")
    assert (abdullah.given, abdullah.family, abdullah.suffix) == ("Abdullah", "bin Al-Hussein", "II")
    (pedro,) = parse_visitors("Emperor Dom Pedro II")
    assert (pedro.honorific, pedro.family, pedro.suffix, pedro.name) == ("Dom", "Pedro", "II", "Pedro II")
    (tamim,) = parse_visitors("Amir Sheikh Tamim bin Hamad Al Thani")
    assert (tamim.office, tamim.honorific, tamim.given) == ("Amir", "Sheikh", "Tamim")


def test_every_bundled_visitor_string_parses_to_recognisable_names(visitor_strings: list[str]) -> None:
    assert len(visitor_strings) > 1500
    leftovers = []
    for visitor in visitor_strings:
        people = parse_visitors(visitor)
        if not people:
            leftovers.append((visitor, "no person"))
        for person in people:
            lower = person.name.split()[0] in PARTICLES  # "de Gaulle", "de Valera"
            if LEFTOVER.search(person.name) or not (person.name[:1].isupper() or lower) or not person.family:
                leftovers.append((visitor, person.name))
    assert leftovers == []


def test_joint_records_in_the_bundled_data_give_each_person(visitor_strings: list[str]) -> None:
    joint = {
        v: [name for _, name in split_visitors(v)] for v in visitor_strings if len(split_visitors(v)) > 1
    }
    assert joint["President Andrzej Duda and Prime Minister Donald Tusk"] == ["Andrzej Duda", "Donald Tusk"]
    assert joint["President Anwar Sadat, Prime Minister Mustafa Khalil"] == ["Anwar Sadat", "Mustafa Khalil"]
    assert "Premier and Prince Sihanouk" not in joint  # one person, two styles
    assert len(joint) == 7

"""One table of seed sections (issue 22, item 2): each step knows every section, in the table's order.

A section added to the table without its handlers, or to one step (the plan, the file
schema, the export) without the table, fails here.
"""

from __future__ import annotations

import dataclasses

import pytest

from seeds import export
from seeds.importer.docs import render
from seeds.importer.plan import Plan
from seeds.importer.sections import RECORDS, SECTIONS, SeedFile
from seeds.importer.validate import Validator
from seeds.importer.write import Writer

NAMES = [s.name for s in SECTIONS]


def test_sections_have_distinct_names_and_records():
    assert len(set(NAMES)) == len(NAMES)
    assert list(RECORDS) == NAMES
    assert len({s.record for s in SECTIONS}) == len(SECTIONS)


def test_the_file_schema_has_exactly_the_sections_in_order():
    assert [f for f in SeedFile.model_fields if f != "gazetteer"] == NAMES


def test_the_plan_has_exactly_the_sections_in_order():
    lists = [f.name for f in dataclasses.fields(Plan) if f.name != "texts"]
    assert lists == NAMES


@pytest.mark.parametrize("section", SECTIONS, ids=NAMES)
def test_every_step_has_the_handlers_the_section_names(section):
    assert callable(getattr(Validator, section.validate))
    assert section.write is None or callable(getattr(Writer, section.write))
    assert section.export is None or callable(export._exporter(section.export))
    if section.model is not None:
        assert section.keys
        assert all(section.model._meta.get_field(k).unique for k in section.keys)


def test_only_a_section_below_another_is_written_by_it():
    # A section with no writer of its own is written by the one above it (person decisions
    # with people): the first section must write itself.
    assert SECTIONS[0].write is not None


def test_the_format_doc_describes_every_section_record():
    text = render()
    for section in SECTIONS:
        assert f"### {section.record.__name__}\n" in text


@pytest.mark.django_db
def test_the_export_selects_exactly_the_sections():
    assert list(export.select().records) == NAMES

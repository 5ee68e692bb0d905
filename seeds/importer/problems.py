"""Problems found in seed files, one line each: ``file:line: record: field: message``."""

from __future__ import annotations

from dataclasses import dataclass

from events.models.events import QuoteRule


class Msg:
    """Every message the importer gives about bad input; tests assert on these."""

    YAML_INVALID = "cannot parse YAML: {problem}"
    NOT_A_MAPPING = "a seed file is a mapping of sections (sources, people, events...), not {value}"
    UNKNOWN_SECTION = "unknown section {value!r}; sections are: {allowed}"
    NOT_A_LIST = "section {value!r} must be a list of records"
    DUPLICATE_YAML_KEY = "key {value!r} appears twice in one mapping"
    UNKNOWN_FIELD = "unknown field (value {value!r}); allowed: {allowed}"
    MISSING_FIELD = "required field is missing"
    INVALID_VALUE = "{problem} (value {value!r})"
    DUPLICATE = "{kind} {value!r} is defined twice (first at {other})"
    UNKNOWN_COUNTRY = "unknown country code {value!r} (ISO 3166-1 alpha-2, e.g. UA)"
    UNKNOWN_REFERENCE = "no {kind} {value!r} in these files or the database"
    # The quote rule is the model's (events.models.QuoteRule), the same on every surface.
    QUOTE_NOT_FOUND = QuoteRule.NOT_FOUND
    QUOTE_REQUIRED = QuoteRule.REQUIRED
    QUOTE_UNCHECKABLE = QuoteRule.UNCHECKABLE
    TEXT_FILE_MISSING = "cannot read text file (value {value!r}): {problem}"
    NOT_IN_GAZETTEER = "required when the gazetteer has no entry for the code (value {value!r})"
    REGION_CYCLE = "region {value!r} lies below itself"
    TREATY_CYCLE = "treaty {value!r} amends itself (through its parents)"
    REGION_OTHER_COUNTRY = "parent {value!r} is in {parent_country}, not {country}"
    DATABASE_REFUSED = "the database refused the import: {problem}"
    VANISHED = (
        "{kind} {value!r} was in the database when the files were checked and is gone now "
        "(deleted while the import ran?); nothing was written. Run the import again."
    )
    NO_FILES = "no seed files (*.yaml, *.yml) found (value {value!r})"
    SYMLINK_LOOP = "symbolic link loop: the link leads back to itself; not read"
    SYMLINK_BROKEN = "symbolic link to nothing ({problem}); not read"
    SEED_FILE_REFUSED = "not read: {problem}"
    QUOTE_THIS_VALUE = (
        "quote this value: YAML 1.1 reads {value} unquoted as a number or a yes/no, not as "
        "written; write it in quotes ('{value}')"
    )
    TEXT_FILE_OUTSIDE = (
        "text_file must name a file in this YAML file's folder or below it, by a relative path "
        "without '..' (value {value!r})"
    )


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as the input allows."""

    file: str
    line: int | None
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return ": ".join(part for part in (where, self.record, self.field, self.message) if part)


def shorten(value: object, limit: int = 80) -> object:
    """Cut long strings so a problem stays one readable line."""
    if isinstance(value, str) and len(value) > limit:
        return value[: limit - 1] + "…"
    return value

"""Every input size limit Chancery enforces, in one place (docs/api.md and docs/seed-format.md list them).

Limits are checked before any parsing or searching, so an oversized input costs a length
check and nothing more, and each refusal names its limit. Short text fields (titles, names,
slugs) are bounded by their model's ``max_length``; the free-text fields that are
``TextField`` in the database are bounded here, by field name. The EDTF input bound lives
with the date rules in ``core/fuzzydates.py``.
"""

from __future__ import annotations

# Free text, in characters, by model field name.
TEXT_LIMITS: dict[str, int] = {
    "summary": 20_000,
    "note": 10_000,
    "quote": 5_000,
    "purpose": 5_000,
    # A source's full article text (seeds' `text_file:`).
    "text": 1_000_000,
}
# Any other TextField (none today) gets this bound.
DEFAULT_TEXT = 20_000
# A change reason, through the admin, the API or the importer.
REASON = 1_000

# GraphQL reads.
SEARCH_CHARACTERS = 200
SEARCH_WORDS = 20
# A cursor holds dates, numbers and a key, never text (core/cursors.py): under 200 characters
# in practice, so this bound leaves a wide margin.
CURSOR_CHARACTERS = 1_000
# Values in one list filter (a treaty's parties: each is one indexed EXISTS).
FILTER_VALUES = 20

# GraphQL transport: the whole request body and the nesting of JSON variables.
REQUEST_BYTES = 1_000_000
JSON_DEPTH = 32

# Admin changelist search box.
ADMIN_SEARCH_CHARACTERS = 200

# Seed files (seeds/importer/loader.py).
SEED_FILE_BYTES = 64_000_000
SEED_TEXT_FILE_BYTES = 4_000_000
SEED_ALIASES = 100  # YAML aliases (*name) in one file
SEED_ALIAS_NODES = 10_000  # values those aliases stand for, expanded
SEED_NESTING = 20  # levels of mappings and lists


def text_limit(field_name: str, max_length: int | None) -> int:
    """The limit of a text field: its ``max_length`` if it has one, else its entry above."""
    return max_length or TEXT_LIMITS.get(field_name, DEFAULT_TEXT)

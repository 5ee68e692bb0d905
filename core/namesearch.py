"""Find records by any form of their name, through their folded search key (core.folding; issue 20).

One rule on both databases, so they give the same answers:

1. **Matches**: every word of the folded query starts a word of the key ("kerr" finds
   "john forbes kerry", "john kerry" finds it through its given + family form). A record
   with a form that *is* the query comes first, then those where each query word is a
   whole word. On PostgreSQL the GIN trigram index serves these ``LIKE '% word%'`` tests;
   on SQLite they scan the key column's index.
2. **Near misses**, after the matches when these are few: records whose key has a word close
   to a query word, scored with rapidfuzz (core.folding.similarity) and kept from
   ``NEAR_MISS_SCORE`` up. The candidates are bounded: on PostgreSQL those the trigram
   index finds by word similarity (``%>``, at least 0.5), most similar first; on SQLite
   those with a word starting like a query word (its first three letters).

The answer is a QuerySet (pages and the GraphQL optimizer compose it), ordered by that rank.
"""

from __future__ import annotations

from typing import TypeVar

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connections
from django.db.models import Case, IntegerField, Model, Q, QuerySet, Value, When

from core import limits
from core.errors import InvalidFilter
from core.folding import exact_form, fold, similarity, word_prefix
from core.validators import text_problem

M = TypeVar("M", bound=Model)

# Near misses are looked for when fewer records than this match; at most NEAR_MISS_CANDIDATES
# candidates are scored, and NEAR_MISSES kept.
NEAR_MISS_BELOW = 10
NEAR_MISS_CANDIDATES = 200
NEAR_MISSES = 20
# A rapidfuzz ratio (0-100) of every query word to its closest word: "kery" ~ "kerry" is 89,
# "zelenski" ~ "zelensky" 88.
NEAR_MISS_SCORE = 80.0
# Letters a near miss shares with a query word at its start (the candidate bound).
NEAR_MISS_STEM = 3
# Ranks: a form that is the query, then every query word a whole word of the key ("kerr" is
# John Kerr's), then every word the start of one (Kerry's), then near misses by score.
EXACT, WORDS, MATCHED, NEAR = 0, 1, 2, 3


def matching(field: str, tokens: list[str], *, whole: bool = False) -> Q:
    """Records whose key ``field`` has a word starting with (or, ``whole``, being) each of ``tokens``."""
    condition = Q()
    for token in tokens:
        condition &= Q(**{f"{field}__contains": word_prefix(token) + (" " if whole else "")})
    return condition


def near_misses(queryset: QuerySet[M], field: str, folded: str, *, exclude: Q) -> list[int]:
    """Pks of records whose key spells the query nearly, best first (bounded, see module doc)."""
    tokens = folded.split()
    stems = {token[:NEAR_MISS_STEM] for token in tokens if len(token) >= NEAR_MISS_STEM}
    if not stems:
        return []
    candidates = queryset.exclude(exclude).order_by()
    if connections[queryset.db].vendor == "postgresql":
        # Words similar anywhere ("%>", pg_trgm's word similarity, GIN-indexed; the threshold
        # is set per connection in config/settings.py), most similar first.
        candidates = (
            candidates.filter(**{f"{field}__trigram_word_similar": folded})
            .annotate(closeness=TrigramWordSimilarity(Value(folded), field))
            .order_by("-closeness", "pk")
        )
    else:
        stem_match = Q()
        for stem in stems:
            stem_match |= Q(**{f"{field}__contains": word_prefix(stem)})
        candidates = candidates.filter(stem_match).order_by("pk")
    scored = [
        (score, pk)
        for pk, key in candidates.values_list("pk", field)[:NEAR_MISS_CANDIDATES]
        if (score := similarity(tokens, key)) >= NEAR_MISS_SCORE
    ]
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    return [pk for _, pk in scored[:NEAR_MISSES]]


def name_search(
    queryset: QuerySet[M], text: str, *, field: str = "search_key", also: Q | None = None
) -> QuerySet[M]:
    """Return the records of ``queryset`` whose names match ``text``, best first (module doc).

    ``also`` adds records matched otherwise (a code, a slug), ranked with the matches.
    Text that folds to nothing (punctuation only) matches only those.
    """
    if problem := text_problem(text, limit=limits.SEARCH_CHARACTERS):
        raise InvalidFilter(f"Search: {problem}")
    folded = fold(text)
    if not folded:
        return queryset.filter(also) if also is not None else queryset.none()
    matched = matching(field, folded.split())
    if also is not None:
        matched |= also
    # Near misses only where the matches are few: beside many matches they would never be read.
    few = len(queryset.filter(matched).order_by().values_list("pk")[:NEAR_MISS_BELOW]) < NEAR_MISS_BELOW
    close = near_misses(queryset, field, folded, exclude=matched) if few else []
    rank = Case(
        When(Q(**{f"{field}__contains": exact_form(folded)}), then=Value(EXACT)),
        When(matching(field, folded.split(), whole=True), then=Value(WORDS)),
        When(matched, then=Value(MATCHED)),
        *(When(pk=pk, then=Value(NEAR + i)) for i, pk in enumerate(close)),
        default=Value(NEAR + len(close)),
        output_field=IntegerField(),
    )
    found = queryset.filter(matched | Q(pk__in=close)).annotate(search_rank=rank)
    return found.order_by("search_rank", "name", "pk")

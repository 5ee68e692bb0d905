"""Render benchmark results as the Markdown report (bench/report.md) and a terminal summary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.measure.timing import Result, Results
from core.fuzzydates import OPEN_END, OPEN_START

LOAD_KEYS = (
    ("seconds_total", "total"),
    ("seconds_generate", "generate rows in Python and stream them"),
    ("seconds_copy", "COPY"),
    ("seconds_indexes", "drop and rebuild indexes and constraints"),
    ("seconds_analyze", "ANALYZE"),
    ("seconds_vacuum", "VACUUM (after the total: sets the visibility map for index-only scans)"),
)


def _ms(value: float) -> str:
    return f"{value:,.2f}" if value < 10 else f"{value:,.1f}" if value < 1000 else f"{value:,.0f}"


def _table(results: Results, section: str) -> list[str]:
    lines = [
        "| case | median ms | p10–p90 ms | runs | rows | SQL statements | plan |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in results.results:
        if r.section != section:
            continue
        plan = r.plan.verdict if r.plan else ""
        timing = f"{_ms(r.median_ms)} | {_ms(r.p10_ms)}–{_ms(r.p90_ms)} | {r.runs}"
        lines.append(f"| {r.name} | {timing} | {r.rows:,} | {r.queries} | {plan} |")
    if section in results.rounds:
        lines += ["", f"Timed in {results.rounds[section].describe()}."]
    notes = [
        f"- *{r.name}*: {r.note.strip('; ')}" for r in results.results if r.section == section and r.note
    ]
    return [*lines, "", *notes] if notes else lines


def _plans(results: Results, section: str) -> list[str]:
    lines: list[str] = []
    for r in results.results:
        if r.section != section or r.plan is None:
            continue
        lines += [
            f"**{r.name}** — {r.plan.one_line()}, execution {_ms(r.plan.execution_ms)} ms",
            "",
            "```",
            *r.plan.tree,
            "```",
            "",
        ]
    return lines


def _find(results: Results, section_start: str, name_start: str) -> Result | None:
    return next(
        (r for r in results.results if r.section.startswith(section_start) and r.name.startswith(name_start)),
        None,
    )


def _variant(results: Results, who: str, marker: str) -> Result | None:
    """Return the filtered-timeline case for ``who``: the selector itself when ``marker`` is empty."""
    for r in results.results:
        rest = r.name[len(who) :]
        if r.name.startswith(who) and (marker in rest if marker else "," not in rest):
            return r
    return None


def conclusions(results: Results) -> list[str]:
    """Return findings phrased from this run's numbers; a rule whose cases are missing says nothing."""
    out: list[str] = []
    deep = results.dataset.get("deep_offset", 0)
    offset = _find(results, "Timeline paging", f"OFFSET {deep:,}")
    rows = _find(results, "Timeline paging", f"keyset after row {deep:,} (row value)")
    library = _find(results, "Timeline paging", f"keyset after row {deep:,} (strawberry")
    if offset and rows:
        times = offset.median_ms / max(rows.median_ms, 1e-6)
        index = offset.plan.indexes[0] if offset.plan and offset.plan.indexes else "?"
        out.append(
            f"Keyset beats OFFSET: at row {deep:,} a row-value keyset page takes {_ms(rows.median_ms)} ms, "
            f"OFFSET {_ms(offset.median_ms)} ms ({times:,.0f}×). Both walk the timeline index "
            f"(`{index}`); OFFSET reads and discards every row before the page."
        )
    bounded = _find(results, "Timeline paging", f"keyset after row {deep:,} (cursor + leading bound)")
    if library and rows and library.median_ms > 10 * rows.median_ms:
        fix = (
            " With the bound `date_earliest >= <cursor value>` added (what "
            f"`core.graphql.pagination.KeysetConnection` does) the same page takes "
            f"{_ms(bounded.median_ms)} ms and equals the OFFSET page (Checks)."
            if bounded
            else ""
        )
        out.append(
            "strawberry-django's cursor alone is not a real keyset at depth: its "
            "`DjangoCursorConnection` turns `after` into an OR chain (`date_earliest > x OR "
            "(date_earliest = x AND (date_latest > y OR ...))`) that PostgreSQL "
            "applies as a Filter while walking the index from its start: "
            f"{_ms(library.median_ms)} ms at row {deep:,}, as slow as OFFSET. A plain row-value "
            f"comparison is just as fast (Checks).{fix}"
        )
    forms = {
        "the selector": "",
        "a single Exists": "Exists only",
        "id IN (... UNION ...)": "id IN (UNION)",
        "an OR of two Exists": "OR of two Exists",
    }
    whos = ("region: hot oblast", "region: small village", "person: most active", "person: typical")
    table: dict[str, list[Result]] = {}
    for form, marker in forms.items():
        found = [_variant(results, who, marker) for who in whos]
        if all(found):
            table[form] = [r for r in found if r is not None]
    if "the selector" in table and len(table) > 1:
        parts = [
            f"{form}: " + ", ".join(_ms(r.median_ms) for r in cases) + " ms" for form, cases in table.items()
        ]
        best = min(table, key=lambda form: max(r.median_ms for r in table[form]))
        worst_selector = max(table["the selector"], key=lambda r: r.median_ms)
        out.append(
            "Region and person timelines (hot oblast, village, most active person, typical person; "
            "first page): " + "; ".join(parts) + f". Only {best} stays fast for both hot and rare "
            f"values (worst {_ms(max(r.median_ms for r in table[best]))} ms); the selector's worst is "
            f"'{worst_selector.name}' at {_ms(worst_selector.median_ms)} ms. An OR of Exists runs as "
            "hashed-SubPlan filters on a walk of the timeline index that reads the whole table for "
            "rare values; `IN (... UNION ...)` materialises and sorts every matching id, slow for hot "
            "values. A single Exists per filter lets the planner choose either way (semi-join from "
            "the link table's index for rare values, timeline-index walk for hot ones). It needs one "
            "link table per dimension: services also write a visit's visitor as a Participation and "
            "each destination as an EventRegion, so visits need no second branch."
        )
    counts = [r for r in results.results if r.name.startswith("count:")]
    if counts:
        worst = max(counts, key=lambda r: r.median_ms)
        out.append(
            f"`totalCount` on a filtered timeline is an exact count: up to {_ms(worst.median_ms)} ms "
            f"({worst.name}). Ask for it only when shown."
        )
    two = _find(results, "GraphQL", "first: 2")
    fifty = _find(results, "GraphQL", "first: 50")
    if two and fifty:
        out.append(
            f"GraphQL nested timeline page: {two.queries} SQL statements for 2 events and "
            f"{fifty.queries} for 50 (prefetches, no N+1); {_ms(two.median_ms)} ms vs "
            f"{_ms(fifty.median_ms)} ms, the difference being Python work on the nested objects."
        )
    admin = [r for r in results.results if r.section.startswith("Admin")]
    unfiltered = _find(results, "Admin", "unfiltered")
    full_count = _find(results, "Counting", "SELECT")
    if unfiltered and admin:
        with_full = "FULL COUNT" in unfiltered.note
        slowest = max(admin, key=lambda r: r.median_ms)
        cost = f" (COUNT(*) alone costs {_ms(full_count.median_ms)} ms)" if full_count else ""
        search = _find(results, "Admin", "search")
        search_text = ""
        if search and search.plan:
            how = (
                "scans the table"
                if search.plan.full_scans_of_big_tables
                else "uses " + ", ".join(f"`{i}`" for i in dict.fromkeys(search.plan.indexes))
            )
            search_text = f" Search: {_ms(search.median_ms)} ms, its slowest statement {how}."
        out.append(
            f"Admin changelist: unfiltered {_ms(unfiltered.median_ms)} ms in {unfiltered.queries} "
            f"statements, {'with' if with_full else 'without'} a full COUNT(*){cost}. Filtered lists "
            f"still count exactly; the slowest page measured is '{slowest.name}' at "
            f"{_ms(slowest.median_ms)} ms; deep pages are OFFSET scans.{search_text}"
        )
    window = _find(results, "Filtered", "window 2022")
    closed = _find(results, "Filtered", "window 2022-02..03, closed")
    if window:
        also = f" ({_ms(closed.median_ms)} ms over closed intervals only)" if closed else ""
        out.append(
            f"Date-window overlap: first page {_ms(window.median_ms)} ms{also}, walking the timeline "
            "index with both bounds checked in the index; its count uses `event_date_latest_idx`. "
            "A GiST index on daterange(date_earliest, date_latest) was tried by hand and did not beat "
            "either plan: no index proposed."
        )
    return out


def render(*, events: int, dataset: dict[str, Any], results: Results) -> str:
    env = results.environment
    rows = results.dataset.get("rows", {})
    sections = list(dict.fromkeys(r.section for r in results.results))
    out = [
        "# Chancery scale benchmark",
        "",
        "Written by `make bench` (`python -m bench.run`); see `docs/performance.md` for how to run it.",
        "",
        f"- Date: {env.get('date')}",
        f"- Machine: {env.get('cpus')} CPUs, shared and noisy: compare the ratios, measured side by side "
        "in one run",
        f"- PostgreSQL {env.get('postgresql')}, shared_buffers {env.get('shared_buffers')}, "
        f"work_mem {env.get('work_mem')}; Python {env.get('python')}; database `{env.get('database')}`",
        f"- Requested size: {events:,} events. Each case runs warm (after one warm-up), interleaved with "
        "the other cases of its section in a shuffled, seeded order each round (bench/measure/rounds.py); "
        "the median is reported with p10–p90 and the 1-minute load average as the section started and ended.",
        "",
        "## Dataset",
        "",
        "| table | rows |",
        "|---|---:|",
        *[f"| {table} | {count:,} |" for table, count in rows.items()],
        "",
        f"- Events with an open start (stored as {OPEN_START}): {results.dataset.get('open_starts', 0):,}; "
        f"open end (stored as {OPEN_END}): {results.dataset.get('open_ends', 0):,}.",
        "- History tables: bulk rows are loaded with COPY, which bypasses django-simple-history, so "
        "history is empty for them "
        f"(events_historicalevent: {results.dataset.get('history_rows', 0):,} rows).",
    ]
    for name, text in results.dataset.get("landmarks", {}).items():
        out.append(f"- {name.capitalize()}: {text}")
    load = dataset
    origin = f"reused from {load.get('loaded_at')}" if dataset.get("reused") else "generated in this run"
    out += [
        "",
        "### Generation and load",
        "",
        f"Dataset {origin}; its load took (seconds):",
        "",
        "| step | seconds |",
        "|---|---:|",
        *[f"| {label} | {load.get(key, '—')} |" for key, label in LOAD_KEYS],
        "",
        f"Dates: {load.get('verified_dates', 0):,} sampled generated values were re-parsed with "
        "`core.fuzzydates.FuzzyDate.parse` and matched their stored bounds.",
        "",
        "## Results",
        "",
    ]
    for section in sections:
        out += [f"### {section}", "", *_table(results, section), ""]
    out += [
        "## Ratios (same run: median of the per-round ratios, p10–p90)",
        "",
        "| section | ratio | value | p10–p90 |",
        "|---|---|---:|---:|",
    ]
    out += [
        f"| {r.section} | {r.label} | {r.value:,.1f}× | {r.p10:,.1f}–{r.p90:,.1f} |" for r in results.ratios
    ]
    out += ["", "## Conclusions", "", *[f"{n}. {text}" for n, text in enumerate(conclusions(results), 1)]]
    out += ["", "## Checks", ""]
    out += [
        f"- [{'x' if c.ok else ' '}] {c.what}{': ' + c.detail if c.detail else ''}" for c in results.checks
    ]
    out += ["", "## EXPLAIN (ANALYZE, BUFFERS) plans", ""]
    for section in sections:
        plans = _plans(results, section)
        if plans:
            out += [f"### {section}", "", *plans]
    if results.notes:
        out += ["## Notes", "", *[f"- {n}" for n in results.notes], ""]
    return "\n".join(out).rstrip() + "\n"


def summary(results: Results) -> str:
    lines = ["", "== Chancery benchmark summary (median ms) =="]
    for r in results.results:
        plan = f"  [{r.plan.verdict}]" if r.plan else ""
        lines.append(f"{r.section[:28]:<28} {r.name[:58]:<58} {_ms(r.median_ms):>10}  q={r.queries}{plan}")
    lines.append("-- ratios --")
    lines += [f"{r.label}: {r.value:,.1f}x" for r in results.ratios]
    lines.append("-- checks --")
    lines += [f"[{'ok' if c.ok else 'FAIL'}] {c.what} {c.detail}" for c in results.checks]
    return "\n".join(lines)


DOCS_START = "<!-- bench:results:start (written by make bench at the default size) -->"
DOCS_END = "<!-- bench:results:end -->"
HEADLINE = (
    ("Timeline paging", "first page"),
    ("Timeline paging", "OFFSET 500,000"),
    ("Timeline paging", "keyset after row 500,000 (strawberry-django cursor)"),
    ("Timeline paging", "keyset after row 500,000 (cursor + leading bound)"),
    ("Filtered", "region: hot oblast subtree"),
    ("Filtered", "region: small village"),
    ("Filtered", "person: most active (head of state)"),
    ("Filtered", "person: typical"),
    ("Filtered", "country: UA"),
    ("Filtered", "window 2022-02-01..2022-03-31"),
    ("Filtered", "count: region hot oblast (totalCount)"),
    ("GraphQL", "first: 2"),
    ("GraphQL", "first: 50"),
    ("GraphQL", "first: 50 after row 500,000"),
    ("Admin", "unfiltered"),
    ("Admin", "page 5,000"),
    ("Admin", "country (where) = UA"),
    ("Admin", "search"),
    ("Counting", "SELECT COUNT(*)"),
    ("Counting", "planner estimate"),
)


def docs_block(results: Results) -> str:
    """Return the headline numbers and conclusions for docs/performance.md."""
    lines = [
        DOCS_START,
        "",
        f"Run of {results.environment.get('date')}; full tables, ratios and plans in "
        "[bench/report.md](../bench/report.md).",
        "",
        "| area | case | median ms | SQL statements |",
        "|---|---|---:|---:|",
    ]
    for section, name in HEADLINE:
        found = _find(results, section, name)
        if found:
            area = found.section.split(" (")[0]
            lines.append(f"| {area} | {found.name} | {_ms(found.median_ms)} | {found.queries} |")
    lines += [
        "",
        "Findings:",
        "",
        *[f"{n}. {text}" for n, text in enumerate(conclusions(results), 1)],
        "",
        DOCS_END,
    ]
    return "\n".join(lines)


def update_docs(path: Path, results: Results) -> bool:
    """Replace the results block of docs/performance.md; return whether it was found."""
    text = path.read_text()
    if DOCS_START not in text or DOCS_END not in text:
        return False
    head, rest = text.split(DOCS_START, 1)
    _, tail = rest.split(DOCS_END, 1)
    path.write_text(head + docs_block(results) + tail)
    return True

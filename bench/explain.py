"""EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL, summarised: which indexes, which full scans, how much work."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import QuerySet

BIG_TABLES = ("events_event", "events_eventregion", "events_participation", "events_eventcountry")


@dataclass
class Plan:
    """What the planner did for one statement, and a compact tree to read it by."""

    execution_ms: float
    indexes: list[str] = field(default_factory=list)
    seq_scans: list[str] = field(default_factory=list)
    shared_hit: int = 0
    shared_read: int = 0
    tree: list[str] = field(default_factory=list)

    @property
    def full_scans_of_big_tables(self) -> list[str]:
        return [t for t in self.seq_scans if t in BIG_TABLES]

    @property
    def verdict(self) -> str:
        scans = self.full_scans_of_big_tables
        if scans:
            return "FULL SCAN of " + ", ".join(sorted(set(scans)))
        return "indexed" if self.indexes else "no index (small tables only)"

    def one_line(self) -> str:
        uses = ", ".join(dict.fromkeys(self.indexes)) or "—"
        return f"{self.verdict}; indexes: {uses}; buffers hit={self.shared_hit} read={self.shared_read}"


def _walk(node: dict[str, Any], depth: int, plan: Plan) -> None:
    kind = node["Node Type"]
    index = node.get("Index Name")
    relation = node.get("Relation Name")
    if index:
        plan.indexes.append(index)
    if kind == "Seq Scan" and relation:
        plan.seq_scans.append(relation)
    label = kind
    if node.get("Subplan Name"):
        label = f"[{node['Subplan Name']}] {label}"
    if index:
        label += f" using {index}"
    if relation:
        label += f" on {relation}"
    label += f" (rows={node.get('Actual Rows')} loops={node.get('Actual Loops')})"
    for key in ("Index Cond", "Recheck Cond", "Filter", "Join Filter", "Hash Cond"):
        if key in node:
            text = node[key]
            label += f" {key}: {text if len(text) < 160 else text[:157] + '...'}"
    if node.get("Rows Removed by Filter"):
        label += f" removed by filter: {node['Rows Removed by Filter']}"
    plan.tree.append("  " * depth + "-> " + label)
    for child in node.get("Plans", []):
        _walk(child, depth + 1, plan)


def explain_sql(sql: str, params: Any = None) -> Plan:
    """Run EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) and summarise the plan."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}", params)
        raw = cursor.fetchone()[0]
    root = raw[0] if isinstance(raw, list) else raw
    top = root["Plan"]
    plan = Plan(
        execution_ms=float(root.get("Execution Time", 0.0)),
        shared_hit=int(top.get("Shared Hit Blocks", 0)),
        shared_read=int(top.get("Shared Read Blocks", 0)),
    )
    _walk(top, 0, plan)
    return plan


def explain_queryset(queryset: QuerySet) -> Plan:
    sql, params = queryset.query.sql_with_params()
    return explain_sql(sql, params)

"""The change preview as text for a terminal, Markdown for a pull-request comment, or JSON for machines."""

import json
from collections import Counter
from typing import Any

from .consequences import Consequence
from .diff import CREATE, DELETE, REPLACE, UPDATE, Change

SYMBOLS = {CREATE: "+", UPDATE: "~", REPLACE: "+-", DELETE: "-"}
# The hidden marker that lets the workflow find its own comment on a pull request and update it.
COMMENT_MARKER = "<!-- airflow-aws change preview -->"


def _value(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _detail(change: Change) -> str:
    if change.action == REPLACE:
        return "forced by " + ", ".join(change.forced_by)
    if change.action == UPDATE:
        return ", ".join(change.changed)
    return ""


def summary(changes: list[Change]) -> str:
    counted = Counter(c.action for c in changes)
    parts = [f"{counted[a]} to {a}" for a in (CREATE, UPDATE, REPLACE, DELETE) if counted[a]]
    return ", ".join(parts) if parts else "no changes"


def as_text(stack: str, changes: list[Change], found: list[Consequence]) -> list[str]:
    lines = [f"== stack {stack}: change preview against the base plan: {summary(changes)} =="]
    for change in changes:
        detail = _detail(change)
        lines.append(f"  {SYMBOLS[change.action]:>2} {change.action:<7} {change.type}  {change.name}"
                     + (f"  ({detail})" if detail else ""))
        if change.action == UPDATE:
            lines.extend(f"        {path}: {_value(old)} => {_value(new)}" for path, (old, new) in change.changed.items())
    if found:
        lines.append("consequences:")
        lines.extend(f"  {c.severity.upper() if c.severity in ('disruption', 'info') else '!!! ' + c.severity}: "
                     f"{c.resource}: {c.text}" for c in found)
    return lines


def as_markdown(stack: str, changes: list[Change], found: list[Consequence]) -> list[str]:
    lines = [f"### Stack `{stack}`: {summary(changes)}", ""]
    loud = {"DATA LOSS": "🛑 **DATA LOSS**", "OUTAGE": "🛑 **OUTAGE**", "disruption": "⚠️ disruption", "info": "ℹ️"}
    lines.extend(f"- {loud[c.severity]} `{c.resource}`: {c.text}" for c in found)
    if changes:
        lines += ["", "| | action | type | name | why |", "|---|---|---|---|---|"]
        lines.extend(f"| `{SYMBOLS[c.action]}` | {c.action} | `{c.type}` | `{c.name}` | {_detail(c)} |" for c in changes)
    return lines + [""]


def as_json(stack: str, changes: list[Change], found: list[Consequence]) -> dict[str, Any]:
    return {
        "stack": stack,
        "summary": dict(Counter(c.action for c in changes)),
        "changes": [{"action": c.action, "urn": c.urn, "type": c.type, "name": c.name, "protect": c.protect,
                     "changedInputs": sorted(c.changed), "forcedBy": c.forced_by} for c in changes],
        "consequences": [{"severity": c.severity, "resource": c.resource, "text": c.text} for c in found],
    }

"""A line of a report that says PASS, WARN or FAIL and how to fix it: the requirements check and verify print them."""

import dataclasses
import json
from dataclasses import dataclass
from typing import Literal

Level = Literal["PASS", "WARN", "FAIL"]


@dataclass(frozen=True)
class Finding:
    """The outcome of one check."""

    level: Level
    subject: str
    """What the line is about: a check's name (`account`), a package, the constraint line."""
    problem: str
    """What was found."""
    fix: str = ""
    """What to change; empty on PASS."""


def render(findings: list[Finding], as_json: bool = False) -> str:
    """A table with the fix under each line, or a JSON list."""
    if as_json:
        return json.dumps([dataclasses.asdict(f) for f in findings], indent=2)
    width = max((len(f.subject) for f in findings), default=0)
    rows = []
    for finding in findings:
        rows.append(f"{finding.level:<5} {finding.subject:<{width}}  {finding.problem}")
        if finding.fix:
            rows.append(f"{'':<5} {'':<{width}}  fix: {finding.fix}")
    return "\n".join(rows)


def exit_status(findings: list[Finding]) -> int:
    """1 when a line FAILs, else 0."""
    return 1 if any(f.level == "FAIL" for f in findings) else 0

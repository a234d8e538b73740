"""One line of a verify report, and the table the command prints."""

from dataclasses import dataclass
from typing import Literal

Level = Literal["PASS", "WARN", "FAIL"]


@dataclass(frozen=True)
class Line:
    """The outcome of one check."""

    level: Level
    check: str
    """The check's name, e.g. `account`, `subnet routes`."""
    detail: str
    """What was found."""
    fix: str = ""
    """What to change; empty on PASS."""


def render(lines: list[Line]) -> str:
    width = max((len(line.check) for line in lines), default=0)
    rows = []
    for line in lines:
        rows.append(f"{line.level:<5} {line.check:<{width}}  {line.detail}")
        if line.fix:
            rows.append(f"{'':<5} {'':<{width}}  fix: {line.fix}")
    return "\n".join(rows)

"""What a check finds: a problem at a path inside one value, and a violation of one registered resource."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pulumi


@dataclass(frozen=True)
class Problem:
    """A value at `path` (dotted, with [i] for list items) breaks `constraint`."""

    path: str
    value: Any
    constraint: str

    def under(self, prefix: str) -> "Problem":
        """The same problem seen from the value that holds this one at `prefix`."""
        if not prefix:
            return self
        joined = prefix if not self.path else (f"{prefix}{self.path}" if self.path.startswith("[") else f"{prefix}.{self.path}")
        return Problem(joined, self.value, self.constraint)


@dataclass(frozen=True)
class Violation:
    """A registered resource whose input AWS would refuse (or silently drop) at deploy time."""

    component: str
    resource: str
    type: str
    problem: Problem

    def render(self) -> str:
        shown = self.problem.value if isinstance(self.problem.value, str) else json.dumps(self.problem.value, default=str)
        if len(shown) > 120:
            shown = shown[:117] + "..."
        return (f"  {self.component} > {self.resource} ({self.type})\n"
                f"    property:   {self.problem.path}\n"
                f"    value:      {shown}\n"
                f"    constraint: {self.problem.constraint}")


class InvalidResources(pulumi.RunError):
    """Raised when a planned resource breaks an AWS API constraint; the plan prints it without a traceback.

    Most violations fail `pulumi up` halfway (InvalidParameterValue); some deploy something wrong instead,
    such as a policy naming an action no service has, which IAM stores and never grants."""

    def __init__(self, stack: str, violations: list[Violation]):
        self.violations = violations
        count = len(violations)
        header = (f"stack '{stack}' plans {count} resource input{'s' if count != 1 else ''} "
                  f"AWS would refuse at deploy time, or accept and not act on:")
        super().__init__("\n".join([header, *(v.render() for v in violations)]))

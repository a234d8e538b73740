"""`python -m program.plan STACK --base BASE.json`: the plan of this checkout against a plan document of the base.

The base document is what `python -m program.plan STACK --json` printed on the base branch.
"""

import json
from pathlib import Path
from typing import Any, Callable

from ..cost.estimate import estimate
from ..cost.render import delta, delta_json, delta_lines
from .consequences import consequences
from .diff import diff
from .render import as_json, as_markdown, as_text


def load_base(path: str, stack: str) -> dict[str, Any]:
    """The base plan document, refused with a clear message when it is not one of this stack."""
    try:
        document = json.loads(Path(path).read_text())
    except (OSError, ValueError) as error:
        raise SystemExit(f"--base {path}: not a readable plan JSON ({error}); make it on the base branch with "
                         f"`python -m program.plan {stack} --json > {path}`")
    if not isinstance(document, dict) or "resources" not in document:
        raise SystemExit(f"--base {path}: has no `resources`; it must be the output of `python -m program.plan {stack} --json`")
    if document.get("stack") != stack:
        raise SystemExit(f"--base {path}: is the plan of stack {document.get('stack')!r}, not {stack!r}")
    return document


def preview(stack: str, base: dict[str, Any], head: dict[str, Any], output: str, region: str) -> str:
    """The change preview in the `text`, `markdown` or `json` form, with the monthly cost before and after."""
    changes = diff(base, head)
    found = consequences(changes)
    cost = delta(estimate(base, region), estimate(head, region))
    if output == "json":
        return json.dumps({**as_json(stack, changes, found), "cost": delta_json(cost)}, indent=2, sort_keys=True)
    render: Callable[..., list[str]] = as_markdown if output == "markdown" else as_text
    return "\n".join([*render(stack, changes, found), *delta_lines(cost, markdown=output == "markdown")])

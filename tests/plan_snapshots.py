"""Recorded Fargate plans: what `python -m program.plan --json` prints for a few Fargate stacks.

    .venv/bin/python -m tests.plan_snapshots --update    # after an intended change; review the diff

A refactor of the Fargate component must leave these bytes alone (tests/test_fargate_plan_snapshots.py).
A change that means to alter the plan records the new plans here, and the diff shows what it altered.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from program.api_model.resources import require_valid
from program.plan import _asset, as_json
from program import REPOSITORY_ROOT
from tests.harness import plan_stack

FOLDER = Path(__file__).parent / "fixtures" / "plans"

# Stack and changes per recorded plan: the defaults, production's protection, and every optional part.
VARIANTS: dict[str, tuple[str, dict[str, Any]]] = {
    "sandbox-fargate": ("sandbox", {"platform": "fargate"}),
    "prod-fargate": ("prod", {"platform": "fargate"}),
    "test-fargate-options": ("test", {"platform": "fargate", "fargate": {
        "minWorkers": 2, "maxWorkers": 6, "schedulers": 2, "triggerers": 2, "apiServers": 2, "apiWorkers": 2,
        "flower": True, "imageTag": "3.0.6-python3.12", "cpuArchitecture": "ARM64", "kmsKey": "create",
        "workerConcurrency": 8, "taskSizes": {"worker": {"cpu": 4096, "memory": 8192}},
        "database": {"instances": 2, "maxCapacity": 8}, "broker": {"engine": "redis", "nodes": 2}}}),
}


def render(variant: str) -> str:
    """The plan command's --json document of one variant, byte for byte as the command prints it."""
    stack, changes = VARIANTS[variant]
    plan = plan_stack(stack, changes)
    text = json.dumps(as_json(plan, require_valid(plan)), indent=2, default=_asset, sort_keys=True) + "\n"
    # Uploaded files are named by absolute path: the same plan in another clone must read the same.
    return text.replace(str(REPOSITORY_ROOT), "<repository>")


def recorded_path(variant: str) -> Path:
    return FOLDER / f"{variant}.json"


def recorded(variant: str) -> str:
    return recorded_path(variant).read_text()


def record(variant: str) -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    recorded_path(variant).write_text(render(variant))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.plan_snapshots", description=__doc__.split("\n\n")[0])
    parser.add_argument("--update", action="store_true", help="record the current plans")
    options = parser.parse_args()
    for variant in VARIANTS:
        if options.update:
            record(variant)
        print(f"{variant}: {'recorded' if options.update else 'same' if render(variant) == recorded(variant) else 'DIFFERENT'}")


if __name__ == "__main__":
    main()

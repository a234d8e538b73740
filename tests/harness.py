"""One small harness for every test: run a stack or a component under the mock engine, query what it registered.

    plan = plan_stack("sandbox", {"mwaa.minWorkers": 2})
    env = plan.one("aws:mwaa/environment:Environment")
    assert env.inputs["minWorkers"] == 2

    errors = setting_errors("sandbox", {"mwaa.minWorkers": 0})
    assert errors["airflow-aws:mwaa.minWorkers"].problem == "must be at least 1"

    [violation] = plan_violations("sandbox", {"mwaa.environmentClass": "mw1.huge"})  # what AWS's API refuses
"""

from __future__ import annotations

import copy
import dataclasses
import json
import re
import runpy
from typing import Any, Callable, Optional, Union

from program import offline
from program.api_model.problems import InvalidResources, Violation
from program.api_model.resources import check_plan, require_valid
from program.changes.consequences import Consequence, consequences
from program.changes.diff import Change, diff
from program.plan import _asset, as_json
from program.offline import FakeAws, Plan, Registration, Subnet
from airflow_aws.settings import PROJECT, InvalidSettings, SettingError, parse
from program import REPOSITORY_ROOT
from program.stacks import engine_config, fake_world, stack_values

__all__ = ["DELETE", "change_preview", "plan_document", "FakeAws", "FakeEcsAgent", "Plan", "Registration", "Subnet",
           "plan_stack", "run_component",
           "setting_errors", "stack_config", "policy", "plan_failure", "plan_violations", "violations", "with_input"]

DELETE = object()
MAIN = str(REPOSITORY_ROOT / "__main__.py")


def _apply(values: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """Apply `{"mwaa.minWorkers": 2, "aws:region": "x", "network.vpcId": DELETE}` to a stack's values."""
    values = copy.deepcopy(values)
    for path, value in changes.items():
        full = path if ":" in path.split(".")[0] else f"{PROJECT}:{path}"
        head, *rest = full.split(".")
        if not rest:
            values.pop(head, None) if value is DELETE else values.__setitem__(head, value)
            continue
        node = values.setdefault(head, {})
        for part in rest[:-1]:
            node = node.setdefault(part, {})
        node.pop(rest[-1], None) if value is DELETE else node.__setitem__(rest[-1], value)
    return values


def stack_config(stack: str, changes: Optional[dict[str, Any]] = None) -> dict[str, Any]:
    """A stack file's config values with changes applied (not yet turned into engine strings)."""
    return _apply(stack_values(stack), changes or {})


def plan_stack(stack: str, changes: Optional[dict[str, Any]] = None, world: Optional[FakeAws] = None) -> Plan:
    """Run the real program for a stack (with changes to its stack file) and return what it registered.

    Like the plan command, it refuses (InvalidResources) a resource input AWS's API model would refuse."""
    plan = _run_stack(stack, changes, world)
    require_valid(plan)
    return plan


def _run_stack(stack: str, changes: Optional[dict[str, Any]], world: Optional[FakeAws]) -> Plan:
    values = stack_config(stack, changes)
    return offline.run(lambda: runpy.run_path(MAIN, run_name="__main__"), project=PROJECT, stack=stack,
                       config=engine_config(values), world=world or fake_world(values), root_directory=REPOSITORY_ROOT)


def plan_violations(stack: str, changes: Optional[dict[str, Any]] = None,
                    world: Optional[FakeAws] = None) -> list[Violation]:
    """Plan a stack whose settings pass but whose resources AWS would refuse; return the violations (empty if none)."""
    return violations(_run_stack(stack, changes, world))


def violations(plan: Plan) -> list[Violation]:
    """What the API-model check finds in a plan (of a stack or of run_component)."""
    return check_plan(plan).violations


def with_input(plan: Plan, type_token: str, path: str, value: Any) -> tuple[Plan, Registration]:
    """The plan with one input set (`healthCheck.interval`, `rules[0].status`) in the first resource of a type
    that sets the input's top-level key (else the first of the type), first by URN.

    Returns the changed plan and the changed registration, to check what AWS's API model says of the value."""
    *parents, last = [int(part) if part.isdigit() else part for part in re.findall(r"[^.\[\]]+", path)]
    found = sorted(plan.of_type(type_token), key=lambda r: r.urn)  # registration order varies from run to run
    original = next((r for r in found if (parents or [last])[0] in r.inputs), found[0])
    inputs = copy.deepcopy(original.inputs)
    node = inputs
    for part in parents:
        node = node[part]
    node[last] = value
    changed = dataclasses.replace(original, inputs=inputs)
    registrations = [changed if r is original else r for r in plan.registrations]
    return dataclasses.replace(plan, registrations=registrations), changed


def plan_failure(stack: str, changes: Optional[dict[str, Any]] = None,
                 world: Optional[FakeAws] = None) -> tuple[Union[InvalidSettings, InvalidResources], list[Registration]]:
    """Run a stack that must be refused; return the error and what was registered before it.

    Invalid settings register nothing; InvalidResources comes after the whole (mock) plan ran, and nothing of
    it would be deployed."""
    try:
        plan_stack(stack, changes, world)
    except InvalidSettings as error:
        return error, error.registrations  # type: ignore[attr-defined]
    except InvalidResources as error:
        return error, []
    raise AssertionError(f"stack {stack} with {changes} was accepted")


def setting_errors(stack: str, changes: Optional[dict[str, Any]] = None) -> dict[str, SettingError]:
    """Validate a stack's settings only; return the errors by key (empty when valid)."""
    try:
        parse(stack, engine_config(stack_config(stack, changes)), REPOSITORY_ROOT)
    except InvalidSettings as error:
        return {e.key: e for e in error.errors}
    return {}


def run_component(build: Callable[[], Any], world: Optional[FakeAws] = None, stack: str = "unit",
                  config: Optional[dict[str, str]] = None) -> Plan:
    """Run a function that creates components, as a program of its own (with the engine's `config`, if any)."""
    return offline.run(build, project=PROJECT, stack=stack, config=config, world=world or FakeAws())


def policy(registration: Registration, field: str = "policy") -> dict[str, Any]:
    """A JSON policy document input, parsed."""
    return json.loads(registration.inputs[field])


class FakeEcsAgent:
    """The ECS agent's task protection endpoint on localhost: records each PUT body, answers like the agent.

        with FakeEcsAgent() as agent:   # agent.uri is what ECS puts in $ECS_AGENT_URI
            ...
        agent.requests == [{"ProtectionEnabled": True, "ExpiresInMinutes": 60}]
    Set `agent.refuse = True` to answer as the agent does when ECS refuses (a `failure` body). It also serves the
    task metadata endpoint ($ECS_CONTAINER_METADATA_URI_V4 is `agent.metadata_uri`): GET /task answers `agent.task`."""

    def __init__(self) -> None:
        import http.server
        import threading

        agent = self
        self.requests: list[dict[str, Any]] = []
        self.refuse = False
        self.task: dict[str, Any] = {"Family": "airflow-x-worker", "Revision": "7"}

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                found = self.path == "/v4/container-id/task"
                data = json.dumps(agent.task if found else {}).encode()
                self.send_response(200 if found else 404)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_PUT(self) -> None:  # noqa: N802 (the name http.server calls)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                ok = self.path == "/api/task-id/task-protection/v1/state" and not agent.refuse
                if ok:
                    agent.requests.append(body)
                answer = ({"protection": {"ProtectionEnabled": body["ProtectionEnabled"], "TaskArn": "task"}} if ok else
                          {"failure": {"Arn": "task", "Reason": "TASK_NOT_VALID", "Detail": None}})
                data = json.dumps(answer).encode()
                self.send_response(200 if ok else 400)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.uri = f"http://127.0.0.1:{self.server.server_address[1]}/api/task-id"
        self.metadata_uri = f"http://127.0.0.1:{self.server.server_address[1]}/v4/container-id"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "FakeEcsAgent":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()


def plan_document(plan: Plan) -> dict[str, Any]:
    """A plan as the JSON document `python -m program.plan STACK --json` prints (the base of a change preview)."""
    return json.loads(json.dumps(as_json(plan), default=_asset))


def change_preview(base: Union[Plan, dict[str, Any]], head: Plan) -> tuple[dict[str, Change], list[Consequence]]:
    """What `--base` shows for going from one plan to another: the changes keyed `"<Type> <name>"` (like
    `"Environment mwaa"` or `"Subnet network-private-0"`), and the consequences.

    Uploaded files are hashed when the document is made: to edit files between two plans, pass the base as
    `plan_document(base)` taken before the edit."""
    changes = diff(base if isinstance(base, dict) else plan_document(base), plan_document(head))
    return {f"{c.type.split(':')[-1]} {c.name}": c for c in changes}, consequences(changes)


def stack_settings(stack: str, changes: Optional[dict[str, Any]] = None):
    """A stack's validated settings with changes applied (what `python -m program.verify` checks against)."""
    return parse(stack, engine_config(stack_config(stack, changes)), REPOSITORY_ROOT)

"""ECS `containerDefinitions` as RegisterTaskDefinition receives them, and the rules ECS documents on top.

The provider decodes the JSON into the SDK's ContainerDefinition with Go's encoding/json: keys match
member names without regard to case, and a key that matches no member is dropped without a word. So a
misspelt key (`healthcheck` is fine, `healthChecks` is lost) is an error here.
Documented rules: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html
"""

import re
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape

from .documents import did_you_mean, join, parse, whole_number
from .problems import Problem
from .shapes import check, shape

# ContainerDependency: "SUCCESS / COMPLETE ... can't be set on an essential container".
_EXIT_CONDITIONS = {"SUCCESS", "COMPLETE"}
# HealthCheck: interval 5-300 s (default 30), timeout 2-60 s (5), retries 1-10 (3), startPeriod 0-300 s (off).
_HEALTH_CHECK_RANGES = {"interval": (5, 300), "timeout": (2, 60), "retries": (1, 10), "startPeriod": (0, 300)}
# awslogs options: ECS's (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html) and
# the Docker driver's (https://docs.docker.com/engine/logging/drivers/awslogs/), which refuses any other.
_AWSLOGS_OPTIONS = {"awslogs-create-group", "awslogs-region", "awslogs-endpoint", "awslogs-group",
                    "awslogs-stream-prefix", "awslogs-datetime-format", "awslogs-multiline-pattern", "mode",
                    "max-buffer-size", "awslogs-stream", "awslogs-create-stream", "awslogs-format", "tag",
                    "awslogs-force-flush-interval-seconds", "awslogs-max-buffered-events", "awslogs-credentials-endpoint"}
_AWSLOGS_REQUIRED = ("awslogs-group", "awslogs-region")
# Secrets: a Secrets Manager secret ARN, a Systems Manager parameter ARN, or (same Region) a parameter name.
_SECRET_ARN = re.compile(r"arn:aws[a-z-]*:(secretsmanager:[a-z0-9-]+:\d{12}:secret:.+|ssm:[a-z0-9-]+:\d{12}:parameter/.+)")
_PARAMETER_NAME = re.compile(r"/?[A-Za-z0-9_.\-/]{1,2048}")
# "Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed."
_CONTAINER_NAME = re.compile(r"[A-Za-z0-9_-]{1,255}")


def check_container_definitions(value: Any) -> list[Problem]:
    """Every problem of a task definition's containerDefinitions (JSON text or the parsed list)."""
    containers, problems = parse(value)
    if problems:
        return problems
    if not isinstance(containers, list) or not containers:
        return [Problem("", containers, "must be a JSON list of at least one container definition")]
    model = shape("ecs", "ContainerDefinition")
    well_shaped = []
    for index, container in enumerate(containers):
        path = f"[{index}]"
        member_value, unknown = _as_members(model, container, path)
        shape_problems = check(model, member_value, path)
        problems += unknown + shape_problems
        if not shape_problems:
            well_shaped.append(member_value)
    # ECS's own rules read containers the model accepts (types, lists of objects); until all are, the
    # shape problems above are the ones to fix first.
    if len(well_shaped) < len(containers):
        return problems
    return problems + _task_rules(well_shaped)


def _as_members(model: Shape, value: Any, path: str) -> tuple[Any, list[Problem]]:
    """`value` with its keys renamed to the model's members (as Go matches them); unknown keys reported."""
    if isinstance(model, StructureShape) and isinstance(value, dict):
        by_lower = {name.lower(): name for name in model.members}
        renamed, problems = {}, []
        for key, item in value.items():
            member = by_lower.get(str(key).lower())
            if member is None:
                problems.append(Problem(join(path, key), item, f"is not a member of {model.name}: the provider drops it "
                                                               f"without a word{did_you_mean(key, model.members)}"))
                continue
            renamed[member], found = _as_members(model.members[member], item, join(path, member))
            problems += found
        return renamed, problems
    if isinstance(model, ListShape) and isinstance(value, list):
        items, problems = [], []
        for index, item in enumerate(value):
            converted, found = _as_members(model.member, item, f"{path}[{index}]")
            items.append(converted)
            problems += found
        return items, problems
    if isinstance(model, MapShape) and isinstance(value, dict):
        entries, problems = {}, []
        for key, item in value.items():
            entries[key], found = _as_members(model.value, item, f"{path}[{key!r}]")
            problems += found
        return entries, problems
    return value, []


def _task_rules(containers: list[dict[str, Any]]) -> list[Problem]:
    problems = []
    names = [c.get("name") for c in containers]
    essential = {c.get("name") for c in containers if c.get("essential", True)}
    if not essential:
        problems.append(Problem("", [c.get("name") for c in containers],
                                "needs at least one essential container (essential defaults to true)"))
    for index, container in enumerate(containers):
        path = f"[{index}]"
        name = container.get("name")
        for member in ("name", "image"):
            if not container.get(member):
                problems.append(Problem(join(path, member), container.get(member), "is required for every container"))
        if isinstance(name, str) and not _CONTAINER_NAME.fullmatch(name):
            problems.append(Problem(join(path, "name"), name, "may hold up to 255 letters, digits, _ and -"))
        if name is not None and names.count(name) > 1:
            problems.append(Problem(join(path, "name"), name, "must be unique within the task definition"))
        problems += _dependencies(container, path, names, essential)
        problems += _secrets(container, path)
        problems += _port_mappings(container, path)
        problems += _health_check(container.get("healthCheck"), join(path, "healthCheck"))
        problems += _log_options(container.get("logConfiguration"), join(path, "logConfiguration"))
        memory, reservation = whole_number(container.get("memory")), whole_number(container.get("memoryReservation"))
        if memory is not None and reservation is not None and reservation > memory:
            problems.append(Problem(join(path, "memoryReservation"), reservation,
                                    f"must not exceed the container's memory ({memory} MiB)"))
        for member, amount in (("memory", memory), ("memoryReservation", reservation)):
            if amount is not None and amount < 6:
                problems.append(Problem(join(path, member), amount, "must be at least 6 MiB (Docker's minimum)"))
    return problems


def _dependencies(container: dict[str, Any], path: str, names: list[Any], essential: set[Any]) -> list[Problem]:
    problems = []
    for index, dependency in enumerate(container.get("dependsOn") or []):
        at = f"{join(path, 'dependsOn')}[{index}]"
        target = dependency.get("containerName")
        if target not in names:
            problems.append(Problem(join(at, "containerName"), target, f"names no container of this task ({', '.join(map(str, names))})"))
        elif target == container.get("name"):
            problems.append(Problem(join(at, "containerName"), target, "a container cannot depend on itself"))
        elif dependency.get("condition") in _EXIT_CONDITIONS and target in essential:
            problems.append(Problem(join(at, "condition"), dependency.get("condition"),
                                    f"SUCCESS and COMPLETE need a container that exits: mark {target} essential: false"))
    return problems


def _secrets(container: dict[str, Any], path: str) -> list[Problem]:
    problems = []
    for index, secret in enumerate(container.get("secrets") or []):
        source = secret.get("valueFrom")
        if isinstance(source, str) and not (_SECRET_ARN.fullmatch(source)
                                            or (not source.startswith("arn:") and _PARAMETER_NAME.fullmatch(source))):
            problems.append(Problem(f"{join(path, 'secrets')}[{index}].valueFrom", source,
                                    "must be a Secrets Manager secret ARN, a Systems Manager parameter ARN or a "
                                    "parameter name of the same Region"))
    return problems


def _port_mappings(container: dict[str, Any], path: str) -> list[Problem]:
    problems, seen = [], set()
    for index, mapping in enumerate(container.get("portMappings") or []):
        at = f"{join(path, 'portMappings')}[{index}]"
        for member in ("containerPort", "hostPort"):
            port = mapping.get(member)
            if port is not None and not (whole_number(port) is not None and 0 <= port <= 65535):
                problems.append(Problem(join(at, member), port, "must be a port number 0 to 65535"))
        if mapping.get("containerPort") is None and mapping.get("containerPortRange") is None:
            problems.append(Problem(at, mapping, "needs containerPort or containerPortRange"))
        key = (mapping.get("containerPort"), mapping.get("protocol", "tcp"))
        if mapping.get("containerPort") is not None and key in seen:
            problems.append(Problem(join(at, "containerPort"), key[0], f"is mapped twice for {key[1]}"))
        seen.add(key)
        if mapping.get("appProtocol") is not None and not mapping.get("name"):
            problems.append(Problem(join(at, "appProtocol"), mapping["appProtocol"], "needs the port mapping's name"))
    return problems


def _health_check(health: Any, path: str) -> list[Problem]:
    if not isinstance(health, dict):
        return []
    problems = []
    command = health.get("command") or []
    if command and command[0] not in ("CMD", "CMD-SHELL", "NONE"):
        problems.append(Problem(join(path, "command[0]"), command[0], "must be CMD, CMD-SHELL or NONE"))
    for member, (low, high) in _HEALTH_CHECK_RANGES.items():
        value = health.get(member)
        if value is not None and isinstance(value, (int, float)) and not low <= value <= high:
            problems.append(Problem(join(path, member), value, f"must be {low} to {high}"))
    return problems


def _log_options(log: Any, path: str) -> list[Problem]:
    if not isinstance(log, dict) or log.get("logDriver") != "awslogs":
        return []
    options = log.get("options") or {}
    problems = [Problem(f"{join(path, 'options')}[{key!r}]", value, "is not an option of the awslogs log driver "
                        "(the container would not start)") for key, value in options.items() if key not in _AWSLOGS_OPTIONS]
    problems += [Problem(f"{join(path, 'options')}[{key!r}]", None, "is required by the awslogs log driver")
                 for key in _AWSLOGS_REQUIRED if not options.get(key)]
    return problems

"""What Fargate documents for a task definition beyond the ECS model: sizes, sums, networking and logging.

https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html
https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LogConfiguration.html (Fargate log drivers)
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-quotas.html (task definition size, 64 KiB)
"""

import re
from typing import Any, Optional

from airflow_aws.airflow_settings import fargate_memory_choices

from .documents import join, parse, whole_number
from .problems import Problem

# Task CPU units -> the memory (MiB) Fargate allows with it (the table the settings check uses too).
FARGATE_SIZES = {cpu: fargate_memory_choices(cpu) for cpu in (256, 512, 1024, 2048, 4096, 8192, 16384)}
FARGATE_LOG_DRIVERS = ("awslogs", "splunk", "awsfirelens")
# ECS refuses a task definition larger than this (a fixed quota). The api-server's carries the sign-in code in its
# command, so the size is worth watching as that code grows.
TASK_DEFINITION_BYTES = 64 * 1024
_UNITS = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(vcpu|gb)?\s*", re.IGNORECASE)


def _amount(value: Any) -> Optional[int]:
    """Task cpu and memory are strings: "1024", or "1 vCPU" / "2 GB" (both 1024 units per vCPU or GB)."""
    match = _UNITS.fullmatch(str(value)) if value is not None else None
    if not match:
        return None
    number = float(match.group(1)) * (1024 if match.group(2) else 1)
    return int(number) if number.is_integer() else None


def fargate_task(inputs: dict[str, Any]) -> list[Problem]:
    """A Fargate task's size, the containers' share of it, its network mode and its log drivers."""
    if "FARGATE" not in (inputs.get("requiresCompatibilities") or []):
        return []
    problems = []
    if inputs.get("networkMode") != "awsvpc":
        problems.append(Problem("networkMode", inputs.get("networkMode"), "must be awsvpc for Fargate"))
    cpu, memory = _amount(inputs.get("cpu")), _amount(inputs.get("memory"))
    if cpu not in FARGATE_SIZES:
        problems.append(Problem("cpu", inputs.get("cpu"), f"Fargate takes a task cpu of {', '.join(map(str, FARGATE_SIZES))}"))
    elif memory not in FARGATE_SIZES[cpu]:
        allowed = FARGATE_SIZES[cpu]
        problems.append(Problem("memory", inputs.get("memory"), f"with cpu {cpu} Fargate takes {allowed[0]} to "
                                f"{allowed[-1]} MiB in steps of {allowed[1] - allowed[0]}"))
    containers, parse_problems = parse(inputs.get("containerDefinitions"))
    if parse_problems or not isinstance(containers, list):
        return problems  # the payload check reports an unreadable document
    return problems + _containers([c for c in containers if isinstance(c, dict)], cpu, memory)


def task_definition_size(inputs: dict[str, Any]) -> list[Problem]:
    """The container definitions alone must leave the task definition within ECS's 64 KiB."""
    size = len(str(inputs.get("containerDefinitions") or "").encode())
    if size <= TASK_DEFINITION_BYTES:
        return []
    return [Problem("containerDefinitions", f"{size / 1024:.1f} KiB",
                    f"ECS takes a task definition of at most {TASK_DEFINITION_BYTES // 1024} KiB; move large values "
                    "(scripts, configuration) into the image or a file the container downloads")]


def _containers(containers: list[dict[str, Any]], cpu: Optional[int], memory: Optional[int]) -> list[Problem]:
    problems = []
    cpus = [whole_number(c.get("cpu")) or 0 for c in containers]
    if cpu is not None and sum(cpus) > cpu:
        problems.append(Problem("containerDefinitions", f"{sum(cpus)} cpu units",
                                f"the containers' cpu adds up to more than the task's {cpu}"))
    memories = [whole_number(c.get("memory")) or whole_number(c.get("memoryReservation")) or 0 for c in containers]
    if memory is not None and sum(memories) > memory:
        problems.append(Problem("containerDefinitions", f"{sum(memories)} MiB",
                                f"the containers' memory adds up to more than the task's {memory} MiB"))
    for index, container in enumerate(containers):
        path = f"containerDefinitions[{index}]"
        for mapping_index, mapping in enumerate(container.get("portMappings") or []):
            host, port = mapping.get("hostPort"), mapping.get("containerPort")
            if host is not None and port is not None and host != port:
                problems.append(Problem(f"{path}.portMappings[{mapping_index}].hostPort", host,
                                        f"must equal containerPort ({port}) or be left out in awsvpc mode"))
        log = container.get("logConfiguration") or {}
        driver = log.get("logDriver")
        if driver is not None and driver not in FARGATE_LOG_DRIVERS:
            problems.append(Problem(join(path, "logConfiguration.logDriver"), driver,
                                    f"Fargate supports the log drivers {', '.join(FARGATE_LOG_DRIVERS)}"))
        if driver == "awslogs" and not (log.get("options") or {}).get("awslogs-stream-prefix"):
            problems.append(Problem(join(path, "logConfiguration.options['awslogs-stream-prefix']"), None,
                                    "is required by the awslogs driver on Fargate"))
        for member in ("links", "privileged"):
            if container.get(member):
                problems.append(Problem(join(path, member), container[member], "is not supported on Fargate"))
    return problems

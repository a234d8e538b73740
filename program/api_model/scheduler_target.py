"""An EventBridge Scheduler schedule's `target` as CreateSchedule's Target, and its `input` as the payload sent.

Provider names (pulumi_aws.scheduler.ScheduleTargetArgs) map onto the Target shape below; ecsParameters and
sagemakerPipelineParameters are not checked against the model: their provider shape differs from the API's
(assignPublicIp is a boolean, tags a map, capacityProviderStrategies and pipelineParameters are renamed lists).
"""

import json
import re
from typing import Any

from .problems import Problem
from .shapes import check_members, shape

# Provider input -> Target member, and the nested blocks' members (each capitalised as in the model).
_MEMBERS = {"arn": "Arn", "roleArn": "RoleArn", "input": "Input", "deadLetterConfig": "DeadLetterConfig",
            "retryPolicy": "RetryPolicy", "kinesisParameters": "KinesisParameters", "sqsParameters": "SqsParameters",
            "eventbridgeParameters": "EventBridgeParameters"}
_UNMODELLED = ("ecsParameters", "sagemakerPipelineParameters")
# https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html: any other
# <aws.scheduler.*> text is sent as typed, not replaced.
_CONTEXT_ATTRIBUTES = {"schedule-arn", "scheduled-time", "execution-id", "attempt-number"}
_PLACEHOLDER = re.compile(r"<aws\.scheduler\.([a-z-]+)>")
_LAMBDA_ARN = re.compile(r"arn:aws[a-z-]*:lambda:")


def check_target(target: Any) -> list[Problem]:
    if not isinstance(target, dict):
        return [Problem("", target, "must be an object (Target)")]
    model = shape("scheduler", "Target")
    members, problems = {}, []
    for key, value in target.items():
        if key in _UNMODELLED or value is None:
            continue
        if key not in _MEMBERS:
            problems.append(Problem(key, value, "is not an input of a schedule target"))
            continue
        members[_MEMBERS[key]] = _capitalised(value)
    problems += [Problem(_provider_path(p.path), p.value, p.constraint) for p in check_members(model, members)]
    problems += [Problem(key, None, "is required by Target") for key in ("arn", "roleArn") if not target.get(key)]
    return problems + _input(target.get("input"), str(target.get("arn") or ""))


def _capitalised(value: Any) -> Any:
    if isinstance(value, dict):
        return {key[:1].upper() + key[1:]: _capitalised(item) for key, item in value.items()}
    return value


def _provider_path(path: str) -> str:
    reverse = {member: key for key, member in _MEMBERS.items()}
    head, _, rest = path.partition(".")
    parts = [reverse.get(head, head)] + [part[:1].lower() + part[1:] for part in rest.split(".") if part]
    return ".".join(parts)


def _input(text: Any, arn: str) -> list[Problem]:
    if text is None:
        return []
    problems = [Problem("input", match.group(0), f"is not a schedule context attribute (one of "
                                                  f"{', '.join(sorted(_CONTEXT_ATTRIBUTES))}): it would be sent as typed")
                for match in _PLACEHOLDER.finditer(str(text)) if match.group(1) not in _CONTEXT_ATTRIBUTES]
    # A Lambda target's input is the function's event: Invoke takes a JSON payload.
    if _LAMBDA_ARN.match(arn):
        try:
            json.loads(_PLACEHOLDER.sub("0", str(text)))
        except json.JSONDecodeError as error:
            problems.append(Problem("input", text, f"is the Lambda function's event and must be JSON ({error.msg})"))
    return problems

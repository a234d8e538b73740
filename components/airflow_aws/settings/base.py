"""What every settings section builds on: the settings' namespace, the strict base model, and the small
checks several sections share (CIDR blocks, log retention, ARNs of the stack's own account, project folders)."""

from __future__ import annotations

import difflib
import ipaddress
import json
import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Literal, Optional

from pydantic import AfterValidator, BaseModel, ConfigDict
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

# The configuration namespace of the settings (`airflow-aws:environmentName`), whatever the Pulumi project is called.
PROJECT = "airflow-aws"

# CloudWatch Logs accepts only these retention periods (PutRetentionPolicy).
LOG_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096,
                      1827, 2192, 2557, 2922, 3288, 3653)
ACCOUNT_ID = re.compile(r"^\d{12}$")
ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::(\d{12}):role/[\w+=,.@/-]+$")


def values_of(choices: "type[Enum] | tuple[str, ...]") -> Any:
    """A Literal of the values of a components' enum (or a table's values), so a setting takes exactly the values
    its component does, from the one list. A type checker cannot read a Literal built at run time: settings
    modules give it `str` under TYPE_CHECKING."""
    return Literal[tuple(c.value for c in choices) if isinstance(choices, type) else choices]


class SettingsModel(BaseModel):
    """Base of every settings group: camelCase keys as in the stack files, unknown keys refused.

    Strict, because a stack file is YAML: `minWorkers: true` must not become 1, nor `uploadDags: 1` true, and a
    key left empty (`environmentName:`) must not become a string; every string a setting takes is non-empty.
    """

    model_config = ConfigDict(extra="forbid", alias_generator=to_camel, frozen=True, populate_by_name=True,
                              strict=True, str_min_length=1)


def invalid(problem: str, fix: str) -> PydanticCustomError:
    """A refusal raised inside a validator; `errors.translate` turns it into a SettingError."""
    return PydanticCustomError("setting", "{problem}", {"problem": problem, "fix": fix})


def did_you_mean(word: str, known: Any) -> str:
    match = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return f" (did you mean `{match[0]}`?)" if match else ""


def refuse_unknown(names: Any, known: Any, what: str) -> None:
    """Refuse names not in `known` (log types, processes, services), suggesting the closest known one."""
    unknown = sorted(set(names) - set(known))
    if unknown:
        raise invalid(f"names unknown {what} {unknown}{did_you_mean(unknown[0], known)}", f"use only {', '.join(known)}")


def cidr(value: str, *, fix: str) -> ipaddress.IPv4Network:
    try:
        return ipaddress.IPv4Network(value, strict=True)
    except ValueError as error:
        raise invalid(f"is not a valid IPv4 CIDR block ({error})", fix) from None


def _cloudwatch_retention(value: int) -> int:
    if value not in LOG_RETENTION_DAYS:
        raise invalid("is not a retention period CloudWatch Logs accepts",
                      f"choose one of {', '.join(map(str, LOG_RETENTION_DAYS))}")
    return value


# Days CloudWatch Logs keeps a log group: only the periods PutRetentionPolicy accepts.
LogRetentionDays = Annotated[int, AfterValidator(_cloudwatch_retention)]


def decode(text: str) -> Any:
    """A config value as the engine passes it (structured values as JSON), decoded; plain text stays text."""
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return text


# --- ARNs -----------------------------------------------------------------------------------------

ARN = re.compile(r"^arn:(?P<partition>aws[a-z-]*):(?P<service>[a-z0-9-]+):(?P<region>[a-z0-9-]*):"
                 r"(?P<account>\d{12}|aws)?:(?P<resource>.+)$")


@dataclass(frozen=True)
class Arn:
    """Where a resource named by ARN lives."""

    partition: str
    region: str
    account: str


def parse_arn(text: str, service: str, resource: str) -> Optional[Arn]:
    """The parts of an ARN of `service` whose resource part matches the regex `resource`; None if it is not one."""
    match = ARN.match(text)
    if not match or match["service"] != service or not match["region"] or not match["account"]:
        return None
    if not re.fullmatch(resource, match["resource"]):
        return None
    return Arn(match["partition"], match["region"], match["account"])


def placement_problem(arn: Arn, region: str, partition: str, account_id: str, *,
                      what: str, other_account: Optional[str]) -> Optional[tuple[str, str]]:
    """(problem, fix) when a resource of this stack lies outside its Region, partition or pinned account.

    `other_account` is None when AWS itself refuses another account's resource; otherwise it says why this
    program still does (AWS would allow it with a resource policy, the program grants only its own account).
    """
    if arn.partition != partition or arn.region != region:
        return (f"is a {what} in {arn.region} ({arn.partition}), but this stack deploys to {region}, and the "
                f"{what} must be in the stack's own Region", f"use a {what} in {region}")
    if arn.account != account_id:
        reason = f"; {other_account}" if other_account else ""
        return (f"is a {what} of account {arn.account}, not of the stack's pinned account {account_id}{reason}",
                f"use a {what} of account {account_id}")
    return None


# --- folders of the project -----------------------------------------------------------------------

def project_folder_problem(text: str, project_root: Path) -> Optional[tuple[str, str]]:
    """(problem, fix) unless `text` names an existing folder inside `project_root`, other than the root itself.

    The folder is uploaded to the environment's bucket: the project root would ship the project's own
    requirements.txt as Airflow requirements, and a folder outside (`..`, an absolute path, a symlink out)
    would upload files nobody reviewed with this project.
    """
    root = project_root.resolve()
    folder = (root / text).resolve()
    if folder == root:
        return ("is the project root, which would upload the project's own files (its requirements.txt as "
                "Airflow requirements)", "point it at a folder inside the project, e.g. airflow")
    if not folder.is_relative_to(root):
        return (f"resolves to {folder}, outside the project {root} (through `..`, an absolute path or a symlink)",
                "use a folder inside the project, relative to it, e.g. airflow")
    if not folder.is_dir():
        return (f"is not a folder ({folder} does not exist)", "create it (it may stay empty) or point the setting "
                "at your Airflow folder")
    return None

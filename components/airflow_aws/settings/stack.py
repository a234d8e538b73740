"""The stack root: the top-level settings, the tags, and reading a whole stack's configuration into Settings."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Optional

import pulumi
from airflow_aws.aws_choices import MonitoredPlatform
from pydantic import Field, StringConstraints, ValidationError, field_validator

from .account import Account, read_account, unknown_provider_keys
from .base import PROJECT, SettingsModel, decode, did_you_mean, invalid
from .endpoints import EndpointSettings, endpoint_checks
from .errors import InvalidSettings, SettingError, project_key, translate
from .fargate import FargateSettings, fargate_checks
from .keys import key_arn
from .monitoring import MonitoringSettings, monitoring_checks
from .mwaa import MwaaSettings, mwaa_checks
from .network import NetworkSettings, network_checks
from .private_access import PrivateAccessSettings, private_access_checks

# What runs Airflow: the platforms the monitoring (and everything else) knows.
PLATFORMS = tuple(p.value for p in MonitoredPlatform)
ENVIRONMENT_NAME = re.compile(r"^[a-zA-Z][0-9a-zA-Z_-]{0,79}$")
# AWS's tag limits (the Tagging API, and MWAA's TagMap in botocore): 50 tags per resource, keys 1-128 and values
# up to 256 characters of letters, digits, spaces and _ . : / = + - @; `aws:` is AWS's own prefix.
MAX_TAGS = 50
MAX_TAG_KEY, MAX_TAG_VALUE = 128, 256
TAG_PUNCTUATION = set("_.:/=+-@")
# Tags the components add to resources themselves, on top of the stack's tags.
PROGRAM_TAGS = ("Name",)


def _tag_text(text: str) -> bool:
    return all(c in TAG_PUNCTUATION or unicodedata.category(c)[0] in "LNZ" for c in text)


class StackSettings(SettingsModel):
    """All of a stack's project settings (keys under `airflow-aws:`)."""

    environment_name: str = Field(
        "airflow", description="Name of the Airflow environment; letters, digits, - and _, starting with a letter, at most 80.")
    protect: bool = Field(
        False, description="Protect every stateful resource (buckets, keys, log groups, the MWAA environment, database, broker, secrets, certificate, NAT addresses, alarm topic) from deletion and keep it on delete; true in production.")
    # Values may be empty where AWS allows it (checked per platform below), unlike every other string setting.
    tags: dict[str, Annotated[str, StringConstraints(min_length=0)]] = Field(
        default_factory=dict, description=f"Tags on every resource that takes tags: at most {MAX_TAGS - len(PROGRAM_TAGS)} "
                                          f"(the program adds {', '.join(PROGRAM_TAGS)}), keys up to {MAX_TAG_KEY} and "
                                          f"values up to {MAX_TAG_VALUE} characters (not empty on MWAA), no `aws:` prefix.")
    network: NetworkSettings = Field(default_factory=lambda: NetworkSettings.model_validate({}), description="The network; see the network table.")
    mwaa: MwaaSettings = Field(default_factory=lambda: MwaaSettings.model_validate({}), description="The MWAA environment; see the mwaa table.")
    endpoints: EndpointSettings = Field(default_factory=lambda: EndpointSettings.model_validate({}), description="VPC endpoints for Airflow without internet; see the endpoints table.")
    private_access: PrivateAccessSettings = Field(
        default_factory=lambda: PrivateAccessSettings.model_validate({}), description="Load balancer and sign-in for the private web server; see the privateAccess table.")
    # A plain string (checked below), so Pulumi.yaml can declare it as `type: string`.
    platform: str = Field(
        "mwaa", description="What runs Airflow: `mwaa` (Amazon MWAA) or `fargate` (self-managed Airflow 3 on ECS Fargate, see the fargate table).")
    fargate: FargateSettings = Field(default_factory=lambda: FargateSettings.model_validate({}), description="Airflow 3 on ECS Fargate (platform fargate); see the fargate table.")
    monitoring: MonitoringSettings = Field(
        default_factory=lambda: MonitoringSettings.model_validate({}), description="Dashboard, alarms and the MWAA worker count; see the monitoring table.")

    @field_validator("platform")
    @classmethod
    def _platform(cls, value: str) -> str:
        if value not in PLATFORMS:
            raise invalid(f"is not a platform{did_you_mean(value, PLATFORMS)}", f"use one of {', '.join(PLATFORMS)}")
        return value

    @field_validator("environment_name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not ENVIRONMENT_NAME.match(value):
            raise invalid("is not a valid MWAA environment name (a letter, then letters, digits, - or _, 80 at most)",
                          "choose a name like data-platform or airflow_prod")
        return value

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: dict[str, str]) -> dict[str, str]:
        total = len(set(value) | set(PROGRAM_TAGS))
        if total > MAX_TAGS:
            raise invalid(f"gives resources {total} tags with the program's own {', '.join(PROGRAM_TAGS)}; AWS allows "
                          f"{MAX_TAGS} per resource", f"keep at most {MAX_TAGS - len(PROGRAM_TAGS)} tags")
        reserved = [k for k in value if k.lower().startswith("aws:")]
        if reserved:
            raise invalid(f"uses the prefix aws:, which AWS keeps for its own tags: {reserved}",
                          "rename them without the aws: prefix")
        long_keys = [k for k in value if len(k) > MAX_TAG_KEY]
        long_values = [k for k, v in value.items() if len(v) > MAX_TAG_VALUE]
        if long_keys or long_values:
            raise invalid(f"has keys over {MAX_TAG_KEY} or values over {MAX_TAG_VALUE} characters: "
                          f"{long_keys + long_values}", f"shorten keys to {MAX_TAG_KEY} and values to {MAX_TAG_VALUE}")
        odd = [k for k, v in value.items() if not (_tag_text(k) and _tag_text(v))]
        if odd:
            raise invalid(f"has tags with characters AWS refuses: {odd}",
                          "use letters, digits, spaces and _ . : / = + - @ only")
        return value


@dataclass(frozen=True)
class Settings:
    """What the platform is built from: the account pin, the project settings and the project's folder."""

    stack: str
    account: Account
    project: StackSettings
    project_root: Path
    """The folder `mwaa.sourceFolder` and `fargate.dagsFolder` are relative to: the Pulumi project's."""


def _tag_checks(project: StackSettings) -> list[SettingError]:
    """MWAA's API (TagValue, 1 to 256 characters) refuses an empty tag value that other services take."""
    empty = sorted(k for k, v in project.tags.items() if v == "")
    if project.platform == "mwaa" and empty:
        return [SettingError(project_key("tags"), {k: "" for k in empty}, "has empty values, which MWAA refuses on "
                             "the environment's tags", "give each tag a value, or remove it")]
    return []


def _raw_project_values(config: dict[str, str]) -> tuple[dict[str, Any], list[SettingError]]:
    """The project's keys as Python values; a key in a misspelt namespace is refused, not dropped."""
    raw: dict[str, Any] = {}
    errors: list[SettingError] = []
    prefix = f"{PROJECT}:"
    # Top-level strings stay text as typed (`environmentName: 2024` is a name, not a number); a key left
    # empty in YAML arrives as `null` and must be refused as empty, not read as the name "null".
    string_keys = {f.alias for f in StackSettings.model_fields.values() if f.annotation is str}
    for full_key, text in config.items():
        namespace, _, key = full_key.partition(":")
        if full_key.startswith(prefix):
            raw[key] = text if key in string_keys and text != "null" else decode(text)
        elif namespace != "aws" and did_you_mean(namespace, [PROJECT]):
            errors.append(SettingError(full_key, text, f"is in namespace `{namespace}`, which this program does not "
                                       f"read{did_you_mean(namespace, [PROJECT])}", f"rename it to {PROJECT}:{key}"))
    return raw, errors


def _with_key_arns(project: StackSettings, account: Account) -> StackSettings:
    """Key IDs as ARNs of the stack's account and Region: the components take key ARNs only."""
    return project.model_copy(update={
        "mwaa": project.mwaa.model_copy(update={"kms_key": key_arn(project.mwaa.kms_key, account)}),
        "fargate": project.fargate.model_copy(update={"kms_key": key_arn(project.fargate.kms_key, account)}),
    })


def parse(stack: str, config: dict[str, str], project_root: Optional[Path] = None) -> Settings:
    """Validate a stack's whole configuration (`namespace:key` -> string, as Pulumi passes it).

    Folders are checked inside `project_root`; default: the running Pulumi project's folder (where its
    Pulumi.yaml is), else the working folder (the SDK's mock engine gives a placeholder, not a folder).
    """
    engine_root = pulumi.runtime.get_root_directory()
    root = (project_root or (Path(engine_root) if engine_root and Path(engine_root).is_absolute() else Path.cwd())).resolve()
    account, errors = read_account(stack, config)
    errors.extend(unknown_provider_keys(config))
    raw, namespace_errors = _raw_project_values(config)
    errors.extend(namespace_errors)
    project: Optional[StackSettings] = None
    try:
        project = StackSettings.model_validate(raw)
    except ValidationError as error:
        errors.extend(translate(e, raw, StackSettings) for e in error.errors())
    if project is not None:
        for checks in (_tag_checks, network_checks, endpoint_checks):
            errors.extend(checks(project))
        for folder_checks in (mwaa_checks, fargate_checks):
            errors.extend(folder_checks(project, account, root))
        for account_checks in (private_access_checks, monitoring_checks):
            errors.extend(account_checks(project, account))
    if errors:
        raise InvalidSettings(stack, errors)
    assert account is not None and project is not None
    return Settings(stack=stack, account=account, project=_with_key_arns(project, account), project_root=root)


def all_config() -> dict[str, str]:
    """Every configuration value the engine gave this program (stack file plus Pulumi.yaml defaults)."""
    from pulumi.runtime import config as runtime_config

    return {**runtime_config.get_config_env(), **runtime_config.CONFIG.get()}


def load(project_root: Optional[Path] = None) -> Settings:
    """The current stack's settings; raises InvalidSettings (a RunError) listing every problem."""
    return parse(pulumi.get_stack(), all_config(), project_root)


"""MWAA settings: sizing, Airflow and its configuration options, logging, encryption, the source folder and IAM."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

from pydantic import Field, field_validator
from pydantic.alias_generators import to_camel

from ..aws_choices import EndpointManagement, EnvironmentClass, WebserverAccessMode, WorkerReplacementStrategy
from ..mwaa_requirements.image_site import installed_names
from ..mwaa_requirements.package import uncovered_requirements
from ..mwaa_requirements.versions import AIRFLOW_VERSIONS, airflow_version
from .base import (did_you_mean, invalid, LogRetentionDays, project_folder_problem, refuse_unknown, SettingsModel, values_of)
from .errors import SettingError, project_key
from .keys import encryption_key, key_placement_errors
from .network import EgressRule

if TYPE_CHECKING:
    from .account import Account
    from .stack import StackSettings

# Facts from the MWAA API model (/work/shared/reference/mwaa.md); Airflow versions live in one table.
ENVIRONMENT_CLASSES = tuple(c.value for c in EnvironmentClass)
LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")
LOG_TYPES = ("dagProcessing", "scheduler", "task", "webserver", "worker")
MAX_WORKERS_LIMIT = 25
MAINTENANCE_WINDOW = re.compile(r"^(MON|TUE|WED|THU|FRI|SAT|SUN):([01]\d|2[0-3]):(00|30)$")
# botocore's mwaa ConfigKey (1-64, `[a-z]+([a-z0-9._]*[a-z0-9_]+)?`), narrowed to section.option.
AIRFLOW_OPTION = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
AIRFLOW_OPTION_MAX = 64
# botocore's mwaa ConfigValue: printable ASCII, 1 to 65536 characters.
AIRFLOW_OPTION_VALUE = re.compile(r"^[ -~]{1,65536}$")
POLICY_ARN = re.compile(r"^arn:aws[a-z-]*:iam::(aws|\d{12}):policy/[\w+=,.@/-]+$")

_CELERY = "MWAA runs Celery on its own SQS queue and metadata database"
_STATSD = "MWAA feeds its CloudWatch metrics from a StatsD agent it configures itself"
# Options MWAA's image sets last, over the environment's configuration options (aws/amazon-mwaa-docker-images,
# mwaa/config/airflow.py: "essential ... cannot be overridden by the customer"): a value set here is ignored.
RESERVED_OPTIONS = {
    "core.executor": "MWAA runs only its CeleryExecutor",
    "celery.broker_url": _CELERY, "celery.result_backend": _CELERY, "celery.celery_config_options": _CELERY,
    "celery.worker_enable_remote_control": _CELERY, "operators.default_queue": _CELERY,
    "core.fernet_key": "MWAA generates and keeps the environment's Fernet key",
    "core.load_examples": "MWAA never loads Airflow's example DAGs",
    "core.sql_alchemy_conn": "MWAA connects Airflow to its own metadata database",
    "database.sql_alchemy_conn": "MWAA connects Airflow to its own metadata database",
    "core.database_access_isolation": "MWAA does not support Airflow's experimental internal API",
    "logging.logging_config_class": "MWAA ships the logs to CloudWatch with its own logging configuration",
    "metrics.statsd_on": _STATSD, "metrics.statsd_host": _STATSD, "metrics.statsd_port": _STATSD,
    "metrics.statsd_prefix": _STATSD,
    "scheduler.standalone_dag_processor": "MWAA runs the DAG processor its own way",
    "webserver.secret_key": "MWAA generates and keeps the web server's secret key",
    "webserver.config_file": "MWAA's web server configuration provides its sign-in",
}

# The keys of an IAM policy statement in an identity-based policy (a role's), and what each must hold.
STATEMENT_KEYS = ("Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition")


# The values of the versions table and the MwaaEnvironment's enums (see values_of).
if TYPE_CHECKING:
    AirflowVersionName = EnvironmentClassName = WebserverAccessModeName = EndpointManagementName = str
    WorkerReplacementStrategyName = str
else:
    AirflowVersionName = values_of(AIRFLOW_VERSIONS)
    EnvironmentClassName = values_of(EnvironmentClass)
    WebserverAccessModeName = values_of(WebserverAccessMode)
    EndpointManagementName = values_of(EndpointManagement)
    WorkerReplacementStrategyName = values_of(WorkerReplacementStrategy)


class MwaaSettings(SettingsModel):
    """The Amazon MWAA environment: sizing, Airflow, logging, encryption, access and IAM."""

    airflow_version: AirflowVersionName = Field("2.10.3", description="Airflow version MWAA runs.")
    environment_class: EnvironmentClassName = Field("mw1.small", description="Size of scheduler, web server and worker containers.")
    min_workers: int = Field(1, ge=1, le=MAX_WORKERS_LIMIT, description="Workers always running.")
    max_workers: int = Field(10, ge=1, le=MAX_WORKERS_LIMIT, description="Upper bound of worker autoscaling.")
    schedulers: int = Field(2, ge=1, le=5, description="Schedulers: 2 to 5, exactly 1 on mw1.micro.")
    min_webservers: int = Field(2, ge=1, le=5, description="Web servers always running: 2 to 5, exactly 1 on mw1.micro.")
    max_webservers: int = Field(2, ge=1, le=5, description="Upper bound of web server autoscaling: 2 to 5, exactly 1 on mw1.micro.")
    weekly_maintenance_window_start: str = Field("SUN:03:00", description="Start of the weekly maintenance window, DAY:HH:MM (UTC, minutes 00 or 30).")
    webserver_access_mode: WebserverAccessModeName = Field(
        "PRIVATE_ONLY", description="Who can reach the Airflow UI: only from the VPC, or also from the internet.")
    endpoint_management: EndpointManagementName = Field(
        "SERVICE", description="SERVICE: MWAA creates its VPC endpoints; CUSTOMER: this stack creates them.")
    worker_replacement_strategy: Optional[WorkerReplacementStrategyName] = Field(
        None, description="How workers are replaced on update; unset keeps the MWAA default.")
    airflow_configuration_options: dict[str, str] = Field(
        default_factory=dict, description="Airflow settings as `section.key: value` (for example `core.default_timezone`); "
                                          "values are quoted strings; options MWAA sets itself are refused.")
    log_levels: dict[str, str] = Field(
        default_factory=lambda: {"dagProcessing": "WARNING", "scheduler": "WARNING", "task": "INFO",
                                 "webserver": "WARNING", "worker": "WARNING"},
        description="Log level per log type (dagProcessing, scheduler, task, webserver, worker); DISABLED turns a type off.")
    log_retention_days: LogRetentionDays = Field(30, description="Days CloudWatch keeps the Airflow logs.")
    kms_key: Annotated[str, encryption_key("aws-owned", service="MWAA", aliases=True)] = Field(
        "aws-owned", description="Encryption key: `aws-owned`, `create` (a customer managed key made here), or an "
                                 "existing single-Region key of the stack's account and Region as key ID, key ARN or alias ARN.")
    source_folder: str = Field(
        "airflow", description="Folder inside the project (not the project root) holding requirements.txt, plugins.zip and startup.sh.")
    upload_dags: bool = Field(
        True, description="Upload `<sourceFolder>/dags` to the bucket; turn off when a CI job syncs DAGs.")
    execution_role_policy_statements: list[dict[str, Any]] = Field(
        default_factory=list, description="Extra IAM statements (Effect, Action or NotAction, Resource or NotResource, "
                                          "optional Sid and Condition) for the services DAGs drive (EMR, Athena, Glue, data buckets).")
    execution_role_managed_policy_arns: list[str] = Field(
        default_factory=list, description="Managed policies attached to the execution role.")
    security_group_egress: list[EgressRule] = Field(
        default_factory=list, description="Egress beyond the defaults (self and HTTPS), e.g. a peered database.")

    @field_validator("weekly_maintenance_window_start")
    @classmethod
    def _window(cls, value: str) -> str:
        if not MAINTENANCE_WINDOW.match(value):
            raise invalid("is not DAY:HH:MM with DAY one of MON..SUN, HH 00-23 and minutes 00 or 30",
                          "write it like SUN:03:00 or WED:22:30 (UTC)")
        return value

    @field_validator("log_levels")
    @classmethod
    def _levels(cls, value: dict[str, str]) -> dict[str, str]:
        refuse_unknown(value, LOG_TYPES, "log types")
        bad = {k: v for k, v in value.items() if v not in (*LOG_LEVELS, "DISABLED")}
        if bad:
            raise invalid(f"has levels MWAA does not know: {bad}", f"use one of {', '.join(LOG_LEVELS)} or DISABLED")
        return {**{t: "DISABLED" for t in LOG_TYPES}, **value}

    @field_validator("airflow_configuration_options", mode="before")
    @classmethod
    def _option_values_are_text(cls, value: Any) -> Any:
        # YAML reads `core.parallelism: 32` as a number and `true` as a boolean; MWAA takes strings only.
        unquoted = {k: v for k, v in value.items() if not isinstance(v, str)} if isinstance(value, dict) else {}
        if unquoted:
            raise invalid(f"has values that are not strings: {unquoted}",
                          "quote them in the stack file, e.g. core.parallelism: \"32\"")
        return value

    @field_validator("airflow_configuration_options")
    @classmethod
    def _options(cls, value: dict[str, str]) -> dict[str, str]:
        bad = [k for k in value if not AIRFLOW_OPTION.match(k) or len(k) > AIRFLOW_OPTION_MAX]
        if bad:
            raise invalid(f"has keys that are not `section.option` of at most {AIRFLOW_OPTION_MAX} characters: {bad}",
                          "write each key as section.option in lower case, e.g. core.default_timezone")
        reserved = {k: RESERVED_OPTIONS[k] for k in value if k in RESERVED_OPTIONS}
        if reserved:
            reasons = "; ".join(f"{k}: {why}" for k, why in reserved.items())
            raise invalid(f"sets options MWAA reserves and sets itself ({reasons})", f"remove {', '.join(reserved)}")
        unprintable = [k for k, v in value.items() if not AIRFLOW_OPTION_VALUE.match(v)]
        if unprintable:
            raise invalid(f"has values MWAA refuses (only printable ASCII, up to 65536 characters): {unprintable}",
                          "write the values in plain ASCII (no line breaks, tabs or accented letters)")
        return value

    @field_validator("execution_role_policy_statements")
    @classmethod
    def _statements(cls, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for index, statement in enumerate(value):
            problem = _statement_problem(statement)
            if problem:
                raise invalid(f"statement {index} {problem[0]}", problem[1])
        return value

    @field_validator("execution_role_managed_policy_arns")
    @classmethod
    def _managed(cls, value: list[str]) -> list[str]:
        bad = [arn for arn in value if not POLICY_ARN.match(arn)]
        if bad:
            raise invalid(f"has values that are not IAM policy ARNs: {bad}",
                          "use ARNs like arn:aws:iam::aws:policy/AmazonAthenaFullAccess")
        if any(arn.endswith(":policy/AdministratorAccess") for arn in value):
            raise invalid("attaches AdministratorAccess to the execution role", "attach a policy scoped to what your DAGs use")
        return value


_EXAMPLE_STATEMENT = ('{"Effect": "Allow", "Action": ["athena:StartQueryExecution"], '
                      '"Resource": ["arn:aws:athena:eu-west-1:123456789012:workgroup/primary"]}')


def _strings(value: Any) -> bool:
    """True for what IAM takes as Action, NotAction, Resource or NotResource: a string or a list of strings."""
    return (isinstance(value, str) and value != "") or (
        isinstance(value, list) and bool(value) and all(isinstance(v, str) and v != "" for v in value))


def _statement_problem(statement: dict[str, Any]) -> Optional[tuple[str, str]]:
    """(problem, fix) of one IAM statement of the execution role, or None when IAM would take it."""
    unknown = [k for k in statement if k not in STATEMENT_KEYS]
    if "Principal" in unknown or "NotPrincipal" in unknown:
        return ("names a Principal, which a role's own (identity-based) policy cannot have",
                "remove Principal: the statement applies to the execution role itself")
    if unknown:
        return (f"has keys IAM does not know: {unknown}{did_you_mean(unknown[0], STATEMENT_KEYS)}",
                f"use only {', '.join(STATEMENT_KEYS)}")
    if statement.get("Effect") not in ("Allow", "Deny"):
        return (f"has Effect {statement.get('Effect', '(missing)')!r}; it must be exactly Allow or Deny",
                "write Effect: Allow or Effect: Deny (capitalised as shown)")
    for key, negated in (("Action", "NotAction"), ("Resource", "NotResource")):
        if (key in statement) == (negated in statement):
            return (f"needs exactly one of {key} or {negated}", f"give {key} (or {negated}), e.g. {_EXAMPLE_STATEMENT}")
        name = key if key in statement else negated
        if not _strings(statement[name]):
            return (f"has a {name} that is not a string or a list of strings",
                    f"write {name} as a string or a list of strings, e.g. {_EXAMPLE_STATEMENT}")
    if "Condition" in statement and not (isinstance(statement["Condition"], dict) and statement["Condition"]
                                         and all(isinstance(v, dict) for v in statement["Condition"].values())):
        return ("has a Condition that is not a mapping of operators to mappings",
                'write it like Condition: {StringEquals: {"aws:RequestedRegion": "eu-west-1"}}')
    if "Sid" in statement and not (isinstance(statement["Sid"], str) and re.fullmatch(r"[A-Za-z0-9]*", statement["Sid"])):
        return (f"has Sid {statement['Sid']!r}; IAM takes only letters and digits", "write a Sid like AthenaQueries")
    actions = statement.get("Action", [])
    if statement["Effect"] == "Allow" and "*" in (actions if isinstance(actions, list) else [actions]):
        return ("allows every action (\"*\")", "list the actions your DAGs call, e.g. elasticmapreduce:AddJobFlowSteps")
    return None


def mwaa_checks(project: StackSettings, account: Optional[Account], project_root: Path) -> list[SettingError]:
    """MWAA settings that depend on each other, the network, the project folder or the account; MWAA only."""
    if project.platform != "mwaa":
        return []
    errors: list[SettingError] = []
    mwaa = project.mwaa

    def err(key: str, value: Any, problem: str, fix: str) -> None:
        errors.append(SettingError(project_key(f"mwaa.{key}"), value, problem, fix))

    if mwaa.min_workers > mwaa.max_workers:
        err("minWorkers", mwaa.min_workers, f"is above mwaa.maxWorkers ({mwaa.max_workers})", "make minWorkers at most maxWorkers")
    micro = mwaa.environment_class == "mw1.micro"
    for name in ("schedulers", "min_webservers", "max_webservers"):
        value, key = getattr(mwaa, name), to_camel(name)
        if micro and value != 1:
            err(key, value, "must be 1 on mw1.micro", f"set {key} to 1 or choose mw1.small or larger")
        if not micro and value < 2:
            err(key, value, f"must be 2 to 5 on {mwaa.environment_class}", f"set {key} to 2 or more")
    if mwaa.min_webservers > mwaa.max_webservers:
        err("minWebservers", mwaa.min_webservers, f"is above mwaa.maxWebservers ({mwaa.max_webservers})",
            "make minWebservers at most maxWebservers")
    if all(level == "DISABLED" for level in mwaa.log_levels.values()):
        err("logLevels", mwaa.log_levels, "disables every log type, leaving no way to see why tasks fail",
            "enable at least task logs, e.g. task: INFO")
    errors.extend(_egress_checks(project))
    errors.extend(_source_folder_checks(project, project_root))
    if account is not None:
        errors.extend(key_placement_errors(project_key("mwaa.kmsKey"), mwaa.kms_key, account, service="MWAA"))
    return errors


def _egress_checks(project: StackSettings) -> list[SettingError]:
    errors: list[SettingError] = []
    network = project.network
    for index, rule in enumerate(project.mwaa.security_group_egress):
        key, shown = project_key(f"mwaa.securityGroupEgress[{index}]"), rule.model_dump(by_alias=True, exclude_none=True)
        if (rule.cidr is None) == (rule.prefix_list_id is None):
            errors.append(SettingError(key, shown, "needs exactly one of cidr or prefixListId",
                                       "set cidr (e.g. 10.50.0.0/16) or prefixListId (pl-...)"))
        if rule.from_port > rule.to_port:
            errors.append(SettingError(key, shown, "has fromPort above toPort", "swap them"))
        if network.adopted or not rule.cidr:
            continue
        vpc, block = ipaddress.IPv4Network(network.cidr), ipaddress.IPv4Network(rule.cidr)
        if block.overlaps(vpc) and not block.subnet_of(vpc):
            errors.append(SettingError(f"{key}.cidr", rule.cidr, f"contains the whole VPC block {vpc}, so the rule opens "
                                       "these ports to everything in the VPC as well", "narrow it to the destination "
                                       "network only (e.g. the peered VPC's CIDR, which cannot overlap this VPC)"))
    return errors


def _source_folder_checks(project: StackSettings, project_root: Path) -> list[SettingError]:
    """The folder must be the project's own; seed 001: without a NAT path requirements must come from plugins.zip."""
    mwaa, network = project.mwaa, project.network
    key = project_key("mwaa.sourceFolder")
    problem = project_folder_problem(mwaa.source_folder, project_root)
    if problem:
        return [SettingError(key, mwaa.source_folder, *problem)]
    requirements = project_root / mwaa.source_folder / "requirements.txt"
    if network.adopted or network.nat_gateways != "none" or not requirements.is_file():
        return []
    lines = [ln.strip() for ln in requirements.read_text().splitlines() if ln.strip() and not ln.startswith("#")]
    packages = [ln for ln in lines if not ln.startswith("-")]
    build = "run `python -m airflow_aws.mwaa_requirements package STACK`, which builds plugins.zip with the wheels"
    if packages and not ({"--no-index"} <= set(lines) and any(ln.startswith("--find-links") for ln in lines)):
        return [SettingError(f"{key} (requirements.txt)", f"{mwaa.source_folder}/requirements.txt",
                             "installs packages from PyPI, but with network.natGateways=none MWAA has no internet",
                             f"{build} and begins requirements.txt with `--find-links /usr/local/airflow/plugins` "
                             "and `--no-index`, or add a NAT gateway")]
    uncovered = uncovered_requirements(requirements.parent, installed_names(airflow_version(mwaa.airflow_version)))
    if uncovered:
        return [SettingError(f"{key} (plugins.zip)", f"{mwaa.source_folder}/plugins.zip",
                             f"carries no wheel for {', '.join(uncovered)}, which MWAA's image does not have either",
                             f"{build} again after changing requirements.txt")]
    return []

"""A stack's configuration, read once and turned into typed, validated settings.

Every value a stack file can hold is declared here, with its type, default and description;
`Pulumi.yaml` and the README's settings reference are generated from these models
(`python -m program.settings --pulumi-yaml` / `--markdown`) and tests keep them in step.

Invalid configuration stops the program with one `pulumi.RunError` that lists every problem
found (key, bad value, what is allowed, how to fix it) before any resource is registered.
"""

from __future__ import annotations

import difflib
import ipaddress
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, Optional

import pulumi
from airflow_aws.airflow_settings import fargate_memory_choices
from airflow_aws.endpoint_set import SERVICES as ENDPOINT_SERVICES
from airflow_aws.naming import AIRFLOW_UI_ROLES
from airflow_aws.private_access_alb import DEFAULT_TLS_POLICY
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

PROJECT = "airflow-aws"
REPOSITORY_ROOT = Path(__file__).resolve().parent.parent

# Facts from the MWAA API model (../shared/reference/mwaa.md); update when MWAA adds versions.
AIRFLOW_VERSIONS = ("2.7.2", "2.8.1", "2.9.2", "2.10.1", "2.10.3", "2.11.0", "3.0.6")
ENVIRONMENT_CLASSES = ("mw1.micro", "mw1.small", "mw1.medium", "mw1.large", "mw1.xlarge", "mw1.2xlarge")
LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")
LOG_TYPES = ("dagProcessing", "scheduler", "task", "webserver", "worker")
# CloudWatch Logs accepts only these retention periods (PutRetentionPolicy).
LOG_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096,
                      1827, 2192, 2557, 2922, 3288, 3653)
MAX_WORKERS_LIMIT = 25
MAINTENANCE_WINDOW = re.compile(r"^(MON|TUE|WED|THU|FRI|SAT|SUN):([01]\d|2[0-3]):(00|30)$")
ENVIRONMENT_NAME = re.compile(r"^[a-zA-Z][0-9a-zA-Z_-]{0,79}$")
ACCOUNT_ID = re.compile(r"^\d{12}$")
ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::(\d{12}):role/[\w+=,.@/-]+$")
KMS_KEY_ARN = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/[0-9a-f-]{36}$")
POLICY_ARN = re.compile(r"^arn:aws[a-z-]*:iam::(aws|\d{12}):policy/[\w+=,.@/-]+$")
AIRFLOW_OPTION = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")


class SettingsModel(BaseModel):
    """Base of every settings group: camelCase keys as in the stack files, unknown keys refused."""

    model_config = ConfigDict(extra="forbid", alias_generator=to_camel, frozen=True, populate_by_name=True)


def _invalid(problem: str, fix: str) -> PydanticCustomError:
    return PydanticCustomError("setting", "{problem}", {"problem": problem, "fix": fix})


def _cidr(value: str, *, fix: str) -> ipaddress.IPv4Network:
    try:
        return ipaddress.IPv4Network(value, strict=True)
    except ValueError as error:
        raise _invalid(f"is not a valid IPv4 CIDR block ({error})", fix) from None


def _cloudwatch_retention(value: int) -> int:
    if value not in LOG_RETENTION_DAYS:
        raise _invalid("is not a retention period CloudWatch Logs accepts",
                       f"choose one of {', '.join(map(str, LOG_RETENTION_DAYS))}")
    return value


# Days CloudWatch Logs keeps a log group: only the periods PutRetentionPolicy accepts.
LogRetentionDays = Annotated[int, AfterValidator(_cloudwatch_retention)]


def _encryption_key(default: str) -> AfterValidator:
    """A key setting: the service's own key (`default`), `create` one here, or an existing key ARN."""
    def check(value: str) -> str:
        if value not in (default, "create") and not KMS_KEY_ARN.match(value):
            raise _invalid(f"is neither `{default}`, `create` nor a KMS key ARN",
                           f"use {default}, create, or arn:aws:kms:REGION:ACCOUNT:key/KEY-ID")
        return value
    return AfterValidator(check)


# --- network -----------------------------------------------------------------------------

class EgressRule(SettingsModel):
    """An extra egress rule for the Airflow security group (for example a peered database)."""

    description: str = Field(description="Why the rule exists; shown in the AWS console.")
    protocol: Literal["tcp", "udp", "-1"] = Field("tcp", description="IP protocol; -1 means all.")
    from_port: int = Field(ge=0, le=65535, description="First port of the range.")
    to_port: int = Field(ge=0, le=65535, description="Last port of the range.")
    cidr: Optional[str] = Field(None, description="Destination IPv4 CIDR block.")
    prefix_list_id: Optional[str] = Field(None, description="Destination managed prefix list (pl-...).")

    @field_validator("cidr")
    @classmethod
    def _valid_cidr(cls, value: Optional[str]) -> Optional[str]:
        if value is not None:
            _cidr(value, fix="use a network address such as 10.50.0.0/16 (host bits zero)")
        return value


class NetworkSettings(SettingsModel):
    """Where the environment runs: a VPC this stack creates, or an existing VPC and subnets."""

    vpc_id: Optional[str] = Field(
        None, description="Adopt this existing VPC instead of creating one; needs `subnetIds`.")
    subnet_ids: Optional[list[str]] = Field(
        None, description="With `vpcId`: two private subnets of that VPC in two Availability Zones, owned by this account.")
    cidr: str = Field("10.20.0.0/16", description="CIDR block of the VPC this stack creates (/16 to /24).")
    private_subnet_cidrs: Optional[list[str]] = Field(
        None, description="CIDRs of the two private subnets; default: the first two quarters of `cidr`.")
    public_subnet_cidrs: Optional[list[str]] = Field(
        None, description="CIDRs of the public subnets holding NAT gateways; default: the last two quarters of `cidr`.")
    nat_gateways: Literal["none", "single", "perZone"] = Field(
        "single", description="NAT gateways of a created VPC: none (endpoints only), one shared, or one per zone.")

    @field_validator("cidr")
    @classmethod
    def _vpc_cidr(cls, value: str) -> str:
        block = _cidr(value, fix="use a network address such as 10.20.0.0/16 (host bits zero)")
        if not 16 <= block.prefixlen <= 24:
            raise _invalid(f"has prefix /{block.prefixlen}; a VPC takes /16 to /24 here",
                           "use a /16 to /24 block, e.g. 10.20.0.0/16")
        return value

    @field_validator("private_subnet_cidrs", "public_subnet_cidrs")
    @classmethod
    def _subnet_cidrs(cls, value: Optional[list[str]]) -> Optional[list[str]]:
        for text in value or []:
            block = _cidr(text, fix="use network addresses such as 10.20.0.0/18 (host bits zero)")
            if not 16 <= block.prefixlen <= 28:
                raise _invalid(f"has {text}; AWS subnets take /16 to /28", "use blocks such as 10.20.0.0/18")
        if value is not None and len(value) != 2:
            raise _invalid("must list exactly two CIDRs, one per Availability Zone", "give two CIDRs inside network.cidr")
        return value


# --- MWAA --------------------------------------------------------------------------------

class MwaaSettings(SettingsModel):
    """The Amazon MWAA environment: sizing, Airflow, logging, encryption, access and IAM."""

    airflow_version: Literal[AIRFLOW_VERSIONS] = Field("2.10.3", description="Airflow version MWAA runs.")
    environment_class: Literal[ENVIRONMENT_CLASSES] = Field("mw1.small", description="Size of scheduler, web server and worker containers.")
    min_workers: int = Field(1, ge=1, le=MAX_WORKERS_LIMIT, description="Workers always running.")
    max_workers: int = Field(10, ge=1, le=MAX_WORKERS_LIMIT, description="Upper bound of worker autoscaling.")
    schedulers: int = Field(2, ge=1, le=5, description="Schedulers: 2 to 5, exactly 1 on mw1.micro.")
    min_webservers: int = Field(2, ge=1, le=5, description="Web servers always running: 2 to 5, exactly 1 on mw1.micro.")
    max_webservers: int = Field(2, ge=1, le=5, description="Upper bound of web server autoscaling: 2 to 5, exactly 1 on mw1.micro.")
    weekly_maintenance_window_start: str = Field("SUN:03:00", description="Start of the weekly maintenance window, DAY:HH:MM (UTC, minutes 00 or 30).")
    webserver_access_mode: Literal["PRIVATE_ONLY", "PUBLIC_ONLY", "PUBLIC_AND_PRIVATE"] = Field(
        "PRIVATE_ONLY", description="Who can reach the Airflow UI: only from the VPC, or also from the internet.")
    endpoint_management: Literal["SERVICE", "CUSTOMER"] = Field(
        "SERVICE", description="SERVICE: MWAA creates its VPC endpoints; CUSTOMER: this stack creates them.")
    worker_replacement_strategy: Optional[Literal["FORCED", "GRACEFUL"]] = Field(
        None, description="How workers are replaced on update; unset keeps the MWAA default.")
    airflow_configuration_options: dict[str, str] = Field(
        default_factory=dict, description="Airflow settings as `section.key: value` (for example `core.default_timezone`).")
    log_levels: dict[str, str] = Field(
        default_factory=lambda: {"dagProcessing": "WARNING", "scheduler": "WARNING", "task": "INFO",
                                 "webserver": "WARNING", "worker": "WARNING"},
        description="Log level per log type (dagProcessing, scheduler, task, webserver, worker); DISABLED turns a type off.")
    log_retention_days: LogRetentionDays = Field(30, description="Days CloudWatch keeps the Airflow logs.")
    kms_key: Annotated[str, _encryption_key("aws-owned")] = Field(
        "aws-owned", description="Encryption key: `aws-owned`, `create` (a customer managed key made here) or an existing key ARN.")
    source_folder: str = Field(
        "airflow", description="Folder (relative to the project) holding requirements.txt, plugins.zip and startup.sh.")
    upload_dags: bool = Field(
        True, description="Upload `<sourceFolder>/dags` to the bucket; turn off when a CI job syncs DAGs.")
    execution_role_policy_statements: list[dict[str, Any]] = Field(
        default_factory=list, description="Extra IAM statements for the services DAGs drive (EMR, Athena, Glue, data buckets).")
    execution_role_managed_policy_arns: list[str] = Field(
        default_factory=list, description="Managed policies attached to the execution role.")
    security_group_egress: list[EgressRule] = Field(
        default_factory=list, description="Egress beyond the defaults (self and HTTPS), e.g. a peered database.")

    @field_validator("weekly_maintenance_window_start")
    @classmethod
    def _window(cls, value: str) -> str:
        if not MAINTENANCE_WINDOW.match(value):
            raise _invalid("is not DAY:HH:MM with DAY one of MON..SUN, HH 00-23 and minutes 00 or 30",
                           "write it like SUN:03:00 or WED:22:30 (UTC)")
        return value

    @field_validator("log_levels")
    @classmethod
    def _levels(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(LOG_TYPES))
        if unknown:
            raise _invalid(f"names unknown log types {unknown}{_did_you_mean(unknown[0], LOG_TYPES)}",
                           f"use only {', '.join(LOG_TYPES)}")
        bad = {k: v for k, v in value.items() if v not in (*LOG_LEVELS, "DISABLED")}
        if bad:
            raise _invalid(f"has levels MWAA does not know: {bad}",
                           f"use one of {', '.join(LOG_LEVELS)} or DISABLED")
        return {**{t: "DISABLED" for t in LOG_TYPES}, **value}

    @field_validator("airflow_configuration_options")
    @classmethod
    def _options(cls, value: dict[str, str]) -> dict[str, str]:
        bad = [k for k in value if not AIRFLOW_OPTION.match(k)]
        if bad:
            raise _invalid(f"has keys that are not `section.option`: {bad}",
                           "write each key as section.option in lower case, e.g. core.default_timezone")
        return value

    @field_validator("execution_role_policy_statements")
    @classmethod
    def _statements(cls, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for index, statement in enumerate(value):
            missing = [k for k in ("Effect", "Action", "Resource") if k not in statement]
            if missing or statement.get("Effect") not in ("Allow", "Deny"):
                raise _invalid(f"statement {index} lacks {missing or ['a valid Effect']}",
                               'give every statement Effect (Allow|Deny), Action and Resource, e.g. '
                               '{"Effect": "Allow", "Action": ["athena:StartQueryExecution"], "Resource": ["arn:..."]}')
            if statement["Effect"] == "Allow" and "*" in _as_list(statement["Action"]):
                raise _invalid(f"statement {index} allows every action (\"*\")",
                               "list the actions your DAGs call, e.g. elasticmapreduce:AddJobFlowSteps")
        return value

    @field_validator("execution_role_managed_policy_arns")
    @classmethod
    def _managed(cls, value: list[str]) -> list[str]:
        bad = [arn for arn in value if not POLICY_ARN.match(arn)]
        if bad:
            raise _invalid(f"has values that are not IAM policy ARNs: {bad}",
                           "use ARNs like arn:aws:iam::aws:policy/AmazonAthenaFullAccess")
        if any(arn.endswith(":policy/AdministratorAccess") for arn in value):
            raise _invalid("attaches AdministratorAccess to the execution role",
                           "attach a policy scoped to what your DAGs use")
        return value


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


# --- Fargate (self-managed Airflow 3) ---------------------------------------------------------

PLATFORMS = ("mwaa", "fargate")
FARGATE_PROCESSES = {"apiServer": "api-server", "scheduler": "scheduler", "dagProcessor": "dag-processor",
                     "triggerer": "triggerer", "worker": "worker", "flower": "flower", "migrate": "migrate"}
# A repository reference: optional registry host (with port), then path components (Docker's grammar).
IMAGE = re.compile(r"^([a-z0-9.-]+(:\d+)?/)?[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*$")


class FargateTaskSize(SettingsModel):
    """CPU and memory of one process's task."""

    cpu: int = Field(description="CPU units (1024 = 1 vCPU): 256, 512, 1024, 2048, 4096, 8192 or 16384.")
    memory: int = Field(description="Memory in MiB, one Fargate allows with that CPU.")


class FargateDatabaseSettings(SettingsModel):
    """The Aurora Serverless v2 PostgreSQL metadata database."""

    engine_version: str = Field("16.6", description="Aurora PostgreSQL version.")
    min_capacity: float = Field(0.5, ge=0.5, le=256, description="Minimum Aurora capacity units (ACU), in steps of 0.5.")
    max_capacity: float = Field(4, ge=1, le=256, description="Maximum Aurora capacity units (ACU), in steps of 0.5.")
    instances: int = Field(1, ge=1, le=3, description="Instances: 1 writer, more add readers in other zones for failover.")
    backup_retention_days: int = Field(7, ge=1, le=35, description="Days automated backups are kept.")

    @field_validator("min_capacity", "max_capacity")
    @classmethod
    def _half_steps(cls, value: float) -> float:
        if (value * 2) != int(value * 2):
            raise _invalid("is not a multiple of 0.5", "use a capacity like 0.5, 1, 1.5 or 4")
        return value


class FargateBrokerSettings(SettingsModel):
    """The ElastiCache Celery broker (TLS and an AUTH token always on)."""

    engine: Literal["valkey", "redis"] = Field("valkey", description="Cache engine.")
    engine_version: Optional[str] = Field(None, description="Engine version; default 8.0 for valkey, 7.1 for redis.")
    node_type: str = Field("cache.t4g.micro", description="Node type.")
    nodes: int = Field(1, ge=1, le=6, description="Nodes; 2 or more add replicas with automatic Multi-AZ failover.")

    @field_validator("node_type")
    @classmethod
    def _node_type(cls, value: str) -> str:
        if not re.match(r"^cache\.[a-z0-9]+\.[a-z0-9]+$", value):
            raise _invalid("is not an ElastiCache node type", "use a type like cache.t4g.micro or cache.m7g.large")
        return value


class FargateSettings(SettingsModel):
    """Self-managed Airflow 3 on ECS Fargate (platform fargate): processes, sizes, database, broker."""

    image: str = Field("apache/airflow", description="Airflow image repository (Docker Hub, ECR or another registry).")
    image_tag: str = Field("3.0.6", description="Image tag; an Airflow 3 release such as 3.0.6 or 3.0.6-python3.12.")
    cpu_architecture: Literal["X86_64", "ARM64"] = Field("X86_64", description="CPU architecture of the tasks (ARM64 costs about 20% less).")
    api_servers: int = Field(1, ge=1, le=10, description="api-server tasks (UI and REST and execution API).")
    api_workers: Optional[int] = Field(
        None, ge=1, description="Uvicorn workers per api-server task (`[api] workers`); default: one per vCPU of the apiServer task size.")
    schedulers: int = Field(1, ge=1, le=10, description="Scheduler tasks.")
    triggerers: int = Field(1, ge=1, le=10, description="Triggerer tasks.")
    min_workers: int = Field(1, ge=1, le=100, description="Celery workers always running.")
    max_workers: int = Field(10, ge=1, le=100, description="Upper bound of worker autoscaling on queue depth.")
    worker_concurrency: int = Field(16, ge=1, le=256, description="Tasks one worker runs at once.")
    flower: bool = Field(False, description="Run Flower (Celery monitoring) with basic auth, reachable from the VPC.")
    task_sizes: dict[str, FargateTaskSize] = Field(
        default_factory=dict, description=f"CPU and memory per process ({', '.join(FARGATE_PROCESSES)}); others keep their defaults.")
    database: FargateDatabaseSettings = Field(default_factory=FargateDatabaseSettings, description="The metadata database.")
    broker: FargateBrokerSettings = Field(default_factory=FargateBrokerSettings, description="The Celery broker.")
    log_retention_days: LogRetentionDays = Field(30, description="Days CloudWatch keeps the process logs.")
    task_log_retention_days: int = Field(90, ge=1, le=3650, description="Days task logs stay in the bucket.")
    kms_key: Annotated[str, _encryption_key("aws-managed")] = Field(
        "aws-managed", description="Encryption key: `aws-managed`, `create` (a customer managed key made here) or an existing key ARN.")
    upload_dags: bool = Field(True, description="Upload `dagsFolder` to the bucket on deployment; turn off when a CI job syncs DAGs.")
    dags_folder: str = Field("airflow/dags", description="Folder (relative to the project) uploaded to s3://bucket/dags.")
    dag_sync_interval_seconds: int = Field(30, ge=10, le=3600, description="How often DAG parsers pull the DAG folder from the bucket.")
    metrics_agent_image: str = Field(
        "public.ecr.aws/cloudwatch-agent/cloudwatch-agent:latest",
        description="CloudWatch agent image (StatsD sidecar of the scheduler, feeds worker autoscaling).")

    @field_validator("image", "metrics_agent_image")
    @classmethod
    def _image(cls, value: str, info) -> str:
        repository, _, tag = value.rpartition(":") if ":" in value.rsplit("/", 1)[-1] else (value, "", "")
        tagged = info.field_name == "metrics_agent_image"
        if not IMAGE.match(repository) or (tagged and not re.match(r"^[\w][\w.-]{0,127}$", tag)) or (tag and not tagged):
            example = ("public.ecr.aws/cloudwatch-agent/cloudwatch-agent:1.300049.1" if tagged else
                       "apache/airflow or 123456789012.dkr.ecr.eu-west-1.amazonaws.com/airflow (the tag goes in imageTag)")
            raise _invalid("is not an image reference" + (" with a tag" if tagged else " without a tag"),
                           f"use one like {example}")
        return value

    @field_validator("image_tag")
    @classmethod
    def _airflow_3(cls, value: str) -> str:
        if not re.match(r"^3\.\d+\.\d+([\w.-]*)$", value):
            raise _invalid("is not an Airflow 3 image tag", "use a tag like 3.0.6 or 3.0.6-python3.12 (Airflow 2 runs on MWAA)")
        return value

    @field_validator("task_sizes")
    @classmethod
    def _sizes(cls, value: dict[str, FargateTaskSize]) -> dict[str, FargateTaskSize]:
        unknown = sorted(set(value) - set(FARGATE_PROCESSES))
        if unknown:
            raise _invalid(f"names unknown processes {unknown}{_did_you_mean(unknown[0], FARGATE_PROCESSES)}",
                           f"use only {', '.join(FARGATE_PROCESSES)}")
        for process, size in value.items():
            choices = fargate_memory_choices(size.cpu)
            if size.memory not in choices:
                raise _invalid(f"gives {process} {size.cpu} CPU and {size.memory} MiB, a size Fargate does not offer",
                               f"with {size.cpu} CPU use memory {choices}" if choices else
                               "use cpu 256, 512, 1024, 2048, 4096, 8192 or 16384")
        return value


def _fargate_checks(project: StackSettings, explicitly_set: set[str]) -> list[SettingError]:
    """Fargate settings that depend on each other or on the network; silent unless the platform is fargate."""
    errors: list[SettingError] = []
    fargate, network = project.fargate, project.network

    def err(key: str, value: Any, problem: str, fix: str) -> None:
        errors.append(SettingError(f"{PROJECT}:{key}", value, problem, fix))

    if project.platform != "fargate":
        if explicitly_set:
            err("fargate", sorted(to_camel(k) for k in explicitly_set), "is set, but platform is mwaa: it would be ignored",
                "set platform: fargate, or remove the fargate settings")
        return errors
    if fargate.min_workers > fargate.max_workers:
        err("fargate.minWorkers", fargate.min_workers, f"is above fargate.maxWorkers ({fargate.max_workers})",
            "make minWorkers at most maxWorkers")
    if fargate.database.min_capacity > fargate.database.max_capacity:
        err("fargate.database.minCapacity", fargate.database.min_capacity,
            f"is above fargate.database.maxCapacity ({fargate.database.max_capacity})", "make minCapacity at most maxCapacity")
    if network.vpc_id is None and network.nat_gateways == "none":
        err("network.natGateways", "none", "leaves the Fargate tasks no way to pull public images or reach Secrets "
            "Manager and ECS (the endpoints setting covers only what MWAA needs)", "use single or perZone")
    if fargate.upload_dags and not (REPOSITORY_ROOT / fargate.dags_folder).is_dir():
        err("fargate.dagsFolder", fargate.dags_folder, f"is not a folder ({REPOSITORY_ROOT / fargate.dags_folder})",
            "create it, point dagsFolder at your DAGs, or set uploadDags: false")
    return errors


# --- private access: endpoints and the load balancer -----------------------------------------

SECRET_ARN = re.compile(r"^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+$")
CERTIFICATE_ARN = re.compile(r"^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[0-9a-f-]{36}$")
HOSTED_ZONE_ID = re.compile(r"^Z[0-9A-Z]{1,31}$")
HOST_NAME = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
PREFIX_LIST_ID = re.compile(r"^pl-[0-9a-f]{8,17}$")
SUBNET_ID = re.compile(r"^subnet-[0-9a-f]{8,17}$")


def _ingress_cidrs(value: list[str]) -> list[str]:
    for text in value:
        block = _cidr(text, fix="use a network address such as 10.0.0.0/8 (host bits zero)")
        if block.prefixlen == 0:
            raise _invalid("admits the whole internet (0.0.0.0/0)", "list the networks your users come from")
    return value


class EndpointSettings(SettingsModel):
    """VPC endpoints for MWAA without internet (EndpointSet)."""

    enabled: bool = Field(
        False, description="Create the VPC endpoints MWAA needs without internet; with mwaa.endpointManagement "
                           "CUSTOMER also the environment's webserver and database endpoints.")
    skip_services: list[str] = Field(
        default_factory=list, description="Services whose endpoints already exist in the VPC (e.g. managed centrally); "
                                          f"any of {', '.join(ENDPOINT_SERVICES)}.")
    private_dns: bool = Field(
        True, description="Private DNS on the AWS service endpoints (MWAA without internet needs it); it answers for "
                          "the service's name in the whole VPC.")
    allowed_cidrs: list[str] = Field(
        default_factory=list, description="Other workloads of the VPC admitted on 443 to the endpoints; by default "
                                          "only the Airflow environment's security group is.")
    assume_role_arn: Optional[str] = Field(
        None, description="Create the endpoints with this IAM role (same account) when the deploying role may not.")

    @field_validator("skip_services")
    @classmethod
    def _known_services(cls, value: list[str]) -> list[str]:
        unknown = [s for s in value if s not in ENDPOINT_SERVICES]
        if unknown:
            raise _invalid(f"names services without an MWAA endpoint: {unknown}{_did_you_mean(unknown[0], ENDPOINT_SERVICES)}",
                           f"use only {', '.join(ENDPOINT_SERVICES)}")
        return value

    @field_validator("allowed_cidrs")
    @classmethod
    def _cidrs(cls, value: list[str]) -> list[str]:
        return _ingress_cidrs(value)

    @field_validator("assume_role_arn")
    @classmethod
    def _role(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and not ROLE_ARN.match(value):
            raise _invalid("is not an IAM role ARN", "use arn:aws:iam::ACCOUNT:role/NAME")
        return value


class OidcSettings(SettingsModel):
    """An OpenID Connect identity provider the load balancer signs users in with."""

    issuer: str = Field(description="Issuer identifier (https://...).")
    authorization_endpoint: str = Field(description="Authorization endpoint (https://...).")
    token_endpoint: str = Field(description="Token endpoint (https://...).")
    user_info_endpoint: str = Field(description="User info endpoint (https://...).")
    client_id: str = Field(description="Client ID registered for the load balancer.")
    client_secret_arn: str = Field(
        description="Secrets Manager secret holding the client secret as plain text; the secret never enters the stack files.")
    scope: str = Field("openid email profile", description="Scopes requested; add the one that releases the groups claim if your IdP needs it.")

    @field_validator("issuer", "authorization_endpoint", "token_endpoint", "user_info_endpoint")
    @classmethod
    def _https(cls, value: str) -> str:
        if not re.match(r"^https://[^\s/]+(/\S*)?$", value):
            raise _invalid("is not an https:// URL", "copy it from your IdP's /.well-known/openid-configuration")
        return value

    @field_validator("client_secret_arn")
    @classmethod
    def _secret(cls, value: str) -> str:
        if not SECRET_ARN.match(value):
            raise _invalid("is not a Secrets Manager secret ARN",
                           "store the client secret in Secrets Manager and give its ARN "
                           "(arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME)")
        return value


class CognitoSettings(SettingsModel):
    """An Amazon Cognito user pool the load balancer signs users in with."""

    user_pool_arn: str = Field(description="ARN of the user pool.")
    user_pool_client_id: str = Field(description="App client (with a secret) of the pool for the load balancer.")
    user_pool_domain: str = Field(description="Domain prefix of the pool's hosted UI.")


class PrivateAccessSettings(SettingsModel):
    """The load balancer that makes the private web server reachable, and sign-in (PrivateAccessAlb)."""

    enabled: bool = Field(False, description="Put an HTTPS load balancer with sign-in in front of the private web server.")
    host_name: Optional[str] = Field(None, description="Host name users open, e.g. airflow.example.com.")
    route53_zone_id: Optional[str] = Field(None, description="Route 53 zone that gets the alias record for hostName.")
    certificate_arn: Optional[str] = Field(None, description="ACM certificate for hostName; default: one requested and validated by DNS.")
    certificate_validation_zone_id: Optional[str] = Field(
        None, description="Public zone for the certificate's validation record; default: route53ZoneId (must then be public).")
    internet_facing: bool = Field(False, description="Internet-facing instead of internal; needs subnetIds of public subnets.")
    subnet_ids: Optional[list[str]] = Field(None, description="Subnets of the load balancer; default: the environment's private subnets.")
    allowed_cidrs: list[str] = Field(default_factory=list, description="Networks admitted to the load balancer on 443 (and 80, which redirects).")
    allowed_prefix_list_ids: list[str] = Field(default_factory=list, description="Managed prefix lists admitted like allowedCidrs.")
    tls_policy: str = Field(DEFAULT_TLS_POLICY, description="Security policy of the HTTPS listener (a TLS 1.3 policy).")
    sign_in: Literal["oidc", "cognito"] = Field("oidc", description="How the listener signs users in.")
    oidc: Optional[OidcSettings] = Field(None, description="The OIDC identity provider (signIn oidc).")
    cognito: Optional[CognitoSettings] = Field(None, description="The Cognito user pool (signIn cognito).")
    session_timeout_seconds: int = Field(28800, ge=60, le=604800, description="Lifetime of a sign-in session.")
    identity_provider_cidrs: list[str] = Field(
        default_factory=lambda: ["0.0.0.0/0"],
        description="Where the load balancer may reach the IdP's token and user info endpoints on 443; the default "
                    "(any address) needs a NAT gateway, an IdP inside your network can be listed by CIDR instead.")
    groups_claim: str = Field("groups", description="Claim of the IdP token that lists the user's groups.")
    group_role_mapping: dict[str, str] = Field(
        default_factory=dict, description="IdP group -> Airflow role (Admin, Op, User, Viewer); users in no listed group are refused.")
    access_log_retention_days: int = Field(90, ge=1, le=3650, description="Days the load balancer's access logs are kept.")

    @field_validator("host_name")
    @classmethod
    def _host(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and not HOST_NAME.match(value):
            raise _invalid("is not a fully qualified lower-case host name", "write it like airflow.example.com")
        return value

    @field_validator("route53_zone_id", "certificate_validation_zone_id")
    @classmethod
    def _zone(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and not HOSTED_ZONE_ID.match(value):
            raise _invalid("is not a Route 53 hosted zone ID", "use the ID shown in Route 53, e.g. Z0123456789ABCDEFGHIJ")
        return value

    @field_validator("certificate_arn")
    @classmethod
    def _certificate(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and not CERTIFICATE_ARN.match(value):
            raise _invalid("is not an ACM certificate ARN", "use arn:aws:acm:REGION:ACCOUNT:certificate/ID")
        return value

    @field_validator("subnet_ids")
    @classmethod
    def _subnets(cls, value: Optional[list[str]]) -> Optional[list[str]]:
        bad = [s for s in value or [] if not SUBNET_ID.match(s)]
        if bad:
            raise _invalid(f"has values that are not subnet IDs: {bad}", "use IDs like subnet-0abc12345def67890")
        if value is not None and len(set(value)) < 2:
            raise _invalid("must list at least two subnets in two Availability Zones", "add a subnet of another zone")
        return value

    @field_validator("allowed_cidrs")
    @classmethod
    def _cidrs(cls, value: list[str]) -> list[str]:
        return _ingress_cidrs(value)

    @field_validator("identity_provider_cidrs")
    @classmethod
    def _idp_cidrs(cls, value: list[str]) -> list[str]:
        for text in value:
            _cidr(text, fix="use a network address such as 10.60.0.0/24, or 0.0.0.0/0 for an IdP on the internet")
        if not value:
            raise _invalid("leaves the load balancer no way to the identity provider",
                           "list where the IdP's token and user info endpoints are, or keep the default 0.0.0.0/0")
        return value

    @field_validator("allowed_prefix_list_ids")
    @classmethod
    def _prefix_lists(cls, value: list[str]) -> list[str]:
        bad = [p for p in value if not PREFIX_LIST_ID.match(p)]
        if bad:
            raise _invalid(f"has values that are not prefix list IDs: {bad}", "use IDs like pl-0123456789abcdef0")
        return value

    @field_validator("tls_policy")
    @classmethod
    def _tls(cls, value: str) -> str:
        if not value.startswith("ELBSecurityPolicy-TLS13-"):
            raise _invalid("is not a TLS 1.3 security policy", f"use {DEFAULT_TLS_POLICY} or another ELBSecurityPolicy-TLS13-* policy")
        return value

    @field_validator("group_role_mapping")
    @classmethod
    def _roles(cls, value: dict[str, str]) -> dict[str, str]:
        bad = {group: role for group, role in value.items() if role not in AIRFLOW_UI_ROLES}
        if bad:
            raise _invalid(f"maps groups to roles that are not Airflow UI roles: {bad}",
                           f"map each group to one of {', '.join(AIRFLOW_UI_ROLES)}")
        return value


# --- monitoring: dashboard, alarms, worker metric --------------------------------------------

SNS_TOPIC_ARN = re.compile(r"^arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12}):[\w-]{1,256}$")
# CloudWatch evaluates an alarm over at most one day; these alarms use one-minute periods.
MAX_ALARM_MINUTES = 1440


def _alarm_minutes(default: int, condition: str) -> Any:
    return Field(default, ge=1, le=MAX_ALARM_MINUTES,
                 description=f"Alarm when {condition} for this many minutes in a row (1 to {MAX_ALARM_MINUTES}).")


class MonitoringSettings(SettingsModel):
    """The dashboard, the alarms and (on MWAA) the per-minute worker count (AirflowMonitoring)."""

    dashboard: bool = Field(True, description="Create the environment's CloudWatch dashboard.")
    alarm_topic_arn: Optional[str] = Field(
        None, description="Send alarms to this existing SNS topic (in the stack's Region); unset creates the topic "
                          "`<environmentName>-alarms`.")
    scheduler_heartbeat_missing_minutes: int = _alarm_minutes(5, "the scheduler sends no heartbeat")
    tasks_queued_without_progress_minutes: int = _alarm_minutes(15, "tasks are queued while none runs")
    workers_at_maximum_minutes: int = _alarm_minutes(30, "the workers stay at their maximum")
    worker_metric_failing_minutes: int = _alarm_minutes(5, "every run of the worker metric function fails (MWAA)")
    worker_metric_every_minutes: int = Field(
        1, ge=1, le=5, description="How often the worker metric function runs (MWAA); each run also fills minutes "
                                   "a failed or late run left.")

    @field_validator("alarm_topic_arn")
    @classmethod
    def _topic(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and not SNS_TOPIC_ARN.match(value):
            raise _invalid("is not an SNS topic ARN", "use an ARN like arn:aws:sns:eu-west-1:123456789012:airflow-alarms")
        return value


def _monitoring_checks(monitoring: MonitoringSettings, account: Account) -> list[SettingError]:
    """CloudWatch alarms can only notify a topic in their own Region."""
    match = SNS_TOPIC_ARN.match(monitoring.alarm_topic_arn or "")
    if match and match.group(1) != account.region:
        return [SettingError(f"{PROJECT}:monitoring.alarmTopicArn", monitoring.alarm_topic_arn,
                             f"is in {match.group(1)}, but alarms of this stack live in {account.region} and can only "
                             "notify a topic of their own Region",
                             f"use a topic in {account.region}, or unset it to create one")]
    return []


# --- the stack ---------------------------------------------------------------------------

class StackSettings(SettingsModel):
    """All of a stack's project settings (keys under `airflow-aws:`)."""

    environment_name: str = Field(
        "airflow", description="Name of the Airflow environment; letters, digits, - and _, starting with a letter, at most 80.")
    protect: bool = Field(
        False, description="Protect stateful resources (bucket, key, log groups) from deletion; true in production.")
    tags: dict[str, str] = Field(default_factory=dict, description="Tags on every resource that takes tags.")
    network: NetworkSettings = Field(default_factory=NetworkSettings, description="The network; see the network table.")
    mwaa: MwaaSettings = Field(default_factory=MwaaSettings, description="The MWAA environment; see the mwaa table.")
    endpoints: EndpointSettings = Field(default_factory=EndpointSettings, description="VPC endpoints for MWAA without internet; see the endpoints table.")
    private_access: PrivateAccessSettings = Field(
        default_factory=PrivateAccessSettings, description="Load balancer and sign-in for the private web server; see the privateAccess table.")
    # A plain string (checked below), so Pulumi.yaml can declare it as `type: string`.
    platform: str = Field(
        "mwaa", description="What runs Airflow: `mwaa` (Amazon MWAA) or `fargate` (self-managed Airflow 3 on ECS Fargate, see the fargate table).")
    fargate: FargateSettings = Field(default_factory=FargateSettings, description="Airflow 3 on ECS Fargate (platform fargate); see the fargate table.")
    monitoring: MonitoringSettings = Field(
        default_factory=MonitoringSettings, description="Dashboard, alarms and the MWAA worker count; see the monitoring table.")

    @field_validator("platform")
    @classmethod
    def _platform(cls, value: str) -> str:
        if value not in PLATFORMS:
            raise _invalid(f"is not a platform{_did_you_mean(value, PLATFORMS)}", f"use one of {', '.join(PLATFORMS)}")
        return value

    @field_validator("environment_name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not ENVIRONMENT_NAME.match(value):
            raise _invalid("is not a valid MWAA environment name (a letter, then letters, digits, - or _, 80 at most)",
                           "choose a name like data-platform or airflow_prod")
        return value


@dataclass(frozen=True)
class Account:
    """The AWS account and Region a stack is pinned to (`aws:` provider keys)."""

    region: str
    allowed_account_ids: tuple[str, ...]
    assume_role_arn: Optional[str]

    @property
    def account_id(self) -> str:
        return self.allowed_account_ids[0]


@dataclass(frozen=True)
class Settings:
    """What the program composes from: the account pin and the project settings."""

    stack: str
    account: Account
    project: StackSettings


# --- errors ------------------------------------------------------------------------------

@dataclass(frozen=True)
class SettingError:
    key: str
    value: Any
    problem: str
    fix: str

    def render(self) -> str:
        shown = json.dumps(self.value) if not isinstance(self.value, str) else self.value
        if len(shown) > 120:
            shown = shown[:117] + "..."
        return f"  {self.key} = {shown}\n    problem: {self.problem}\n    fix:     {self.fix}"


class InvalidSettings(pulumi.RunError):
    """Raised with every problem of a stack's configuration; the CLI prints it without a traceback."""

    def __init__(self, stack: str, errors: list[SettingError]):
        self.errors = errors
        header = f"stack '{stack}' has {len(errors)} invalid setting{'s' if len(errors) != 1 else ''}:"
        super().__init__("\n".join([header, *(e.render() for e in errors)]))


def _did_you_mean(word: str, known: Any) -> str:
    match = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return f" (did you mean `{match[0]}`?)" if match else ""


_SENTINEL = object()


def _lookup(data: Any, loc: tuple) -> Any:
    for part in loc:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return _SENTINEL
    return data


def _model_at(loc: tuple) -> type[SettingsModel]:
    model: Any = StackSettings
    for part in loc:
        if isinstance(part, int):
            continue
        field = next((f for n, f in model.model_fields.items() if f.alias == part or n == part), None)
        if field is None:
            break
        inner = field.annotation
        for candidate in getattr(inner, "__args__", ()) or (inner,):
            if isinstance(candidate, type) and issubclass(candidate, SettingsModel):
                model = candidate
                break
    return model


def _key(loc: tuple) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else part)
    return f"{PROJECT}:{path}"


def _translate(error: dict, raw: dict) -> SettingError:
    loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and p.startswith("literal[")))
    value = _lookup(raw, loc)
    value = error.get("input") if value is _SENTINEL else value
    kind, ctx = error["type"], error.get("ctx") or {}
    key = _key(loc)
    if kind == "setting":
        return SettingError(key, value, ctx["problem"], ctx["fix"])
    if kind == "extra_forbidden":
        known = [f.alias for f in _model_at(loc[:-1]).model_fields.values()]
        return SettingError(key, value, f"is not a known setting{_did_you_mean(str(loc[-1]), known)}",
                            f"remove it or use one of: {', '.join(known)}")
    if kind == "literal_error":
        return SettingError(key, value, "is not an allowed value", f"use one of {ctx['expected']}")
    if kind in ("greater_than_equal", "less_than_equal"):
        bound = "at least" if kind == "greater_than_equal" else "at most"
        limit = ctx.get("ge", ctx.get("le"))
        return SettingError(key, value, f"must be {bound} {limit}", f"set a whole number {bound} {limit}")
    if kind == "missing":
        return SettingError(key, "(missing)", "is required", "add it to the stack file")
    expected = {"int": "a whole number", "bool": "true or false", "string": "a string", "list": "a list",
                "dict": "an object (a YAML mapping)", "model": "an object (a YAML mapping)"}
    wanted = next((v for k, v in expected.items() if kind.startswith(k)), "a valid value")
    return SettingError(key, value, f"must be {wanted} ({error['msg']})", f"set {key} to {wanted}")


# --- checks that span several settings ------------------------------------------------------

def _cross_checks(project: StackSettings, sets: dict[str, set[str]]) -> list[SettingError]:
    errors: list[SettingError] = []
    mwaa, network = project.mwaa, project.network

    def err(key: str, value: Any, problem: str, fix: str) -> None:
        errors.append(SettingError(f"{PROJECT}:{key}", value, problem, fix))

    if mwaa.min_workers > mwaa.max_workers:
        err("mwaa.minWorkers", mwaa.min_workers, f"is above mwaa.maxWorkers ({mwaa.max_workers})",
            "make minWorkers at most maxWorkers")
    micro = mwaa.environment_class == "mw1.micro"
    if micro and mwaa.schedulers != 1:
        err("mwaa.schedulers", mwaa.schedulers, "must be 1 on mw1.micro", "set schedulers to 1 or choose mw1.small or larger")
    if not micro and mwaa.schedulers < 2:
        err("mwaa.schedulers", mwaa.schedulers, f"must be 2 to 5 on {mwaa.environment_class}", "set schedulers to 2 or more")
    for bound in ("min_webservers", "max_webservers"):
        value, key = getattr(mwaa, bound), f"mwaa.{to_camel(bound)}"
        if micro and value != 1:
            err(key, value, "must be 1 on mw1.micro", f"set {to_camel(bound)} to 1")
        if not micro and value < 2:
            err(key, value, f"must be 2 to 5 on {mwaa.environment_class}", f"set {to_camel(bound)} to 2 or more")
    if mwaa.min_webservers > mwaa.max_webservers:
        err("mwaa.minWebservers", mwaa.min_webservers, f"is above mwaa.maxWebservers ({mwaa.max_webservers})",
            "make minWebservers at most maxWebservers")
    if all(level == "DISABLED" for level in mwaa.log_levels.values()):
        err("mwaa.logLevels", mwaa.log_levels, "disables every log type, leaving no way to see why tasks fail",
            "enable at least task logs, e.g. task: INFO")
    for index, rule in enumerate(mwaa.security_group_egress):
        key = f"mwaa.securityGroupEgress[{index}]"
        if (rule.cidr is None) == (rule.prefix_list_id is None):
            err(key, rule.model_dump(by_alias=True, exclude_none=True), "needs exactly one of cidr or prefixListId",
                "set cidr (e.g. 10.50.0.0/16) or prefixListId (pl-...)")
        if rule.from_port > rule.to_port:
            err(key, rule.model_dump(by_alias=True, exclude_none=True), "has fromPort above toPort", "swap them")
    errors.extend(_network_checks(network, sets.get("network", set()), mwaa))
    errors.extend(_source_folder_checks(project))
    errors.extend(_private_access_checks(project))
    errors.extend(_fargate_checks(project, sets.get("fargate", set())))
    return errors


def _network_checks(network: NetworkSettings, explicitly_set: set[str], mwaa: MwaaSettings) -> list[SettingError]:
    errors: list[SettingError] = []

    def err(key: str, value: Any, problem: str, fix: str) -> None:
        errors.append(SettingError(f"{PROJECT}:network.{key}", value, problem, fix))

    if network.vpc_id is not None:
        if not re.match(r"^vpc-[0-9a-f]{8,17}$", network.vpc_id):
            err("vpcId", network.vpc_id, "is not a VPC ID", "use the ID shown in the VPC console, e.g. vpc-0abc12345def67890")
        subnets = network.subnet_ids or []
        if len(subnets) != 2 or len(set(subnets)) != 2:
            err("subnetIds", network.subnet_ids, "must list exactly two distinct private subnets",
                "list the two private subnets (in two Availability Zones) MWAA should use")
        for subnet in subnets:
            if not re.match(r"^subnet-[0-9a-f]{8,17}$", subnet):
                err("subnetIds", subnet, "is not a subnet ID", "use IDs like subnet-0abc12345def67890")
        created_only = sorted({"cidr", "private_subnet_cidrs", "public_subnet_cidrs", "nat_gateways"} & explicitly_set)
        for name in created_only:
            err(to_camel(name), getattr(network, name), "only applies when this stack creates the VPC",
                "remove it, or remove vpcId and subnetIds to let the stack create the VPC")
        return errors
    if network.subnet_ids is not None:
        err("subnetIds", network.subnet_ids, "is set without vpcId", "add the VPC's ID as network.vpcId, or remove subnetIds")
        return errors
    if network.nat_gateways == "none" and network.public_subnet_cidrs is not None:
        err("publicSubnetCidrs", network.public_subnet_cidrs, "is set, but natGateways is none: no public subnet is created",
            "remove publicSubnetCidrs, or choose natGateways single or perZone")
    vpc = ipaddress.IPv4Network(network.cidr)
    private, public = subnet_plan(network)
    blocks: list[tuple[str, ipaddress.IPv4Network]] = []
    for name, cidrs in (("privateSubnetCidrs", private), ("publicSubnetCidrs", public)):
        for text in cidrs:
            block = ipaddress.IPv4Network(text)
            if not block.subnet_of(vpc):
                err(name, text, f"is not inside the VPC block {vpc}", f"choose a block inside {vpc}")
            for other_name, other in blocks:
                if block.overlaps(other):
                    err(name, text, f"overlaps {other} of {other_name}", "give every subnet its own block")
            blocks.append((name, block))
    for index, rule in enumerate(mwaa.security_group_egress):
        if rule.cidr and ipaddress.IPv4Network(rule.cidr).overlaps(vpc) and not ipaddress.IPv4Network(rule.cidr).subnet_of(vpc):
            errors.append(SettingError(f"{PROJECT}:mwaa.securityGroupEgress[{index}].cidr", rule.cidr,
                                       f"contains the whole VPC block {vpc}, so the rule opens these ports to "
                                       "everything in the VPC as well", "narrow it to the destination network only "
                                       "(e.g. the peered VPC's CIDR, which cannot overlap this VPC)"))
    return errors


def subnet_plan(network: NetworkSettings) -> tuple[list[str], list[str]]:
    """The private and public subnet CIDRs of a created VPC: explicit ones, or quarters of the VPC block."""
    quarters = [str(q) for q in ipaddress.IPv4Network(network.cidr).subnets(prefixlen_diff=2)]
    private = network.private_subnet_cidrs if network.private_subnet_cidrs is not None else quarters[:2]
    if network.nat_gateways == "none":
        return private, []
    public = network.public_subnet_cidrs if network.public_subnet_cidrs is not None else quarters[2:]
    return private, public


def _source_folder_checks(project: StackSettings) -> list[SettingError]:
    """Seed 001: without a NAT path MWAA cannot reach PyPI, so requirements must come from plugins.zip."""
    folder = REPOSITORY_ROOT / project.mwaa.source_folder
    key = f"{PROJECT}:mwaa.sourceFolder"
    if not folder.is_dir():
        return [SettingError(key, project.mwaa.source_folder, f"is not a folder ({folder} does not exist)",
                             "create it (it may stay empty) or point sourceFolder at your Airflow folder")]
    requirements = folder / "requirements.txt"
    internet = project.network.vpc_id is None and project.network.nat_gateways != "none"
    if internet or project.network.vpc_id is not None or not requirements.is_file():
        return []
    lines = [ln.strip() for ln in requirements.read_text().splitlines() if ln.strip() and not ln.startswith("#")]
    packages = [ln for ln in lines if not ln.startswith("-")]
    if packages and not ({"--no-index"} <= set(lines) and any(ln.startswith("--find-links") for ln in lines)):
        return [SettingError(f"{key} (requirements.txt)", f"{project.mwaa.source_folder}/requirements.txt",
                             "installs packages from PyPI, but with network.natGateways=none MWAA has no internet",
                             "ship the wheels in plugins.zip and begin requirements.txt with "
                             "`--find-links /usr/local/airflow/plugins` and `--no-index`, or add a NAT gateway")]
    return []


def base_url_option(airflow_version: str) -> str:
    """The Airflow option holding the URL users reach the UI at (Airflow 3 moved it to the api section)."""
    return "api.base_url" if airflow_version.startswith("3.") else "webserver.base_url"


def _private_access_checks(project: StackSettings) -> list[SettingError]:
    """Endpoints and load balancer settings that only make sense together with the rest of the stack."""
    errors: list[SettingError] = []
    endpoints, access, mwaa, network = project.endpoints, project.private_access, project.mwaa, project.network

    def err(key: str, value: Any, problem: str, fix: str) -> None:
        errors.append(SettingError(f"{PROJECT}:{key}", value, problem, fix))

    if mwaa.endpoint_management == "CUSTOMER" and not endpoints.enabled:
        err("mwaa.endpointManagement", "CUSTOMER", "leaves the environment PENDING: with endpoints.enabled false nothing "
            "creates its webserver and database endpoints", "set endpoints.enabled: true, or use SERVICE")
    if network.vpc_id is None and network.nat_gateways == "none" and not endpoints.enabled:
        err("endpoints.enabled", False, "leaves MWAA without any path to AWS services (network.natGateways is none)",
            "set endpoints.enabled: true, or add a NAT gateway")
    if not access.enabled:
        return errors
    for name in ("host_name", "route53_zone_id"):
        if getattr(access, name) is None:
            err(f"privateAccess.{to_camel(name)}", "(missing)", "is required when privateAccess.enabled is true",
                "add it (see the privateAccess table)")
    if not access.allowed_cidrs and not access.allowed_prefix_list_ids:
        err("privateAccess.allowedCidrs", [], "admits nobody: no CIDR and no prefix list may reach the load balancer",
            "list the networks your users come from, e.g. [10.0.0.0/8]")
    if access.internet_facing and access.subnet_ids is None:
        err("privateAccess.subnetIds", "(missing)", "is required for an internet-facing load balancer (the default "
            "subnets are private)", "list two public subnets, or set internetFacing: false")
    chosen, other = ("oidc", "cognito") if access.sign_in == "oidc" else ("cognito", "oidc")
    if getattr(access, chosen) is None:
        err(f"privateAccess.{chosen}", "(missing)", f"is required with privateAccess.signIn {chosen}",
            f"add the {chosen} settings (see the privateAccess table)")
    if getattr(access, other) is not None:
        err(f"privateAccess.{other}", "(set)", f"is ignored with privateAccess.signIn {chosen}", f"remove it, or set signIn: {other}")
    if not access.group_role_mapping:
        err("privateAccess.groupRoleMapping", {}, "maps no group to an Airflow role, so nobody can sign in",
            "map your IdP groups, e.g. {airflow-admins: Admin, airflow-users: User}")
    if mwaa.webserver_access_mode == "PUBLIC_ONLY":
        err("mwaa.webserverAccessMode", "PUBLIC_ONLY", "has no private web server for the load balancer to reach",
            "use PRIVATE_ONLY, or set privateAccess.enabled: false")
    option = base_url_option(mwaa.airflow_version)
    if option in mwaa.airflow_configuration_options:
        err("mwaa.airflowConfigurationOptions", {option: mwaa.airflow_configuration_options[option]},
            f"sets {option}, which the load balancer sets to https://privateAccess.hostName", f"remove {option}")
    internet_idp = any(ipaddress.IPv4Network(c).is_global or ipaddress.IPv4Network(c).prefixlen == 0
                       for c in access.identity_provider_cidrs)
    if network.vpc_id is None and network.nat_gateways == "none" and not access.internet_facing and internet_idp:
        err("privateAccess.signIn", access.sign_in, "cannot work: an internal load balancer reaches an identity "
            "provider on the internet only through a NAT gateway, and network.natGateways is none",
            "add a NAT gateway, or list your internal IdP's network in privateAccess.identityProviderCidrs")
    return errors


# --- reading a stack -----------------------------------------------------------------------

def _account(stack: str, config: dict[str, str]) -> tuple[Optional[Account], list[SettingError]]:
    errors: list[SettingError] = []
    region = config.get("aws:region")
    if not region or not re.match(r"^[a-z]{2}(-[a-z]+)+-\d$", region):
        errors.append(SettingError("aws:region", region or "(missing)", "is not an AWS Region",
                                   f"pulumi config set aws:region eu-west-1 --stack {stack}"))
    raw_ids = config.get("aws:allowedAccountIds")
    ids = _decode(raw_ids) if raw_ids else None
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) and ACCOUNT_ID.match(i) for i in ids):
        errors.append(SettingError("aws:allowedAccountIds", raw_ids or "(missing)",
                                   "must pin the stack to its AWS account (a list of 12-digit account IDs as strings)",
                                   f"add `aws:allowedAccountIds: [\"123456789012\"]` to Pulumi.{stack}.yaml"))
        ids = None
    role_arn = None
    raw_roles = config.get("aws:assumeRoles")
    if raw_roles:
        roles = _decode(raw_roles)
        role_arn = roles[0].get("roleArn") if isinstance(roles, list) and roles and isinstance(roles[0], dict) else None
        match = ROLE_ARN.match(role_arn or "")
        if not match:
            errors.append(SettingError("aws:assumeRoles", raw_roles, "must be a list with one {roleArn: ...} entry",
                                       "write aws:assumeRoles: [{roleArn: arn:aws:iam::123456789012:role/deployer}]"))
        elif ids and match.group(1) not in ids:
            errors.append(SettingError("aws:assumeRoles", role_arn,
                                       f"assumes a role in account {match.group(1)}, not in aws:allowedAccountIds {ids}",
                                       "use the deployment role of this stack's own account"))
    if errors:
        return None, errors
    return Account(region=region, allowed_account_ids=tuple(ids), assume_role_arn=role_arn), []


def _decode(text: str) -> Any:
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return text


def parse(stack: str, config: dict[str, str]) -> Settings:
    """Validate a stack's whole configuration (`namespace:key` -> string, as Pulumi passes it)."""
    account, errors = _account(stack, config)
    raw: dict[str, Any] = {}
    prefix = f"{PROJECT}:"
    string_keys = {f.alias for f in StackSettings.model_fields.values() if f.annotation is str}
    for full_key, text in config.items():
        if full_key.startswith(prefix):
            key = full_key[len(prefix):]
            raw[key] = text if key in string_keys else _decode(text)
        elif _did_you_mean(full_key.partition(":")[0], [PROJECT]):
            # A misspelt namespace would silently drop the whole setting.
            errors.append(SettingError(full_key, text, f"is in namespace `{full_key.partition(':')[0]}`, which this "
                                       f"program does not read{_did_you_mean(full_key.partition(':')[0], [PROJECT])}",
                                       f"rename it to {PROJECT}:{full_key.partition(':')[2]}"))
    project: Optional[StackSettings] = None
    try:
        project = StackSettings.model_validate(raw)
    except ValidationError as error:
        errors.extend(_translate(e, raw) for e in error.errors())
    if project is not None:
        explicitly_set = {"network": project.network.model_fields_set, "fargate": project.fargate.model_fields_set}
        errors.extend(_cross_checks(project, explicitly_set))
        if account is not None:
            errors.extend(_monitoring_checks(project.monitoring, account))
    if errors:
        raise InvalidSettings(stack, errors)
    assert account is not None and project is not None
    return Settings(stack=stack, account=account, project=project)


def all_config() -> dict[str, str]:
    """Every configuration value the engine gave this program (stack file plus Pulumi.yaml defaults)."""
    from pulumi.runtime import config as runtime_config

    return {**runtime_config.get_config_env(), **runtime_config.CONFIG.get()}


def load() -> Settings:
    """The current stack's settings; raises InvalidSettings (a RunError) listing every problem."""
    return parse(pulumi.get_stack(), all_config())

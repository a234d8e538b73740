"""Fargate settings (platform fargate): self-managed Airflow 3's processes, sizes, database and broker."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

from airflow_aws.airflow_settings import fargate_memory_choices
from airflow_aws.aws_choices import BrokerEngine, CpuArchitecture
from pydantic import Field, field_validator
from pydantic.alias_generators import to_camel

from .base import LogRetentionDays, SettingsModel, invalid, project_folder_problem, refuse_unknown, values_of
from .errors import SettingError, project_key
from .keys import encryption_key, key_placement_errors

if TYPE_CHECKING:
    from .account import Account
    from .stack import StackSettings

FARGATE_PROCESSES = {"apiServer": "api-server", "scheduler": "scheduler", "dagProcessor": "dag-processor",
                     "triggerer": "triggerer", "worker": "worker", "flower": "flower", "migrate": "migrate"}
# A repository reference: optional registry host (with port), then path components (Docker's grammar).
IMAGE = re.compile(r"^([a-z0-9.-]+(:\d+)?/)?[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*$")
# uvicorn workers beyond two per vCPU only contend for the CPU (and each holds its own memory).
MAX_API_WORKERS_PER_VCPU = 2

# The values of the FargateAirflowCluster's enums (see values_of).
if TYPE_CHECKING:
    BrokerEngineName = CpuArchitectureName = str
else:
    BrokerEngineName = values_of(BrokerEngine)
    CpuArchitectureName = values_of(CpuArchitecture)


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
            raise invalid("is not a multiple of 0.5", "use a capacity like 0.5, 1, 1.5 or 4")
        return value


class FargateBrokerSettings(SettingsModel):
    """The ElastiCache Celery broker (TLS and an AUTH token always on)."""

    engine: BrokerEngineName = Field("valkey", description="Cache engine.")
    engine_version: Optional[str] = Field(None, description="Engine version; default 8.0 for valkey, 7.1 for redis.")
    node_type: str = Field("cache.t4g.micro", description="Node type.")
    nodes: int = Field(1, ge=1, le=6, description="Nodes; 2 or more add replicas with automatic Multi-AZ failover.")

    @field_validator("node_type")
    @classmethod
    def _node_type(cls, value: str) -> str:
        if not re.match(r"^cache\.[a-z0-9]+\.[a-z0-9]+$", value):
            raise invalid("is not an ElastiCache node type", "use a type like cache.t4g.micro or cache.m7g.large")
        return value


class FargateSettings(SettingsModel):
    """Self-managed Airflow 3 on ECS Fargate (platform fargate): processes, sizes, database, broker."""

    image: str = Field("apache/airflow", description="Airflow image repository (Docker Hub, ECR or another registry).")
    image_tag: str = Field("3.0.6", description="Image tag; an Airflow 3 release such as 3.0.6 or 3.0.6-python3.12.")
    cpu_architecture: CpuArchitectureName = Field("X86_64", description="CPU architecture of the tasks (ARM64 costs about 20% less).")
    api_servers: int = Field(1, ge=1, le=10, description="api-server tasks (UI and REST and execution API).")
    api_workers: Optional[int] = Field(
        None, ge=1, description="uvicorn workers per api-server task; default: one per vCPU of the apiServer task size "
                                f"(at least 1); at most {MAX_API_WORKERS_PER_VCPU} per vCPU.")
    schedulers: int = Field(1, ge=1, le=10, description="Scheduler tasks.")
    triggerers: int = Field(1, ge=1, le=10, description="Triggerer tasks.")
    min_workers: int = Field(1, ge=1, le=100, description="Celery workers always running.")
    max_workers: int = Field(10, ge=1, le=100, description="Upper bound of worker autoscaling on queue depth.")
    worker_concurrency: int = Field(16, ge=1, le=256, description="Tasks one worker runs at once.")
    flower: bool = Field(False, description="Run Flower (Celery monitoring) with basic auth, reachable from the VPC.")
    task_sizes: dict[str, FargateTaskSize] = Field(
        default_factory=dict, description=f"CPU and memory per process ({', '.join(FARGATE_PROCESSES)}); others keep their defaults.")
    database: FargateDatabaseSettings = Field(default_factory=lambda: FargateDatabaseSettings.model_validate({}), description="The metadata database.")
    broker: FargateBrokerSettings = Field(default_factory=lambda: FargateBrokerSettings.model_validate({}), description="The Celery broker.")
    log_retention_days: LogRetentionDays = Field(30, description="Days CloudWatch keeps the process logs.")
    task_log_retention_days: int = Field(90, ge=1, le=3650, description="Days task logs stay in the bucket.")
    kms_key: Annotated[str, encryption_key("aws-managed", service="Fargate", aliases=False)] = Field(
        "aws-managed", description="Encryption key: `aws-managed`, `create` (a customer managed key made here), or an "
                                   "existing key of the stack's account and Region as key ID or key ARN (log groups take no alias).")
    upload_dags: bool = Field(True, description="Upload `dagsFolder` to the bucket on deployment; turn off when a CI job syncs DAGs.")
    dags_folder: str = Field("airflow/dags", description="Folder inside the project (not the project root) uploaded to s3://bucket/dags.")
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
            raise invalid("is not an image reference" + (" with a tag" if tagged else " without a tag"),
                          f"use one like {example}")
        return value

    @field_validator("image_tag")
    @classmethod
    def _airflow_3(cls, value: str) -> str:
        if not re.match(r"^3\.\d+\.\d+([\w.-]*)$", value):
            raise invalid("is not an Airflow 3 image tag", "use a tag like 3.0.6 or 3.0.6-python3.12 (Airflow 2 runs on MWAA)")
        return value

    @field_validator("task_sizes")
    @classmethod
    def _sizes(cls, value: dict[str, FargateTaskSize]) -> dict[str, FargateTaskSize]:
        refuse_unknown(value, FARGATE_PROCESSES, "processes")
        for process, size in value.items():
            choices = fargate_memory_choices(size.cpu)
            if size.memory not in choices:
                raise invalid(f"gives {process} {size.cpu} CPU and {size.memory} MiB, a size Fargate does not offer",
                              f"with {size.cpu} CPU use memory {choices}" if choices else
                              "use cpu 256, 512, 1024, 2048, 4096, 8192 or 16384")
        return value

    @property
    def api_server_cpu(self) -> int:
        """CPU units of the apiServer task: its taskSizes entry, or the component's default."""
        # Imported here: an MWAA stack must not load the Fargate component (and the pulumi_aws services it needs).
        from airflow_aws.fargate_airflow_cluster import DEFAULT_TASK_SIZES

        size = self.task_sizes.get("apiServer")
        return size.cpu if size else DEFAULT_TASK_SIZES[FARGATE_PROCESSES["apiServer"]]["cpu"]


def fargate_checks(project: StackSettings, account: Optional[Account], project_root: Path) -> list[SettingError]:
    """Fargate settings that depend on each other or on the network; only fargate settings on mwaa are refused."""
    errors: list[SettingError] = []
    fargate, network = project.fargate, project.network
    explicitly_set = fargate.model_fields_set

    def err(key: str, value: Any, problem: str, fix: str) -> None:
        errors.append(SettingError(project_key(key), value, problem, fix))

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
    vcpus = fargate.api_server_cpu / 1024
    limit = max(1, int(vcpus * MAX_API_WORKERS_PER_VCPU))
    if fargate.api_workers is not None and fargate.api_workers > limit:
        err("fargate.apiWorkers", fargate.api_workers, f"is more than {MAX_API_WORKERS_PER_VCPU} uvicorn workers per vCPU "
            f"of the apiServer task ({fargate.api_server_cpu} CPU units = {vcpus:g} vCPU, so at most {limit}); more "
            "workers only compete for the same CPU", f"set apiWorkers to {limit} or less, or give apiServer more CPU "
            "in fargate.taskSizes")
    if not network.adopted and network.nat_gateways == "none":
        err("network.natGateways", "none", "leaves the Fargate tasks no way to pull public images or reach Secrets "
            "Manager and ECS (the endpoints setting covers only what MWAA needs)", "use single or perZone")
    if fargate.upload_dags:
        problem = project_folder_problem(fargate.dags_folder, project_root)
        if problem:
            err("fargate.dagsFolder", fargate.dags_folder, problem[0], f"{problem[1]}, or set uploadDags: false")
    if account is not None:
        errors.extend(key_placement_errors(project_key("fargate.kmsKey"), fargate.kms_key, account, service="Fargate"))
    return errors

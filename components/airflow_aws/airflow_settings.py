"""Airflow 3 on ECS Fargate as pure data: connection URLs, processes, container definitions, scaling, network flows.

Everything here is a plain function of plain values, so each rule can be tested without the
Pulumi engine; FargateAirflowCluster feeds it resolved outputs inside `Output.apply`.
Sources: the Airflow 3 docker-compose file and configuration reference
(../shared/reference/airflow-on-fargate.md), the ECS task definition reference, seed 004.
"""

from __future__ import annotations

import base64
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional
from urllib.parse import quote

DATABASE_NAME = "airflow"
DATABASE_USER = "airflow"
DATABASE_PORT = 5432
BROKER_PORT = 6379
API_SERVER_PORT = 8080
DAGS_FOLDER = "/opt/airflow/dags"
# Where the api-server writes the single sign-on modules and FAB's configuration before it starts.
SIGN_IN_FOLDER = "/opt/airflow/sign-in"
DAGS_PREFIX = "dags"
LOGS_PREFIX = "logs"
DAGS_VOLUME = "dags"
DAG_SYNC_CONTAINER = "dags-sync"
DAG_SYNC_MARKER = "/tmp/dags-synced"
METRICS_AGENT_CONTAINER = "cloudwatch-agent"
STATSD_PORT = 8125
STATSD_PREFIX = "airflow"
# The api-server's execution API (task SDK calls from workers and triggerers), as listener path patterns.
EXECUTION_API_PATHS = ["/execution", "/execution/*"]
# What a REST client (a CI job) calls: the public API, and the token endpoint that gives it an Airflow token.
REST_API_PATHS = ["/api/v2/*", "/auth/token"]
# Fargate caps a container's stopTimeout at 120 s: the longest a worker gets to finish its tasks.
WORKER_STOP_TIMEOUT = 120
# How long a process waits for `airflow db migrate` (run once per deployment) before giving up.
MIGRATION_WAIT_SECONDS = 900
CELERY_APP = "airflow.providers.celery.executors.celery_executor.app"
FAB_AUTH_MANAGER = "airflow.providers.fab.auth_manager.fab_auth_manager.FabAuthManager"

# Characters RDS refuses in a master password (CreateDBCluster: any printable ASCII but
# "/", '"' and "@"); RandomPassword never draws a space unless told to. The URL builder below
# does not rely on this: it must survive any character (tests draw from all printable ones).
DATABASE_PASSWORD_SPECIALS = "!#$%&'()*+,-.:;<=>?[]^_`{|}~"
# ElastiCache AUTH: 16-128 printable characters, the only non-alphanumerics !&#$^<>- .
BROKER_TOKEN_SPECIALS = "!&#$^<>-"

# Secret name -> the Airflow variable it feeds (ECS `secrets`, never plain `environment`).
SECRET_VARIABLES: dict[str, str] = {
    "database-url": "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN",
    "result-backend": "AIRFLOW__CELERY__RESULT_BACKEND",
    "broker-url": "AIRFLOW__CELERY__BROKER_URL",
    "fernet-key": "AIRFLOW__CORE__FERNET_KEY",
    "jwt-secret": "AIRFLOW__API_AUTH__JWT_SECRET",
    "api-secret-key": "AIRFLOW__API__SECRET_KEY",
}
FLOWER_SECRET = ("flower-basic-auth", "AIRFLOW__CELERY__FLOWER_BASIC_AUTH")
# Secrets whose value is built from an endpoint of the database or broker, not only from random material.
URL_SECRETS = ("database-url", "result-backend", "broker-url")


# --- connection URLs ---------------------------------------------------------------------

def _credentials(user: str, password: str) -> str:
    # safe="" encodes every reserved character, "/" included: seed 004's Celery crash
    # ("invalid literal for int()") came from a raw password splitting the URL's netloc.
    return f"{quote(user, safe='')}:{quote(password, safe='')}"


def database_url(password: str, host: str, *, port: int = DATABASE_PORT, user: str = DATABASE_USER,
                 database: str = DATABASE_NAME) -> str:
    """`AIRFLOW__DATABASE__SQL_ALCHEMY_CONN`, parsed by SQLAlchemy's make_url."""
    return f"postgresql+psycopg2://{_credentials(user, password)}@{host}:{port}/{database}"


def result_backend_url(password: str, host: str, *, port: int = DATABASE_PORT, user: str = DATABASE_USER,
                       database: str = DATABASE_NAME) -> str:
    """`AIRFLOW__CELERY__RESULT_BACKEND`: Celery's database backend (`db+` then a SQLAlchemy URL)."""
    return f"db+postgresql://{_credentials(user, password)}@{host}:{port}/{database}"


def broker_url(token: str, host: str, *, port: int = BROKER_PORT, database: int = 0) -> str:
    """`AIRFLOW__CELERY__BROKER_URL`: TLS (`rediss`), the AUTH token as password, the server certificate checked."""
    return f"rediss://:{quote(token, safe='')}@{host}:{port}/{database}?ssl_cert_reqs=required"


def fernet_key(standard_base64: str) -> str:
    """A Fernet key from 32 random bytes given in standard base64: Fernet wants the url-safe alphabet."""
    key = standard_base64.translate(str.maketrans("+/", "-_"))
    if len(base64.urlsafe_b64decode(key)) != 32:
        raise ValueError("a Fernet key is 32 bytes; give the base64 of exactly 32 random bytes")
    return key


def flower_basic_auth(password: str) -> str:
    """Flower's `user:password` pair; Flower splits on the first colon, so the password may hold any."""
    return f"airflow:{password}"


# --- processes ---------------------------------------------------------------------------

STATSD_ENVIRONMENT = {"AIRFLOW__METRICS__STATSD_ON": "True", "AIRFLOW__METRICS__STATSD_HOST": "localhost",
                      "AIRFLOW__METRICS__STATSD_PORT": str(STATSD_PORT), "AIRFLOW__METRICS__STATSD_PREFIX": STATSD_PREFIX}

@dataclass(frozen=True)
class HealthCheck:
    command: str
    interval: int = 30
    timeout: int = 10
    retries: int = 5
    # Seconds ECS ignores failures while the process starts (the reference: 60-120 s).
    start_period: int = 120

    def as_container(self) -> dict[str, Any]:
        return {"command": ["CMD-SHELL", self.command], "interval": self.interval, "timeout": self.timeout,
                "retries": self.retries, "startPeriod": self.start_period}


def _cli_check(job_type: str) -> HealthCheck:
    # The CLI starts a Python interpreter and queries the database: slower than an HTTP probe.
    return HealthCheck(f"airflow jobs check --job-type {job_type} --local", interval=60, timeout=30)


@dataclass(frozen=True)
class Process:
    """One Airflow process run as an ECS service (or, for `migrate`, as a one-off task)."""

    name: str
    setting: str
    command: tuple[str, ...]
    health_check: Optional[HealthCheck]
    port: Optional[int] = None
    parses_dags: bool = False
    environment: dict[str, str] = field(default_factory=dict)
    stop_timeout: Optional[int] = None
    # Sends StatsD to a CloudWatch agent sidecar: the scheduler's executor gauges drive worker
    # autoscaling; the dag-processor's and triggerer's feed the dashboard.
    emits_metrics: bool = False
    # Runs its Airflow command under worker_protection.py, which keeps the task protected from
    # scale-in and deployments while it holds Airflow tasks.
    protects_itself: bool = False

    @property
    def all_environment(self) -> dict[str, str]:
        return {**(STATSD_ENVIRONMENT if self.emits_metrics else {}), **self.environment}


PROCESSES: dict[str, Process] = {p.name: p for p in (
    Process("api-server", "apiServer", ("api-server", "--port", str(API_SERVER_PORT)),
            HealthCheck(f"curl --fail --silent http://localhost:{API_SERVER_PORT}/api/v2/monitor/health || exit 1"),
            port=API_SERVER_PORT),
    Process("scheduler", "scheduler", ("scheduler",),
            HealthCheck("curl --fail --silent http://localhost:8974/health || exit 1"),
            environment={"AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "True"}, emits_metrics=True),
    Process("dag-processor", "dagProcessor", ("dag-processor",), _cli_check("DagProcessorJob"), parses_dags=True,
            emits_metrics=True),
    # Triggers may live in modules next to the DAGs, so the triggerer gets the DAG folder too.
    Process("triggerer", "triggerer", ("triggerer",), _cli_check("TriggererJob"), port=8794, parses_dags=True,
            emits_metrics=True),
    Process("worker", "worker", ("celery", "worker"),
            HealthCheck(f'celery --app {CELERY_APP} inspect ping -d "celery@$(hostname)"', interval=60, timeout=30),
            port=8793, parses_dags=True, stop_timeout=WORKER_STOP_TIMEOUT,
            # dumb-init then signals only Celery's main process, which stops taking tasks and
            # waits for the running ones (warm shutdown) instead of every child dying at once.
            environment={"DUMB_INIT_SETSID": "0"}, protects_itself=True),
    Process("flower", "flower", ("celery", "flower"),
            HealthCheck("curl --fail --silent http://localhost:5555/healthcheck || exit 1", start_period=60),
            port=5555),
)}
MIGRATE = Process("migrate", "migrate", ("db", "migrate"), None)
SERVICES = tuple(PROCESSES)


def service_command(process: Process, files: Optional[dict[str, str]] = None) -> list[str]:
    """The container command: write `files` (path -> content), wait until this deployment's migration
    is applied, then become the process.

    `exec` makes the Airflow process the shell's replacement, so ECS's SIGTERM reaches it. File
    contents and the program of a process that protects itself (worker_protection.py, which runs
    the Airflow command) are passed to bash as positional arguments, so no quoting is needed.
    """
    files = files or {}
    paths = sorted(files)
    wait = f"airflow db check-migrations --migration-wait-timeout {MIGRATION_WAIT_SECONDS}"
    steps = ([f"mkdir -p {' '.join(sorted({path.rsplit('/', 1)[0] for path in paths}))}"] if paths else []) + [
        f'printf %s "${index}" > {path}' for index, path in enumerate(paths, start=1)] + [wait]
    arguments = " ".join(process.command)
    values = [files[path] for path in paths]
    if process.protects_itself:
        steps.append(f'exec python -c "${len(values) + 1}" {arguments}')
        values.append(worker_protection_source())
    else:
        steps.append(f"exec airflow {arguments}")
    # bash names the script after its first argument ($0), then numbers the rest.
    return ["bash", "-c", " && ".join(steps), *([process.name, *values] if values else [])]


def protection_environment(*, cluster_name: str, service_name: str) -> dict[str, str]:
    """What worker_protection.py reads besides ECS's own variables: the service whose deployments it watches."""
    return {"ECS_CLUSTER": cluster_name, "ECS_SERVICE": service_name}


# --- container definitions ---------------------------------------------------------------

@dataclass(frozen=True)
class TaskContext:
    """The resolved values every container definition of a cluster shares."""

    image: str
    region: str
    log_group: str
    environment: dict[str, str]
    secrets: dict[str, str]
    """Environment variable -> Secrets Manager ARN."""
    dags_bucket: str
    dag_sync_interval: int = 30
    metrics_agent_image: Optional[str] = None
    metrics_namespace: Optional[str] = None
    files: dict[str, str] = field(default_factory=dict)
    """Files the Airflow container writes before it starts (path -> content)."""


def _log_configuration(context: TaskContext, stream_prefix: str) -> dict[str, Any]:
    return {"logDriver": "awslogs", "options": {"awslogs-group": context.log_group,
                                                "awslogs-region": context.region,
                                                "awslogs-stream-prefix": stream_prefix}}


def _pairs(values: dict[str, str], value_key: str) -> list[dict[str, str]]:
    return [{"name": k, value_key: values[k]} for k in sorted(values)]


def airflow_container(process: Process, context: TaskContext) -> dict[str, Any]:
    container: dict[str, Any] = {
        "name": process.name,
        "image": context.image,
        "essential": True,
        "command": list(process.command) if process is MIGRATE else service_command(process, context.files),
        "environment": _pairs({**context.environment, **process.all_environment}, "value"),
        "secrets": _pairs(context.secrets, "valueFrom"),
        "logConfiguration": _log_configuration(context, process.name),
    }
    if process.port:
        container["portMappings"] = [{"containerPort": process.port, "protocol": "tcp", "name": process.name}]
    if process.health_check:
        container["healthCheck"] = process.health_check.as_container()
    if process.stop_timeout:
        container["stopTimeout"] = process.stop_timeout
    if process.parses_dags:
        container["mountPoints"] = [{"sourceVolume": DAGS_VOLUME, "containerPath": DAGS_FOLDER, "readOnly": True}]
        # Parsing starts only once the first sync has put the DAGs in place.
        container["dependsOn"] = [{"containerName": DAG_SYNC_CONTAINER, "condition": "HEALTHY"}]
    return container


def dag_sync_container(context: TaskContext) -> dict[str, Any]:
    """A sidecar that mirrors s3://bucket/dags into the task's shared volume, with the Airflow image's boto3.

    The Airflow image is already pulled for the task and carries boto3 (Amazon provider), so
    no second image (and no extra registry to reach) is needed. It runs as root because a
    Fargate bind-mount volume is created root-owned; the Airflow containers mount it read-only.
    """
    return {
        "name": DAG_SYNC_CONTAINER,
        "image": context.image,
        "essential": True,
        "user": "0",
        "entryPoint": ["python", "-c"],
        "command": [dag_sync_source()],
        "environment": _pairs({"DAGS_BUCKET": context.dags_bucket, "DAGS_PREFIX": DAGS_PREFIX,
                               "DAGS_FOLDER": DAGS_FOLDER, "DAGS_SYNCED_MARKER": DAG_SYNC_MARKER,
                               "SYNC_INTERVAL_SECONDS": str(context.dag_sync_interval),
                               "AWS_DEFAULT_REGION": context.region}, "value"),
        "mountPoints": [{"sourceVolume": DAGS_VOLUME, "containerPath": DAGS_FOLDER, "readOnly": False}],
        "healthCheck": {"command": ["CMD-SHELL", f"test -f {DAG_SYNC_MARKER}"], "interval": 10, "timeout": 5,
                        "retries": 3, "startPeriod": 60},
        "logConfiguration": _log_configuration(context, DAG_SYNC_CONTAINER),
    }


def metrics_agent_config(namespace: str) -> dict[str, Any]:
    """CloudWatch agent: a StatsD listener on localhost that publishes one datapoint a minute per gauge.

    Collection and aggregation both 60 s, no host dimension: each scheduler's agent sends one
    value per metric per minute into the same series, so the `Sum` statistic over a minute
    adds the schedulers up (each scheduler's executor counts only the tasks it queued).
    Metrics arrive as `airflow.<name>` with the dimension `metric_type` (gauge, counter, timing).
    """
    return {"agent": {"omit_hostname": True},
            "metrics": {"namespace": namespace,
                        "metrics_collected": {"statsd": {"service_address": f":{STATSD_PORT}",
                                                         "metrics_collection_interval": 60,
                                                         "metrics_aggregation_interval": 60}}}}


def metrics_agent_container(context: TaskContext, image: str, namespace: str) -> dict[str, Any]:
    return {
        "name": METRICS_AGENT_CONTAINER,
        "image": image,
        # Losing the agent only freezes worker autoscaling; it must not restart the scheduler.
        "essential": False,
        "environment": [{"name": "CW_CONFIG_CONTENT",
                         "value": json.dumps(metrics_agent_config(namespace), sort_keys=True)}],
        "logConfiguration": _log_configuration(context, METRICS_AGENT_CONTAINER),
    }


def container_definitions(process: Process, context: TaskContext) -> list[dict[str, Any]]:
    """Every container of one process's task definition."""
    containers = [airflow_container(process, context)]
    if process.parses_dags:
        containers.append(dag_sync_container(context))
    if process.emits_metrics and context.metrics_agent_image and context.metrics_namespace:
        containers.append(metrics_agent_container(context, context.metrics_agent_image, context.metrics_namespace))
    return containers


def common_environment(*, execution_api_url: str, remote_log_folder: str, region: str,
                       worker_concurrency: int, base_url: Optional[str]) -> dict[str, str]:
    """Plain settings every Airflow process shares (nothing secret: those go in `secrets`)."""
    environment = {
        "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
        "AIRFLOW__CORE__AUTH_MANAGER": FAB_AUTH_MANAGER,
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_FOLDER": DAGS_FOLDER,
        # Airflow records where a task runs and the UI fetches live logs from there: an IP
        # needs no DNS record for the task.
        "AIRFLOW__CORE__HOSTNAME_CALLABLE": "airflow.utils.net.get_host_ip_address",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": execution_api_url,
        "AIRFLOW__CELERY__WORKER_CONCURRENCY": str(worker_concurrency),
        "AIRFLOW__LOGGING__REMOTE_LOGGING": "True",
        "AIRFLOW__LOGGING__REMOTE_BASE_LOG_FOLDER": remote_log_folder,
        "AIRFLOW__LOGGING__REMOTE_LOG_CONN_ID": "aws_default",
        # No keys: the connection uses the task role through boto3's default chain.
        "AIRFLOW_CONN_AWS_DEFAULT": f'{{"conn_type": "aws", "extra": {{"region_name": "{region}"}}}}',
        "AWS_DEFAULT_REGION": region,
    }
    if base_url:
        environment["AIRFLOW__API__BASE_URL"] = ui_base_url(base_url, "3")
    return environment


# Fargate CPU units per vCPU.
CPU_UNITS_PER_VCPU = 1024


def api_server_environment(*, cpu: int, workers: Optional[int] = None) -> dict[str, str]:
    """The api-server's own settings: its uvicorn workers, one per vCPU of its task unless given.

    Airflow's default of 4 workers on a 1 vCPU task has children die while they start, and the
    task turns healthy only after 75-90 s of its 120 s grace period.
    """
    count = workers if workers is not None else max(1, cpu // CPU_UNITS_PER_VCPU)
    return {"AIRFLOW__API__WORKERS": str(count)}


def ui_base_url(url: str, airflow_version: str) -> str:
    """The base URL option's value for an Airflow version: `https://host/` on Airflow 3, `https://host` before.

    Airflow 3 appends paths straight to `[api] base_url` (TaskInstance.log_url is
    `f"{base_url}dags/..."`), so without the slash log links read `https://hostdags/...`.
    Airflow 2 adds the slash itself (`f"{base_url}/dags/..."`) and its web server refuses to
    start with one ("webserver.base_url conf cannot have a trailing slash").
    """
    return url.rstrip("/") + ("/" if airflow_version.split(".")[0] == "3" else "")


def dag_sync_source() -> str:
    """The sidecar's program: the source of dag_sync.py, run with `python -c`."""
    return (Path(__file__).with_name("dag_sync.py")).read_text()


def worker_protection_source() -> str:
    """The worker's program: the source of worker_protection.py, run with `python -c`."""
    return (Path(__file__).with_name("worker_protection.py")).read_text()


# --- single sign-on on the api-server --------------------------------------------------------

def sign_in_files() -> dict[str, str]:
    """What the api-server writes before it starts when the load balancer signs people in (alb_sign_in.py)."""
    from .alb_sign_in import WEBSERVER_CONFIG

    here = Path(__file__).parent
    return {f"{SIGN_IN_FOLDER}/{name}": (here / name).read_text() for name in ("alb_identity.py", "alb_sign_in.py")} | {
        f"{SIGN_IN_FOLDER}/webserver_config.py": WEBSERVER_CONFIG}


def sign_in_environment(*, alb_arn: str, group_roles: dict[str, str], groups_claim: str) -> dict[str, str]:
    """The api-server's settings for single sign-on: FAB reads the written configuration, which reads the rest."""
    return {"AIRFLOW__FAB__CONFIG_FILE": f"{SIGN_IN_FOLDER}/webserver_config.py", "ALB_ARN": alb_arn,
            "GROUP_ROLE_MAPPING": json.dumps(group_roles, sort_keys=True), "GROUPS_CLAIM": groups_claim}


# --- worker autoscaling -------------------------------------------------------------------

def desired_workers(queued: int, running: int, *, concurrency: int, minimum: int, maximum: int) -> int:
    """Workers needed for the tasks in flight (MWAA's rule), within the configured bounds."""
    return max(minimum, min(maximum, math.ceil((queued + running) / concurrency)))


# Target tracking keeps this at 1: desired = ceil(current workers * (load per worker slot)),
# which is ceil((queued + running) / concurrency) whatever the current count.
WORKER_LOAD_TARGET = 1.0


def worker_load_metrics(*, namespace: str, cluster_name: str, worker_service_name: str,
                        concurrency: int) -> list[dict[str, Any]]:
    """Metric math for target tracking: (queued + running tasks) / (concurrency x running workers)."""
    def stat(metric_id: str, namespace_: str, metric: str, dimensions: dict[str, str], statistic: str) -> dict:
        return {"id": metric_id, "return_data": False,
                "metric_stat": {"metric": {"namespace": namespace_, "metric_name": metric,
                                           "dimensions": [{"name": k, "value": v} for k, v in dimensions.items()]},
                                "stat": statistic}}

    gauge = {"metric_type": "gauge"}
    return [
        stat("queued", namespace, f"{STATSD_PREFIX}.executor.queued_tasks", gauge, "Sum"),
        stat("running", namespace, f"{STATSD_PREFIX}.executor.running_tasks", gauge, "Sum"),
        stat("workers", "ECS/ContainerInsights", "RunningTaskCount",
             {"ClusterName": cluster_name, "ServiceName": worker_service_name}, "Average"),
        {"id": "load", "label": "Task slots in use per worker slot",
         "expression": f"(queued + running) / ({concurrency} * workers)", "return_data": True},
    ]


# --- network --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Flow:
    """Traffic one group starts towards another on one TCP port."""

    source: str
    target: str
    port: int
    description: str


def network_flows(*, flower: bool) -> list[Flow]:
    """Who talks to whom. The ALB -> api-server flow is added by PrivateAccessAlb; Flower's by the caller."""
    database_clients = ("api-server", "scheduler", "dag-processor", "triggerer", "worker", "migrate")
    # The scheduler queues, workers consume, Flower watches; api-server, triggerer and
    # dag-processor never touch Celery in Airflow 3.
    broker_clients = ("scheduler", "worker", *(("flower",) if flower else ()))
    flows = [Flow(c, "database", DATABASE_PORT, f"{c} reads and writes the metadata database") for c in database_clients]
    flows += [Flow(c, "broker", BROKER_PORT, f"{c} uses the Celery broker") for c in broker_clients]
    flows += [
        Flow("worker", "api-server", API_SERVER_PORT, "Task SDK calls the execution API"),
        Flow("triggerer", "api-server", API_SERVER_PORT, "Triggers call the execution API"),
        Flow("api-server", "worker", 8793, "UI reads logs of running tasks from the worker log server"),
        Flow("api-server", "triggerer", 8794, "UI reads logs of running triggers from the triggerer log server"),
    ]
    return flows


# --- names ----------------------------------------------------------------------------------

def slug(environment_name: str, max_length: int = 40) -> str:
    """Lower-case letters, digits and single hyphens, starting with a letter: what RDS, DNS and ECS accept."""
    text = re.sub(r"[^a-z0-9]+", "-", environment_name.lower()).strip("-")
    text = re.sub(r"^[^a-z]+", "", text) or "airflow"
    return text[:max_length].rstrip("-")


def namespace_name(environment_name: str) -> str:
    """The Cloud Map private DNS namespace processes find each other in."""
    return f"{slug(environment_name)}.airflow.internal"


def log_group_name(environment_name: str, process: str) -> str:
    """Matches naming.log_group_pattern, so the same IAM and KMS scoping covers MWAA and Fargate."""
    return f"airflow-{environment_name}-{process}"


def ecr_repository_arn(image: str, partition: str) -> Optional[str]:
    """The ECR repository an image comes from (for a scoped pull permission), or None for other registries."""
    match = re.match(r"^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?/([^:@]+)", image)
    if not match:
        return None
    account, region, repository = match.groups()
    return f"arn:{partition}:ecr:{region}:{account}:repository/{repository}"


# --- Fargate sizes -------------------------------------------------------------------------

def fargate_memory_choices(cpu: int) -> list[int]:
    """The memory sizes (MiB) Fargate accepts for a CPU size (units of 1/1024 vCPU)."""
    gib = 1024
    if cpu == 256:
        return [512, 1024, 2048]
    if cpu == 512:
        return [n * gib for n in range(1, 5)]
    if cpu == 1024:
        return [n * gib for n in range(2, 9)]
    if cpu == 2048:
        return [n * gib for n in range(4, 17)]
    if cpu == 4096:
        return [n * gib for n in range(8, 31)]
    if cpu == 8192:
        return [n * gib for n in range(16, 61, 4)]
    if cpu == 16384:
        return [n * gib for n in range(32, 121, 8)]
    return []

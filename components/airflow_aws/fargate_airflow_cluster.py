"""FargateAirflowCluster: self-managed Airflow 3 with the CeleryExecutor on ECS Fargate.

It owns the ECS cluster and one service per process (api-server, scheduler, dag-processor,
triggerer, Celery workers, optional Flower), the metadata database (Aurora Serverless v2
PostgreSQL), the Celery broker (ElastiCache Valkey or Redis with TLS and an AUTH token), the
secrets, the bucket for DAGs and task logs, the log groups, a security group per process, the
IAM roles, worker autoscaling on queue depth, and the migration run once per deployment.
The network is passed in; the UI is put behind PrivateAccessAlb when `access` is given, and with
`sign_in` the api-server signs in the users that load balancer verified (alb_sign_in.py).

What is decided where: pure rules (URLs, container definitions, flows, scaling metric) live in
airflow_settings.py, IAM documents in fargate_policies.py. This module wires the storage, network
and IAM parts and calls the others in order: fargate_data.py (random values, database, broker,
secrets) and fargate_services.py (ECS cluster, task definitions, migration, services, autoscaling).
"""


import json
from typing import Any, Mapping, Optional, Sequence, TypedDict, cast

import pulumi
import pulumi_aws as aws
from typing_extensions import NotRequired

from . import airflow_settings as airflow
from . import alb_identity, fargate_policies, fargate_services, naming
from ._aws_context import AwsContext, available_after
from ._fargate_scope import ClusterScope
from .aws_choices import BrokerEngine, CpuArchitecture, TargetProtocol
from .fargate_data import ClusterData, ClusterSecrets, cluster_data
from .fargate_services import DEFAULT_METRICS_AGENT_IMAGE, DEFAULT_TASK_SIZES
from .local_paths import local_folder
from .private_access_alb import PrivateAccessAlb, PrivateAccessAlbArgs
from .private_bucket import private_bucket, upload_tree

TYPE_TOKEN = "airflow-aws:index:FargateAirflowCluster"
# Re-exported: the settings read the defaults here, next to the arguments they document.
__all__ = ["BrokerArgs", "DatabaseArgs", "DEFAULT_METRICS_AGENT_IMAGE", "DEFAULT_TASK_SIZES", "FargateAirflowCluster",
           "FargateAirflowClusterArgs", "SignInArgs"]

class DatabaseArgs(TypedDict):
    """The Aurora Serverless v2 PostgreSQL metadata database."""

    engine_version: NotRequired[str]
    """Aurora PostgreSQL version. Default: 16.6."""
    min_capacity: NotRequired[float]
    """Minimum Aurora capacity units. Default: 0.5."""
    max_capacity: NotRequired[float]
    """Maximum Aurora capacity units. Default: 4."""
    instances: NotRequired[int]
    """Instances (a writer, then readers for failover in other zones). Default: 1."""
    backup_retention_days: NotRequired[int]
    """Days automated backups are kept. Default: 7."""


class BrokerArgs(TypedDict):
    """The ElastiCache Celery broker."""

    engine: NotRequired[BrokerEngine]
    """valkey or redis. Default: valkey."""
    engine_version: NotRequired[str]
    """Engine version. Default: 8.0 (valkey)."""
    node_type: NotRequired[str]
    """Node type. Default: cache.t4g.micro."""
    nodes: NotRequired[int]
    """Nodes; 2 or more adds a replica with automatic Multi-AZ failover. Default: 1."""


class SignInArgs(TypedDict):
    """Single sign-on: the api-server signs in the user whose identity the load balancer (`access`) verified."""

    group_role_mapping: dict[str, str]
    """IdP group -> Airflow role (Admin, Op, User, Viewer); the most privileged match wins, users in no listed group are refused."""
    groups_claim: NotRequired[str]
    """Claim holding the user's groups. Default: `groups`."""


class FargateAirflowClusterArgs(TypedDict):
    """The arguments of a FargateAirflowCluster."""

    environment_name: str
    """Names the cluster, its log groups, namespace and secrets. Must be known at plan time."""
    vpc_id: pulumi.Input[str]
    """VPC of the cluster."""
    vpc_cidr: pulumi.Input[str]
    """CIDR of the VPC (Flower admits it)."""
    subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]]
    """Private subnets (two zones or more) for tasks, database and broker."""
    start_after: NotRequired[pulumi.Input[Sequence[pulumi.Input[str]]]]
    """IDs of what gives the tasks their way out (VpcNetwork `ready_ids`: NAT gateways and routes): the migration run and the services start after they exist, so the first tasks can pull their images. Default: none."""
    image: str
    """Airflow 3 image with tag, e.g. apache/airflow:3.0.6. Must be known at plan time."""
    cpu_architecture: NotRequired[CpuArchitecture]
    """X86_64 or ARM64. Default: X86_64."""
    api_servers: NotRequired[int]
    """api-server tasks. Default: 1."""
    api_workers: NotRequired[int]
    """Uvicorn workers in each api-server task (`[api] workers`), at least 1. Default: one per vCPU of the api-server task size."""
    schedulers: NotRequired[int]
    """Scheduler tasks (each may queue tasks; the migration still runs once). Default: 1."""
    triggerers: NotRequired[int]
    """Triggerer tasks. Default: 1."""
    min_workers: NotRequired[int]
    """Workers always running (at least 1). Default: 1."""
    max_workers: NotRequired[int]
    """Upper bound of worker autoscaling. Default: 10."""
    worker_concurrency: NotRequired[int]
    """Tasks one worker runs at once. Default: 16."""
    flower: NotRequired[bool]
    """Run Flower (basic auth, admitted from the VPC only). Default: false."""
    task_sizes: NotRequired[dict[str, dict[str, int]]]
    """Process -> {cpu, memory} (Fargate units and MiB); missing processes keep the defaults. Default: DEFAULT_TASK_SIZES."""
    database: NotRequired[DatabaseArgs]
    """The metadata database. Default: see DatabaseArgs."""
    broker: NotRequired[BrokerArgs]
    """The Celery broker. Default: see BrokerArgs."""
    log_retention_days: NotRequired[int]
    """Retention of the process log groups. Default: 30."""
    task_log_retention_days: NotRequired[int]
    """Days task logs stay in the bucket. Default: 90."""
    create_kms_key: NotRequired[bool]
    """Create a customer managed key for secrets, bucket, database, broker and logs. Default: false."""
    kms_key_arn: NotRequired[pulumi.Input[str]]
    """Use this existing customer managed key instead (its policy must admit CloudWatch Logs). Default: AWS managed keys."""
    dags_folder: NotRequired[str]
    """Local folder uploaded to s3://bucket/dags on every deployment; absolute from a program in another language. Default: none (a CI job syncs DAGs)."""
    dag_sync_interval_seconds: NotRequired[int]
    """How often parsers pull the DAG folder from the bucket. Default: 30."""
    metrics_agent_image: NotRequired[str]
    """CloudWatch agent image of the scheduler's StatsD sidecar. Default: DEFAULT_METRICS_AGENT_IMAGE."""
    access: NotRequired[dict[str, Any]]
    """PrivateAccessAlbArgs without `target` and `vpc_id`: the load balancer in front of the api-server. Default: none."""
    sign_in: NotRequired[SignInArgs]
    """Users signed in by `access` (which must authenticate) are Airflow users with their mapped role; no Airflow passwords for people. Default: none (Airflow's own login page after the load balancer's)."""
    api_client_cidrs: NotRequired[list[str]]
    """Networks whose REST clients reach /api/v2 and /auth/token through the load balancer with Airflow tokens, without its sign-in. Default: none."""
    protect_stateful_resources: NotRequired[bool]
    """Protect database, broker, bucket, key, log groups, secrets and their random values; keep a final snapshot. Default: false."""
    tags: NotRequired[pulumi.Input[Mapping[str, pulumi.Input[str]]]]
    """Tags on every resource that takes them. Default: none."""


class FargateAirflowCluster(pulumi.ComponentResource):
    """Airflow 3 (CeleryExecutor) on ECS Fargate with Aurora, ElastiCache, S3 DAGs and queue-depth worker scaling."""

    cluster_name: pulumi.Output[str]
    """Name of the ECS cluster."""
    cluster_arn: pulumi.Output[str]
    """ARN of the ECS cluster."""
    service_names: pulumi.Output[dict[str, str]]
    """ECS service name per process."""
    ui_url: pulumi.Output[str]
    """Where people open Airflow: the load balancer's URL, else the api-server's private name."""
    database_endpoint: pulumi.Output[str]
    """Writer endpoint of the metadata database."""
    broker_endpoint: pulumi.Output[str]
    """Primary endpoint of the broker."""
    secret_arns: pulumi.Output[dict[str, str]]
    """Secrets Manager ARN per secret (database-url, broker-url, fernet-key, ...)."""
    bucket_name: pulumi.Output[str]
    """Bucket holding dags/ and logs/."""
    security_group_ids: pulumi.Output[dict[str, str]]
    """Security group per process, database and broker."""
    task_role_arns: pulumi.Output[dict[str, str]]
    """Task role per process; grant the worker role what DAGs need."""
    metrics_namespace: pulumi.Output[str]
    """CloudWatch namespace of the StatsD metrics (scheduler, dag-processor, triggerer)."""
    kms_key_arn: pulumi.Output[Optional[str]]
    """Customer managed key in use, if any."""
    task_security_group_ids: list[pulumi.Output[str]]
    """The tasks' security groups as a list known in length at plan time (for VPC endpoint ingress)."""

    def __init__(self, name: str, args: FargateAirflowClusterArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__(TYPE_TOKEN, name, None, opts)
        _check(args)
        flower = bool(args.get("flower", False))
        env = args["environment_name"]
        # The scope, not attributes named `_name` or `_protect`: pulumi.Resource keeps its own there.
        scope = self._scope = ClusterScope(
            component=self, label=name, env=env, tags=args.get("tags") or {},
            protect_stateful=bool(args.get("protect_stateful_resources", False)), context=AwsContext.of(self),
            processes=tuple(p for p in airflow.SERVICES if p != "flower" or flower),
            metrics_namespace=f"Airflow/{env}")

        key_arn = self._key(args)
        bucket = self._dag_bucket(args, key_arn)
        log_groups = self._log_groups(args, key_arn)
        groups = self._security_groups(args, flower)
        data = cluster_data(scope, args, groups, key_arn, flower)
        execution_role, execution_ready = self._execution_role(args, log_groups, data.secrets, key_arn)
        task_roles = self._task_roles(bucket.arn, key_arn)
        cluster, discovery = fargate_services.cluster_and_discovery(scope, args, flower)
        access = self._access(args, groups["api-server"])
        ui_url = access.url if access else pulumi.Output.from_input(
            f"http://api-server.{airflow.namespace_name(env)}:{airflow.API_SERVER_PORT}")
        task_definitions = {
            process: fargate_services.task_definition(
                scope, args, process, execution_role, task_roles[process], log_groups[process], data.secrets,
                bucket, ui_url if access else None,
                # Only the api-server signs people in (its FAB app serves /auth/login/).
                access.arn if access and args.get("sign_in") and process == "api-server" else None)
            for process in scope.tasks
        }
        # Tasks pull images and reach AWS through the routes `start_after` names; they get their subnets after those.
        task_args = {**args, "subnet_ids": available_after(args["subnet_ids"], args.get("start_after", []))}
        migration = fargate_services.migration(
            scope, task_args, cluster, task_definitions["migrate"], groups["migrate"],
            [execution_role, task_roles["migrate"]], key_arn,
            depends_on=[*data.database_instances, *data.secrets.versions, *execution_ready, log_groups["migrate"]])
        services = {
            process: fargate_services.service(scope, task_args, process, cluster, task_definitions[process],
                                              groups[process], discovery.get(process), access, migration)
            for process in scope.processes
        }
        fargate_services.worker_autoscaling(scope, args, cluster, services["worker"])
        self._publish(cluster, services, ui_url, data, bucket, groups, task_roles, key_arn)

    def _publish(self, cluster: aws.ecs.Cluster, services: dict[str, aws.ecs.Service], ui_url, data: ClusterData,
                 bucket: aws.s3.Bucket, groups: dict[str, aws.ec2.SecurityGroup], task_roles: dict[str, aws.iam.Role],
                 key_arn) -> None:
        self.cluster_name = cluster.name
        self.cluster_arn = cluster.arn
        self.service_names = pulumi.Output.all(**{p: s.name for p, s in services.items()})
        self.ui_url = ui_url
        self.database_endpoint = data.database.endpoint
        self.broker_endpoint = data.broker.primary_endpoint_address
        self.secret_arns = pulumi.Output.all(**{n: s.arn for n, s in data.secrets.secrets.items()})
        self.bucket_name = bucket.bucket
        self.security_group_ids = pulumi.Output.all(**{n: g.id for n, g in groups.items()})
        self.task_role_arns = pulumi.Output.all(**{p: r.arn for p, r in task_roles.items()})
        self.metrics_namespace = pulumi.Output.from_input(self._scope.metrics_namespace)
        self.task_security_group_ids = [groups[m].id for m in self._scope.tasks]
        self.kms_key_arn = pulumi.Output.from_input(key_arn)
        self.register_outputs({
            "cluster_name": self.cluster_name, "cluster_arn": self.cluster_arn, "service_names": self.service_names,
            "ui_url": self.ui_url, "database_endpoint": self.database_endpoint,
            "broker_endpoint": self.broker_endpoint, "secret_arns": self.secret_arns,
            "bucket_name": self.bucket_name, "security_group_ids": self.security_group_ids,
            "task_role_arns": self.task_role_arns, "metrics_namespace": self.metrics_namespace,
            "kms_key_arn": self.kms_key_arn,
        })

    # -- storage and keys ----------------------------------------------------------------
    def _key(self, args) -> Optional[pulumi.Input[str]]:
        scope = self._scope
        if not args.get("create_kms_key"):
            return args.get("kms_key_arn")
        key = aws.kms.Key(
            f"{scope.label}-key", description=f"Encrypts the Airflow cluster {scope.env}: secrets, bucket, "
                                              "database, broker and logs",
            enable_key_rotation=True, deletion_window_in_days=30,
            policy=scope.context.apply(lambda c: json.dumps(fargate_policies.cluster_key_policy(
                partition=c.partition, region=c.region, account=c.account,
                log_group_pattern=naming.log_group_pattern(scope.env)))),
            tags=scope.tags, opts=scope.stateful())
        aws.kms.Alias(f"{scope.label}-key-alias", name=f"alias/airflow-{scope.env}", target_key_id=key.key_id,
                      opts=scope.options())
        return key.arn

    def _dag_bucket(self, args, key_arn) -> aws.s3.Bucket:
        """The bucket of DAGs and task logs, with the DAG folder uploaded (the tasks' sidecars pull it)."""
        scope = self._scope
        target = private_bucket(self, f"{scope.label}-bucket", bucket_prefix=naming.bucket_prefix(scope.env),
                                tags=scope.tags, protect=scope.protect_stateful, kms_key_arn=key_arn)
        days = args.get("task_log_retention_days", 90)
        aws.s3.BucketLifecycleConfiguration(
            f"{scope.label}-bucket-lifecycle", bucket=target.bucket.id,
            rules=[{"id": "expire-task-logs", "status": "Enabled", "filter": {"prefix": f"{airflow.LOGS_PREFIX}/"},
                    "expiration": {"days": days}, "noncurrent_version_expiration": {"noncurrent_days": 1}},
                   {"id": "forget-old-dag-versions", "status": "Enabled", "filter": {"prefix": f"{airflow.DAGS_PREFIX}/"},
                    "noncurrent_version_expiration": {"noncurrent_days": 30}}],
            opts=scope.options(depends_on=target.guards))
        dags = local_folder(args["dags_folder"], "FargateAirflowCluster", "dags_folder") if args.get("dags_folder") else None
        if dags and dags.is_dir():
            upload_tree(self, scope.label, target, dags, airflow.DAGS_PREFIX)
        return target.bucket

    def _log_groups(self, args, key_arn) -> dict[str, aws.cloudwatch.LogGroup]:
        scope = self._scope
        return {
            process: aws.cloudwatch.LogGroup(
                f"{scope.label}-logs-{process}", name=airflow.log_group_name(scope.env, process),
                retention_in_days=args.get("log_retention_days", 30), kms_key_id=key_arn, tags=scope.tags,
                opts=scope.stateful())
            for process in scope.tasks
        }

    # -- network ---------------------------------------------------------------------------
    def _security_groups(self, args, flower: bool) -> dict[str, aws.ec2.SecurityGroup]:
        scope = self._scope
        name = scope.label
        members = [*scope.tasks, "database", "broker"]
        groups = {
            member: aws.ec2.SecurityGroup(
                f"{name}-{member}-sg", vpc_id=args["vpc_id"], description=f"Airflow {scope.env}: {member}",
                tags={**scope.tags, "Name": f"airflow-{scope.env}-{member}"} if isinstance(scope.tags, dict)
                else scope.tags,
                opts=scope.options())
            for member in members
        }
        for flow in airflow.network_flows(flower=flower):
            label = f"{flow.source}-to-{flow.target}-{flow.port}"
            aws.vpc.SecurityGroupEgressRule(
                f"{name}-sg-out-{label}", security_group_id=groups[flow.source].id,
                referenced_security_group_id=groups[flow.target].id, ip_protocol="tcp", from_port=flow.port,
                to_port=flow.port, description=flow.description, opts=scope.options())
            aws.vpc.SecurityGroupIngressRule(
                f"{name}-sg-in-{label}", security_group_id=groups[flow.target].id,
                referenced_security_group_id=groups[flow.source].id, ip_protocol="tcp", from_port=flow.port,
                to_port=flow.port, description=flow.description, opts=scope.options())
        for member in scope.tasks:
            # Images, Secrets Manager, S3, CloudWatch and ECS are reached on 443 (NAT or endpoints).
            aws.vpc.SecurityGroupEgressRule(
                f"{name}-sg-out-{member}-https", security_group_id=groups[member].id, cidr_ipv4="0.0.0.0/0",
                ip_protocol="tcp", from_port=443, to_port=443, description="AWS APIs and the image registry",
                opts=scope.options())
        if flower:
            aws.vpc.SecurityGroupIngressRule(
                f"{name}-sg-in-vpc-to-flower-5555", security_group_id=groups["flower"].id,
                cidr_ipv4=args["vpc_cidr"], ip_protocol="tcp", from_port=5555, to_port=5555,
                description="Operators in the VPC open Flower (basic auth)", opts=scope.options())
        return groups

    def _access(self, args, api_server_group: aws.ec2.SecurityGroup) -> Optional[PrivateAccessAlb]:
        scope = self._scope
        if not args.get("access"):
            return None
        cidrs = args.get("api_client_cidrs") or []
        # `access` is documented as PrivateAccessAlbArgs without the two keys added here (the schema cannot say so).
        return PrivateAccessAlb(f"{scope.label}-access", cast(PrivateAccessAlbArgs, {
            **args["access"],
            "vpc_id": args["vpc_id"],
            # Workers reach the execution API directly (Cloud Map name); nobody needs it through here.
            "blocked_paths": airflow.EXECUTION_API_PATHS,
            **({"machine_access": {"paths": airflow.REST_API_PATHS, "source_cidrs": cidrs}} if cidrs else {}),
            "target": {"port": airflow.API_SERVER_PORT, "protocol": TargetProtocol.HTTP,
                       "health_check_path": "/api/v2/monitor/health", "health_check_matcher": "200",
                       "security_group_id": api_server_group.id},
        }), opts=scope.options())

    # -- IAM ---------------------------------------------------------------------------------
    def _trust(self) -> pulumi.Output[str]:
        scope = self._scope
        return scope.context.apply(lambda c: json.dumps(fargate_policies.ecs_tasks_trust_policy(
            account=c.account, partition=c.partition, region=c.region)))

    def _execution_role(self, args, log_groups, secrets: ClusterSecrets, key_arn):
        scope = self._scope
        role = aws.iam.Role(f"{scope.label}-execution", description=f"ECS starts the Airflow {scope.env} tasks",
                            assume_role_policy=self._trust(), tags=scope.tags, opts=scope.options())
        image = args["image"]
        policy = aws.iam.RolePolicy(
            f"{scope.label}-execution", role=role.id,
            policy=pulumi.Output.all(scope.context.output, [g.arn for g in log_groups.values()],
                                     [s.arn for s in secrets.secrets.values()], key_arn).apply(
                lambda v: json.dumps(fargate_policies.execution_policy(
                    log_group_arns=v[1], secret_arns=v[2], kms_key_arn=v[3],
                    ecr_repository_arn=airflow.ecr_repository_arn(image, v[0].partition)))),
            opts=scope.options())
        return role, [policy]

    def _task_roles(self, bucket_arn, key_arn) -> dict[str, aws.iam.Role]:
        scope = self._scope
        roles = {}
        for process in scope.tasks:
            role = aws.iam.Role(f"{scope.label}-{process}-task", description=f"Airflow {scope.env} {process}",
                                assume_role_policy=self._trust(), tags=scope.tags, opts=scope.options())
            definition = airflow.PROCESSES.get(process, airflow.MIGRATE)
            namespace = scope.metrics_namespace if definition.emits_metrics else None
            document = pulumi.Output.all(bucket_arn, key_arn, scope.context.output).apply(
                lambda v, p=process, n=namespace, protects=definition.protects_itself: fargate_policies.task_policy(
                    p, bucket_arn=v[0], kms_key_arn=v[1], metrics_namespace=n,
                    protection_cluster_arn=(f"arn:{v[2].partition}:ecs:{v[2].region}:{v[2].account}:"
                                            f"cluster/{scope.env}") if protects else None))
            if fargate_policies.task_needs_policy(process, metrics_namespace=namespace):
                aws.iam.RolePolicy(f"{scope.label}-{process}-task", role=role.id, policy=document.apply(json.dumps),
                                   opts=scope.options())
            roles[process] = role
        return roles


def _check(args: FargateAirflowClusterArgs) -> None:
    if args.get("kms_key_arn") and args.get("create_kms_key"):
        raise ValueError("FargateAirflowCluster: set create_kms_key or kms_key_arn, not both")
    sign_in = args.get("sign_in")
    if sign_in and not (args.get("access") or {}).get("authentication"):
        raise ValueError("FargateAirflowCluster: sign_in needs access with authentication (its load balancer signs "
                         "users in)")
    if sign_in and not sign_in.get("group_role_mapping"):
        raise ValueError("FargateAirflowCluster: sign_in.group_role_mapping must map at least one group to a role")
    unknown = alb_identity.unknown_roles((sign_in or {}).get("group_role_mapping") or {})
    if unknown:
        raise ValueError(f"FargateAirflowCluster: sign_in.group_role_mapping names unknown roles {unknown}; allowed: "
                         f"{list(alb_identity.ROLES_BY_PRIVILEGE)}")
    if args.get("api_client_cidrs") and not args.get("access"):
        raise ValueError("FargateAirflowCluster: api_client_cidrs needs access (they skip that load balancer's sign-in)")
    if args.get("api_workers", 1) < 1:
        raise ValueError("FargateAirflowCluster: api_workers must be at least 1")
    minimum, maximum = args.get("min_workers", 1), args.get("max_workers", 10)
    if not 1 <= minimum <= maximum:
        raise ValueError("FargateAirflowCluster: need 1 <= min_workers <= max_workers (the scaling metric divides "
                         "by the running workers)")
    for process, size in (args.get("task_sizes") or {}).items():
        if process not in DEFAULT_TASK_SIZES:
            raise ValueError(f"FargateAirflowCluster: task_sizes names unknown process {process!r}")
        if size["memory"] not in airflow.fargate_memory_choices(size["cpu"]):
            raise ValueError(f"FargateAirflowCluster: Fargate has no {size['cpu']} CPU / {size['memory']} MiB size "
                             f"for {process}")

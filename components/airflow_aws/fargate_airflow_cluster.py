"""FargateAirflowCluster: self-managed Airflow 3 with the CeleryExecutor on ECS Fargate.

It owns the ECS cluster and one service per process (api-server, scheduler, dag-processor,
triggerer, Celery workers, optional Flower), the metadata database (Aurora Serverless v2
PostgreSQL), the Celery broker (ElastiCache Valkey or Redis with TLS and an AUTH token), the
secrets, the bucket for DAGs and task logs, the log groups, a security group per process, the
IAM roles, worker autoscaling on queue depth, and the migration run once per deployment.
The network is passed in; the UI is put behind PrivateAccessAlb when `access` is given.

What is decided where: pure rules (URLs, container definitions, flows, scaling metric) live in
airflow_settings.py, IAM documents in fargate_policies.py; this module only wires resources.
"""


import json
from typing import Any, Optional, Sequence, TypedDict

import pulumi
import pulumi_aws as aws
import pulumi_random as random
from typing_extensions import NotRequired

from . import airflow_settings as airflow
from . import fargate_policies, naming, policies
from ._aws_context import AwsContext, child_options
from .lambda_packages import LAMBDA_ARCHITECTURE, LAMBDA_RUNTIME, function_archive
from .local_paths import local_folder
from .private_access_alb import PrivateAccessAlb
from .private_bucket import PrivateBucket, private_bucket, upload_tree

TYPE_TOKEN = "airflow-aws:index:FargateAirflowCluster"

DEFAULT_TASK_SIZES: dict[str, dict[str, int]] = {
    "api-server": {"cpu": 1024, "memory": 2048},
    "scheduler": {"cpu": 1024, "memory": 2048},
    "dag-processor": {"cpu": 1024, "memory": 2048},
    "triggerer": {"cpu": 512, "memory": 1024},
    "worker": {"cpu": 2048, "memory": 4096},
    "flower": {"cpu": 256, "memory": 512},
    "migrate": {"cpu": 512, "memory": 1024},
}
DEFAULT_METRICS_AGENT_IMAGE = "public.ecr.aws/cloudwatch-agent/cloudwatch-agent:latest"
# Seconds ECS ignores failing health checks of a new task (load balancer and container checks).
HEALTH_CHECK_GRACE_PERIOD = 180
SCALE_OUT_COOLDOWN = 60
SCALE_IN_COOLDOWN = 600
WEEKLY_MAINTENANCE = "sun:04:00-sun:05:00"
BACKUP_WINDOW = "02:00-03:00"


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

    engine: NotRequired[str]
    """valkey or redis. Default: valkey."""
    engine_version: NotRequired[str]
    """Engine version. Default: 8.0 (valkey)."""
    node_type: NotRequired[str]
    """Node type. Default: cache.t4g.micro."""
    nodes: NotRequired[int]
    """Nodes; 2 or more adds a replica with automatic Multi-AZ failover. Default: 1."""


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
    image: str
    """Airflow 3 image with tag, e.g. apache/airflow:3.0.6. Must be known at plan time."""
    cpu_architecture: NotRequired[str]
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
    protect_stateful_resources: NotRequired[bool]
    """Protect database, broker, bucket, key, log groups, secrets and their random values; keep a final snapshot. Default: false."""
    tags: NotRequired[pulumi.Input[dict[str, pulumi.Input[str]]]]
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
        # Not `_name` or `_protect`: pulumi.Resource keeps its own there, and children inherit `_protect`.
        self._label = name
        self._env = args["environment_name"]
        self._tags = args.get("tags") or {}
        self._protect_stateful = bool(args.get("protect_stateful_resources", False))
        self._context = AwsContext.of(self)
        flower = bool(args.get("flower", False))
        self._processes = [p for p in airflow.SERVICES if p != "flower" or flower]
        self._metrics_namespace = f"Airflow/{self._env}"

        key_arn = self._key(args)
        target = self._bucket(args, key_arn)
        dags = local_folder(args["dags_folder"], "FargateAirflowCluster", "dags_folder") if args.get("dags_folder") else None
        if dags and dags.is_dir():
            upload_tree(self, self._label, target, dags, airflow.DAGS_PREFIX)
        bucket = target.bucket
        log_groups = self._log_groups(args, key_arn)
        groups = self._security_groups(args, flower)
        randoms = self._randoms(flower)
        database, database_ready = self._database(args, groups["database"], randoms["database"], key_arn)
        broker = self._broker(args, groups["broker"], randoms["broker"], key_arn)
        secrets = self._secrets(randoms, database, broker, key_arn, flower)
        execution_role, execution_ready = self._execution_role(args, log_groups, secrets, key_arn)
        task_roles = self._task_roles(bucket.arn, key_arn)

        cluster = aws.ecs.Cluster(
            f"{name}-cluster", name=self._env, settings=[{"name": "containerInsights", "value": "enabled"}],
            tags=self._tags, opts=child_options(self))
        namespace = aws.servicediscovery.PrivateDnsNamespace(
            f"{name}-namespace", name=airflow.namespace_name(self._env), vpc=args["vpc_id"],
            description=f"Processes of the Airflow cluster {self._env} find each other here", tags=self._tags,
            opts=child_options(self))
        discovery = {
            process: aws.servicediscovery.Service(
                f"{name}-{process}-discovery", name=process,
                dns_config={"namespace_id": namespace.id, "routing_policy": "MULTIVALUE",
                            "dns_records": [{"ttl": 10, "type": "A"}]},
                tags=self._tags, opts=child_options(self))
            for process in ("api-server", *(("flower",) if flower else ()))
        }
        access = self._access(args, groups["api-server"])
        ui_url = access.url if access else pulumi.Output.from_input(
            f"http://api-server.{airflow.namespace_name(self._env)}:{airflow.API_SERVER_PORT}")

        task_definitions = {
            process: self._task_definition(args, process, execution_role, task_roles[process], log_groups[process],
                                           secrets, bucket, ui_url if access else None)
            for process in [*self._processes, "migrate"]
        }
        migration = self._migration(args, cluster, task_definitions["migrate"], groups["migrate"],
                                    [execution_role, task_roles["migrate"]], key_arn,
                                    depends_on=[*database_ready, *secrets.versions, *execution_ready,
                                                log_groups["migrate"]])
        services = {
            process: self._service(args, process, cluster, task_definitions[process], groups[process],
                                   discovery.get(process), access, migration)
            for process in self._processes
        }
        self._worker_autoscaling(args, cluster, services["worker"])

        self.cluster_name = cluster.name
        self.cluster_arn = cluster.arn
        self.service_names = pulumi.Output.all(**{p: s.name for p, s in services.items()})
        self.ui_url = ui_url
        self.database_endpoint = database.endpoint
        self.broker_endpoint = broker.primary_endpoint_address
        self.secret_arns = pulumi.Output.all(**{n: s.arn for n, s in secrets.secrets.items()})
        self.bucket_name = bucket.bucket
        self.security_group_ids = pulumi.Output.all(**{n: g.id for n, g in groups.items()})
        self.task_role_arns = pulumi.Output.all(**{p: r.arn for p, r in task_roles.items()})
        self.metrics_namespace = pulumi.Output.from_input(self._metrics_namespace)
        self.task_security_group_ids = [groups[m].id for m in [*self._processes, "migrate"]]
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
        if not args.get("create_kms_key"):
            return args.get("kms_key_arn")
        key = aws.kms.Key(
            f"{self._label}-key", description=f"Encrypts the Airflow cluster {self._env}: secrets, bucket, "
                                             "database, broker and logs",
            enable_key_rotation=True, deletion_window_in_days=30,
            policy=self._context.apply(lambda c: json.dumps(fargate_policies.cluster_key_policy(
                partition=c.partition, region=c.region, account=c.account,
                log_group_pattern=naming.log_group_pattern(self._env)))),
            tags=self._tags, opts=child_options(self, protect=self._protect_stateful))
        aws.kms.Alias(f"{self._label}-key-alias", name=f"alias/airflow-{self._env}", target_key_id=key.key_id,
                      opts=child_options(self))
        return key.arn

    def _bucket(self, args, key_arn) -> PrivateBucket:
        target = private_bucket(self, f"{self._label}-bucket", bucket_prefix=naming.bucket_prefix(self._env),
                                tags=self._tags, protect=self._protect_stateful, kms_key_arn=key_arn)
        days = args.get("task_log_retention_days", 90)
        aws.s3.BucketLifecycleConfiguration(
            f"{self._label}-bucket-lifecycle", bucket=target.bucket.id,
            rules=[{"id": "expire-task-logs", "status": "Enabled", "filter": {"prefix": f"{airflow.LOGS_PREFIX}/"},
                    "expiration": {"days": days}, "noncurrent_version_expiration": {"noncurrent_days": 1}},
                   {"id": "forget-old-dag-versions", "status": "Enabled", "filter": {"prefix": f"{airflow.DAGS_PREFIX}/"},
                    "noncurrent_version_expiration": {"noncurrent_days": 30}}],
            opts=child_options(self, depends_on=target.guards))
        return target

    def _log_groups(self, args, key_arn) -> dict[str, aws.cloudwatch.LogGroup]:
        return {
            process: aws.cloudwatch.LogGroup(
                f"{self._label}-logs-{process}", name=airflow.log_group_name(self._env, process),
                retention_in_days=args.get("log_retention_days", 30), kms_key_id=key_arn, tags=self._tags,
                opts=child_options(self, protect=self._protect_stateful))
            for process in [*self._processes, "migrate"]
        }

    # -- network ---------------------------------------------------------------------------
    def _security_groups(self, args, flower: bool) -> dict[str, aws.ec2.SecurityGroup]:
        name = self._label
        members = [*self._processes, "migrate", "database", "broker"]
        groups = {
            member: aws.ec2.SecurityGroup(
                f"{name}-{member}-sg", vpc_id=args["vpc_id"], description=f"Airflow {self._env}: {member}",
                tags={**self._tags, "Name": f"airflow-{self._env}-{member}"} if isinstance(self._tags, dict)
                else self._tags,
                opts=child_options(self))
            for member in members
        }
        for flow in airflow.network_flows(flower=flower):
            label = f"{flow.source}-to-{flow.target}-{flow.port}"
            aws.vpc.SecurityGroupEgressRule(
                f"{name}-sg-out-{label}", security_group_id=groups[flow.source].id,
                referenced_security_group_id=groups[flow.target].id, ip_protocol="tcp", from_port=flow.port,
                to_port=flow.port, description=flow.description, opts=child_options(self))
            aws.vpc.SecurityGroupIngressRule(
                f"{name}-sg-in-{label}", security_group_id=groups[flow.target].id,
                referenced_security_group_id=groups[flow.source].id, ip_protocol="tcp", from_port=flow.port,
                to_port=flow.port, description=flow.description, opts=child_options(self))
        for member in [*self._processes, "migrate"]:
            # Images, Secrets Manager, S3, CloudWatch and ECS are reached on 443 (NAT or endpoints).
            aws.vpc.SecurityGroupEgressRule(
                f"{name}-sg-out-{member}-https", security_group_id=groups[member].id, cidr_ipv4="0.0.0.0/0",
                ip_protocol="tcp", from_port=443, to_port=443, description="AWS APIs and the image registry",
                opts=child_options(self))
        if flower:
            aws.vpc.SecurityGroupIngressRule(
                f"{name}-sg-in-vpc-to-flower-5555", security_group_id=groups["flower"].id,
                cidr_ipv4=args["vpc_cidr"], ip_protocol="tcp", from_port=5555, to_port=5555,
                description="Operators in the VPC open Flower (basic auth)", opts=child_options(self))
        return groups

    def _access(self, args, api_server_group: aws.ec2.SecurityGroup) -> Optional[PrivateAccessAlb]:
        if not args.get("access"):
            return None
        return PrivateAccessAlb(f"{self._label}-access", {
            **args["access"],
            "vpc_id": args["vpc_id"],
            "target": {"port": airflow.API_SERVER_PORT, "protocol": "HTTP",
                       "health_check_path": "/api/v2/monitor/health", "health_check_matcher": "200",
                       "security_group_id": api_server_group.id},
        }, opts=child_options(self))

    # -- secrets, database, broker ---------------------------------------------------------
    def _randoms(self, flower: bool) -> dict[str, pulumi.CustomResource]:
        name = self._label
        # Each value lives only in the state and its secret: a replaced one locks out the database
        # or broker until every task restarts, or (Fernet) leaves stored connections unreadable.
        opts = child_options(self, protect=self._protect_stateful)
        randoms: dict[str, pulumi.CustomResource] = {
            # Aurora caps the master password at 41 characters and refuses "/", '"', "@" and spaces.
            "database": random.RandomPassword(f"{name}-database-password", length=32, special=True,
                                              override_special=airflow.DATABASE_PASSWORD_SPECIALS, opts=opts),
            "broker": random.RandomPassword(f"{name}-broker-token", length=64, special=True,
                                            override_special=airflow.BROKER_TOKEN_SPECIALS, opts=opts),
            # No keepers and a constant length: nothing can ever replace it, so stored
            # connections and variables stay readable. Rotation is `airflow rotate-fernet-key`.
            "fernet": random.RandomBytes(f"{name}-fernet-key", length=32, opts=opts),
            "jwt": random.RandomBytes(f"{name}-jwt-secret", length=32, opts=opts),
            "api": random.RandomBytes(f"{name}-api-secret-key", length=32, opts=opts),
        }
        if flower:
            randoms["flower"] = random.RandomPassword(f"{name}-flower-password", length=32, special=False, opts=opts)
        return randoms

    def _database(self, args, group, password: random.RandomPassword, key_arn):
        name, settings = self._label, args.get("database") or {}
        version = settings.get("engine_version", "16.6")
        subnets = aws.rds.SubnetGroup(f"{name}-database", subnet_ids=args["subnet_ids"],
                                      description=f"Airflow {self._env} metadata database", tags=self._tags,
                                      opts=child_options(self))
        protection = ({"deletion_protection": True, "skip_final_snapshot": False,
                       "final_snapshot_identifier": f"{airflow.slug(self._env)}-final"}
                      if self._protect_stateful else {"deletion_protection": False, "skip_final_snapshot": True})
        cluster = aws.rds.Cluster(
            f"{name}-database", engine="aurora-postgresql", engine_mode="provisioned", engine_version=version,
            database_name=airflow.DATABASE_NAME, master_username=airflow.DATABASE_USER,
            master_password=password.result, port=airflow.DATABASE_PORT,
            serverlessv2_scaling_configuration={"min_capacity": settings.get("min_capacity", 0.5),
                                                "max_capacity": settings.get("max_capacity", 4)},
            storage_encrypted=True, kms_key_id=key_arn,
            backup_retention_period=settings.get("backup_retention_days", 7), preferred_backup_window=BACKUP_WINDOW,
            preferred_maintenance_window=WEEKLY_MAINTENANCE, copy_tags_to_snapshot=True,
            db_subnet_group_name=subnets.name, vpc_security_group_ids=[group.id], **protection,
            tags=self._tags, opts=child_options(self, protect=self._protect_stateful))
        instances = [
            aws.rds.ClusterInstance(
                f"{name}-database-{index}", cluster_identifier=cluster.id, instance_class="db.serverless",
                engine=cluster.engine, engine_version=cluster.engine_version, publicly_accessible=False,
                db_subnet_group_name=subnets.name, promotion_tier=index, tags=self._tags,
                opts=child_options(self, protect=self._protect_stateful))
            for index in range(settings.get("instances", 1))
        ]
        return cluster, instances

    def _broker(self, args, group, token: random.RandomPassword, key_arn) -> aws.elasticache.ReplicationGroup:
        name, settings = self._label, args.get("broker") or {}
        engine = settings.get("engine", "valkey")
        nodes = settings.get("nodes", 1)
        subnets = aws.elasticache.SubnetGroup(f"{name}-broker", subnet_ids=args["subnet_ids"],
                                              description=f"Airflow {self._env} Celery broker", tags=self._tags,
                                              opts=child_options(self))
        return aws.elasticache.ReplicationGroup(
            f"{name}-broker", description=f"Celery broker of Airflow {self._env}", engine=engine,
            engine_version=settings.get("engine_version", "8.0" if engine == "valkey" else "7.1"),
            node_type=settings.get("node_type", "cache.t4g.micro"), num_cache_clusters=nodes,
            automatic_failover_enabled=nodes > 1, multi_az_enabled=nodes > 1, port=airflow.BROKER_PORT,
            transit_encryption_enabled=True, at_rest_encryption_enabled=True, auth_token=token.result,
            kms_key_id=key_arn, subnet_group_name=subnets.name, security_group_ids=[group.id],
            maintenance_window=WEEKLY_MAINTENANCE, apply_immediately=True, tags=self._tags,
            # It holds the queued tasks.
            opts=child_options(self, protect=self._protect_stateful))

    def _secrets(self, randoms, database: aws.rds.Cluster, broker, key_arn, flower: bool) -> "_Secrets":
        values: dict[str, pulumi.Output[str]] = {
            "database-url": pulumi.Output.all(randoms["database"].result, database.endpoint).apply(
                lambda v: airflow.database_url(v[0], v[1])),
            "result-backend": pulumi.Output.all(randoms["database"].result, database.endpoint).apply(
                lambda v: airflow.result_backend_url(v[0], v[1])),
            "broker-url": pulumi.Output.all(randoms["broker"].result, broker.primary_endpoint_address).apply(
                lambda v: airflow.broker_url(v[0], v[1])),
            "fernet-key": randoms["fernet"].base64.apply(airflow.fernet_key),
            "jwt-secret": randoms["jwt"].hex,
            "api-secret-key": randoms["api"].hex,
        }
        variables = dict(airflow.SECRET_VARIABLES)
        if flower:
            secret_name, variable = airflow.FLOWER_SECRET
            values[secret_name] = randoms["flower"].result.apply(airflow.flower_basic_auth)
            variables[secret_name] = variable
        secrets, versions = {}, []
        for secret_name, value in values.items():
            secret = aws.secretsmanager.Secret(
                f"{self._label}-{secret_name}", name_prefix=f"airflow/{self._env}/{secret_name}-",
                description=f"{variables[secret_name]} of the Airflow cluster {self._env}", kms_key_id=key_arn,
                tags=self._tags, opts=child_options(self, protect=self._protect_stateful))
            # A URL's version must stay replaceable: a new value is a new version, and the URLs
            # follow the database and broker. The others hold random values that never change.
            protect_version = self._protect_stateful and secret_name not in airflow.URL_SECRETS
            versions.append(aws.secretsmanager.SecretVersion(
                f"{self._label}-{secret_name}", secret_id=secret.id, secret_string=pulumi.Output.secret(value),
                opts=child_options(self, protect=protect_version)))
            secrets[secret_name] = secret
        return _Secrets(secrets, versions, variables)

    # -- IAM ---------------------------------------------------------------------------------
    def _trust(self) -> pulumi.Output[str]:
        return self._context.apply(lambda c: json.dumps(fargate_policies.ecs_tasks_trust_policy(
            account=c.account, partition=c.partition, region=c.region)))

    def _execution_role(self, args, log_groups, secrets: "_Secrets", key_arn):
        role = aws.iam.Role(f"{self._label}-execution", description=f"ECS starts the Airflow {self._env} tasks",
                            assume_role_policy=self._trust(), tags=self._tags, opts=child_options(self))
        image = args["image"]
        policy = aws.iam.RolePolicy(
            f"{self._label}-execution", role=role.id,
            policy=pulumi.Output.all(self._context.output, [g.arn for g in log_groups.values()],
                                     [s.arn for s in secrets.secrets.values()], key_arn).apply(
                lambda v: json.dumps(fargate_policies.execution_policy(
                    log_group_arns=v[1], secret_arns=v[2], kms_key_arn=v[3],
                    ecr_repository_arn=airflow.ecr_repository_arn(image, v[0].partition)))),
            opts=child_options(self))
        return role, [policy]

    def _task_roles(self, bucket_arn, key_arn) -> dict[str, aws.iam.Role]:
        roles = {}
        for process in [*self._processes, "migrate"]:
            role = aws.iam.Role(f"{self._label}-{process}-task", description=f"Airflow {self._env} {process}",
                                assume_role_policy=self._trust(), tags=self._tags, opts=child_options(self))
            emits = process != "migrate" and airflow.PROCESSES[process].emits_metrics
            namespace = self._metrics_namespace if emits else None
            document = pulumi.Output.all(bucket_arn, key_arn).apply(
                lambda v, p=process, n=namespace: fargate_policies.task_policy(p, bucket_arn=v[0], kms_key_arn=v[1],
                                                                               metrics_namespace=n))
            if fargate_policies.task_needs_policy(process, metrics_namespace=namespace):
                aws.iam.RolePolicy(f"{self._label}-{process}-task", role=role.id, policy=document.apply(json.dumps),
                                   opts=child_options(self))
            roles[process] = role
        return roles

    # -- ECS -----------------------------------------------------------------------------------
    def _task_definition(self, args, process: str, execution_role, task_role, log_group, secrets: "_Secrets",
                         bucket: aws.s3.Bucket, base_url: Optional[pulumi.Output[str]]) -> aws.ecs.TaskDefinition:
        definition = airflow.MIGRATE if process == "migrate" else airflow.PROCESSES[process]
        size = {**DEFAULT_TASK_SIZES, **(args.get("task_sizes") or {})}[process]
        secret_arns = {secrets.variables[n]: s.arn for n, s in secrets.secrets.items()
                       if n != airflow.FLOWER_SECRET[0] or process == "flower"}
        image = args["image"]
        concurrency = args.get("worker_concurrency", 16)
        sync_interval = args.get("dag_sync_interval_seconds", 30)
        agent_image = args.get("metrics_agent_image", DEFAULT_METRICS_AGENT_IMAGE)
        namespace = self._metrics_namespace
        own_environment = (airflow.api_server_environment(cpu=size["cpu"], workers=args.get("api_workers"))
                           if process == "api-server" else {})

        def render(values: list) -> str:
            facts, group, arns, bucket_name, url = values
            context = airflow.TaskContext(
                image=image, region=facts.region, log_group=group, secrets=arns, dags_bucket=bucket_name,
                dag_sync_interval=sync_interval, metrics_agent_image=agent_image, metrics_namespace=namespace,
                environment={**airflow.common_environment(
                    execution_api_url=f"http://api-server.{airflow.namespace_name(self._env)}:"
                                      f"{airflow.API_SERVER_PORT}/execution/",
                    remote_log_folder=f"s3://{bucket_name}/{airflow.LOGS_PREFIX}", region=facts.region,
                    worker_concurrency=concurrency, base_url=url), **own_environment})
            return json.dumps(airflow.container_definitions(definition, context))

        return aws.ecs.TaskDefinition(
            f"{self._label}-{process}", family=f"{airflow.slug(self._env)}-{process}",
            requires_compatibilities=["FARGATE"], network_mode="awsvpc", cpu=str(size["cpu"]),
            memory=str(size["memory"]),
            runtime_platform={"operating_system_family": "LINUX",
                              "cpu_architecture": args.get("cpu_architecture", "X86_64")},
            execution_role_arn=execution_role.arn, task_role_arn=task_role.arn,
            volumes=[{"name": airflow.DAGS_VOLUME}] if definition.parses_dags else None,
            container_definitions=pulumi.Output.all(self._context.output, log_group.name, secret_arns, bucket.bucket,
                                                    base_url).apply(render),
            tags=self._tags, opts=child_options(self))

    def _migration(self, args, cluster, task_definition, group, passed_roles, key_arn,
                   depends_on) -> aws.lambda_.Invocation:
        """Run `airflow db migrate` once per deployment, however many schedulers run.

        An init container in the scheduler task would run once per scheduler and again on every
        scheduler restart; a service would restart a container that exits. A one-off task run
        by a function that the deployment invokes whenever the migration task definition
        changes (new image or settings) runs exactly once, and the services below depend on it,
        so they move to the new image only after the migration succeeded. The services also
        wait with `airflow db check-migrations` (a task ECS restarts meanwhile starts no earlier).
        """
        name = self._label
        log_group = aws.cloudwatch.LogGroup(
            # Inside the pattern the key policy admits CloudWatch Logs for.
            f"{name}-migrate-function", name=naming.function_log_group_name(self._env, "db-migrate"),
            retention_in_days=args.get("log_retention_days", 30), kms_key_id=key_arn, tags=self._tags,
            opts=child_options(self, protect=self._protect_stateful))
        role = aws.iam.Role(f"{name}-migrate-function", description=f"Runs the Airflow {self._env} migration task",
                            assume_role_policy=json.dumps(policies.assume_role_policy("lambda.amazonaws.com")),
                            tags=self._tags, opts=child_options(self))
        role_policy = aws.iam.RolePolicy(
            f"{name}-migrate-function", role=role.id,
            policy=pulumi.Output.all(self._context.output, cluster.arn, cluster.name, log_group.arn,
                                     [r.arn for r in passed_roles]).apply(
                lambda v: json.dumps(fargate_policies.migration_function_policy(
                    cluster_arn=v[1],
                    task_definition_family_arn=f"arn:{v[0].partition}:ecs:{v[0].region}:{v[0].account}:"
                                               f"task-definition/{airflow.slug(self._env)}-migrate",
                    task_arn_pattern=f"arn:{v[0].partition}:ecs:{v[0].region}:{v[0].account}:task/{v[2]}/*",
                    passed_role_arns=v[4], log_group_arn=v[3]))),
            opts=child_options(self))
        function = aws.lambda_.Function(
            f"{name}-migrate", description=f"Runs airflow db migrate for {self._env} once per deployment",
            runtime=LAMBDA_RUNTIME, architectures=[LAMBDA_ARCHITECTURE], handler="app.handler",
            code=function_archive("db_migrate"), role=role.arn, timeout=900, memory_size=128,
            logging_config={"log_format": "Text", "log_group": log_group.name},
            tags=self._tags, opts=child_options(self, depends_on=[role_policy]))
        event = pulumi.Output.all(cluster.arn, task_definition.arn, args["subnet_ids"], group.id).apply(
            lambda v: json.dumps({"cluster": v[0], "taskDefinition": v[1], "container": "migrate",
                                  "subnets": list(v[2]), "securityGroups": [v[3]]}, sort_keys=True))
        return aws.lambda_.Invocation(
            f"{name}-migrate", function_name=function.name, input=event,
            # The task definition ARN carries its revision: a new revision is a new migration run.
            triggers={"task_definition": task_definition.arn},
            opts=child_options(self, depends_on=depends_on))

    def _service(self, args, process: str, cluster, task_definition, group, registry, access, migration):
        counts = {"api-server": args.get("api_servers", 1), "scheduler": args.get("schedulers", 1),
                  "dag-processor": 1, "triggerer": args.get("triggerers", 1),
                  "worker": args.get("min_workers", 1), "flower": 1}
        behind_alb = process == "api-server" and access is not None
        return aws.ecs.Service(
            f"{self._label}-{process}", name=process, cluster=cluster.arn, task_definition=task_definition.arn,
            desired_count=counts[process], launch_type="FARGATE", platform_version="LATEST",
            network_configuration={"subnets": args["subnet_ids"], "security_groups": [group.id],
                                   "assign_public_ip": False},
            health_check_grace_period_seconds=HEALTH_CHECK_GRACE_PERIOD,
            deployment_circuit_breaker={"enable": True, "rollback": True},
            deployment_minimum_healthy_percent=100, deployment_maximum_percent=200,
            load_balancers=[{"target_group_arn": access.target_group_arn, "container_name": process,
                             "container_port": airflow.API_SERVER_PORT}] if behind_alb else None,
            service_registries={"registry_arn": registry.arn} if registry else None,
            enable_ecs_managed_tags=True, propagate_tags="SERVICE", tags=self._tags,
            opts=child_options(
                self, depends_on=[migration, *([access] if behind_alb else [])],
                # Autoscaling owns the worker count once the service exists.
                ignore_changes=["desiredCount"] if process == "worker" else None))

    def _worker_autoscaling(self, args, cluster, worker: aws.ecs.Service) -> None:
        minimum, maximum = args.get("min_workers", 1), args.get("max_workers", 10)
        target = aws.appautoscaling.Target(
            f"{self._label}-workers", service_namespace="ecs", scalable_dimension="ecs:service:DesiredCount",
            resource_id=pulumi.Output.concat("service/", cluster.name, "/", worker.name),
            min_capacity=minimum, max_capacity=maximum, tags=self._tags, opts=child_options(self))
        metrics = pulumi.Output.all(cluster.name, worker.name).apply(lambda v: airflow.worker_load_metrics(
            namespace=self._metrics_namespace, cluster_name=v[0], worker_service_name=v[1],
            concurrency=args.get("worker_concurrency", 16)))
        aws.appautoscaling.Policy(
            f"{self._label}-workers-queue-depth", policy_type="TargetTrackingScaling",
            service_namespace=target.service_namespace, scalable_dimension=target.scalable_dimension,
            resource_id=target.resource_id,
            target_tracking_scaling_policy_configuration={
                "target_value": airflow.WORKER_LOAD_TARGET,
                # Queued tasks wait for a worker: add quickly. Removing one ends with a warm
                # shutdown that may take the full stop timeout: remove slowly.
                "scale_out_cooldown": SCALE_OUT_COOLDOWN, "scale_in_cooldown": SCALE_IN_COOLDOWN,
                "customized_metric_specification": {"metrics": metrics},
            },
            opts=child_options(self))


class _Secrets:
    """The cluster's secrets by name, their versions (values) and the Airflow variable each feeds."""

    def __init__(self, secrets: dict[str, aws.secretsmanager.Secret], versions: list[pulumi.Resource],
                 variables: dict[str, str]):
        self.secrets = secrets
        self.versions = versions
        self.variables = variables


def _check(args: FargateAirflowClusterArgs) -> None:
    if args.get("kms_key_arn") and args.get("create_kms_key"):
        raise ValueError("FargateAirflowCluster: set create_kms_key or kms_key_arn, not both")
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

"""The processes of a FargateAirflowCluster: ECS cluster, task definitions, the migration run, services, worker autoscaling.

Part of FargateAirflowCluster (fargate_airflow_cluster.py); each function registers its resources as
children of the cluster through the ClusterScope. What the containers hold is decided in
airflow_settings.py; this module only wires it to ECS.
"""

import json
from typing import Optional, cast

import pulumi
import pulumi_aws as aws

from . import airflow_settings as airflow
from . import fargate_policies, naming, policies
from ._fargate_scope import ClusterScope
from .aws_choices import CpuArchitecture, choice
from .fargate_data import ClusterSecrets
from .lambda_packages import LAMBDA_ARCHITECTURE, LAMBDA_RUNTIME, function_archive
from .private_access_alb import PrivateAccessAlb

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


def cluster_and_discovery(scope: ClusterScope, args,
                          flower: bool) -> tuple[aws.ecs.Cluster, dict[str, aws.servicediscovery.Service]]:
    """The ECS cluster, and a private DNS name for each process others call (api-server, Flower)."""
    name, env, tags = scope.label, scope.env, scope.tags
    cluster = aws.ecs.Cluster(
        f"{name}-cluster", name=env, settings=[{"name": "containerInsights", "value": "enabled"}],
        tags=tags, opts=scope.options())
    namespace = aws.servicediscovery.PrivateDnsNamespace(
        f"{name}-namespace", name=airflow.namespace_name(env), vpc=args["vpc_id"],
        description=f"Processes of the Airflow cluster {env} find each other here", tags=tags,
        opts=scope.options())
    discovery = {
        process: aws.servicediscovery.Service(
            f"{name}-{process}-discovery", name=process,
            dns_config={"namespace_id": namespace.id, "routing_policy": "MULTIVALUE",
                        "dns_records": [{"ttl": 10, "type": "A"}]},
            tags=tags, opts=scope.options())
        for process in ("api-server", *(("flower",) if flower else ()))
    }
    return cluster, discovery


def task_definition(scope: ClusterScope, args, process: str, execution_role, task_role, log_group,
                    secrets: ClusterSecrets, bucket: aws.s3.Bucket, base_url: Optional[pulumi.Output[str]],
                    sign_in_alb_arn: Optional[pulumi.Output[str]] = None) -> aws.ecs.TaskDefinition:
    """One process's task definition; the api-server's signs in the users of the load balancer
    `sign_in_alb_arn` (args["sign_in"], see alb_sign_in.py) when given."""
    definition = airflow.MIGRATE if process == "migrate" else airflow.PROCESSES[process]
    size = {**DEFAULT_TASK_SIZES, **(args.get("task_sizes") or {})}[process]
    secret_arns = {secrets.variables[n]: s.arn for n, s in secrets.secrets.items()
                   if n != airflow.FLOWER_SECRET[0] or process == "flower"}
    image = args["image"]
    concurrency = args.get("worker_concurrency", 16)
    sync_interval = args.get("dag_sync_interval_seconds", 30)
    agent_image = args.get("metrics_agent_image", DEFAULT_METRICS_AGENT_IMAGE)
    namespace = scope.metrics_namespace
    own_environment = (airflow.api_server_environment(cpu=size["cpu"], workers=args.get("api_workers"))
                       if process == "api-server" else
                       # The ECS cluster is named after the environment, each service after its process.
                       airflow.protection_environment(cluster_name=scope.env, service_name=process)
                       if definition.protects_itself else {})

    def render(values: list) -> str:
        facts, group, arns, bucket_name, url, alb_arn = values
        sign_in = args.get("sign_in") if alb_arn else None
        context = airflow.TaskContext(
            image=image, region=facts.region, log_group=group, secrets=arns, dags_bucket=bucket_name,
            dag_sync_interval=sync_interval, metrics_agent_image=agent_image, metrics_namespace=namespace,
            environment={**airflow.common_environment(
                execution_api_url=f"http://api-server.{airflow.namespace_name(scope.env)}:"
                                  f"{airflow.API_SERVER_PORT}/execution/",
                remote_log_folder=f"s3://{bucket_name}/{airflow.LOGS_PREFIX}", region=facts.region,
                worker_concurrency=concurrency, base_url=url), **own_environment,
                **(airflow.sign_in_environment(alb_arn=alb_arn, group_roles=sign_in["group_role_mapping"],
                                               groups_claim=sign_in.get("groups_claim", "groups"))
                   if sign_in else {})},
            files=airflow.sign_in_files() if sign_in else {})
        return json.dumps(airflow.container_definitions(definition, context))

    return aws.ecs.TaskDefinition(
        f"{scope.label}-{process}", family=f"{airflow.slug(scope.env)}-{process}",
        requires_compatibilities=["FARGATE"], network_mode="awsvpc", cpu=str(size["cpu"]),
        memory=str(size["memory"]),
        runtime_platform={"operating_system_family": "LINUX",
                          "cpu_architecture": choice(CpuArchitecture, args.get("cpu_architecture", CpuArchitecture.X86_64),
                                                     "FargateAirflowCluster: cpu_architecture")},
        execution_role_arn=execution_role.arn, task_role_arn=task_role.arn,
        volumes=[{"name": airflow.DAGS_VOLUME}] if definition.parses_dags else None,
        container_definitions=pulumi.Output.all(scope.context.output, log_group.name, secret_arns, bucket.bucket,
                                                base_url, sign_in_alb_arn).apply(render),
        tags=scope.tags, opts=scope.options())


def migration(scope: ClusterScope, args, cluster, task_definition, group, passed_roles, key_arn,
              depends_on) -> aws.lambda_.Invocation:
    """Run `airflow db migrate` once per deployment, however many schedulers run.

    An init container in the scheduler task would run once per scheduler and again on every
    scheduler restart; a service would restart a container that exits. A one-off task run
    by a function that the deployment invokes whenever the migration task definition
    changes (new image or settings) runs exactly once, and the services below depend on it,
    so they move to the new image only after the migration succeeded. The services also
    wait with `airflow db check-migrations` (a task ECS restarts meanwhile starts no earlier).
    """
    name, env, tags = scope.label, scope.env, scope.tags
    log_group = aws.cloudwatch.LogGroup(
        # Inside the pattern the key policy admits CloudWatch Logs for.
        f"{name}-migrate-function", name=naming.function_log_group_name(env, "db-migrate"),
        retention_in_days=args.get("log_retention_days", 30), kms_key_id=key_arn, tags=tags,
        opts=scope.stateful())
    role = aws.iam.Role(f"{name}-migrate-function", description=f"Runs the Airflow {env} migration task",
                        assume_role_policy=json.dumps(policies.assume_role_policy("lambda.amazonaws.com")),
                        tags=tags, opts=scope.options())
    role_policy = aws.iam.RolePolicy(
        f"{name}-migrate-function", role=role.id,
        policy=pulumi.Output.all(scope.context.output, cluster.arn, cluster.name, log_group.arn,
                                 [r.arn for r in passed_roles]).apply(
            lambda v: json.dumps(fargate_policies.migration_function_policy(
                cluster_arn=v[1],
                task_definition_family_arn=f"arn:{v[0].partition}:ecs:{v[0].region}:{v[0].account}:"
                                           f"task-definition/{airflow.slug(env)}-migrate",
                task_arn_pattern=f"arn:{v[0].partition}:ecs:{v[0].region}:{v[0].account}:task/{v[2]}/*",
                passed_role_arns=v[4], log_group_arn=v[3]))),
        opts=scope.options())
    function = aws.lambda_.Function(
        f"{name}-migrate", description=f"Runs airflow db migrate for {env} once per deployment",
        runtime=LAMBDA_RUNTIME, architectures=[LAMBDA_ARCHITECTURE], handler="app.handler",
        code=function_archive("db_migrate"), role=role.arn, timeout=900, memory_size=128,
        logging_config={"log_format": "Text", "log_group": log_group.name},
        tags=tags, opts=scope.options(depends_on=[role_policy]))
    event = pulumi.Output.all(cluster.arn, task_definition.arn, args["subnet_ids"], group.id).apply(
        lambda v: json.dumps({"cluster": v[0], "taskDefinition": v[1], "container": "migrate",
                              "subnets": list(v[2]), "securityGroups": [v[3]]}, sort_keys=True))
    return aws.lambda_.Invocation(
        f"{name}-migrate", function_name=function.name, input=event,
        # The task definition ARN carries its revision: a new revision is a new migration run.
        triggers={"task_definition": task_definition.arn},
        opts=scope.options(depends_on=depends_on))


def service(scope: ClusterScope, args, process: str, cluster, task_definition, group, registry,
            access: Optional[PrivateAccessAlb], migration_run) -> aws.ecs.Service:
    counts = {"api-server": args.get("api_servers", 1), "scheduler": args.get("schedulers", 1),
              "dag-processor": 1, "triggerer": args.get("triggerers", 1),
              "worker": args.get("min_workers", 1), "flower": 1}
    # The api-server is the load balancer's target.
    alb = access if process == "api-server" else None
    return aws.ecs.Service(
        f"{scope.label}-{process}", name=process, cluster=cluster.arn, task_definition=task_definition.arn,
        desired_count=counts[process], launch_type="FARGATE", platform_version="LATEST",
        network_configuration={"subnets": args["subnet_ids"], "security_groups": [group.id],
                               "assign_public_ip": False},
        health_check_grace_period_seconds=HEALTH_CHECK_GRACE_PERIOD,
        deployment_circuit_breaker={"enable": True, "rollback": True},
        deployment_minimum_healthy_percent=100, deployment_maximum_percent=200,
        load_balancers=[{"target_group_arn": alb.target_group_arn, "container_name": process,
                         "container_port": airflow.API_SERVER_PORT}] if alb is not None else None,
        service_registries={"registry_arn": registry.arn} if registry else None,
        enable_ecs_managed_tags=True, propagate_tags="SERVICE", tags=scope.tags,
        opts=scope.options(
            depends_on=[migration_run, *([alb] if alb is not None else [])],
            # Autoscaling owns the worker count once the service exists.
            ignore_changes=["desiredCount"] if process == "worker" else None))


def worker_autoscaling(scope: ClusterScope, args, cluster, worker: aws.ecs.Service) -> None:
    minimum, maximum = args.get("min_workers", 1), args.get("max_workers", 10)
    target = aws.appautoscaling.Target(
        f"{scope.label}-workers", service_namespace="ecs", scalable_dimension="ecs:service:DesiredCount",
        resource_id=pulumi.Output.concat("service/", cluster.name, "/", worker.name),
        min_capacity=minimum, max_capacity=maximum, tags=scope.tags, opts=scope.options())
    # worker_load_metrics builds plain dicts (airflow_settings imports no pulumi_aws) of the provider's metric shape.
    metrics = pulumi.Output.all(cluster.name, worker.name).apply(lambda v: cast(
        "list[aws.appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetricArgsDict]",
        airflow.worker_load_metrics(namespace=scope.metrics_namespace, cluster_name=v[0], worker_service_name=v[1],
                                    concurrency=args.get("worker_concurrency", 16))))
    aws.appautoscaling.Policy(
        f"{scope.label}-workers-queue-depth", policy_type="TargetTrackingScaling",
        service_namespace=target.service_namespace, scalable_dimension=target.scalable_dimension,
        resource_id=target.resource_id,
        target_tracking_scaling_policy_configuration={
            "target_value": airflow.WORKER_LOAD_TARGET,
            # Queued tasks wait for a worker: add quickly. Removing one ends with a warm
            # shutdown that may take the full stop timeout: remove slowly.
            "scale_out_cooldown": SCALE_OUT_COOLDOWN, "scale_in_cooldown": SCALE_IN_COOLDOWN,
            "customized_metric_specification": {"metrics": metrics},
        },
        opts=scope.options())

"""FargateAirflowCluster under mocks: what `pulumi up` would create, and in which order."""

from __future__ import annotations

import json

import pulumi
import pytest
from kombu.utils.url import parse_url
from sqlalchemy.engine import make_url

from airflow_aws import FargateAirflowCluster
from tests.harness import policy, run_component

TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition"
SERVICE = "aws:ecs/service:Service"
SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
SECRET = "aws:secretsmanager/secret:Secret"
SECRET_VERSION = "aws:secretsmanager/secretVersion:SecretVersion"
INVOCATION = "aws:lambda/invocation:Invocation"
DATABASE = "aws:rds/cluster:Cluster"
DATABASE_INSTANCE = "aws:rds/clusterInstance:ClusterInstance"
PASSWORD = "random:index/randomPassword:RandomPassword"
BYTES = "random:index/randomBytes:RandomBytes"
PROCESSES = ("api-server", "scheduler", "dag-processor", "triggerer", "worker", "flower")
VPC_CIDR = "10.0.0.0/16"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
OUTPUTS = ("cluster_name", "cluster_arn", "service_names", "ui_url", "database_endpoint", "broker_endpoint",
           "secret_arns", "bucket_name", "security_group_ids", "task_role_arns", "metrics_namespace")


ACCESS_WITH_SIGN_IN = {
    "subnet_ids": ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"], "host_name": "airflow.example.com",
    "allowed_cidrs": ["10.0.0.0/8"],
    "certificate_arn": "arn:aws:acm:eu-west-1:111111111111:certificate/01234567-89ab-cdef-0123-456789abcdef",
    "authentication": {"oidc": {"issuer": "https://idp.example.com", "authorization_endpoint": "https://idp.example.com/a",
                                "token_endpoint": "https://idp.example.com/t", "user_info_endpoint": "https://idp.example.com/u",
                                "client_id": "c", "client_secret": "s"}}}


def build(**overrides):
    args = {"environment_name": "airflow-x", "vpc_id": "vpc-0123456789abcdef0", "vpc_cidr": VPC_CIDR,
            "subnet_ids": ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"], "image": "apache/airflow:3.0.6",
            "flower": True, "min_workers": 2, "max_workers": 12, "worker_concurrency": 8,
            "access": {"subnet_ids": ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"],
                       "host_name": "airflow.example.com", "allowed_cidrs": ["10.0.0.0/8"],
                       "certificate_arn": "arn:aws:acm:eu-west-1:111111111111:certificate/"
                                          "01234567-89ab-cdef-0123-456789abcdef"},
            **overrides}

    def program():
        cluster = FargateAirflowCluster("af", args)
        for output in OUTPUTS:
            pulumi.export(output, getattr(cluster, output))
    return run_component(program)


def find(plan, type_token: str, name: str):
    found = [r for r in plan.of_type(type_token) if r.name == name]
    assert len(found) == 1, (type_token, name, len(found))
    return found[0]


@pytest.fixture(scope="module")
def plan():
    return build()


@pytest.fixture(scope="module")
def protected():
    return build(protect_stateful_resources=True)


def containers(plan, process: str) -> dict[str, dict]:
    definition = find(plan, TASK_DEFINITION, f"af-{process}")
    return {c["name"]: c for c in json.loads(definition.inputs["containerDefinitions"])}


# --- task definitions --------------------------------------------------------------------------

@pytest.mark.parametrize("process, cpu, memory", [
    ("api-server", "1024", "2048"), ("scheduler", "1024", "2048"), ("dag-processor", "1024", "2048"),
    ("triggerer", "512", "1024"), ("worker", "2048", "4096"), ("flower", "256", "512"), ("migrate", "512", "1024")])
def test_every_process_has_a_fargate_task_definition(plan, process, cpu, memory):
    definition = find(plan, TASK_DEFINITION, f"af-{process}")
    assert definition.inputs["family"] == f"airflow-x-{process}"
    assert (definition.inputs["cpu"], definition.inputs["memory"]) == (cpu, memory)
    assert definition.inputs["requiresCompatibilities"] == ["FARGATE"] and definition.inputs["networkMode"] == "awsvpc"
    assert definition.inputs["runtimePlatform"] == {"operatingSystemFamily": "LINUX", "cpuArchitecture": "X86_64"}
    main = containers(plan, process)[process]
    assert main["image"] == "apache/airflow:3.0.6"
    assert main["logConfiguration"]["options"]["awslogs-group"] == f"airflow-airflow-x-{process}"


def api_workers(plan) -> dict[str, str]:
    """AIRFLOW__API__WORKERS per container that sets it."""
    return {name: variable["value"] for process in PROCESSES for name, c in containers(plan, process).items()
            for variable in c.get("environment", []) if variable["name"] == "AIRFLOW__API__WORKERS"}


@pytest.mark.parametrize("overrides, workers", [
    ({}, "1"),  # the default 1 vCPU task: Airflow's 4 workers would starve each other while starting
    ({"task_sizes": {"api-server": {"cpu": 4096, "memory": 8192}}}, "4"),
    ({"task_sizes": {"api-server": {"cpu": 512, "memory": 1024}}}, "1"),
    ({"api_workers": 3}, "3"),
])
def test_the_api_server_runs_one_uvicorn_worker_per_vcpu_unless_told(plan, overrides, workers):
    assert api_workers(build(**overrides) if overrides else plan) == {"api-server": workers}


def test_task_sizes_are_settings(plan):
    sized = build(task_sizes={"worker": {"cpu": 4096, "memory": 16384}}, cpu_architecture="ARM64")
    worker = find(sized, TASK_DEFINITION, "af-worker")
    assert (worker.inputs["cpu"], worker.inputs["memory"]) == ("4096", "16384")
    assert worker.inputs["runtimePlatform"]["cpuArchitecture"] == "ARM64"


@pytest.mark.parametrize("process", PROCESSES + ("migrate",))
def test_secrets_come_from_the_clusters_secrets_and_never_appear_in_plain_text(plan, process):
    arns = {r.state["arn"] for r in plan.of_type(SECRET)}
    text = find(plan, TASK_DEFINITION, f"af-{process}").inputs["containerDefinitions"]
    for container in json.loads(text):
        assert {s["valueFrom"] for s in container.get("secrets", [])} <= arns
    main = containers(plan, process)[process]
    expected = {"AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "AIRFLOW__CELERY__RESULT_BACKEND", "AIRFLOW__CELERY__BROKER_URL",
                "AIRFLOW__CORE__FERNET_KEY", "AIRFLOW__API_AUTH__JWT_SECRET", "AIRFLOW__API__SECRET_KEY"}
    if process == "flower":
        expected.add("AIRFLOW__CELERY__FLOWER_BASIC_AUTH")
    assert {s["name"] for s in main["secrets"]} == expected
    for generated in [*plan.of_type(PASSWORD), *plan.of_type(BYTES)]:
        for value in (generated.state.get("result"), generated.state.get("hex"), generated.state.get("base64")):
            assert not value or value not in text


def test_secret_values_are_stored_as_secrets_and_wired_to_the_real_endpoints(plan):
    versions = plan.of_type(SECRET_VERSION)
    assert len(versions) == 7 and all("secretString" in v.secret_inputs for v in versions)
    database = plan.one(DATABASE)
    password = plan.named("af-database-password").state["result"]
    url = make_url(find(plan, SECRET_VERSION, "af-database-url").inputs["secretString"])
    assert (url.password, url.host) == (password, database.state["endpoint"])
    assert database.inputs["masterPassword"] == password
    broker = plan.one("aws:elasticache/replicationGroup:ReplicationGroup")
    token = plan.named("af-broker-token").state["result"]
    parsed = parse_url(find(plan, SECRET_VERSION, "af-broker-url").inputs["secretString"])
    assert (parsed["password"], parsed["hostname"], parsed["port"]) == (
        token, broker.state["primaryEndpointAddress"], 6379)


def test_fernet_key_cannot_change_on_update(plan):
    fernet = find(plan, BYTES, "af-fernet-key")
    assert fernet.inputs == {"length": 32}  # no keepers: nothing ever triggers a new key
    stored = find(plan, SECRET_VERSION, "af-fernet-key").inputs["secretString"]
    assert stored == fernet.state["base64"].replace("+", "-").replace("/", "_")


# --- migrations --------------------------------------------------------------------------------

def test_the_migration_runs_once_per_migration_task_definition_before_any_service(plan):
    invocation = plan.one(INVOCATION)
    migrate = find(plan, TASK_DEFINITION, "af-migrate")
    event = json.loads(invocation.inputs["input"])
    assert event["taskDefinition"] == migrate.state["arn"] and event["container"] == "migrate"
    assert invocation.inputs["triggers"] == {"task_definition": migrate.state["arn"]}
    services = plan.of_type(SERVICE)
    assert sorted(s.inputs["name"] for s in services) == sorted(PROCESSES)
    for service in services:
        assert invocation.urn in service.dependencies, service.name
    # It needs a database to migrate and the secrets the task reads.
    needed = {r.urn for r in [*plan.of_type(DATABASE_INSTANCE), *plan.of_type(SECRET_VERSION)]}
    assert needed <= set(invocation.dependencies)
    assert json.loads(migrate.inputs["containerDefinitions"])[0]["command"] == ["db", "migrate"]


def test_the_migration_function_may_only_run_and_watch_the_migration_task(plan):
    document = policy(find(plan, ROLE_POLICY, "af-migrate-function"))
    statements = {s["Sid"]: s for s in document["Statement"]}
    assert statements["RunTheMigrationTask"]["Resource"] == \
        "arn:aws:ecs:eu-west-1:111111111111:task-definition/airflow-x-migrate:*"
    assert statements["RunTheMigrationTask"]["Condition"] == {
        "ArnEquals": {"ecs:cluster": "arn:aws:ecs:eu-west-1:111111111111:cluster/airflow-x"}}
    assert statements["HandTheTaskItsRoles"]["Condition"] == {
        "StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}
    assert len(statements["HandTheTaskItsRoles"]["Resource"]) == 2


# --- network ------------------------------------------------------------------------------------

def _rules(plan) -> set[tuple]:
    groups = {r.state["id"]: r.name.removeprefix("af-").removesuffix("-sg") for r in plan.of_type(SECURITY_GROUP)}
    groups = {k: "alb" if v == "access" else v for k, v in groups.items()}
    rules = set()
    for direction, kind in (("in", INGRESS), ("out", EGRESS)):
        for rule in plan.of_type(kind):
            peer = groups.get(rule.inputs.get("referencedSecurityGroupId")) or rule.inputs.get("cidrIpv4")
            rules.add((groups[rule.inputs["securityGroupId"]], direction, rule.inputs["ipProtocol"],
                       rule.inputs.get("fromPort"), rule.inputs.get("toPort"), peer))
    return rules


def test_security_groups_open_exactly_the_ports_each_process_needs(plan):
    def both(source, target, port):
        return {(target, "in", "tcp", port, port, source), (source, "out", "tcp", port, port, target)}

    https = {(member, "out", "tcp", 443, 443, "0.0.0.0/0")
             for member in ("api-server", "scheduler", "dag-processor", "triggerer", "worker", "flower", "migrate")}
    expected = set().union(
        *(both(client, "database", 5432) for client in
          ("api-server", "scheduler", "dag-processor", "triggerer", "worker", "migrate")),
        *(both(client, "broker", 6379) for client in ("scheduler", "worker", "flower")),
        both("worker", "api-server", 8080), both("triggerer", "api-server", 8080), both("alb", "api-server", 8080),
        both("api-server", "worker", 8793), both("api-server", "triggerer", 8794),
        {("flower", "in", "tcp", 5555, 5555, VPC_CIDR)},
        https,
        # The load balancer's own side (PrivateAccessAlb): users on 443 and 80 from the allowed network.
        {("alb", "in", "tcp", 443, 443, "10.0.0.0/8"), ("alb", "in", "tcp", 80, 80, "10.0.0.0/8")},
    )
    assert _rules(plan) == expected


def test_without_flower_nothing_opens_for_it(plan):
    rules = _rules(build(flower=False))
    assert not any("flower" in (rule[0], rule[5]) for rule in rules)
    assert "flower" not in {s.inputs["name"] for s in build(flower=False).of_type(SERVICE)}


def test_api_server_is_behind_the_private_access_load_balancer(plan):
    alb = find(plan, "airflow-aws:index:PrivateAccessAlb", "af-access")
    assert plan.parent_of(alb).name == "af"
    target_group = plan.one("aws:lb/targetGroup:TargetGroup")
    assert (target_group.inputs["port"], target_group.inputs["protocol"], target_group.inputs["targetType"]) == (
        8080, "HTTP", "ip")
    assert target_group.inputs["healthCheck"]["path"] == "/api/v2/monitor/health"
    assert not plan.of_type("aws:lb/targetGroupAttachment:TargetGroupAttachment")  # ECS registers the tasks
    api = find(plan, SERVICE, "af-api-server")
    assert api.inputs["loadBalancers"] == [{"targetGroupArn": target_group.state["arn"], "containerName": "api-server",
                                            "containerPort": 8080}]
    listener = next(r for r in plan.of_type("aws:lb/listener:Listener") if r.inputs["port"] == 443)
    assert listener.urn in api.dependencies
    environment = {e["name"]: e["value"] for e in containers(plan, "scheduler")["scheduler"]["environment"]}
    # Airflow 3 appends "dags/..." straight to the base URL: without the slash, log links break.
    assert environment["AIRFLOW__API__BASE_URL"] == "https://airflow.example.com/"


def test_services_run_in_private_subnets_with_their_own_group_and_a_grace_period(plan):
    groups = {r.name.removeprefix("af-").removesuffix("-sg"): r.state["id"] for r in plan.of_type(SECURITY_GROUP)}
    for service in plan.of_type(SERVICE):
        process = service.inputs["name"]
        assert service.inputs["networkConfiguration"] == {
            "subnets": ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"], "securityGroups": [groups[process]],
            "assignPublicIp": False}
        assert service.inputs["launchType"] == "FARGATE" and service.inputs["healthCheckGracePeriodSeconds"] >= 120
        assert service.inputs["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}


def test_processes_find_each_other_in_a_private_namespace(plan):
    namespace = plan.one("aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace")
    assert namespace.inputs["name"] == "airflow-x.airflow.internal"
    registered = {r.inputs["name"] for r in plan.of_type("aws:servicediscovery/service:Service")}
    assert registered == {"api-server", "flower"}
    cluster = plan.one("aws:ecs/cluster:Cluster")
    assert cluster.inputs["settings"] == [{"name": "containerInsights", "value": "enabled"}]


# --- autoscaling ---------------------------------------------------------------------------------

def test_workers_scale_on_queue_depth_between_the_bounds(plan):
    target = plan.one("aws:appautoscaling/target:Target")
    assert (target.inputs["minCapacity"], target.inputs["maxCapacity"]) == (2, 12)
    assert target.inputs["resourceId"] == "service/airflow-x/worker"
    assert target.inputs["scalableDimension"] == "ecs:service:DesiredCount"
    configuration = plan.one("aws:appautoscaling/policy:Policy").inputs["targetTrackingScalingPolicyConfiguration"]
    assert configuration["targetValue"] == 1
    assert configuration["scaleOutCooldown"] < configuration["scaleInCooldown"]
    assert configuration["scaleOutCooldown"] <= 60 and configuration["scaleInCooldown"] >= 300
    metrics = {m["id"]: m for m in configuration["customizedMetricSpecification"]["metrics"]}
    assert metrics["load"]["expression"] == "(queued + running) / (8 * workers)"
    assert metrics["workers"]["metricStat"]["metric"]["dimensions"] == [
        {"name": "ClusterName", "value": "airflow-x"}, {"name": "ServiceName", "value": "worker"}]
    assert metrics["queued"]["metricStat"]["metric"]["namespace"] == "Airflow/airflow-x"
    worker = next(s for s in plan.of_type(SERVICE) if s.inputs["name"] == "worker")
    assert worker.inputs["desiredCount"] == 2 and "desiredCount" in worker.ignore_changes


# --- database, broker, protection --------------------------------------------------------------

def test_database_is_encrypted_serverless_postgres_with_backups(plan):
    database = plan.one(DATABASE)
    assert (database.inputs["engine"], database.inputs["engineMode"]) == ("aurora-postgresql", "provisioned")
    assert database.inputs["storageEncrypted"] is True and database.inputs["backupRetentionPeriod"] == 7
    assert database.inputs["serverlessv2ScalingConfiguration"] == {"minCapacity": 0.5, "maxCapacity": 4}
    assert all(i.inputs["instanceClass"] == "db.serverless" and i.inputs["publiclyAccessible"] is False
               for i in plan.of_type(DATABASE_INSTANCE))


def test_production_protects_the_database_and_keeps_a_final_snapshot(plan, protected):
    database = protected.one(DATABASE)
    assert database.protect is True
    assert database.inputs["deletionProtection"] is True and database.inputs["skipFinalSnapshot"] is False
    assert database.inputs["finalSnapshotIdentifier"] == "airflow-x-final"
    assert all(i.protect for i in protected.of_type(DATABASE_INSTANCE))
    assert find(protected, BYTES, "af-fernet-key").protect is True
    sandbox = plan.one(DATABASE)
    assert sandbox.protect is False and sandbox.inputs["deletionProtection"] is False
    assert sandbox.inputs["skipFinalSnapshot"] is True


def test_broker_uses_tls_and_an_auth_token(plan):
    broker = plan.one("aws:elasticache/replicationGroup:ReplicationGroup")
    assert broker.inputs["engine"] == "valkey" and broker.inputs["transitEncryptionEnabled"] is True
    assert broker.inputs["atRestEncryptionEnabled"] is True
    assert broker.inputs["authToken"] == plan.named("af-broker-token").state["result"]
    assert "authToken" in broker.secret_inputs
    highly_available = build(broker={"nodes": 2}).one("aws:elasticache/replicationGroup:ReplicationGroup")
    assert highly_available.inputs["automaticFailoverEnabled"] is True and highly_available.inputs["multiAzEnabled"]


# --- IAM -------------------------------------------------------------------------------------------

def _task_policy(plan, process):
    found = [r for r in plan.of_type(ROLE_POLICY) if r.name == f"af-{process}-task"]
    return policy(found[0]) if found else None


def test_task_roles_reach_only_their_prefixes(plan):
    bucket = find(plan, "aws:s3/bucket:Bucket", "af-bucket").state["arn"]
    worker = {s["Sid"]: s for s in _task_policy(plan, "worker")["Statement"]}
    assert worker["ReadObjects"]["Resource"] == [f"{bucket}/dags/*", f"{bucket}/logs/*"]
    assert worker["WriteTaskLogs"]["Resource"] == f"{bucket}/logs/*"
    api = {s["Sid"]: s for s in _task_policy(plan, "api-server")["Statement"]}
    assert api["ReadObjects"]["Resource"] == [f"{bucket}/logs/*"] and "WriteTaskLogs" not in api
    scheduler = _task_policy(plan, "scheduler")["Statement"]
    assert scheduler == [{"Sid": "PublishExecutorMetrics", "Effect": "Allow", "Action": "cloudwatch:PutMetricData",
                          "Resource": "*",
                          "Condition": {"StringEquals": {"cloudwatch:namespace": "Airflow/airflow-x"}}}]
    assert _task_policy(plan, "flower") is None and _task_policy(plan, "migrate") is None


def test_execution_role_reads_only_the_clusters_secrets_and_writes_only_its_log_groups(plan):
    document = policy(find(plan, ROLE_POLICY, "af-execution"))
    statements = {s["Sid"]: s for s in document["Statement"]}
    assert sorted(statements["ReadTheClusterSecrets"]["Resource"]) == sorted(r.state["arn"] for r in plan.of_type(SECRET))
    groups = {r.state["arn"] for r in plan.of_type("aws:cloudwatch/logGroup:LogGroup")
              if r.name != "af-migrate-function"}  # the migration function writes its own
    assert set(statements["WriteProcessLogs"]["Resource"]) == {f"{arn}:log-stream:*" for arn in groups}
    assert "PullTheAirflowImage" not in statements  # Docker Hub image: no ECR permission
    trust = json.loads(find(plan, "aws:iam/role:Role", "af-execution").inputs["assumeRolePolicy"])
    assert trust["Statement"][0]["Condition"]["StringEquals"] == {"aws:SourceAccount": "111111111111"}


def test_bucket_is_private_encrypted_and_expires_task_logs(plan):
    lifecycle = find(plan, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "af-bucket-lifecycle")
    logs = next(r for r in lifecycle.inputs["rules"] if r["id"] == "expire-task-logs")
    assert logs["filter"] == {"prefix": "logs/"} and logs["expiration"] == {"days": 90}
    access = find(plan, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "af-bucket-public-access").inputs
    assert all(access[k] for k in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"))


def test_process_logs_have_retention(plan):
    groups = [r for r in plan.of_type("aws:cloudwatch/logGroup:LogGroup")]
    assert {r.inputs["name"] for r in groups} == {
        *(f"airflow-airflow-x-{p}" for p in (*PROCESSES, "migrate", "db-migrate"))}
    assert all(r.inputs["retentionInDays"] == 30 for r in groups)


def test_outputs_name_the_cluster_services_url_endpoints_and_secrets(plan):
    outputs = plan.outputs
    assert (outputs["cluster_name"], outputs["ui_url"]) == ("airflow-x", "https://airflow.example.com")
    assert outputs["cluster_arn"] == plan.one("aws:ecs/cluster:Cluster").state["arn"]
    assert outputs["service_names"] == {p: p for p in PROCESSES}
    assert outputs["database_endpoint"] == plan.one(DATABASE).state["endpoint"]
    assert outputs["broker_endpoint"] == \
        plan.one("aws:elasticache/replicationGroup:ReplicationGroup").state["primaryEndpointAddress"]
    assert sorted(outputs["secret_arns"].values()) == sorted(r.state["arn"] for r in plan.of_type(SECRET))
    assert outputs["metrics_namespace"] == "Airflow/airflow-x"
    assert build(access=None).outputs["ui_url"] == "http://api-server.airflow-x.airflow.internal:8080"


@pytest.mark.parametrize("overrides, message", [
    ({"min_workers": 0}, "min_workers"), ({"min_workers": 5, "max_workers": 4}, "min_workers"),
    ({"task_sizes": {"worker": {"cpu": 256, "memory": 8192}}}, "no 256 CPU / 8192 MiB"),
    ({"create_kms_key": True, "kms_key_arn": "arn:aws:kms:eu-west-1:111111111111:key/x"}, "not both"),
    ({"api_workers": 0}, "api_workers"),
    # The access in build() has no authentication: no load balancer identity to trust.
    ({"sign_in": {"group_role_mapping": {"airflow-admins": "Admin"}}}, "sign_in needs access with authentication"),
    ({"sign_in": {"group_role_mapping": {}}}, "sign_in"),
    ({"access": {**ACCESS_WITH_SIGN_IN}, "sign_in": {"group_role_mapping": {"g": "Superuser"}}}, "unknown roles")])
def test_impossible_arguments_are_refused_before_anything_is_created(overrides, message):
    with pytest.raises(Exception, match=message) as error:
        build(**overrides)
    assert not [r for r in error.value.registrations if r.custom]


def test_a_created_key_encrypts_secrets_bucket_database_broker_and_logs():
    plan = build(create_kms_key=True, protect_stateful_resources=True)
    key = plan.one("aws:kms/key:Key")
    assert key.protect and key.inputs["enableKeyRotation"] is True
    arn = key.state["arn"]
    assert all(r.inputs["kmsKeyId"] == arn for r in plan.of_type(SECRET))
    assert plan.one(DATABASE).inputs["kmsKeyId"] == arn
    assert plan.one("aws:elasticache/replicationGroup:ReplicationGroup").inputs["kmsKeyId"] == arn
    assert all(r.inputs["kmsKeyId"] == arn for r in plan.of_type("aws:cloudwatch/logGroup:LogGroup"))
    encryption = find(plan, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                      "af-bucket-encryption").inputs["rules"][0]["applyServerSideEncryptionByDefault"]
    assert encryption == {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": arn}
    execution = {s["Sid"]: s for s in policy(find(plan, ROLE_POLICY, "af-execution"))["Statement"]}
    assert execution["DecryptTheClusterSecrets"]["Resource"] == arn


def test_an_ecr_image_gets_a_pull_permission_on_its_repository_only():
    plan = build(image="123456789012.dkr.ecr.eu-west-1.amazonaws.com/data/airflow:3.0.6-custom")
    execution = {s["Sid"]: s for s in policy(find(plan, ROLE_POLICY, "af-execution"))["Statement"]}
    assert execution["PullTheAirflowImage"]["Resource"] == "arn:aws:ecr:eu-west-1:123456789012:repository/data/airflow"

"""A stack switches platform with one setting: Fargate replaces MWAA, the rest of the stack stays the same."""

from __future__ import annotations

import pytest

from tests.harness import plan_failure, plan_stack, setting_errors

CLUSTER = "airflow-aws:index:FargateAirflowCluster"
MWAA = "airflow-aws:index:MwaaEnvironment"
FARGATE = {"platform": "fargate"}


@pytest.fixture(scope="module")
def sandbox():
    return plan_stack("sandbox", FARGATE)


def components(plan) -> set[str]:
    return {r.type for r in plan.registrations if not r.custom}


def test_the_fargate_platform_plans_offline_instead_of_mwaa(sandbox):
    assert sandbox.one(CLUSTER) and not sandbox.of_type(MWAA)
    assert not sandbox.of_type("aws:mwaa/environment:Environment")
    outputs = sandbox.outputs
    assert outputs["platform"] == "fargate" and outputs["clusterName"] == "airflow-sandbox"
    assert outputs["airflowUrl"] == "https://airflow.sandbox.example.com"
    assert set(outputs["serviceNames"]) == {"api-server", "scheduler", "dag-processor", "triggerer", "worker"}
    assert outputs["databaseEndpoint"].endswith(".rds.amazonaws.com")


def test_network_endpoints_load_balancer_and_monitoring_stay_the_same(sandbox):
    assert components(sandbox) - {CLUSTER} == components(plan_stack("sandbox")) - {MWAA}
    monitoring = sandbox.one("airflow-aws:index:AirflowMonitoring")
    assert sandbox.one("aws:cloudwatch/dashboard:Dashboard").parent == monitoring.urn


def test_endpoints_serve_the_fargate_tasks_without_mwaas_own_services():
    sandbox = plan_stack("sandbox", {**FARGATE, "endpoints.enabled": True})
    services = {r.inputs["serviceName"].split(".", 3)[-1] for r in sandbox.of_type("aws:ec2/vpcEndpoint:VpcEndpoint")}
    assert services == {"ecr.api", "ecr.dkr", "kms", "logs", "monitoring", "s3"}
    groups = {r.state["id"]: r.name for r in sandbox.of_type("aws:ec2/securityGroup:SecurityGroup")}
    admitted = {groups[r.inputs["referencedSecurityGroupId"]] for r in
                sandbox.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
                if r.name.startswith("endpoints-sg-in-client")}
    assert admitted == {f"fargate-{p}-sg" for p in
                        ("api-server", "scheduler", "dag-processor", "triggerer", "worker", "migrate")}


def test_settings_reach_the_cluster():
    plan = plan_stack("test", {**FARGATE, "fargate": {"minWorkers": 2, "maxWorkers": 6, "schedulers": 2,
                                                     "flower": True, "imageTag": "3.0.6-python3.12",
                                                     "apiWorkers": 2,
                                                     "taskSizes": {"worker": {"cpu": 4096, "memory": 8192}}}})
    target = plan.one("aws:appautoscaling/target:Target")
    assert (target.inputs["minCapacity"], target.inputs["maxCapacity"]) == (2, 6)
    services = {r.inputs["name"]: r for r in plan.of_type("aws:ecs/service:Service")}
    assert services["scheduler"].inputs["desiredCount"] == 2 and "flower" in services
    worker = next(r for r in plan.of_type("aws:ecs/taskDefinition:TaskDefinition") if r.name == "fargate-worker")
    assert (worker.inputs["cpu"], worker.inputs["memory"]) == ("4096", "8192")
    assert '"image": "apache/airflow:3.0.6-python3.12"' in worker.inputs["containerDefinitions"]
    api = next(r for r in plan.of_type("aws:ecs/taskDefinition:TaskDefinition") if r.name == "fargate-api-server")
    assert '{"name": "AIRFLOW__API__WORKERS", "value": "2"}' in api.inputs["containerDefinitions"]


def test_production_refuses_to_delete_the_database_and_sandbox_protects_nothing():
    # Which resources production protects: tests/test_stateful_protection.py.
    assert plan_stack("prod", FARGATE).one("aws:rds/cluster:Cluster").inputs["deletionProtection"] is True
    sandbox = plan_stack("sandbox", FARGATE)
    assert not [r for r in sandbox.registrations if r.protect and r.parent == sandbox.one(CLUSTER).urn]


def test_dags_in_the_project_folder_are_uploaded():
    plan = plan_stack("sandbox", FARGATE)
    keys = {r.inputs["key"] for r in plan.of_type("aws:s3/bucketObjectv2:BucketObjectv2")}
    assert "dags/hello.py" in keys


@pytest.mark.parametrize("changes, key, problem", [
    ({"platform": "fargat"}, "platform", "did you mean `fargate`"),
    ({"fargate": {"minWorkers": 2}}, "fargate", "platform is mwaa"),
    ({**FARGATE, "fargate": {"imageTag": "2.10.3"}}, "fargate.imageTag", "not an Airflow 3 image tag"),
    ({**FARGATE, "fargate": {"image": "apache/airflow:3.0.6"}}, "fargate.image", "without a tag"),
    ({**FARGATE, "fargate": {"minWorkers": 5, "maxWorkers": 3}}, "fargate.minWorkers", "above fargate.maxWorkers"),
    ({**FARGATE, "fargate": {"minWorkers": 0}}, "fargate.minWorkers", "at least 1"),
    ({**FARGATE, "fargate": {"apiWorkers": 0}}, "fargate.apiWorkers", "at least 1"),
    ({**FARGATE, "fargate": {"taskSizes": {"worker": {"cpu": 512, "memory": 512}}}}, "fargate.taskSizes",
     "does not offer"),
    ({**FARGATE, "fargate": {"taskSizes": {"webserver": {"cpu": 512, "memory": 1024}}}}, "fargate.taskSizes",
     "unknown processes"),
    ({**FARGATE, "fargate": {"database": {"minCapacity": 8, "maxCapacity": 4}}}, "fargate.database.minCapacity",
     "above"),
    ({**FARGATE, "fargate": {"database": {"minCapacity": 0.7}}}, "fargate.database.minCapacity", "multiple of 0.5"),
    ({**FARGATE, "fargate": {"logRetentionDays": 10}}, "fargate.logRetentionDays", "retention period"),
    ({**FARGATE, "fargate": {"broker": {"engine": "memcached"}}}, "fargate.broker.engine", "not an allowed value"),
    ({**FARGATE, "network.natGateways": "none", "endpoints.enabled": True}, "network.natGateways", "no way to pull"),
])
def test_bad_fargate_settings_are_refused_with_the_key_and_a_fix(changes, key, problem):
    errors = setting_errors("sandbox", changes)
    error = errors[f"airflow-aws:{key}"]
    assert problem in error.problem and error.fix


def test_a_refused_fargate_stack_registers_nothing():
    error, registrations = plan_failure("sandbox", {**FARGATE, "fargate": {"minWorkers": 5, "maxWorkers": 3}})
    assert registrations == [] and "fargate.minWorkers" in str(error)

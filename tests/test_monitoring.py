"""AirflowMonitoring under mocks: the scheduled worker metric function, its permissions, the alarms per stack, the dashboard."""

from __future__ import annotations

import json

import pytest

from airflow_aws import AirflowMonitoring
from airflow_aws.monitoring_policies import worker_metric_name
from program.stacks import STACKS, stack_values
from tests.harness import DELETE, plan_failure, plan_stack, policy, run_component, setting_errors

FUNCTION = "aws:lambda/function:Function"
SCHEDULE = "aws:scheduler/schedule:Schedule"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
DASHBOARD = "aws:cloudwatch/dashboard:Dashboard"
TOPIC = "aws:sns/topic:Topic"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
ENV = "airflow-x"
FARGATE = {"cluster_name": "x-cluster", "statsd_namespace": "Airflow/x",
           "service_names": {"scheduler": "x-scheduler", "worker": "x-worker", "api-server": "x-api"}}


def monitoring(**args):
    return run_component(lambda: AirflowMonitoring("monitoring", {
        "environment_name": ENV, "min_workers": 1, "max_workers": 4, **args}))



@pytest.fixture(scope="module")
def mwaa():
    return monitoring(worker_metric_every_minutes=2)


def alarms(plan) -> dict:
    """Alarms by kind (the resource is named `monitoring-<kind>`)."""
    return {a.name.removeprefix("monitoring-"): a for a in plan.of_type(ALARM)}


def queries(alarm) -> dict:
    return {q["id"]: q for q in alarm.inputs["metricQueries"]}


# --- the worker metric function ---------------------------------------------------------------

def test_the_function_runs_every_interval_with_the_scheduled_time_and_no_retries(mwaa):
    schedule, function = mwaa.one(SCHEDULE), mwaa.one(FUNCTION)
    assert schedule.inputs["scheduleExpression"] == "rate(2 minutes)"
    assert schedule.inputs["flexibleTimeWindow"] == {"mode": "OFF"}
    target = schedule.inputs["target"]
    assert target["arn"] == function.state["arn"]
    assert json.loads(target["input"]) == {"scheduledTime": "<aws.scheduler.scheduled-time>"}
    assert target["retryPolicy"] == {"maximumRetryAttempts": 0, "maximumEventAgeInSeconds": 60}
    invoke_config = mwaa.one("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig")
    assert invoke_config.inputs["maximumRetryAttempts"] == 0


def test_the_function_is_configured_for_its_environment_and_ends_within_a_minute(mwaa):
    function = mwaa.one(FUNCTION)
    assert function.inputs["name"] == worker_metric_name(ENV)
    assert function.inputs["handler"] == "app.handler" and function.inputs["runtime"] == "python3.12"
    assert function.inputs["timeout"] < 60
    variables = function.inputs["environment"]["variables"]
    assert json.loads(variables["ENVIRONMENTS"]) == [ENV]
    assert variables["METRIC_NAMESPACE"] == "AirflowAws/Workers"
    assert int(variables["LOOKBACK_MINUTES"]) > 2  # longer than the interval: a failed run leaves no gap
    assert "app.py" in function.inputs["code"].assets
    log_group = mwaa.one("aws:cloudwatch/logGroup:LogGroup")
    assert function.inputs["loggingConfig"]["logGroup"] == log_group.inputs["name"] == f"airflow-{ENV}-WorkerMetrics"
    assert log_group.inputs["retentionInDays"] == 30


def test_the_functions_role_reads_metrics_and_puts_only_its_own_namespace(mwaa):
    role = next(r for r in mwaa.of_type("aws:iam/role:Role") if "lambda.amazonaws.com" in r.inputs["assumeRolePolicy"])
    (document,) = [policy(p) for p in mwaa.of_type(ROLE_POLICY) if p.inputs["role"] == role.id]
    log_group = mwaa.one("aws:cloudwatch/logGroup:LogGroup").state["arn"]
    grants = {(tuple(s["Action"]) if isinstance(s["Action"], list) else s["Action"], s["Resource"],
               json.dumps(s.get("Condition"), sort_keys=True)) for s in document["Statement"]}
    assert grants == {
        ("cloudwatch:GetMetricData", "*", "null"),
        ("cloudwatch:PutMetricData", "*", json.dumps({"StringEquals": {"cloudwatch:namespace": "AirflowAws/Workers"}})),
        (("logs:CreateLogStream", "logs:PutLogEvents"), f"{log_group}:*", "null")}
    assert all(s["Effect"] == "Allow" for s in document["Statement"])


def test_the_schedule_may_invoke_only_the_function_and_only_for_this_account(mwaa):
    schedule, function = mwaa.one(SCHEDULE), mwaa.one(FUNCTION)
    role = next(r for r in mwaa.of_type("aws:iam/role:Role") if r.state["arn"] == schedule.inputs["target"]["roleArn"])
    trust = policy(role, "assumeRolePolicy")["Statement"]
    assert trust == [{"Effect": "Allow", "Principal": {"Service": "scheduler.amazonaws.com"}, "Action": "sts:AssumeRole",
                      "Condition": {"StringEquals": {"aws:SourceAccount": "111111111111"}}}]
    (document,) = [policy(p) for p in mwaa.of_type(ROLE_POLICY) if p.inputs["role"] == role.id]
    assert [(s["Action"], s["Resource"]) for s in document["Statement"]] == [
        ("lambda:InvokeFunction", function.state["arn"])]


def test_the_alarm_topic_is_encrypted_with_the_stacks_customer_key(stack_plans):
    for plan in stack_plans.values():
        topic = plan.one("aws:sns/topic:Topic")
        assert topic.inputs["kmsMasterKeyId"] == plan.outputs["kmsKeyArn"]


def test_without_a_customer_key_the_topic_stays_unencrypted_so_cloudwatch_can_publish(mwaa):
    assert "kmsMasterKeyId" not in mwaa.one("aws:sns/topic:Topic").inputs


def test_long_environment_names_still_give_valid_function_names():
    name = worker_metric_name("a" * 80)
    assert len(name) <= 64 and name.endswith("-worker-metrics")
    assert worker_metric_name("a" * 80) != worker_metric_name("a" * 79 + "b")


# --- alarms ---------------------------------------------------------------------------------------

def test_mwaa_alarms_watch_the_documented_metrics_and_notify_the_topic(mwaa):
    found, topic = alarms(mwaa), mwaa.one(TOPIC).state["arn"]
    assert set(found) == {"scheduler-heartbeat-missing", "tasks-queued-without-progress", "workers-at-maximum",
                          "worker-metric-failing"}
    for kind, alarm in found.items():
        assert alarm.inputs["name"] == f"{ENV}-{kind}"
        assert alarm.inputs["alarmActions"] == alarm.inputs["okActions"] == [topic]
        assert alarm.inputs["datapointsToAlarm"] == alarm.inputs["evaluationPeriods"]
        assert {q["metric"]["period"] for q in alarm.inputs["metricQueries"] if "metric" in q} == {60}
    heartbeat = queries(found["scheduler-heartbeat-missing"])["heartbeat"]["metric"]
    assert (heartbeat["namespace"], heartbeat["metricName"], heartbeat["dimensions"], heartbeat["stat"]) == (
        "AmazonMWAA", "SchedulerHeartbeat", {"Function": "Scheduler", "Environment": ENV}, "Sum")
    assert found["scheduler-heartbeat-missing"].inputs["treatMissingData"] == "breaching"
    stuck = queries(found["tasks-queued-without-progress"])
    assert stuck["queued"]["metric"]["metricName"] == "QueuedTasks" and stuck["running"]["metric"]["metricName"] == "RunningTasks"
    assert "queued" in stuck["stuck"]["expression"] and "running" in stuck["stuck"]["expression"]
    at_max = found["workers-at-maximum"]
    assert at_max.inputs["threshold"] == 4
    assert queries(at_max)["workers"]["metric"] == {"namespace": "AirflowAws/Workers", "metricName": "TotalWorkers",
                                                         "dimensions": {"Environment": ENV}, "stat": "Minimum", "period": 60}
    errors = queries(found["worker-metric-failing"])["errors"]["metric"]
    assert (errors["namespace"], errors["metricName"], errors["dimensions"]) == (
        "AWS/Lambda", "Errors", {"FunctionName": mwaa.one(FUNCTION).state["name"]})


@pytest.mark.parametrize("stack", STACKS)
def test_each_stack_alarms_after_its_own_thresholds(stack_plans, stack):
    plan = stack_plans[stack]
    values = stack_values(stack)
    thresholds, max_workers = values["airflow-aws:monitoring"], values["airflow-aws:mwaa"]["maxWorkers"]
    found = alarms(plan)
    assert {kind: a.inputs["evaluationPeriods"] for kind, a in found.items()} == {
        "scheduler-heartbeat-missing": thresholds["schedulerHeartbeatMissingMinutes"],
        "tasks-queued-without-progress": thresholds["tasksQueuedWithoutProgressMinutes"],
        "workers-at-maximum": thresholds["workersAtMaximumMinutes"],
        "worker-metric-failing": thresholds["workerMetricFailingMinutes"]}
    assert found["workers-at-maximum"].inputs["threshold"] == max_workers


def test_production_pages_sooner_than_the_sandbox():
    sandbox, prod = (stack_values(s)["airflow-aws:monitoring"] for s in ("sandbox", "prod"))
    assert all(prod[key] < sandbox[key] for key in prod)


def test_an_existing_topic_replaces_the_created_one():
    topic = "arn:aws:sns:eu-west-1:111111111111:on-call"
    plan = plan_stack("sandbox", {"monitoring.alarmTopicArn": topic})
    assert plan.of_type(TOPIC) == []
    assert {a.inputs["alarmActions"][0] for a in plan.of_type(ALARM)} == {topic}
    assert plan.outputs["alarmTopicArn"] == topic


# --- dashboard and stack wiring ---------------------------------------------------------------------

def test_each_stack_plans_the_dashboard_alarms_and_scheduled_function(stack_plans):
    for stack, plan in stack_plans.items():
        component = plan.one("airflow-aws:index:AirflowMonitoring")
        children = {r.type for r in plan.children_of(component)}
        assert {DASHBOARD, ALARM, FUNCTION, SCHEDULE, TOPIC} <= children
        body = json.loads(plan.one(DASHBOARD).inputs["dashboardBody"])
        (alarm_widget,) = [w for w in body["widgets"] if w["type"] == "alarm"]
        assert sorted(alarm_widget["properties"]["alarms"]) == sorted(a.state["arn"] for a in plan.of_type(ALARM))
        workers = next(w for w in body["widgets"] if w.get("properties", {}).get("title") == "Workers")
        assert workers["properties"]["metrics"][0][:4] == ["AirflowAws/Workers", "TotalWorkers", "Environment",
                                                          f"airflow-{stack}"]


def test_monitoring_waits_for_the_environment(stack_plans):
    plan = stack_plans["test"]
    component = plan.one("airflow-aws:index:AirflowMonitoring")
    assert plan.one("aws:mwaa/environment:Environment").urn in component.dependencies


def test_the_dashboard_can_be_turned_off_without_losing_the_alarms():
    plan = plan_stack("sandbox", {"monitoring.dashboard": False})
    assert plan.of_type(DASHBOARD) == []
    assert len(plan.of_type(ALARM)) == 4 and plan.outputs["dashboardName"] is None


def test_fargate_monitoring_has_no_worker_metric_function_and_alarms_on_running_tasks():
    plan = monitoring(platform="fargate", fargate=FARGATE)
    assert plan.of_type(FUNCTION) == [] and plan.of_type(SCHEDULE) == []
    found = alarms(plan)
    assert set(found) == {"scheduler-heartbeat-missing", "tasks-queued-without-progress", "workers-at-maximum"}
    workers = queries(found["workers-at-maximum"])["workers"]["metric"]
    assert (workers["namespace"], workers["metricName"], workers["dimensions"], workers["stat"]) == (
        "ECS/ContainerInsights", "RunningTaskCount", {"ClusterName": "x-cluster", "ServiceName": "x-worker"}, "Minimum")
    heartbeat = queries(found["scheduler-heartbeat-missing"])["heartbeat"]["metric"]
    assert (heartbeat["namespace"], heartbeat["metricName"]) == ("Airflow/x", "airflow.scheduler_heartbeat")
    body = json.loads(plan.one(DASHBOARD).inputs["dashboardBody"])
    assert "ECS Fargate" in body["widgets"][0]["properties"]["markdown"]


def test_a_fargate_stack_gets_the_same_alarms_on_its_own_metrics_and_no_function():
    plan = plan_stack("prod", {"platform": "fargate", "mwaa": DELETE})
    values = stack_values("prod")["airflow-aws:monitoring"]
    component = plan.one("airflow-aws:index:AirflowMonitoring")
    assert {FUNCTION, SCHEDULE} & {r.type for r in plan.children_of(component)} == set()
    found = alarms(plan)
    assert found["scheduler-heartbeat-missing"].inputs["evaluationPeriods"] == values["schedulerHeartbeatMissingMinutes"]
    max_workers = plan.one("aws:appautoscaling/target:Target").inputs["maxCapacity"]
    assert found["workers-at-maximum"].inputs["threshold"] == max_workers
    cluster = plan.one("aws:ecs/cluster:Cluster").state["name"]
    assert queries(found["workers-at-maximum"])["workers"]["metric"]["dimensions"]["ClusterName"] == cluster


def test_fargate_without_its_metrics_is_refused():
    with pytest.raises(Exception, match="fargate"):
        monitoring(platform="fargate")


# --- settings ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("key, value, problem", [
    ("monitoring.alarmTopicArn", "on-call", "is not an SNS topic ARN"),
    ("monitoring.schedulerHeartbeatMissingMinutes", 0, "must be at least 1"),
    ("monitoring.workersAtMaximumMinutes", 1441, "must be at most 1440"),
    ("monitoring.workerMetricEveryMinutes", 6, "must be at most 5"),
])
def test_bad_monitoring_settings_are_refused_by_key(key, value, problem):
    errors = setting_errors("test", {key: value})
    assert errors[f"airflow-aws:{key}"].problem == problem


def test_a_topic_in_another_region_is_refused_before_anything_is_created():
    error, registered = plan_failure("prod", {"monitoring.alarmTopicArn": "arn:aws:sns:us-east-1:333333333333:on-call"})
    (found,) = [e for e in error.errors if e.key == "airflow-aws:monitoring.alarmTopicArn"]
    assert "us-east-1" in found.problem and "eu-west-1" in found.fix
    assert registered == []

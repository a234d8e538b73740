"""The dashboard body, built alone: which metric answers each question, with which dimensions, statistic and period."""

from __future__ import annotations

import pytest

from airflow_aws import dashboards

ENV = "airflow-x"
ALARMS = ["arn:aws:cloudwatch:eu-west-1:111111111111:alarm:a", "arn:aws:cloudwatch:eu-west-1:111111111111:alarm:b"]
SERVICES = {"api-server": "x-api", "scheduler": "x-scheduler", "dag-processor": "x-dags", "triggerer": "x-triggerer",
            "worker": "x-worker"}


def body(metrics: dashboards.PlatformMetrics, min_workers: int = 2, max_workers: int = 7) -> dict:
    return dashboards.dashboard_body(title="Airflow x", region="eu-west-1", metrics=metrics, min_workers=min_workers,
                                     max_workers=max_workers, alarm_arns=ALARMS)


def widget(dashboard: dict, title: str) -> dict:
    (found,) = [w for w in dashboard["widgets"] if w.get("properties", {}).get("title") == title]
    return found


def lines(graph: dict) -> list[tuple]:
    """Each plotted metric as (namespace, name, dimensions, statistic, visible); expressions as ('=', expression)."""
    found = []
    for line in graph["properties"]["metrics"]:
        options = line[-1] if isinstance(line[-1], dict) else {}
        if "expression" in options:
            found.append(("=", options["expression"]))
            continue
        namespace, name, *pairs = [part for part in line if not isinstance(part, dict)]
        found.append((namespace, name, dict(zip(pairs[::2], pairs[1::2])), options.get("stat"), options.get("visible", True)))
    return found


@pytest.fixture(scope="module")
def mwaa() -> dict:
    return body(dashboards.mwaa_metrics(ENV))


@pytest.fixture(scope="module")
def fargate() -> dict:
    return body(dashboards.fargate_metrics(cluster_name="x-cluster", service_names=SERVICES, statsd_namespace="Airflow/x"))


def test_mwaa_workers_come_from_the_per_minute_count_and_are_drawn_against_min_and_max(mwaa):
    graph = widget(mwaa, "Workers")
    per_env = {"Environment": ENV}
    assert lines(graph) == [
        ("AirflowAws/Workers", "TotalWorkers", per_env, "Average", True),
        ("AirflowAws/Workers", "TotalWorkers", per_env, "Maximum", True),
        ("AirflowAws/Workers", "TotalWorkers", per_env, "Minimum", True),
        ("AirflowAws/Workers", "BaseWorkers", per_env, "Average", True),
        ("AirflowAws/Workers", "AdditionalWorkers", per_env, "Average", True)]
    assert {(a["label"], a["value"]) for a in graph["properties"]["annotations"]["horizontal"]} == {
        ("Minimum workers", 2), ("Maximum workers", 7)}


def test_mwaa_airflow_metrics_use_the_documented_function_dimensions(mwaa):
    def dims(function):
        return {"Function": function, "Environment": ENV}

    assert lines(widget(mwaa, "Tasks queued and running")) == [
        ("AmazonMWAA", "QueuedTasks", dims("Executor"), "Maximum", True),
        ("AmazonMWAA", "RunningTasks", dims("Executor"), "Maximum", True)]
    assert lines(widget(mwaa, "Scheduler heartbeat")) == [("AmazonMWAA", "SchedulerHeartbeat", dims("Scheduler"), "Sum", True)]
    assert lines(widget(mwaa, "DAG processing time")) == [
        ("AmazonMWAA", "TotalParseTime", dims("DAG Processing"), "Maximum", True)]


@pytest.mark.parametrize("title, metric", [("CPU per component (%)", "CPUUtilization"),
                                           ("Memory per component (%)", "MemoryUtilization")])
def test_mwaa_cpu_and_memory_are_shown_per_cluster(mwaa, title, metric):
    assert lines(widget(mwaa, title)) == [("AWS/MWAA", metric, {"Cluster": cluster, "Environment": ENV}, "Maximum", True)
                                          for cluster in ("BaseWorker", "AdditionalWorker", "Scheduler", "WebServer")]


def test_every_graph_is_per_minute_and_the_alarms_are_on_the_dashboard(mwaa, fargate):
    for dashboard in (mwaa, fargate):
        graphs = [w for w in dashboard["widgets"] if w["type"] == "metric"]
        assert len(graphs) == 6 and {g["properties"]["period"] for g in graphs} == {60}
        assert {g["properties"]["region"] for g in graphs} == {"eu-west-1"}
        (alarms,) = [w for w in dashboard["widgets"] if w["type"] == "alarm"]
        assert alarms["properties"]["alarms"] == ALARMS


def test_widgets_fit_the_grid_without_overlapping(mwaa):
    cells = set()
    for w in mwaa["widgets"]:
        assert 0 <= w["x"] and w["x"] + w["width"] <= 24
        area = {(x, y) for x in range(w["x"], w["x"] + w["width"]) for y in range(w["y"], w["y"] + w["height"])}
        assert not cells & area
        cells |= area


def test_fargate_workers_are_the_worker_services_running_tasks(fargate):
    service = {"ClusterName": "x-cluster", "ServiceName": "x-worker"}
    assert lines(widget(fargate, "Workers")) == [
        ("ECS/ContainerInsights", "RunningTaskCount", service, stat, True) for stat in ("Average", "Maximum", "Minimum")]


def test_fargate_airflow_questions_come_from_the_schedulers_statsd_metrics(fargate):
    def statsd(name, kind, stat):
        return ("Airflow/x", f"airflow.{name}", {"metric_type": kind}, stat, True)

    assert lines(widget(fargate, "Tasks queued and running")) == [
        statsd("executor.queued_tasks", "gauge", "Maximum"), statsd("executor.running_tasks", "gauge", "Maximum")]
    assert lines(widget(fargate, "Scheduler heartbeat")) == [statsd("scheduler_heartbeat", "counter", "Sum")]
    assert lines(widget(fargate, "DAG processing time")) == [statsd("dag_processing.total_parse_time", "gauge", "Maximum")]


@pytest.mark.parametrize("title, resource", [("CPU per component (%)", "Cpu"), ("Memory per component (%)", "Memory")])
def test_fargate_cpu_and_memory_are_used_over_reserved_per_service(fargate, title, resource):
    plotted = lines(widget(fargate, title))
    expected = []
    for index, service in enumerate(SERVICES.values()):
        dims = {"ClusterName": "x-cluster", "ServiceName": service}
        expected += [("=", f"100 * used{index} / reserved{index}"),
                     ("ECS/ContainerInsights", f"{resource}Utilized", dims, "Sum", False),
                     ("ECS/ContainerInsights", f"{resource}Reserved", dims, "Sum", False)]
    assert plotted == expected
    ids = [line[-1]["id"] for line in widget(fargate, title)["properties"]["metrics"]]
    assert len(ids) == len(set(ids))


def test_fargate_needs_the_scheduler_and_worker_services():
    with pytest.raises(ValueError, match="worker"):
        dashboards.fargate_metrics(cluster_name="c", service_names={"scheduler": "s"}, statsd_namespace="n")

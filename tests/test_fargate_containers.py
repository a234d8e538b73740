"""Container definitions, scaling math and network flows of Airflow on Fargate, as pure functions."""

from __future__ import annotations

import math
import subprocess
from pathlib import Path

import pytest

from airflow_aws import airflow_settings as airflow

SECRETS = {variable: f"arn:aws:secretsmanager:eu-west-1:111111111111:secret:airflow/x/{name}-AbCdEf"
           for name, variable in airflow.SECRET_VARIABLES.items()}
CONTEXT = airflow.TaskContext(
    image="apache/airflow:3.0.6", region="eu-west-1", log_group="airflow-x-scheduler", secrets=SECRETS,
    dags_bucket="airflow-x-bucket", metrics_agent_image="public.ecr.aws/cloudwatch-agent/cloudwatch-agent:latest",
    metrics_namespace="Airflow/x",
    environment=airflow.common_environment(execution_api_url="http://api-server.x.airflow.internal:8080/execution/",
                                           remote_log_folder="s3://airflow-x-bucket/logs", region="eu-west-1",
                                           worker_concurrency=16, base_url="https://airflow.example.com"))

# The reference table (airflow-on-fargate.md): command, port, health check of each process.
EXPECTED = {
    "api-server": ("api-server --port 8080", 8080, "curl --fail --silent http://localhost:8080/api/v2/monitor/health"),
    "scheduler": ("scheduler", None, "curl --fail --silent http://localhost:8974/health"),
    "dag-processor": ("dag-processor", None, "airflow jobs check --job-type DagProcessorJob --local"),
    "triggerer": ("triggerer", 8794, "airflow jobs check --job-type TriggererJob --local"),
    "worker": ("celery worker", 8793,
               'celery --app airflow.providers.celery.executors.celery_executor.app inspect ping -d "celery@$(hostname)"'),
    "flower": ("celery flower", 5555, "curl --fail --silent http://localhost:5555/healthcheck"),
}


def containers(process: str) -> dict[str, dict]:
    definition = airflow.MIGRATE if process == "migrate" else airflow.PROCESSES[process]
    return {c["name"]: c for c in airflow.container_definitions(definition, CONTEXT)}


def env(container: dict) -> dict[str, str]:
    return {e["name"]: e["value"] for e in container.get("environment", [])}


@pytest.mark.parametrize("process", sorted(set(EXPECTED) - {"worker"}))
def test_each_process_waits_for_migrations_then_execs_its_command(process):
    command, _, _ = EXPECTED[process]
    assert containers(process)[process]["command"] == [
        "bash", "-c", f"airflow db check-migrations --migration-wait-timeout 900 && exec airflow {command}"]


def test_files_of_a_process_are_written_exactly_before_it_waits_for_migrations_and_starts(tmp_path):
    files = {str(tmp_path / "sign-in" / "b.py"): 'x = "$HOME" % 100\n`id` \\n\n', str(tmp_path / "sign-in" / "a.py"): "-n"}
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    (fake_bin / "airflow").write_text(f'#!/bin/sh\necho "$*" >> {tmp_path}/calls\n')
    (fake_bin / "airflow").chmod(0o755)

    command = airflow.service_command(airflow.PROCESSES["api-server"], files)
    subprocess.run(command, env={"PATH": f"{fake_bin}:/usr/bin:/bin"}, check=True)

    assert {path: Path(path).read_text() for path in files} == files
    assert (tmp_path / "calls").read_text().splitlines() == [
        "db check-migrations --migration-wait-timeout 900", "api-server --port 8080"]


def test_the_worker_waits_for_migrations_then_execs_its_command_inside_the_protection_program():
    assert containers("worker")["worker"]["command"] == [
        "bash", "-c", 'airflow db check-migrations --migration-wait-timeout 900 && exec python -c "$1" celery worker',
        "worker", airflow.worker_protection_source()]


@pytest.mark.parametrize("process", sorted(EXPECTED))
def test_each_process_has_its_port_and_health_check_with_a_start_period(process):
    _, port, probe = EXPECTED[process]
    main = containers(process)[process]
    assert [m["containerPort"] for m in main.get("portMappings", [])] == ([port] if port else [])
    check = main["healthCheck"]
    assert check["command"][0] == "CMD-SHELL" and check["command"][1].startswith(probe)
    # ECS would replace a task still starting without a grace period (the reference: 60-120 s).
    assert 60 <= check["startPeriod"] <= 300 and check["retries"] >= 3
    assert check["timeout"] < check["interval"]


@pytest.mark.parametrize("process", sorted(EXPECTED) + ["migrate"])
def test_secrets_reach_containers_only_as_ecs_secrets(process):
    for container in containers(process).values():
        plain = env(container)
        assert not set(plain) & set(airflow.SECRET_VARIABLES.values())
        assert not any(v.startswith(("postgresql", "db+", "redis", "rediss")) for v in plain.values())
    main = containers(process)[process]
    assert {s["name"]: s["valueFrom"] for s in main["secrets"]} == SECRETS


def test_every_process_shares_executor_api_and_remote_logging_settings():
    for process in EXPECTED:
        plain = env(containers(process)[process])
        assert plain["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
        assert plain["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == "http://api-server.x.airflow.internal:8080/execution/"
        assert plain["AIRFLOW__LOGGING__REMOTE_LOGGING"] == "True"
        assert plain["AIRFLOW__LOGGING__REMOTE_BASE_LOG_FOLDER"] == "s3://airflow-x-bucket/logs"
        assert plain["AIRFLOW__API__BASE_URL"] == "https://airflow.example.com/"
        log = containers(process)[process]["logConfiguration"]
        assert log == {"logDriver": "awslogs", "options": {"awslogs-group": "airflow-x-scheduler",
                                                           "awslogs-region": "eu-west-1",
                                                           "awslogs-stream-prefix": process}}


def test_migration_runs_the_migration_itself():
    main = containers("migrate")["migrate"]
    assert main["command"] == ["db", "migrate"] and main["essential"] is True
    assert "healthCheck" not in main and "portMappings" not in main


def test_workers_shut_down_warm_within_fargates_stop_timeout():
    worker = containers("worker")["worker"]
    assert worker["stopTimeout"] == 120
    assert env(worker)["DUMB_INIT_SETSID"] == "0"
    # exec, and the program runs Celery in its own process: SIGTERM reaches Celery itself.
    assert worker["command"][2].endswith('&& exec python -c "$1" celery worker')


@pytest.mark.parametrize("process", ["dag-processor", "triggerer", "worker"])
def test_dag_parsers_read_the_synced_folder_only_after_the_first_sync(process):
    parts = containers(process)
    main, sync = parts[process], parts[airflow.DAG_SYNC_CONTAINER]
    assert main["mountPoints"] == [{"sourceVolume": "dags", "containerPath": "/opt/airflow/dags", "readOnly": True}]
    assert main["dependsOn"] == [{"containerName": "dags-sync", "condition": "HEALTHY"}]
    assert sync["mountPoints"] == [{"sourceVolume": "dags", "containerPath": "/opt/airflow/dags", "readOnly": False}]
    assert sync["essential"] is True and sync["image"] == CONTEXT.image
    assert sync["healthCheck"]["command"] == ["CMD-SHELL", f"test -f {airflow.DAG_SYNC_MARKER}"]
    assert sync["command"] == [airflow.dag_sync_source()] and sync["entryPoint"] == ["python", "-c"]
    compile(sync["command"][0], "dags-sync", "exec")
    assert env(sync)["DAGS_BUCKET"] == "airflow-x-bucket" and env(sync)["DAGS_PREFIX"] == "dags"


@pytest.mark.parametrize("process", ["api-server", "scheduler", "flower", "migrate"])
def test_processes_that_never_parse_dags_get_no_dag_folder(process):
    parts = containers(process)
    assert airflow.DAG_SYNC_CONTAINER not in parts and "mountPoints" not in parts[process]


@pytest.mark.parametrize("process", sorted(EXPECTED) + ["migrate"])
def test_statsd_goes_to_a_cloudwatch_agent_beside_the_processes_that_emit_metrics(process):
    parts = containers(process)
    emits = process in ("scheduler", "dag-processor", "triggerer")
    assert (airflow.METRICS_AGENT_CONTAINER in parts) == emits
    assert (env(parts[process]).get("AIRFLOW__METRICS__STATSD_HOST") == "localhost") == emits
    if emits:
        agent = parts[airflow.METRICS_AGENT_CONTAINER]
        assert agent["essential"] is False  # a dead agent must not restart the scheduler
        assert airflow.metrics_agent_config("Airflow/x")["metrics"]["metrics_collected"]["statsd"] == {
            "service_address": ":8125", "metrics_collection_interval": 60, "metrics_aggregation_interval": 60}


# --- worker autoscaling ----------------------------------------------------------------------

@pytest.mark.parametrize("queued, running, concurrency, expected", [
    (0, 0, 16, 1), (1, 0, 16, 1), (16, 0, 16, 1), (17, 0, 16, 2), (30, 20, 16, 4), (1000, 0, 16, 10)])
def test_desired_workers_follow_tasks_in_flight_within_bounds(queued, running, concurrency, expected):
    assert airflow.desired_workers(queued, running, concurrency=concurrency, minimum=1, maximum=10) == expected


def _evaluate(metrics: list[dict], values: dict[str, float]) -> float:
    expression = next(m for m in metrics if m.get("return_data"))["expression"]
    return eval(expression, {"__builtins__": {}}, values)  # the expression is ours: ids, numbers, + * / ( )


@pytest.mark.parametrize("queued, running, workers", [(0, 0, 1), (40, 8, 2), (3, 60, 5), (500, 30, 3), (5, 0, 8)])
def test_target_tracking_on_the_metric_lands_on_the_desired_workers(queued, running, workers):
    """Target tracking sets capacity to ceil(current * metric / target); that must be ceil((q + r) / c)."""
    metrics = airflow.worker_load_metrics(namespace="Airflow/x", cluster_name="x", worker_service_name="worker",
                                          concurrency=16)
    load = _evaluate(metrics, {"queued": queued, "running": running, "workers": workers})
    capacity = math.ceil(round(workers * load / airflow.WORKER_LOAD_TARGET, 9))
    assert max(1, min(10, capacity)) == airflow.desired_workers(queued, running, concurrency=16, minimum=1, maximum=10)


def test_the_metric_reads_the_agents_executor_gauges_and_the_running_worker_count():
    metrics = {m["id"]: m for m in airflow.worker_load_metrics(
        namespace="Airflow/x", cluster_name="x", worker_service_name="worker", concurrency=16)}
    assert metrics["queued"]["metric_stat"] == {
        "metric": {"namespace": "Airflow/x", "metric_name": "airflow.executor.queued_tasks",
                   "dimensions": [{"name": "metric_type", "value": "gauge"}]}, "stat": "Sum"}
    assert metrics["running"]["metric_stat"]["metric"]["metric_name"] == "airflow.executor.running_tasks"
    assert metrics["workers"]["metric_stat"]["metric"] == {
        "namespace": "ECS/ContainerInsights", "metric_name": "RunningTaskCount",
        "dimensions": [{"name": "ClusterName", "value": "x"}, {"name": "ServiceName", "value": "worker"}]}
    assert [m["id"] for m in metrics.values() if m["return_data"]] == ["load"]


# --- names and sizes ------------------------------------------------------------------------

@pytest.mark.parametrize("name, expected", [("airflow-prod", "airflow-prod"), ("Data_Platform", "data-platform"),
                                            ("9lives", "lives"), ("a--b", "a-b")])
def test_slug_is_what_rds_dns_and_ecs_accept(name, expected):
    assert airflow.slug(name) == expected


def test_ecr_images_get_a_scoped_pull_permission_others_none():
    assert airflow.ecr_repository_arn("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/airflow:3.0.6", "aws") == \
        "arn:aws:ecr:eu-west-1:123456789012:repository/team/airflow"
    assert airflow.ecr_repository_arn("apache/airflow:3.0.6", "aws") is None


@pytest.mark.parametrize("cpu, memory, ok", [(256, 512, True), (256, 4096, False), (1024, 2048, True),
                                             (2048, 4096, True), (2048, 3072, False), (300, 1024, False)])
def test_fargate_sizes(cpu, memory, ok):
    assert (memory in airflow.fargate_memory_choices(cpu)) is ok


@pytest.mark.parametrize("url, version, expected", [
    ("https://airflow.example.com", "3.0.6", "https://airflow.example.com/"),
    ("https://airflow.example.com/", "3", "https://airflow.example.com/"),
    ("https://airflow.example.com", "2.10.3", "https://airflow.example.com"),
    ("https://airflow.example.com/", "2.10.3", "https://airflow.example.com"),
])
def test_the_ui_base_url_ends_with_a_slash_on_airflow_3_only(url, version, expected):
    base = airflow.ui_base_url(url, version)
    assert base == expected
    # What each version builds a task's log link from (TaskInstance.log_url): one slash before "dags".
    link = f"{base}dags/d/runs/r" if version.startswith("3") else f"{base}/dags/d/grid"
    assert link.startswith("https://airflow.example.com/dags/")

"""Which metrics answer the operators' questions on each platform, and the dashboard that shows them: pure data.

The same `PlatformMetrics` feeds the dashboard and the alarms, so an alarm always watches what
its graph shows. Metric facts and their sources:
- MWAA Airflow metrics: namespace `AmazonMWAA`, dimensions `Function` and `Environment`;
  `SchedulerHeartbeat` (Function=Scheduler, a count), `QueuedTasks` and `RunningTasks`
  (Function=Executor), `TotalParseTime` (Function=DAG Processing, seconds). AWS MWAA user guide,
  "Apache Airflow v2 environment metrics in CloudWatch" (awsdocs/amazon-mwaa-user-guide
  access-metrics-cw-202.md) and the dashboard template of "Monitoring dashboards and alarms on
  Amazon MWAA" (monitoring-dashboard.md), which uses exactly these dimension pairs.
- MWAA container metrics: namespace `AWS/MWAA`, `CPUUtilization` and `MemoryUtilization` (percent)
  with dimensions `Cluster` (BaseWorker, AdditionalWorker, Scheduler, WebServer) and `Environment`
  ("Container, queue, and database metrics for Amazon MWAA").
- The worker count: namespace `AirflowAws/Workers` (functions/worker_metrics), one value per minute.
- Fargate: ECS Container Insights (`ECS/ContainerInsights`: CpuUtilized, CpuReserved,
  MemoryUtilized, MemoryReserved, RunningTaskCount per ClusterName and ServiceName), and the
  StatsD metrics of the scheduler and dag-processor as FargateAirflowCluster's CloudWatch agent
  sidecars publish them (airflow_settings.metrics_agent_config): prefix `airflow.`, dimension
  `metric_type` (gauge | counter | timing), no host dimension.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Mapping, Optional

WORKER_NAMESPACE = "AirflowAws/Workers"
MWAA_NAMESPACE = "AmazonMWAA"
MWAA_CONTAINER_NAMESPACE = "AWS/MWAA"
MWAA_CLUSTERS = ("BaseWorker", "AdditionalWorker", "Scheduler", "WebServer")
CONTAINER_INSIGHTS = "ECS/ContainerInsights"
STATSD_PREFIX = "airflow"
FARGATE_PROCESSES = ("api-server", "scheduler", "dag-processor", "triggerer", "worker")
# Every graph is per minute: the finest period MWAA's and Container Insights' metrics have.
PERIOD = 60
FULL_WIDTH = 24


@dataclass(frozen=True)
class Metric:
    """One CloudWatch metric with the statistic that answers its question."""

    namespace: str
    name: str
    dimensions: tuple[tuple[str, str], ...]
    stat: str
    label: str

    def line(self, **options: Any) -> list[Any]:
        """The metric as a dashboard `metrics` entry."""
        return [self.namespace, self.name, *(part for pair in self.dimensions for part in pair),
                {"stat": self.stat, "label": self.label, **options}]

    def with_stat(self, stat: str, label: Optional[str] = None) -> "Metric":
        """The same metric under another statistic (a minute's low or peak next to its average)."""
        return replace(self, stat=stat, label=label or self.label)

    def query(self, query_id: str, return_data: bool = False) -> dict[str, Any]:
        """The metric as a MetricAlarm `metric_queries` entry."""
        return {"id": query_id, "return_data": return_data, "metric": {
            "namespace": self.namespace, "metric_name": self.name, "period": PERIOD, "stat": self.stat,
            "dimensions": dict(self.dimensions)}}


@dataclass(frozen=True)
class Utilization:
    """A component's CPU or memory in percent: a metric, or used / reserved of Container Insights."""

    label: str
    metric: Optional[Metric] = None
    used: Optional[Metric] = None
    reserved: Optional[Metric] = None

    def lines(self, index: int) -> list[list[Any]]:
        if self.metric is not None:
            return [self.metric.line()]
        assert self.used is not None and self.reserved is not None
        return [[{"expression": f"100 * used{index} / reserved{index}", "label": self.label, "id": f"percent{index}"}],
                self.used.line(id=f"used{index}", visible=False),
                self.reserved.line(id=f"reserved{index}", visible=False)]


@dataclass(frozen=True)
class PlatformMetrics:
    """The metrics that answer each question on one platform."""

    platform: str
    workers: Metric
    """Running workers, one value per minute: right under any statistic and period."""
    worker_parts: tuple[Metric, ...]
    queued_tasks: Metric
    running_tasks: Metric
    scheduler_heartbeat: Metric
    dag_parse_time: Metric
    cpu: tuple[Utilization, ...]
    memory: tuple[Utilization, ...]
    notes: tuple[str, ...] = field(default=())


def _dims(**pairs: str) -> tuple[tuple[str, str], ...]:
    return tuple(pairs.items())


def _airflow(name: str, function: str, environment: str, stat: str, label: str) -> Metric:
    return Metric(MWAA_NAMESPACE, name, (("Function", function), ("Environment", environment)), stat, label)


def mwaa_metrics(environment: str, worker_namespace: str = WORKER_NAMESPACE) -> PlatformMetrics:
    def worker(name: str, label: str) -> Metric:
        return Metric(worker_namespace, name, _dims(Environment=environment), "Average", label)

    def container(metric: str, cluster: str) -> Utilization:
        return Utilization(cluster, metric=Metric(MWAA_CONTAINER_NAMESPACE, metric,
                                                  _dims(Cluster=cluster, Environment=environment), "Maximum", cluster))

    return PlatformMetrics(
        platform="mwaa",
        workers=worker("TotalWorkers", "Workers"),
        worker_parts=(worker("BaseWorkers", "Base workers"), worker("AdditionalWorkers", "Additional workers")),
        queued_tasks=_airflow("QueuedTasks", "Executor", environment, "Maximum", "Queued tasks"),
        running_tasks=_airflow("RunningTasks", "Executor", environment, "Maximum", "Running tasks"),
        scheduler_heartbeat=_airflow("SchedulerHeartbeat", "Scheduler", environment, "Sum", "Scheduler heartbeats"),
        dag_parse_time=_airflow("TotalParseTime", "DAG Processing", environment, "Maximum", "Seconds to parse all DAG files"),
        cpu=tuple(container("CPUUtilization", cluster) for cluster in MWAA_CLUSTERS),
        memory=tuple(container("MemoryUtilization", cluster) for cluster in MWAA_CLUSTERS),
        notes=("Workers come from the worker metric function (one value per minute), right at any zoom.",),
    )


def fargate_metrics(*, cluster_name: str, service_names: Mapping[str, str], statsd_namespace: str) -> PlatformMetrics:
    missing = [p for p in ("scheduler", "worker") if p not in service_names]
    if missing:
        raise ValueError(f"service_names lacks the ECS services of {missing}")

    def insight(metric: str, process: str, stat: str, label: str) -> Metric:
        return Metric(CONTAINER_INSIGHTS, metric, _dims(ClusterName=cluster_name, ServiceName=service_names[process]),
                      stat, label)

    def statsd(name: str, kind: str, stat: str, label: str) -> Metric:
        return Metric(statsd_namespace, f"{STATSD_PREFIX}.{name}", _dims(metric_type=kind), stat, label)

    def utilization(resource: str) -> tuple[Utilization, ...]:
        return tuple(Utilization(process, used=insight(f"{resource}Utilized", process, "Sum", process),
                                 reserved=insight(f"{resource}Reserved", process, "Sum", process))
                     for process in FARGATE_PROCESSES if process in service_names)

    return PlatformMetrics(
        platform="fargate",
        workers=insight("RunningTaskCount", "worker", "Average", "Workers"),
        worker_parts=(),
        queued_tasks=statsd("executor.queued_tasks", "gauge", "Maximum", "Queued tasks"),
        running_tasks=statsd("executor.running_tasks", "gauge", "Maximum", "Running tasks"),
        scheduler_heartbeat=statsd("scheduler_heartbeat", "counter", "Sum", "Scheduler heartbeats"),
        dag_parse_time=statsd("dag_processing.total_parse_time", "gauge", "Maximum", "Seconds to parse all DAG files"),
        cpu=utilization("Cpu"),
        memory=utilization("Memory"),
        notes=("Workers are the worker service's RunningTaskCount (Container Insights, one value per minute), "
               "right at any zoom.",),
    )


# --- the dashboard ----------------------------------------------------------------------------

def _graph(title: str, region: str, lines: list[list[Any]], x: int, y: int, width: int, height: int = 6,
           **properties: Any) -> dict[str, Any]:
    return {"type": "metric", "x": x, "y": y, "width": width, "height": height,
            "properties": {"title": title, "region": region, "view": "timeSeries", "stacked": False,
                           "period": PERIOD, "metrics": lines, **properties}}


def dashboard_body(*, title: str, region: str, metrics: PlatformMetrics, min_workers: int, max_workers: int,
                   alarm_arns: list[str]) -> dict[str, Any]:
    """The dashboard: workers, tasks, scheduler and DAG parsing, alarms, CPU and memory per component."""
    workers = metrics.workers
    worker_lines = [workers.line(), workers.with_stat("Maximum", "Workers (peak)").line(),
                    workers.with_stat("Minimum", "Workers (low)").line(),
                    *(part.line() for part in metrics.worker_parts)]
    bounds = {"horizontal": [{"label": "Minimum workers", "value": min_workers},
                             {"label": "Maximum workers", "value": max_workers, "color": "#d62728"}]}
    return {"widgets": [
        {"type": "text", "x": 0, "y": 0, "width": FULL_WIDTH, "height": 2, "properties": {"markdown": "\n".join([
            f"# {title}",
            "Workers against their bounds, tasks queued and running, scheduler heartbeat, DAG parsing time, "
            "alarms, CPU and memory per component. " + " ".join(metrics.notes)])}},
        _graph("Workers", region, worker_lines, 0, 2, 12, annotations=bounds,
               yAxis={"left": {"min": 0, "max": max_workers + 1, "showUnits": False}}),
        _graph("Tasks queued and running", region, [metrics.queued_tasks.line(), metrics.running_tasks.line()],
               12, 2, 12, yAxis={"left": {"min": 0, "showUnits": False}}),
        _graph("Scheduler heartbeat", region, [metrics.scheduler_heartbeat.line()], 0, 8, 8,
               yAxis={"left": {"min": 0, "showUnits": False}}),
        _graph("DAG processing time", region, [metrics.dag_parse_time.line()], 8, 8, 8,
               yAxis={"left": {"min": 0}}),
        {"type": "alarm", "x": 16, "y": 8, "width": 8, "height": 6,
         "properties": {"title": "Alarms", "alarms": list(alarm_arns)}},
        _graph("CPU per component (%)", region,
               [line for index, u in enumerate(metrics.cpu) for line in u.lines(index)], 0, 14, 12,
               yAxis={"left": {"min": 0, "max": 100}}),
        _graph("Memory per component (%)", region,
               [line for index, u in enumerate(metrics.memory) for line in u.lines(index)], 12, 14, 12,
               yAxis={"left": {"min": 0, "max": 100}}),
    ]}

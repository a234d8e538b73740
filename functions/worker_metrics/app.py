"""Publish how many MWAA workers run, minute by minute, as a metric that is right at any zoom.

MWAA has no worker-count metric. Its container metrics (namespace `AWS/MWAA`, dimensions
`Cluster` = BaseWorker | AdditionalWorker | Scheduler | WebServer and `Environment`; AWS MWAA
user guide, "Container, queue, and database metrics for Amazon MWAA") carry one
`CPUUtilization` sample per container per minute, so the SampleCount over exactly 60 s is the
number of containers (seed 001, from AWS Support). Over any longer period that SampleCount adds
up minutes and the figure is wrong. This function turns each minute's SampleCount into a value
of its own (`BaseWorkers`, `AdditionalWorkers`, `TotalWorkers`, dimension `Environment`), so any
statistic over any period (average, maximum, minimum over a day or a month) is right.

How a run works (EventBridge Scheduler invokes it every minute with the scheduled time):
- It looks at the last LOOKBACK_MINUTES minutes that ended at least SETTLE_MINUTES before the
  scheduled time: AWS publishes container metrics with a delay, and a minute read too early
  would lack the additional workers' samples.
- It reads, in one GetMetricData call per environment, both clusters' SampleCount and its own
  published `TotalWorkers` for those minutes, and publishes only the minutes that have worker
  samples and were not published yet. A minute the first run could not see (late datapoints,
  a failed or skipped run) is published by a later run while it is still in the window.
- Gaps: a minute without any worker sample is the environment being down, created or updated:
  nothing is published for it, so it shows as a gap, never as zero workers that would drag a
  day's minimum and average down.
- Never twice: the read-back of its own metric skips minutes already published; the scheduled
  time (not the clock) fixes the window, so a retried or duplicated delivery covers the same
  minutes and finds them published. Runs are a minute apart and end in under a minute.
- Throttling: botocore's standard retry mode retries throttled calls with backoff; an
  environment that still fails is reported after every other environment was published, and
  the run then fails so that the Lambda Errors metric (and its alarm) shows it.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Iterable, Mapping, Optional

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

SOURCE_NAMESPACE = "AWS/MWAA"
SOURCE_METRIC = "CPUUtilization"
BASE_CLUSTER = "BaseWorker"
ADDITIONAL_CLUSTER = "AdditionalWorker"
DEFAULT_NAMESPACE = "AirflowAws/Workers"
BASE_METRIC, ADDITIONAL_METRIC, TOTAL_METRIC = "BaseWorkers", "AdditionalWorkers", "TotalWorkers"
MINUTE = timedelta(minutes=1)

# Three attempts after the first, with standard backoff, fit well inside the one-minute run.
CLIENT_CONFIG = Config(retries={"mode": "standard", "total_max_attempts": 4}, connect_timeout=5, read_timeout=10)

log = logging.getLogger()
log.setLevel(logging.INFO)


class WorkerMetricsFailed(RuntimeError):
    """Some environments could not be published; the others were."""

    def __init__(self, failures: Mapping[str, str]):
        self.environments = sorted(failures)
        super().__init__(f"worker counts not published for {self.environments}: {dict(failures)}")


@dataclass(frozen=True)
class WorkerCount:
    base: int
    additional: int

    @property
    def total(self) -> int:
        return self.base + self.additional


# --- pure helpers ---------------------------------------------------------------------------

def minute_floor(moment: datetime) -> datetime:
    """The start of the UTC minute holding `moment`."""
    moment = moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)
    return moment.replace(second=0, microsecond=0)


def window(scheduled: datetime, settle_minutes: int, lookback_minutes: int) -> list[datetime]:
    """The minutes a run for `scheduled` looks at, oldest first; the newest ended `settle_minutes` ago."""
    newest = minute_floor(scheduled) - settle_minutes * MINUTE
    return [newest - offset * MINUTE for offset in reversed(range(lookback_minutes))]


def worker_counts(minutes: Iterable[datetime], base_samples: Mapping[datetime, float],
                  additional_samples: Mapping[datetime, float]) -> dict[datetime, WorkerCount]:
    """Workers per minute from each cluster's one-minute SampleCount; minutes without any sample are left out."""
    return {
        minute: WorkerCount(base=round(base_samples.get(minute, 0)), additional=round(additional_samples.get(minute, 0)))
        for minute in minutes
        if base_samples.get(minute, 0) > 0 or additional_samples.get(minute, 0) > 0
    }


def unpublished(counts: Mapping[datetime, WorkerCount], published: Iterable[datetime]) -> dict[datetime, WorkerCount]:
    """The counts of minutes not yet published."""
    done = set(published)
    return {minute: count for minute, count in counts.items() if minute not in done}


def metric_data(environment: str, counts: Mapping[datetime, WorkerCount]) -> list[dict[str, Any]]:
    """PutMetricData entries: three values per minute, stamped with the minute they describe."""
    dimensions = [{"Name": "Environment", "Value": environment}]
    return [
        {"MetricName": name, "Dimensions": dimensions, "Timestamp": minute, "Value": float(value), "Unit": "Count",
         "StorageResolution": 60}
        for minute, count in sorted(counts.items())
        for name, value in ((BASE_METRIC, count.base), (ADDITIONAL_METRIC, count.additional), (TOTAL_METRIC, count.total))
    ]


def scheduled_time(event: Mapping[str, Any], now: datetime) -> datetime:
    """The schedule's time from the event (EventBridge Scheduler's `<aws.scheduler.scheduled-time>`), else now."""
    text = event.get("scheduledTime") if isinstance(event, Mapping) else None
    if not text:
        return now
    return datetime.fromisoformat(str(text).replace("Z", "+00:00"))


def environments_from(text: str) -> list[str]:
    names = json.loads(text)
    if not isinstance(names, list) or not names or not all(isinstance(n, str) and n for n in names):
        raise ValueError(f"ENVIRONMENTS must be a JSON list of MWAA environment names, got {text!r}")
    return names


# --- AWS calls --------------------------------------------------------------------------------

def _query(query_id: str, namespace: str, metric: str, dimensions: dict[str, str]) -> dict[str, Any]:
    return {"Id": query_id, "ReturnData": True, "MetricStat": {
        "Metric": {"Namespace": namespace, "MetricName": metric,
                   "Dimensions": [{"Name": k, "Value": v} for k, v in dimensions.items()]},
        "Period": 60, "Stat": "SampleCount"}}


def _samples_per_minute(cloudwatch: Any, environment: str, namespace: str,
                        minutes: list[datetime]) -> dict[str, dict[datetime, float]]:
    queries = [
        _query("base", SOURCE_NAMESPACE, SOURCE_METRIC, {"Cluster": BASE_CLUSTER, "Environment": environment}),
        _query("additional", SOURCE_NAMESPACE, SOURCE_METRIC, {"Cluster": ADDITIONAL_CLUSTER, "Environment": environment}),
        _query("published", namespace, TOTAL_METRIC, {"Environment": environment}),
    ]
    samples: dict[str, dict[datetime, float]] = {q["Id"]: {} for q in queries}
    pages = cloudwatch.get_paginator("get_metric_data").paginate(
        MetricDataQueries=queries, StartTime=minutes[0], EndTime=minutes[-1] + MINUTE, ScanBy="TimestampAscending")
    for page in pages:
        for result in page["MetricDataResults"]:
            for timestamp, value in zip(result["Timestamps"], result["Values"]):
                minute = minute_floor(timestamp)
                samples[result["Id"]][minute] = samples[result["Id"]].get(minute, 0) + value
    return samples


def publish_environment(cloudwatch: Any, environment: str, namespace: str, minutes: list[datetime]) -> list[datetime]:
    """Publish the unpublished minutes of one environment; returns the minutes published."""
    samples = _samples_per_minute(cloudwatch, environment, namespace, minutes)
    counts = worker_counts(minutes, samples["base"], samples["additional"])
    todo = unpublished(counts, (m for m, n in samples["published"].items() if n > 0))
    if todo:
        cloudwatch.put_metric_data(Namespace=namespace, MetricData=metric_data(environment, todo))
    log.info(json.dumps({"environment": environment, "published": [m.isoformat() for m in sorted(todo)],
                         "alreadyPublished": sorted(m.isoformat() for m in set(counts) - set(todo)),
                         "withoutWorkerSamples": [m.isoformat() for m in minutes if m not in counts]}))
    return sorted(todo)


def cloudwatch_client() -> Any:
    return boto3.client("cloudwatch", config=CLIENT_CONFIG)


def handler(event: Optional[Mapping[str, Any]], context: Any) -> dict[str, list[str]]:
    environments = environments_from(os.environ["ENVIRONMENTS"])
    namespace = os.environ.get("METRIC_NAMESPACE", DEFAULT_NAMESPACE)
    minutes = window(scheduled_time(event or {}, datetime.now(timezone.utc)),
                     int(os.environ.get("SETTLE_MINUTES", "3")), int(os.environ.get("LOOKBACK_MINUTES", "5")))
    cloudwatch = cloudwatch_client()
    published: dict[str, list[str]] = {}
    failures: dict[str, str] = {}
    for environment in environments:
        try:
            published[environment] = [m.isoformat() for m in publish_environment(cloudwatch, environment, namespace, minutes)]
        except (ClientError, BotoCoreError) as error:
            # One environment's failure must not cost the others their minutes.
            log.error(json.dumps({"environment": environment, "error": str(error)}))
            failures[environment] = str(error)
    if failures:
        raise WorkerMetricsFailed(failures)
    return published

"""The worker metric function against moto's CloudWatch: MWAA container samples in, one worker count per minute out."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from botocore.awsrequest import AWSResponse
from moto import mock_aws

from airflow_aws.functions.worker_metrics import app

ENV = "airflow-test"
OTHER = "airflow-other"
T0 = datetime(2026, 11, 21, 10, 0, tzinfo=timezone.utc)
SETTLE, LOOKBACK = 3, 5


def at(minute: int) -> datetime:
    return T0 + timedelta(minutes=minute)


@pytest.fixture
def cloudwatch(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("ENVIRONMENTS", json.dumps([ENV]))
    monkeypatch.setenv("METRIC_NAMESPACE", app.DEFAULT_NAMESPACE)
    monkeypatch.setenv("SETTLE_MINUTES", str(SETTLE))
    monkeypatch.setenv("LOOKBACK_MINUTES", str(LOOKBACK))
    with mock_aws():
        client = app.cloudwatch_client()
        monkeypatch.setattr(app, "cloudwatch_client", lambda: client)
        yield client


def record(cloudwatch, workers: dict[int, tuple[int, int]], environment: str = ENV) -> None:
    """What MWAA reports: one CPUUtilization sample per running container per minute, per cluster."""
    for minute, (base, additional) in workers.items():
        for cluster, containers in (("BaseWorker", base), ("AdditionalWorker", additional)):
            data = [{"MetricName": "CPUUtilization", "Timestamp": at(minute) + timedelta(seconds=7 + index),
                     "Dimensions": [{"Name": "Cluster", "Value": cluster}, {"Name": "Environment", "Value": environment}],
                     "Value": 20.0 + index, "Unit": "Percent"} for index in range(containers)]
            if data:
                cloudwatch.put_metric_data(Namespace="AWS/MWAA", MetricData=data)


def run(minute: int) -> dict:
    """One scheduled invocation, as EventBridge Scheduler sends it."""
    return app.handler({"scheduledTime": at(minute).strftime("%Y-%m-%dT%H:%M:%SZ")}, None)


def run_every_minute(first: int, last: int) -> None:
    for minute in range(first, last + 1):
        run(minute)


def published(cloudwatch, first: int, last: int, environment: str = ENV, stat: str = "Maximum",
              period: int = 60) -> dict[str, dict[int, float]]:
    """The published metrics per minute offset from T0 (only the minutes that have a value)."""
    queries = [{"Id": name.lower(), "ReturnData": True, "MetricStat": {
        "Metric": {"Namespace": app.DEFAULT_NAMESPACE, "MetricName": name,
                   "Dimensions": [{"Name": "Environment", "Value": environment}]},
        "Period": period, "Stat": stat}} for name in ("BaseWorkers", "AdditionalWorkers", "TotalWorkers")]
    response = cloudwatch.get_metric_data(MetricDataQueries=queries, StartTime=at(first), EndTime=at(last + 1))
    return {result["Label"].split()[0]: {int((t - T0).total_seconds() // 60): v
                                         for t, v in zip(result["Timestamps"], result["Values"])}
            for result in response["MetricDataResults"]}


def totals(cloudwatch, first: int, last: int, **kwargs) -> dict[int, float]:
    return published(cloudwatch, first, last, **kwargs)["TotalWorkers"]


def test_steady_workers_are_published_once_per_minute(cloudwatch):
    record(cloudwatch, {minute: (1, 2) for minute in range(0, 10)})
    run_every_minute(5, 12)
    values = published(cloudwatch, 0, 9)
    assert values["BaseWorkers"] == {minute: 1 for minute in range(10)}
    assert values["AdditionalWorkers"] == {minute: 2 for minute in range(10)}
    assert values["TotalWorkers"] == {minute: 3 for minute in range(10)}
    assert set(totals(cloudwatch, 0, 9, stat="SampleCount").values()) == {1}


def test_scale_up_and_down_is_followed_minute_by_minute(cloudwatch):
    additional = [0, 0, 1, 3, 5, 5, 2, 0, 0]
    record(cloudwatch, {minute: (1, n) for minute, n in enumerate(additional)})
    run_every_minute(SETTLE, len(additional) - 1 + SETTLE)
    values = published(cloudwatch, 0, len(additional) - 1)
    assert values["AdditionalWorkers"] == dict(enumerate(additional))
    assert values["TotalWorkers"] == {minute: 1 + n for minute, n in enumerate(additional)}


def test_a_minute_without_worker_samples_is_a_gap_not_zero_workers(cloudwatch):
    # The environment is down (updating) during minutes 3 to 5.
    record(cloudwatch, {minute: (1, 1) for minute in (0, 1, 2, 6, 7, 8)})
    run_every_minute(3, 11)
    assert totals(cloudwatch, 0, 8) == {0: 2, 1: 2, 2: 2, 6: 2, 7: 2, 8: 2}
    assert totals(cloudwatch, 0, 8, stat="Minimum", period=600) == {0: 2}


def test_any_statistic_over_a_longer_period_is_right(cloudwatch):
    additional = [0, 2, 4, 4, 2, 0, 0, 0, 0, 0]
    record(cloudwatch, {minute: (1, n) for minute, n in enumerate(additional)})
    run_every_minute(3, 12)
    workers = [1 + n for n in additional]
    ten_minutes = {stat: totals(cloudwatch, 0, 9, stat=stat, period=600)[0] for stat in ("Average", "Maximum", "Minimum")}
    assert ten_minutes == {"Average": sum(workers) / len(workers), "Maximum": max(workers), "Minimum": min(workers)}
    # The seed's workaround over the same ten minutes counts container-minutes, not workers.
    naive = cloudwatch.get_metric_statistics(
        Namespace="AWS/MWAA", MetricName="CPUUtilization", StartTime=at(0), EndTime=at(10), Period=600,
        Statistics=["SampleCount"], Dimensions=[{"Name": "Cluster", "Value": "AdditionalWorker"},
                                                {"Name": "Environment", "Value": ENV}])
    assert naive["Datapoints"][0]["SampleCount"] == sum(additional) != max(additional)


def test_late_datapoints_are_published_by_a_later_run_and_never_revised(cloudwatch):
    record(cloudwatch, {0: (1, 0), 1: (1, 0)})
    run(1 + SETTLE)
    run(2 + SETTLE)  # minute 2's samples are late: nothing to publish for it yet
    assert totals(cloudwatch, 0, 2) == {0: 1, 1: 1}
    record(cloudwatch, {2: (1, 3)})
    run(3 + SETTLE)
    record(cloudwatch, {2: (0, 1)})  # a straggler for a minute already published
    run(4 + SETTLE)
    assert totals(cloudwatch, 0, 2) == {0: 1, 1: 1, 2: 4}
    assert set(totals(cloudwatch, 0, 2, stat="SampleCount").values()) == {1}


def test_a_minute_that_left_the_window_before_its_samples_came_stays_a_gap(cloudwatch):
    record(cloudwatch, {0: (1, 1)})
    run(LOOKBACK + SETTLE)
    assert totals(cloudwatch, 0, 0) == {}


def test_retried_and_overlapping_runs_never_publish_a_minute_twice(cloudwatch):
    record(cloudwatch, {minute: (1, minute % 3) for minute in range(0, 6)})
    for minute in (5, 5, 6, 5, 7, 8, 8):  # duplicated deliveries and one out of order
        run(minute)
    assert totals(cloudwatch, 0, 5, stat="SampleCount") == {minute: 1 for minute in range(6)}
    assert totals(cloudwatch, 0, 5) == {minute: 1 + minute % 3 for minute in range(6)}


def error_response(request, code: str) -> AWSResponse:
    """A CloudWatch error as the service returns it over the client's (JSON) protocol."""
    body = json.dumps({"__type": code, "message": f"{code} injected by the test"}).encode()
    return AWSResponse(request.url, 400, {"content-type": "application/x-amz-json-1.0",
                                          "x-amzn-query-error": f"{code};Sender"}, _Body(body))


class _Body:
    def __init__(self, content: bytes):
        self.content = content

    def stream(self, **_):
        yield self.content


def test_a_throttled_call_is_retried_and_the_minutes_published(cloudwatch):
    assert cloudwatch._service_model.resolved_protocol == "json"  # what error_response speaks
    sent: list[str] = []

    def throttle_first_read(request, **_):
        sent.append("GetMetricData")
        return error_response(request, "Throttling") if len(sent) == 1 else None

    cloudwatch.meta.events.register("before-send.cloudwatch.GetMetricData", throttle_first_read)
    record(cloudwatch, {0: (1, 2), 1: (1, 2)})
    assert run(1 + SETTLE) == {ENV: [at(0).isoformat(), at(1).isoformat()]}
    assert len(sent) == 2
    assert totals(cloudwatch, 0, 1) == {0: 3, 1: 3}


def test_one_failing_environment_does_not_stop_the_others(cloudwatch, monkeypatch):
    monkeypatch.setenv("ENVIRONMENTS", json.dumps([OTHER, ENV]))

    def refuse_other(request, **_):
        return error_response(request, "AccessDenied") if OTHER.encode() in request.body else None

    cloudwatch.meta.events.register("before-send.cloudwatch.GetMetricData", refuse_other)
    record(cloudwatch, {0: (1, 1)}, environment=OTHER)
    record(cloudwatch, {0: (1, 4)}, environment=ENV)
    with pytest.raises(app.WorkerMetricsFailed, match="AccessDenied") as failure:
        run(SETTLE)
    assert failure.value.environments == [OTHER]
    cloudwatch.meta.events.unregister("before-send.cloudwatch.GetMetricData", refuse_other)
    assert totals(cloudwatch, 0, 0) == {0: 5}
    assert totals(cloudwatch, 0, 0, environment=OTHER) == {}


def test_two_environments_are_counted_apart(cloudwatch, monkeypatch):
    monkeypatch.setenv("ENVIRONMENTS", json.dumps([ENV, OTHER]))
    record(cloudwatch, {0: (1, 0), 1: (1, 1)}, environment=ENV)
    record(cloudwatch, {0: (1, 5), 1: (1, 6)}, environment=OTHER)
    run(1 + SETTLE)
    assert totals(cloudwatch, 0, 1) == {0: 1, 1: 2}
    assert totals(cloudwatch, 0, 1, environment=OTHER) == {0: 6, 1: 7}


# --- pure helpers -----------------------------------------------------------------------------

def test_minutes_are_aligned_to_the_utc_minute():
    local = timezone(timedelta(hours=2))
    assert app.minute_floor(datetime(2026, 1, 1, 12, 7, 59, 999, tzinfo=local)) == datetime(2026, 1, 1, 10, 7, tzinfo=timezone.utc)
    assert app.minute_floor(datetime(2026, 1, 1, 10, 7, 1)) == datetime(2026, 1, 1, 10, 7, tzinfo=timezone.utc)


def test_the_window_ends_the_settle_delay_before_the_scheduled_minute():
    minutes = app.window(at(10) + timedelta(seconds=42), settle_minutes=3, lookback_minutes=5)
    assert minutes == [at(3), at(4), at(5), at(6), at(7)]


def test_the_scheduled_time_comes_from_the_event_and_the_clock_only_without_one():
    now = at(99)
    assert app.scheduled_time({"scheduledTime": "2026-11-21T10:04:00Z"}, now) == at(4)
    assert app.scheduled_time({}, now) == now


def test_counts_keep_minutes_with_any_worker_sample_and_drop_published_ones():
    counts = app.worker_counts([at(0), at(1), at(2)], {at(0): 1, at(2): 1}, {at(1): 2, at(2): 3})
    assert counts == {at(0): app.WorkerCount(1, 0), at(1): app.WorkerCount(0, 2), at(2): app.WorkerCount(1, 3)}
    assert app.unpublished(counts, [at(0), at(2)]) == {at(1): app.WorkerCount(0, 2)}


@pytest.mark.parametrize("text", ["[]", '"airflow"', "[1]", '[""]'])
def test_a_bad_environment_list_is_refused(text):
    with pytest.raises(ValueError, match="ENVIRONMENTS"):
        app.environments_from(text)

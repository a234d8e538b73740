"""AirflowMonitoring: a dashboard and alarms for one Airflow environment, and on MWAA the worker count it lacks.

On MWAA it deploys the worker metric function (functions/worker_metrics), run every minute by
EventBridge Scheduler, which turns MWAA's per-minute container samples into a worker count that
is right under any statistic and period. On Fargate the worker service's RunningTaskCount
(Container Insights) already is such a count, so no function is needed. Both platforms get the
same dashboard layout and the same alarms, sent to an SNS topic created here or given.
"""

import json
from typing import Mapping, Optional, TypedDict

import pulumi
import pulumi_aws as aws
from typing_extensions import NotRequired

from . import dashboards, monitoring_policies, policies
from ._aws_context import AwsContext, child_options
from .aws_choices import MonitoredPlatform, choice
from .lambda_packages import LAMBDA_ARCHITECTURE, LAMBDA_RUNTIME, function_archive

TYPE_TOKEN = "airflow-aws:index:AirflowMonitoring"
WORKER_METRIC_FUNCTION = "worker_metrics"
# A minute is published once its samples have settled; the window covers the interval plus
# four more minutes, so a late sample or one failed run leaves no gap.
SETTLE_MINUTES = 3
EXTRA_LOOKBACK_MINUTES = 4
# Runs are a minute apart: one must end before the next starts.
WORKER_METRIC_TIMEOUT_SECONDS = 50


class MonitoringThresholdsArgs(TypedDict):
    """How long each condition lasts before its alarm fires, in minutes (1 to 1440)."""

    scheduler_heartbeat_missing_minutes: NotRequired[int]
    """No scheduler heartbeat for this long. Default: 5."""
    tasks_queued_without_progress_minutes: NotRequired[int]
    """Tasks queued while none runs, for this long. Default: 15."""
    workers_at_maximum_minutes: NotRequired[int]
    """Workers at the maximum for this long. Default: 30."""
    worker_metric_failing_minutes: NotRequired[int]
    """The worker metric function failing every run for this long (MWAA). Default: 5."""


DEFAULT_THRESHOLDS: MonitoringThresholdsArgs = {
    "scheduler_heartbeat_missing_minutes": 5, "tasks_queued_without_progress_minutes": 15,
    "workers_at_maximum_minutes": 30, "worker_metric_failing_minutes": 5}


class FargateMetricsArgs(TypedDict):
    """Where a FargateAirflowCluster's metrics are."""

    cluster_name: pulumi.Input[str]
    """ECS cluster (Container Insights on)."""
    service_names: pulumi.Input[Mapping[str, pulumi.Input[str]]]
    """ECS service name per Airflow process (api-server, scheduler, dag-processor, triggerer, worker); scheduler and worker required."""
    statsd_namespace: pulumi.Input[str]
    """CloudWatch namespace of the scheduler's StatsD metrics (the cluster's CloudWatch agent)."""


class AirflowMonitoringArgs(TypedDict):
    """The arguments of an AirflowMonitoring."""

    environment_name: str
    """The Airflow environment (MWAA environment name); names the dashboard, alarms and function. Must be known at plan time."""
    platform: NotRequired[MonitoredPlatform]
    """`mwaa` or `fargate`. Default: mwaa."""
    min_workers: int
    """The environment's minimum workers (drawn on the worker graph)."""
    max_workers: int
    """The environment's maximum workers (graph, and the workers-at-maximum alarm)."""
    fargate: NotRequired[FargateMetricsArgs]
    """Required with platform fargate. Default: none."""
    dashboard: NotRequired[bool]
    """Create the dashboard. Default: true."""
    alarm_topic_arn: NotRequired[pulumi.Input[str]]
    """Send alarms to this existing SNS topic (same Region) instead of a topic created here. Default: create one."""
    thresholds: NotRequired[MonitoringThresholdsArgs]
    """Alarm durations. Default: DEFAULT_THRESHOLDS."""
    worker_metric_every_minutes: NotRequired[int]
    """How often the worker metric function runs (MWAA), 1 to 5. Default: 1."""
    worker_metric_namespace: NotRequired[str]
    """Namespace of the published worker count (MWAA). Default: AirflowAws/Workers."""
    log_retention_days: NotRequired[pulumi.Input[int]]
    """Retention of the function's log group. Default: 30."""
    kms_key_arn: NotRequired[pulumi.Input[Optional[str]]]
    """Customer managed key for the alarm topic and the function's log group (the environment's key covers both). Default: none (topic unencrypted)."""
    protect_stateful_resources: NotRequired[bool]
    """Protect the alarm topic (its subscriptions are made outside the stack) and the function's log group from deletion. Default: false."""
    tags: NotRequired[pulumi.Input[Mapping[str, pulumi.Input[str]]]]
    """Tags on every resource that takes them. Default: none."""


class AirflowMonitoring(pulumi.ComponentResource):
    """Dashboard, alarms and (MWAA) the per-minute worker count of one Airflow environment."""

    alarm_topic_arn: pulumi.Output[str]
    """SNS topic the alarms notify (subscribe the on-call here)."""
    alarm_arns: pulumi.Output[dict[str, str]]
    """Alarm ARN per alarm kind."""
    dashboard_name: pulumi.Output[Optional[str]]
    """Name of the dashboard, if created."""
    worker_metric_function_name: pulumi.Output[Optional[str]]
    """Name of the worker metric function (MWAA only)."""

    def __init__(self, name: str, args: AirflowMonitoringArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__(TYPE_TOKEN, name, None, opts)
        env = args["environment_name"]
        platform = choice(MonitoredPlatform, args.get("platform", MonitoredPlatform.MWAA), "AirflowMonitoring: platform")
        tags = args.get("tags") or {}
        thresholds = {**DEFAULT_THRESHOLDS, **(args.get("thresholds") or {})}
        protect = bool(args.get("protect_stateful_resources", False))
        namespace = args.get("worker_metric_namespace", dashboards.WORKER_NAMESPACE)
        context = AwsContext.of(self)
        if platform == "fargate" and "fargate" not in args:
            raise ValueError("AirflowMonitoring: platform fargate needs the `fargate` metrics arguments")

        topic_arn = args.get("alarm_topic_arn") or aws.sns.Topic(
            f"{name}-alarms", name=f"{env}-alarms", display_name=f"Airflow {env} alarms",
            # CloudWatch cannot publish to a topic under the AWS managed SNS key: without a
            # customer key the topic stays unencrypted.
            kms_master_key_id=args.get("kms_key_arn"), tags=tags, opts=child_options(self, protect=protect)).arn

        function = (self._worker_metric_function(name, args, env, namespace, tags, context, protect)
                    if platform == "mwaa" else None)
        if platform == "mwaa":
            metrics = pulumi.Output.from_input(dashboards.mwaa_metrics(env, namespace))
        else:
            fargate = args.get("fargate")
            assert fargate is not None  # refused above, before any resource
            metrics = pulumi.Output.all(fargate["cluster_name"], fargate["service_names"], fargate["statsd_namespace"]).apply(
                lambda v: dashboards.fargate_metrics(cluster_name=v[0], service_names=v[1], statsd_namespace=v[2]))

        alarms = self._alarms(name, env, metrics, thresholds, args["max_workers"], topic_arn, function, tags)

        dashboard = None
        if args.get("dashboard", True):
            body = pulumi.Output.all(metrics, context.output, *alarms.values()).apply(
                lambda v: json.dumps(dashboards.dashboard_body(
                    title=f"Airflow {env} ({platform.upper() if platform == 'mwaa' else 'ECS Fargate'})",
                    region=v[1].region, metrics=v[0], min_workers=args["min_workers"],
                    max_workers=args["max_workers"], alarm_arns=list(v[2:]))))
            dashboard = aws.cloudwatch.Dashboard(
                f"{name}-dashboard", dashboard_name=context.apply(lambda c: f"{env}-{c.region}"), dashboard_body=body,
                opts=child_options(self))

        self.alarm_topic_arn = pulumi.Output.from_input(topic_arn)
        self.alarm_arns = pulumi.Output.all(**alarms)
        self.dashboard_name = dashboard.dashboard_name if dashboard else pulumi.Output.from_input(None)
        self.worker_metric_function_name = function.name if function else pulumi.Output.from_input(None)
        self.register_outputs({"alarm_topic_arn": self.alarm_topic_arn, "alarm_arns": self.alarm_arns,
                               "dashboard_name": self.dashboard_name,
                               "worker_metric_function_name": self.worker_metric_function_name})

    def _worker_metric_function(self, name, args, env, namespace, tags, context, protect: bool) -> aws.lambda_.Function:
        every = args.get("worker_metric_every_minutes", 1)
        if not 1 <= every <= 5:
            raise ValueError(f"AirflowMonitoring: worker_metric_every_minutes must be 1 to 5, not {every}")
        log_group = aws.cloudwatch.LogGroup(
            f"{name}-worker-metrics-logs", name=monitoring_policies.worker_metric_log_group_name(env),
            retention_in_days=args.get("log_retention_days", 30), kms_key_id=args.get("kms_key_arn"), tags=tags,
            opts=child_options(self, protect=protect))
        role = aws.iam.Role(
            f"{name}-worker-metrics", description=f"Worker metric function of the Airflow environment {env}",
            assume_role_policy=json.dumps(policies.assume_role_policy("lambda.amazonaws.com")), tags=tags,
            opts=child_options(self))
        role_policy = aws.iam.RolePolicy(
            f"{name}-worker-metrics", role=role.id,
            policy=log_group.arn.apply(lambda arn: json.dumps(monitoring_policies.worker_metric_function_policy(
                namespace=namespace, log_group_arn=arn))),
            opts=child_options(self))
        function = aws.lambda_.Function(
            f"{name}-worker-metrics", name=monitoring_policies.worker_metric_name(env),
            description=f"Publishes the running workers of {env} once a minute into {namespace}",
            runtime=LAMBDA_RUNTIME, architectures=[LAMBDA_ARCHITECTURE], handler="app.handler",
            code=function_archive(WORKER_METRIC_FUNCTION), role=role.arn, memory_size=128,
            timeout=WORKER_METRIC_TIMEOUT_SECONDS,
            environment={"variables": {"ENVIRONMENTS": json.dumps([env]), "METRIC_NAMESPACE": namespace,
                                       "SETTLE_MINUTES": str(SETTLE_MINUTES),
                                       "LOOKBACK_MINUTES": str(every + EXTRA_LOOKBACK_MINUTES)}},
            logging_config={"log_format": "Text", "log_group": log_group.name}, tags=tags,
            # Without its policy and log group the first runs would fail or log nowhere.
            opts=child_options(self, depends_on=[role_policy, log_group]))
        # A retry would only repeat what the next run's window does anyway.
        aws.lambda_.FunctionEventInvokeConfig(
            f"{name}-worker-metrics", function_name=function.name, maximum_retry_attempts=0,
            maximum_event_age_in_seconds=60, opts=child_options(self))
        scheduler_role = aws.iam.Role(
            f"{name}-worker-metrics-schedule", description=f"Lets EventBridge Scheduler run the worker metric function of {env}",
            assume_role_policy=context.apply(lambda c: json.dumps(monitoring_policies.scheduler_trust_policy(account=c.account))),
            tags=tags, opts=child_options(self))
        invoke = aws.iam.RolePolicy(
            f"{name}-worker-metrics-schedule", role=scheduler_role.id,
            policy=function.arn.apply(lambda arn: json.dumps(monitoring_policies.invoke_function_policy(arn))),
            opts=child_options(self))
        aws.scheduler.Schedule(
            f"{name}-worker-metrics", name=monitoring_policies.worker_metric_name(env),
            description=f"Runs the worker metric function of {env}",
            schedule_expression=monitoring_policies.schedule_expression(every),
            flexible_time_window={"mode": "OFF"},
            target={"arn": function.arn, "role_arn": scheduler_role.arn,
                    # The scheduled time, not the clock, fixes which minutes a run covers.
                    "input": json.dumps({"scheduledTime": "<aws.scheduler.scheduled-time>"}),
                    "retry_policy": {"maximum_retry_attempts": 0, "maximum_event_age_in_seconds": 60}},
            opts=child_options(self, depends_on=[invoke]))
        return function

    def _alarms(self, name, env, metrics: pulumi.Output[dashboards.PlatformMetrics], thresholds, max_workers: int,
                topic_arn, function: Optional[aws.lambda_.Function], tags) -> dict[str, pulumi.Output[str]]:
        def alarm(kind: str, description: str, minutes: int, comparison: str, threshold: float, missing: str,
                  queries) -> pulumi.Output[str]:
            return aws.cloudwatch.MetricAlarm(
                f"{name}-{kind}", name=monitoring_policies.alarm_name(env, kind), alarm_description=description,
                comparison_operator=comparison, threshold=threshold, evaluation_periods=minutes,
                datapoints_to_alarm=minutes, treat_missing_data=missing, metric_queries=queries,
                alarm_actions=[topic_arn], ok_actions=[topic_arn], tags=tags, opts=child_options(self)).arn

        heartbeat = thresholds["scheduler_heartbeat_missing_minutes"]
        queued = thresholds["tasks_queued_without_progress_minutes"]
        at_max = thresholds["workers_at_maximum_minutes"]
        alarms = {
            "scheduler-heartbeat-missing": alarm(
                "scheduler-heartbeat-missing",
                f"No scheduler heartbeat for {heartbeat} minutes: no task is being scheduled. See the README, "
                "'When an alarm fires'.", heartbeat, "LessThanThreshold", 1, "breaching",
                metrics.apply(lambda m: [m.scheduler_heartbeat.query("heartbeat", return_data=True)])),
            "tasks-queued-without-progress": alarm(
                "tasks-queued-without-progress",
                f"Tasks queued while none ran for {queued} minutes: workers do not pick tasks up.",
                queued, "GreaterThanOrEqualToThreshold", 1, "notBreaching",
                metrics.apply(lambda m: [
                    m.queued_tasks.query("queued"), m.running_tasks.query("running"),
                    {"id": "stuck", "return_data": True, "label": "Queued tasks with none running",
                     "expression": "IF(FILL(queued, 0) >= 1 AND FILL(running, 0) == 0, 1, 0)"}])),
            "workers-at-maximum": alarm(
                "workers-at-maximum",
                f"All {max_workers} workers busy for {at_max} minutes: tasks wait for capacity.",
                at_max, "GreaterThanOrEqualToThreshold", max_workers, "notBreaching",
                metrics.apply(lambda m: [m.workers.with_stat("Minimum").query("workers", return_data=True)])),
        }
        if function is not None:
            failing = thresholds["worker_metric_failing_minutes"]
            alarms["worker-metric-failing"] = alarm(
                "worker-metric-failing",
                f"The worker metric function failed every run for {failing} minutes: the worker graph has a gap.",
                failing, "GreaterThanOrEqualToThreshold", 1, "notBreaching",
                function.name.apply(lambda fn: [{"id": "errors", "return_data": True, "metric": {
                    "namespace": "AWS/Lambda", "metric_name": "Errors", "period": dashboards.PERIOD, "stat": "Sum",
                    "dimensions": {"FunctionName": fn}}}]))
        return alarms


"""IAM documents and names of AirflowMonitoring: pure functions, tested alone.

Sources: CloudWatch's namespace condition key (`cloudwatch:namespace` on PutMetricData, "Using
condition keys to limit access to CloudWatch namespaces"); GetMetricData supports no resource
types or condition keys, so it can only be granted on "*" (Service Authorization Reference,
Amazon CloudWatch); EventBridge Scheduler's execution role guide (trust `scheduler.amazonaws.com`
for this account only, `lambda:InvokeFunction` on the target).
"""

from __future__ import annotations

import hashlib

from .policies import Document, policy_document

# Lambda function names are at most 64 characters; environment names up to 80.
_FUNCTION_NAME_MAX = 64


def worker_metric_function_policy(*, namespace: str, log_group_arn: str) -> Document:
    """Read metrics, publish only into `namespace`, write only to the function's own log group."""
    return policy_document(
        {"Sid": "ReadWorkerContainerSamplesAndOwnCounts", "Effect": "Allow", "Action": "cloudwatch:GetMetricData",
         "Resource": "*"},
        {"Sid": "PublishWorkerCountsOnly", "Effect": "Allow", "Action": "cloudwatch:PutMetricData", "Resource": "*",
         "Condition": {"StringEquals": {"cloudwatch:namespace": namespace}}},
        {"Sid": "WriteOwnLogs", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
         "Resource": f"{log_group_arn}:*"},
    )


def scheduler_trust_policy(*, account: str) -> Document:
    """EventBridge Scheduler may assume the role, for schedules of this account only (confused deputy)."""
    return policy_document({"Effect": "Allow", "Principal": {"Service": "scheduler.amazonaws.com"}, "Action": "sts:AssumeRole",
                      "Condition": {"StringEquals": {"aws:SourceAccount": account}}})


def invoke_function_policy(function_arn: str) -> Document:
    return policy_document({"Sid": "InvokeTheWorkerMetricFunction", "Effect": "Allow", "Action": "lambda:InvokeFunction",
                      "Resource": function_arn})


def worker_metric_name(environment_name: str) -> str:
    """Name of the function and its schedule: `<environment>-worker-metrics`, shortened with a digest when it would pass Lambda's 64 characters."""
    name = f"{environment_name}-worker-metrics"
    if len(name) <= _FUNCTION_NAME_MAX:
        return name
    digest = hashlib.sha256(environment_name.encode()).hexdigest()[:8]
    return f"{environment_name[:_FUNCTION_NAME_MAX - len('-worker-metrics') - 9]}-{digest}-worker-metrics"


def worker_metric_log_group_name(environment_name: str) -> str:
    """Inside naming.log_group_pattern, so the environment's key policy and log scoping cover it."""
    return f"airflow-{environment_name}-WorkerMetrics"


def alarm_name(environment_name: str, alarm: str) -> str:
    return f"{environment_name}-{alarm}"


def schedule_expression(every_minutes: int) -> str:
    return f"rate({every_minutes} minute{'s' if every_minutes != 1 else ''})"

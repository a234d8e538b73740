"""Run `airflow db migrate` once, as a one-off ECS task, and report whether it succeeded.

Invoked by the deployment (a Pulumi `aws.lambda.Invocation`) each time the migration task
definition changes, i.e. once per deployment that changes the Airflow image or its settings,
however many schedulers run. The Airflow services are updated only after this returns, so no
new process serves on a schema it does not know. A failed migration raises, which fails the
deployment before any service moves to the new image.

Event: {"cluster", "taskDefinition", "container", "subnets", "securityGroups"}.
"""

from __future__ import annotations

import boto3

# A Lambda function runs at most 15 minutes; leave a minute to report.
POLL_SECONDS = 10
MAX_POLLS = 84


def run_migration(ecs, event: dict) -> dict:
    started = ecs.run_task(
        cluster=event["cluster"], taskDefinition=event["taskDefinition"], launchType="FARGATE", count=1,
        startedBy="airflow-db-migrate",
        networkConfiguration={"awsvpcConfiguration": {"subnets": event["subnets"],
                                                      "securityGroups": event["securityGroups"],
                                                      "assignPublicIp": "DISABLED"}})
    if started.get("failures") or not started.get("tasks"):
        raise RuntimeError(f"the migration task did not start: {started.get('failures')}")
    task_arn = started["tasks"][0]["taskArn"]
    ecs.get_waiter("tasks_stopped").wait(cluster=event["cluster"], tasks=[task_arn],
                                          WaiterConfig={"Delay": POLL_SECONDS, "MaxAttempts": MAX_POLLS})
    task = ecs.describe_tasks(cluster=event["cluster"], tasks=[task_arn])["tasks"][0]
    container = next((c for c in task.get("containers", []) if c["name"] == event["container"]), {})
    exit_code = container.get("exitCode")
    if exit_code != 0:
        raise RuntimeError(f"airflow db migrate failed in {task_arn}: exit code {exit_code}, "
                           f"{container.get('reason') or task.get('stoppedReason')}; see the migrate log stream")
    return {"taskArn": task_arn, "exitCode": exit_code}


def handler(event, context):
    return run_migration(boto3.client("ecs"), event)

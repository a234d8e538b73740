"""The migration function: runs the one-off task, waits for it, and fails the deployment when it fails."""

from __future__ import annotations

import pytest

from airflow_aws.functions.db_migrate import app

EVENT = {"cluster": "arn:aws:ecs:eu-west-1:111111111111:cluster/airflow-x",
         "taskDefinition": "arn:aws:ecs:eu-west-1:111111111111:task-definition/airflow-x-migrate:7",
         "container": "migrate", "subnets": ["subnet-a", "subnet-b"], "securityGroups": ["sg-migrate"]}
TASK = "arn:aws:ecs:eu-west-1:111111111111:task/airflow-x/0123456789abcdef"


class RecordingEcs:
    """Answers like ECS for one task that ends with `exit_code`; records what was asked."""

    def __init__(self, exit_code=0, failures=()):
        self.exit_code, self.failures, self.calls = exit_code, list(failures), []

    def run_task(self, **request):
        self.calls.append(("run_task", request))
        return {"tasks": [] if self.failures else [{"taskArn": TASK}], "failures": self.failures}

    def get_waiter(self, name):
        ecs = self

        class Waiter:
            def wait(self, **request):
                ecs.calls.append((f"wait:{name}", request))
        return Waiter()

    def describe_tasks(self, **request):
        self.calls.append(("describe_tasks", request))
        return {"tasks": [{"taskArn": TASK, "stoppedReason": "Essential container in task exited",
                           "containers": [{"name": "migrate", "exitCode": self.exit_code}]}]}


def test_a_successful_migration_runs_one_task_in_the_private_subnets_and_waits_for_it():
    ecs = RecordingEcs()
    assert app.run_migration(ecs, EVENT) == {"taskArn": TASK, "exitCode": 0}
    (kind, request), (wait, wait_request), _ = ecs.calls
    assert kind == "run_task" and request["count"] == 1 and request["launchType"] == "FARGATE"
    assert request["taskDefinition"] == EVENT["taskDefinition"]
    assert request["networkConfiguration"] == {"awsvpcConfiguration": {
        "subnets": ["subnet-a", "subnet-b"], "securityGroups": ["sg-migrate"], "assignPublicIp": "DISABLED"}}
    assert wait == "wait:tasks_stopped" and wait_request["tasks"] == [TASK]
    # The wait must end inside Lambda's 15 minutes.
    config = wait_request["WaiterConfig"]
    assert config["Delay"] * config["MaxAttempts"] < 900


def test_a_failed_migration_fails_the_deployment():
    with pytest.raises(RuntimeError, match="exit code 1"):
        app.run_migration(RecordingEcs(exit_code=1), EVENT)


def test_a_task_that_cannot_start_fails_the_deployment():
    with pytest.raises(RuntimeError, match="did not start"):
        app.run_migration(RecordingEcs(failures=[{"reason": "RESOURCE:ENI"}]), EVENT)

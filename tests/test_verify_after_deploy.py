"""`python -m program.verify STACK --after`: each check of the deployed environment passes on a healthy one and
fails when its condition is broken. MWAA and IAM's policy simulator go through botocore's Stubber (moto has
neither); logs and metrics through moto."""

import datetime
import time

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from program.verify import after_deploy
from tests.harness import stack_settings

SETTINGS = stack_settings("sandbox")
NAME, REGION, ACCOUNT = "airflow-sandbox", "eu-west-1", "111111111111"
ENVIRONMENT = {"Name": NAME, "Status": "AVAILABLE", "Arn": f"arn:aws:airflow:{REGION}:{ACCOUNT}:environment/{NAME}",
               "ExecutionRoleArn": f"arn:aws:iam::{ACCOUNT}:role/{NAME}-execution",
               "SourceBucketArn": "arn:aws:s3:::airflow-sandbox-source"}


class Deployed:
    """A session whose MWAA and IAM clients answer from stubs and every other client from moto."""

    def __init__(self):
        self.session = boto3.Session(region_name=REGION)
        self.stubbed = {name: self.session.client(name) for name in ("mwaa", "iam")}
        self.stubs = {name: Stubber(client) for name, client in self.stubbed.items()}
        for stub in self.stubs.values():
            stub.activate()

    def client(self, name):
        return self.stubbed.get(name) or self.session.client(name)

    def environment(self, **changes):
        self.stubs["mwaa"].add_response("get_environment", {"Environment": {**ENVIRONMENT, **changes}}, {"Name": NAME})

    def simulation(self, denied=()):
        for actions, _ in after_deploy.REQUIRED_ACTIONS:
            results = [{"EvalActionName": a, "EvalDecision": "explicitDeny" if a in denied else "allowed"} for a in actions]
            self.stubs["iam"].add_response("simulate_principal_policy", {"EvaluationResults": results})

    def logs(self, silent=()):
        logs = self.session.client("logs")
        for log_type, level in SETTINGS.project.mwaa.log_levels.items():
            if level == "DISABLED":
                continue
            group = after_deploy.log_group_name(NAME, log_type)
            logs.create_log_group(logGroupName=group)
            logs.create_log_stream(logGroupName=group, logStreamName="scheduler_1")
            if group not in silent:
                logs.put_log_events(logGroupName=group, logStreamName="scheduler_1",
                                    logEvents=[{"timestamp": int(time.time() * 1000), "message": "ok"}])

    def heartbeat(self, beats: int):
        if beats:
            self.session.client("cloudwatch").put_metric_data(Namespace="AmazonMWAA", MetricData=[{
                "MetricName": "SchedulerHeartbeat", "Value": beats, "Timestamp": datetime.datetime.now(datetime.timezone.utc),
                "Dimensions": [{"Name": "Function", "Value": "Scheduler"}, {"Name": "Environment", "Value": NAME}]}])

    def health(self, status=200, scheduler="healthy"):
        self.stubs["mwaa"].add_response("invoke_rest_api", {"RestApiStatusCode": status, "RestApiResponse": {
            "metadatabase": {"status": "healthy"}, "scheduler": {"status": scheduler}}},
            {"Name": NAME, "Path": "/health", "Method": "GET"})

    def check(self, check):
        line = check(self, SETTINGS)
        for stub in self.stubs.values():
            stub.assert_no_pending_responses()
        return line.level, line.problem


@pytest.fixture
def deployed(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        yield Deployed()


def test_an_available_environment_passes(deployed):
    deployed.environment()
    assert deployed.check(after_deploy.environment_status)[0] == "PASS"


def test_a_failed_update_fails_with_mwaas_error(deployed):
    deployed.environment(Status="UPDATE_FAILED", LastUpdate={"Status": "FAILED", "Error": {
        "ErrorCode": "INCORRECT_CONFIGURATION", "ErrorMessage": "requirements.txt could not be installed"}})
    level, detail = deployed.check(after_deploy.environment_status)
    assert level == "FAIL" and "requirements.txt could not be installed" in detail


def test_an_execution_role_allowed_everything_passes(deployed):
    deployed.environment()
    deployed.simulation()
    assert deployed.check(after_deploy.execution_role)[0] == "PASS"


def test_an_execution_role_denied_an_action_fails_naming_it(deployed):
    deployed.environment()
    deployed.simulation(denied={"sqs:ReceiveMessage"})
    level, detail = deployed.check(after_deploy.execution_role)
    assert level == "FAIL" and "sqs:ReceiveMessage" in detail


def test_log_groups_receiving_events_pass(deployed):
    deployed.logs()
    assert deployed.check(after_deploy.log_groups)[0] == "PASS"


def test_a_silent_log_group_fails(deployed):
    deployed.logs(silent={after_deploy.log_group_name(NAME, "scheduler")})
    level, detail = deployed.check(after_deploy.log_groups)
    assert level == "FAIL" and after_deploy.log_group_name(NAME, "scheduler") in detail


def test_a_scheduler_heartbeat_passes(deployed):
    deployed.heartbeat(5)
    assert deployed.check(after_deploy.scheduler_heartbeat)[0] == "PASS"


def test_no_scheduler_heartbeat_fails(deployed):
    deployed.heartbeat(0)
    assert deployed.check(after_deploy.scheduler_heartbeat)[0] == "FAIL"


def test_a_healthy_web_server_passes(deployed):
    deployed.health()
    assert deployed.check(after_deploy.web_server_health)[0] == "PASS"


def test_an_unhealthy_scheduler_behind_the_web_server_fails(deployed):
    deployed.health(scheduler="unhealthy")
    level, detail = deployed.check(after_deploy.web_server_health)
    assert level == "FAIL" and "scheduler" in detail

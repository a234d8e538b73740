"""`python -m program.verify STACK --after`: each check of the deployed environment passes on a healthy one and
fails when its condition is broken. MWAA and IAM's policy simulator go through botocore's Stubber (moto has
neither); logs, metrics, the load balancer and Route 53 through moto."""

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

    def load_balancer(self, unhealthy: dict[str, str] = {}) -> dict:
        """privateAccess' pieces in moto: hostName's alias to a load balancer whose HTTPS listener forwards to the web
        server's addresses; `unhealthy` maps a target to the reason AWS would give. The settings that point at them."""
        ec2, elbv2 = self.session.client("ec2"), self.session.client("elbv2")
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"{REGION}{z}")["Subnet"]
                   ["SubnetId"] for i, z in enumerate("ab")]
        balancer = elbv2.create_load_balancer(Name="sandbox-web", Subnets=subnets, Scheme="internal")["LoadBalancers"][0]
        group = elbv2.create_target_group(Name="sandbox-web-target", Protocol="HTTPS", Port=443, VpcId=vpc,
                                          TargetType="ip")["TargetGroups"][0]["TargetGroupArn"]
        elbv2.register_targets(TargetGroupArn=group, Targets=[{"Id": ip, "Port": 443} for ip in ("10.0.0.10", "10.0.1.10")])
        certificate = self.session.client("acm").request_certificate(DomainName="airflow.sandbox.example.com")
        elbv2.create_listener(LoadBalancerArn=balancer["LoadBalancerArn"], Protocol="HTTPS", Port=443,
                              Certificates=[{"CertificateArn": certificate["CertificateArn"]}],
                              DefaultActions=[{"Type": "forward", "TargetGroupArn": group}])
        route53 = self.session.client("route53")
        zone = route53.create_hosted_zone(Name="sandbox.example.com", CallerReference="verify")["HostedZone"]["Id"]
        route53.change_resource_record_sets(HostedZoneId=zone, ChangeBatch={"Changes": [{"Action": "CREATE",
            "ResourceRecordSet": {"Name": "airflow.sandbox.example.com", "Type": "A", "AliasTarget": {
                "HostedZoneId": balancer["CanonicalHostedZoneId"], "DNSName": f"dualstack.{balancer['DNSName']}.",
                "EvaluateTargetHealth": False}}}]})

        def health(parsed, **_):
            # moto reports every IP target healthy; AWS gives the reason of a failing health check.
            for target in parsed["TargetHealthDescriptions"]:
                reason = unhealthy.get(target["Target"]["Id"])
                target["TargetHealth"] = {"State": "unhealthy", "Reason": reason} if reason else {"State": "healthy"}

        def moto_zone(params, **_):
            # moto's zone IDs lack the `Z` the settings require; the stack's own ID stands for moto's.
            params["HostedZoneId"] = zone

        self.session.events.register("after-call.elastic-load-balancing-v2.DescribeTargetHealth", health)
        self.session.events.register("before-parameter-build.route-53.ListResourceRecordSets", moto_zone)
        return {}

    def check(self, check, changes: dict = {}):
        line = check(self, stack_settings("sandbox", changes) if changes else SETTINGS)
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


def test_healthy_load_balancer_targets_pass(deployed):
    assert deployed.check(after_deploy.load_balancer_targets, deployed.load_balancer())[0] == "PASS"


def test_an_unhealthy_target_fails_naming_it_and_its_reason(deployed):
    level, detail = deployed.check(after_deploy.load_balancer_targets,
                                   deployed.load_balancer(unhealthy={"10.0.1.10": "Target.Timeout"}))
    assert level == "FAIL" and "10.0.1.10 unhealthy (Target.Timeout)" in detail and "10.0.0.10" not in detail


def test_a_host_name_that_is_no_alias_of_the_load_balancer_fails(deployed):
    changes = deployed.load_balancer()
    level, detail = deployed.check(after_deploy.load_balancer_targets,
                                   {**changes, "privateAccess.hostName": "other.sandbox.example.com"})
    assert level == "FAIL" and "other.sandbox.example.com" in detail

"""`python -m program.verify STACK`: before deploy, against a moto account built healthy, then broken one way each."""

import json

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from program.verify.__main__ import main as verify_command
from program.verify.__main__ import run_checks
from tests.harness import DELETE, stack_settings

REGION, ACCOUNT = "eu-west-1", "123456789012"  # moto's account


class Stubbed:
    """The session, with MWAA and Service Quotas answering from stubs: moto has no MWAA and only VPC's quotas."""

    def __init__(self, session: boto3.Session, environments: list[str], quota: float, applied: bool):
        self.session, self.region_name = session, session.region_name
        self.stubbed = {name: session.client(name) for name in ("mwaa", "service-quotas")}
        mwaa, quotas = (Stubber(self.stubbed[name]) for name in ("mwaa", "service-quotas"))
        mwaa.add_response("list_environments", {"Environments": environments}, {})
        # ListServiceQuotas leaves out a quota never raised; the default list has it then.
        answer = {"Quotas": [{"QuotaName": "Environments", "Value": quota}]}
        quotas.add_response("list_service_quotas", answer if applied else {"Quotas": []}, {"ServiceCode": "airflow"})
        if not applied:
            quotas.add_response("list_aws_default_service_quotas", answer, {"ServiceCode": "airflow"})
        mwaa.activate()
        quotas.activate()

    def client(self, name):
        return self.stubbed.get(name) or self.session.client(name)


class Account:
    """A moto account with what an adopted-VPC MWAA stack needs: two private subnets in two zones behind a NAT."""

    def __init__(self):
        self.session = boto3.Session(region_name=REGION)
        ec2 = self.ec2 = self.session.client("ec2")
        self.vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        self.subnets = [ec2.create_subnet(VpcId=self.vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"{REGION}{zone}")
                        ["Subnet"]["SubnetId"] for i, zone in enumerate("ab")]
        public = self.public = ec2.create_subnet(VpcId=self.vpc, CidrBlock="10.0.9.0/24")["Subnet"]["SubnetId"]
        address = ec2.allocate_address(Domain="vpc")["AllocationId"]
        self.nat = ec2.create_nat_gateway(SubnetId=public, AllocationId=address)["NatGateway"]["NatGatewayId"]
        self.table = ec2.create_route_table(VpcId=self.vpc)["RouteTable"]["RouteTableId"]
        ec2.create_route(RouteTableId=self.table, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=self.nat)
        for subnet in self.subnets:
            ec2.associate_route_table(RouteTableId=self.table, SubnetId=subnet)
        self.environments, self.quota, self.quota_applied = ["airflow-other"], 10.0, False
        kms = self.session.client("kms")
        self.key = kms.create_key(Policy=json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "kms:*", "Resource": "*"},
            {"Effect": "Allow", "Principal": {"Service": f"logs.{REGION}.amazonaws.com"}, "Action": "kms:*",
             "Resource": "*"}]}))["KeyMetadata"]["Arn"]

    def changes(self, **more):
        return {"aws:allowedAccountIds": [ACCOUNT], "aws:region": REGION, "network.vpcId": self.vpc,
                "network.subnetIds": self.subnets, "endpoints.enabled": True, "endpoints.allowedCidrs": ["10.0.0.0/16"],
                "mwaa.kmsKey": self.key, "network.cidr": DELETE, "network.natGateways": DELETE,
                "privateAccess.oidc.clientSecretArn": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:oidc-AbCdEf", **more}

    def verify(self, **more) -> dict[str, tuple[str, str]]:
        """Check name -> (level, detail)."""
        session = Stubbed(self.session, self.environments, self.quota, self.quota_applied)
        lines = run_checks(session, stack_settings("sandbox", self.changes(**more)), after=False)
        return {line.subject: (line.level, line.problem) for line in lines}


@pytest.fixture
def account(monkeypatch):
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        yield Account()


def test_a_healthy_account_passes_every_check(account):
    assert {check: level for check, (level, _) in account.verify().items()} == {
        "account": "PASS", "environments quota": "PASS", "subnets": "PASS", "subnet routes": "PASS", "network ACLs": "PASS",
        "existing endpoints": "PASS", "other workloads": "PASS", "KMS key policy": "PASS"}


def test_credentials_of_another_account_fail_before_anything_else_is_read(account):
    role = "arn:aws:iam::333333333333:role/deployer"
    credentials = account.session.client("sts").assume_role(RoleArn=role, RoleSessionName="verify")["Credentials"]
    account.session = boto3.Session(region_name=REGION, aws_access_key_id=credentials["AccessKeyId"],
                                    aws_secret_access_key=credentials["SecretAccessKey"],
                                    aws_session_token=credentials["SessionToken"])
    [(check, (level, detail))] = account.verify().items()
    assert (check, level) == ("account", "FAIL") and "333333333333" in detail


def test_another_region_fails(account):
    account.session = boto3.Session(region_name="eu-central-1")
    [(check, (level, detail))] = account.verify().items()
    assert (check, level) == ("account", "FAIL") and "eu-central-1" in detail


def test_a_region_at_its_environments_quota_fails_with_the_increase_to_request(account):
    account.environments, account.quota, account.quota_applied = ["airflow-a", "airflow-b"], 2.0, True
    level, detail = account.verify()["environments quota"]
    assert level == "FAIL" and "quota is 2" in detail


def test_updating_an_environment_that_exists_takes_no_new_slot(account):
    account.environments, account.quota = ["airflow-a", "airflow-b", "airflow-sandbox"], 2.0  # even past the quota
    assert account.verify()["environments quota"][0] == "PASS"


def test_the_last_free_environment_slot_is_warned_about(account):
    account.environments, account.quota = ["airflow-a"], 2.0
    level, detail = account.verify()["environments quota"]
    assert level == "WARN" and "last of 2" in detail


def test_subnets_in_one_zone_fail(account):
    third = account.ec2.create_subnet(VpcId=account.vpc, CidrBlock="10.0.5.0/24",
                                      AvailabilityZone=f"{REGION}a")["Subnet"]["SubnetId"]
    level, detail = account.verify(**{"network.subnetIds": [account.subnets[0], third]})["subnets"]
    assert level == "FAIL" and "eu-west-1a" in detail


def test_a_blackhole_route_fails(account):
    account.ec2.create_route(RouteTableId=account.table, DestinationCidrBlock="192.168.0.0/16", NatGatewayId=account.nat)

    def nat_deleted(parsed, **_):
        # AWS marks a route whose NAT gateway was deleted `blackhole`; moto keeps every route active.
        for table in parsed.get("RouteTables", []):
            for route in table["Routes"]:
                route["State"] = "blackhole" if route.get("DestinationCidrBlock") == "192.168.0.0/16" else "active"

    account.session.events.register("after-call.ec2.DescribeRouteTables", nat_deleted)
    level, detail = account.verify()["subnet routes"]
    assert level == "FAIL" and "blackhole" in detail


def test_an_internet_gateway_route_fails(account):
    gateway = account.ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    account.ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=account.vpc)
    account.ec2.replace_route(RouteTableId=account.table, DestinationCidrBlock="0.0.0.0/0", GatewayId=gateway)
    level, detail = account.verify()["subnet routes"]
    assert level == "FAIL" and "internet gateway" in detail


def test_no_nat_and_no_endpoints_fails(account):
    account.ec2.delete_route(RouteTableId=account.table, DestinationCidrBlock="0.0.0.0/0")
    level, detail = account.verify(**{"endpoints.enabled": False})["subnet routes"]
    assert level == "FAIL" and "airflow.api" in detail


def test_a_network_acl_denying_the_database_port_fails(account):
    acl = account.ec2.create_network_acl(VpcId=account.vpc)["NetworkAcl"]["NetworkAclId"]
    for egress in (False, True):
        account.ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=100, Protocol="6", RuleAction="allow",
                                             Egress=egress, CidrBlock="10.0.0.0/16", PortRange={"From": 443, "To": 443})
    associations = account.ec2.describe_network_acls(
        Filters=[{"Name": "association.subnet-id", "Values": [account.subnets[0]]}])["NetworkAcls"][0]["Associations"]
    association = next(a for a in associations if a["SubnetId"] == account.subnets[0])
    account.ec2.replace_network_acl_association(AssociationId=association["NetworkAclAssociationId"], NetworkAclId=acl)
    level, detail = account.verify()["network ACLs"]
    assert level == "FAIL" and "5432" in detail


def test_an_existing_private_dns_endpoint_the_stack_would_create_fails(account):
    account.ec2.create_vpc_endpoint(VpcId=account.vpc, ServiceName=f"com.amazonaws.{REGION}.logs",
                                    VpcEndpointType="Interface", SubnetIds=account.subnets, PrivateDnsEnabled=True)
    level, detail = account.verify()["existing endpoints"]
    assert level == "FAIL" and "logs" in detail
    assert account.verify(**{"endpoints.skipServices": ["logs"]})["existing endpoints"][0] == "PASS"


def test_a_workload_outside_the_endpoints_allowed_cidrs_is_warned_about(account):
    account.ec2.create_network_interface(SubnetId=account.public)
    level, detail = account.verify(**{"endpoints.allowedCidrs": ["10.0.0.0/23"]})["other workloads"]
    assert level == "WARN" and account.public in detail


def test_a_key_policy_without_cloudwatch_logs_fails(account):
    kms = account.session.client("kms")
    kms.put_key_policy(KeyId=account.key, PolicyName="default", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "kms:*", "Resource": "*"}]}))
    level, detail = account.verify()["KMS key policy"]
    assert level == "FAIL" and f"logs.{REGION}.amazonaws.com" in detail


def test_the_command_prints_json_and_exits_1_on_a_fail(account, capsys):
    # The sandbox stack file pins account 111111111111; moto's credentials are of another.
    assert verify_command(["sandbox", "--json"], session=account.session) == 1
    [line] = json.loads(capsys.readouterr().out)
    assert (line["level"], line["subject"]) == ("FAIL", "account") and line["fix"]

"""EndpointSet: the endpoints MWAA needs without internet, admitted only to their clients, never recreated."""

import json

import pulumi
import pulumi_aws as aws
import pytest

from airflow_aws import EndpointSet
from airflow_aws.endpoint_set import interface_at, interface_private_ips
from tests.harness import FakeAws, run_component

ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
SUBNETS = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"]
ROUTE_TABLES = ["rtb-0aaaaaaaaaaaaaaaa", "rtb-0bbbbbbbbbbbbbbbb"]
ENVIRONMENT_GROUP = "sg-0eeeeeeeeeeeeeeee"
# The AWS documentation's list for MWAA with private routing (vpc-vpe-create-access).
INTERFACE_SERVICES = ["airflow.api", "airflow.env", "airflow.ops", "ecr.api", "ecr.dkr", "kms", "logs",
                      "monitoring", "sqs"]


def endpoint_set(name="endpoints", opts=None, **extra):
    endpoints = EndpointSet(name, {"vpc_id": "vpc-0123456789abcdef0", "subnet_ids": SUBNETS,
                                   "route_table_ids": ROUTE_TABLES, "client_security_group_ids": [ENVIRONMENT_GROUP],
                                   **extra}, opts=opts)
    pulumi.export("endpointIds", endpoints.endpoint_ids)
    pulumi.export("webserverInterfaces", endpoints.webserver_network_interface_ids)
    pulumi.export("securityGroupId", endpoints.security_group_id)
    return endpoints


def by_service(plan):
    return {r.inputs["serviceName"].removeprefix("com.amazonaws.eu-west-1."): r for r in plan.of_type(ENDPOINT)}


def test_one_interface_endpoint_per_service_with_private_dns_in_the_private_subnets():
    plan = run_component(endpoint_set)
    group = plan.one("aws:ec2/securityGroup:SecurityGroup")
    interfaces = {s: r for s, r in by_service(plan).items() if r.inputs["vpcEndpointType"] == "Interface"}
    assert sorted(interfaces) == INTERFACE_SERVICES
    for endpoint in interfaces.values():
        assert endpoint.inputs["subnetIds"] == SUBNETS
        assert endpoint.inputs["securityGroupIds"] == [group.id]
        assert endpoint.inputs["privateDnsEnabled"] is True


def test_s3_is_a_gateway_endpoint_on_the_private_route_tables():
    s3 = by_service(run_component(endpoint_set))["s3"]
    assert s3.inputs["vpcEndpointType"] == "Gateway"
    assert s3.inputs["routeTableIds"] == ROUTE_TABLES
    assert "subnetIds" not in s3.inputs and "privateDnsEnabled" not in s3.inputs


def test_endpoint_ids_are_reported_per_service():
    plan = run_component(endpoint_set)
    assert plan.outputs["endpointIds"] == {service: r.id for service, r in by_service(plan).items()}


def test_centrally_managed_services_are_skipped():
    plan = run_component(lambda: endpoint_set(skip_services=["logs", "s3", "airflow.env"]))
    assert sorted(by_service(plan)) == sorted(set(INTERFACE_SERVICES) - {"logs", "airflow.env"})
    assert set(plan.outputs["endpointIds"]) == set(by_service(plan))


def test_an_unknown_service_to_skip_is_refused_by_name():
    with pytest.raises(ValueError, match=r"unknown services to skip \['log'\]"):
        run_component(lambda: endpoint_set(skip_services=["log"]))


def test_private_dns_can_be_turned_off():
    plan = run_component(lambda: endpoint_set(private_dns=False))
    assert {r.inputs.get("privateDnsEnabled") for r in plan.of_type(ENDPOINT)} == {False, None}


def test_security_group_admits_https_from_the_environment_only_and_sends_nothing():
    plan = run_component(endpoint_set)
    group = plan.one("aws:ec2/securityGroup:SecurityGroup")
    rules = [(r.inputs["securityGroupId"], r.inputs["ipProtocol"], r.inputs["fromPort"], r.inputs["toPort"],
              r.inputs.get("referencedSecurityGroupId"), r.inputs.get("cidrIpv4")) for r in plan.of_type(INGRESS)]
    assert rules == [(group.id, "tcp", 443, 443, ENVIRONMENT_GROUP, None)]
    assert "ingress" not in group.inputs and "egress" not in group.inputs
    assert plan.of_type(EGRESS) == []


def test_other_workloads_are_admitted_only_when_listed():
    plan = run_component(lambda: endpoint_set(allowed_cidrs=["10.30.0.0/16"]))
    cidr_rules = [(r.inputs["cidrIpv4"], r.inputs["fromPort"], r.inputs["toPort"]) for r in plan.of_type(INGRESS)
                  if r.inputs.get("cidrIpv4")]
    assert cidr_rules == [("10.30.0.0/16", 443, 443)]


def customer_endpoints(webserver="com.amazonaws.vpce.eu-west-1.vpce-svc-0aaaaaaaaaaaaaaaa",
                       database="com.amazonaws.vpce.eu-west-1.vpce-svc-0bbbbbbbbbbbbbbbb"):
    return endpoint_set(environment_endpoints={"webserver": webserver, "database": database,
                                               "security_group_id": ENVIRONMENT_GROUP})


def test_customer_mode_creates_the_environment_webserver_and_database_endpoints():
    plan = run_component(customer_endpoints)
    webserver, database = plan.named("endpoints-environment-webserver"), plan.named("endpoints-environment-database")
    assert webserver.inputs["serviceName"] == "com.amazonaws.vpce.eu-west-1.vpce-svc-0aaaaaaaaaaaaaaaa"
    assert database.inputs["serviceName"] == "com.amazonaws.vpce.eu-west-1.vpce-svc-0bbbbbbbbbbbbbbbb"
    for endpoint in (webserver, database):
        assert endpoint.inputs["vpcEndpointType"] == "Interface"
        assert endpoint.inputs["subnetIds"] == SUBNETS
        # The environment's group admits the whole environment and (for the web server) the load balancer.
        assert endpoint.inputs["securityGroupIds"] == [ENVIRONMENT_GROUP]
    assert plan.outputs["endpointIds"]["webserver"] == webserver.id
    assert plan.outputs["endpointIds"]["database"] == database.id


def test_customer_mode_reports_the_webserver_endpoint_interfaces():
    plan = run_component(customer_endpoints)
    webserver = plan.named("endpoints-environment-webserver")
    assert plan.outputs["webserverInterfaces"] == webserver.state["networkInterfaceIds"]
    assert len(plan.outputs["webserverInterfaces"]) == len(SUBNETS)


def test_without_customer_mode_there_are_no_environment_endpoints():
    plan = run_component(endpoint_set)
    assert not {"webserver", "database"} & set(plan.outputs["endpointIds"])
    assert plan.outputs["webserverInterfaces"] == []


def test_customer_endpoints_keep_their_identity_when_the_environment_changes():
    """Seed 001: endpoints deleted on every update. Names do not depend on values, and nothing forces replacement."""
    first = run_component(customer_endpoints)
    second = run_component(lambda: customer_endpoints(webserver="com.amazonaws.vpce.eu-west-1.vpce-svc-0ccccccccccccccc1"))
    urns = lambda plan: sorted(r.urn for r in plan.of_type(ENDPOINT))  # noqa: E731
    assert urns(first) == urns(second)
    for endpoint in first.of_type(ENDPOINT):
        assert endpoint.replace_on_changes == () and endpoint.delete_before_replace is False


def test_endpoints_can_be_created_by_a_separate_provider():
    def build():
        provider = aws.Provider("endpoints-role", region="eu-west-1", allowed_account_ids=["111111111111"],
                                assume_roles=[aws.ProviderAssumeRoleArgs(
                                    role_arn="arn:aws:iam::111111111111:role/network-endpoints")])
        EndpointSet(
            "endpoints", {"vpc_id": "vpc-0123456789abcdef0", "subnet_ids": SUBNETS, "route_table_ids": ROUTE_TABLES,
                          "client_security_group_ids": [ENVIRONMENT_GROUP],
                          "environment_endpoints": {"webserver": "svc-web", "database": "svc-db",
                                                    "security_group_id": ENVIRONMENT_GROUP}},
            opts=pulumi.ResourceOptions(providers={"aws": provider}))

    plan = run_component(build)
    provider = plan.one("pulumi:providers:aws")
    children = [r for r in plan.registrations if r.custom and r.type != "pulumi:providers:aws"]
    assert len(children) == len(INTERFACE_SERVICES) + 1 + 2 + 2  # endpoints, S3, environment endpoints, group and rule
    # A provider reference is "URN::ID".
    assert {r.provider.rsplit("::", 1)[0] for r in children} == {provider.urn}
    assert json.loads(provider.inputs["assumeRoles"]) == [{"roleArn": "arn:aws:iam::111111111111:role/network-endpoints"}]


def test_target_ips_come_one_per_interface():
    interfaces = ["eni-0aaaaaaaaaaaaaaaa", "eni-0bbbbbbbbbbbbbbbb"]

    def build():
        holder = pulumi.ComponentResource("test:index:Holder", "holder")
        pulumi.export("ips", pulumi.Output.all(*interface_private_ips(interfaces, 2, parent=holder)))

    assert run_component(build).outputs["ips"] == [FakeAws().private_ip(eni) for eni in interfaces]


def test_an_endpoint_with_a_surprising_number_of_interfaces_fails_loudly():
    with pytest.raises(ValueError, match="has 3 network interfaces"):
        interface_at(["eni-0aaaaaaaaaaaaaaaa", "eni-0bbbbbbbbbbbbbbbb", "eni-0cccccccccccccccc"], 0, 2)

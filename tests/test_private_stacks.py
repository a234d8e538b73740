"""Every stack runs the private architecture: a private web server and an internal load balancer with sign-in;
test and prod add the VPC endpoints, sandbox reaches AWS through its NAT gateway."""

import json
from fnmatch import fnmatchcase

import pytest

from program.stacks import fake_world
from tests.harness import DELETE, plan_failure, plan_stack, setting_errors, stack_config

ENVIRONMENT = "aws:mwaa/environment:Environment"
ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"
ATTACHMENT = "aws:lb/targetGroupAttachment:TargetGroupAttachment"
LB = "aws:lb/loadBalancer:LoadBalancer"
KEY = "airflow-aws:"
# Sandbox goes without endpoints; the tests of the endpoints themselves turn them on.
ENDPOINTS = {"endpoints.enabled": True}
ENDPOINT_STACKS = ("test", "prod")



def test_each_stack_runs_a_private_web_server_behind_an_internal_load_balancer(stack_plan):
    stack, plan = stack_plan
    assert plan.one(ENVIRONMENT).inputs["webserverAccessMode"] == "PRIVATE_ONLY"
    assert plan.one(LB).inputs["internal"] is True
    plan.one("airflow-aws:index:PrivateAccessAlb")
    assert plan.outputs["airflowUrl"] == f"https://airflow.{stack}.example.com"


@pytest.mark.parametrize("stack", ENDPOINT_STACKS)
def test_test_and_prod_create_the_endpoints_mwaa_needs_without_internet(stack, stack_plans):
    plan = stack_plans[stack]
    plan.one("airflow-aws:index:EndpointSet")
    services = {r.inputs["serviceName"] for r in plan.of_type(ENDPOINT)}
    region = "eu-west-1"
    assert services == {f"com.amazonaws.{region}.{s}" for s in (
        "airflow.api", "airflow.env", "airflow.ops", "ecr.api", "ecr.dkr", "kms", "logs", "monitoring", "sqs", "s3")}
    assert set(plan.outputs["endpointIds"]) == {s.removeprefix(f"com.amazonaws.{region}.") for s in services}


@pytest.mark.parametrize("stack", ENDPOINT_STACKS)
def test_the_environment_security_group_is_the_only_client_of_the_endpoints(stack, stack_plans):
    plan = stack_plans[stack]
    endpoint_group = plan.named("endpoints-sg")
    rules = [r for r in plan.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
             if r.inputs["securityGroupId"] == endpoint_group.id]
    assert [(r.inputs["referencedSecurityGroupId"], r.inputs["fromPort"]) for r in rules] == [
        (plan.named("mwaa-sg").id, 443)]


def test_sandbox_reaches_aws_services_through_its_nat_gateway_without_endpoints(stack_plans):
    plan = stack_plans["sandbox"]
    assert not plan.of_type("airflow-aws:index:EndpointSet") and not plan.of_type(ENDPOINT)
    assert "endpointIds" not in plan.outputs
    [nat] = plan.of_type("aws:ec2/natGateway:NatGateway")
    routes = [r for r in plan.of_type("aws:ec2/routeTable:RouteTable")
              if any(route.get("natGatewayId") == nat.id for route in r.inputs.get("routes", []))]
    assert len(routes) == 2 and {r.urn for r in routes} <= set(plan.one(ENVIRONMENT).dependencies)
    [https_out] = [r for r in plan.of_type("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
                   if r.name == "mwaa-sg-out-https"]
    assert (https_out.inputs["cidrIpv4"], https_out.inputs["fromPort"]) == ("0.0.0.0/0", 443)


def test_the_load_balancer_reaches_the_environment_on_443(stack_plan):
    _, plan = stack_plan
    rules = [r for r in plan.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
             if r.inputs["securityGroupId"] == plan.named("mwaa-sg").id
             and r.inputs.get("referencedSecurityGroupId") == plan.named("private-access-sg").id]
    assert [(r.inputs["ipProtocol"], r.inputs["fromPort"], r.inputs["toPort"]) for r in rules] == [("tcp", 443, 443)]


def test_ui_links_point_at_the_load_balancer_host_name(stack_plan):
    stack, plan = stack_plan
    options = plan.one(ENVIRONMENT).inputs["airflowConfigurationOptions"]
    # Airflow 2's web server refuses a base URL with a trailing slash.
    assert options["webserver.base_url"] == f"https://airflow.{stack}.example.com"


def test_airflow_3_gets_its_base_url_in_the_api_section():
    options = plan_stack("sandbox", {"mwaa.airflowVersion": "3.0.6"}).one(ENVIRONMENT).inputs["airflowConfigurationOptions"]
    # Airflow 3 appends "dags/..." straight to the base URL: without the slash, log links break.
    assert options["api.base_url"] == "https://airflow.sandbox.example.com/"
    assert "webserver.base_url" not in options


def target_ips(plan):
    return sorted(r.inputs["targetId"] for r in plan.of_type(ATTACHMENT) if r.name.startswith("private-access-target-"))


def test_service_mode_targets_the_ips_of_the_endpoint_mwaa_created_for_its_web_server():
    world = fake_world(stack_config("sandbox"))
    plan = plan_stack("sandbox", world=world)
    service = plan.one(ENVIRONMENT).state["webserverVpcEndpointService"]
    assert target_ips(plan) == sorted(world.private_ip(eni) for eni in world.service_endpoints[service])
    assert len(target_ips(plan)) == 2


def test_customer_mode_creates_the_environment_endpoints_and_targets_their_ips():
    world = fake_world(stack_config("sandbox"))
    plan = plan_stack("sandbox", {**ENDPOINTS, "mwaa.endpointManagement": "CUSTOMER"}, world=world)
    environment = plan.one(ENVIRONMENT)
    webserver = plan.named("endpoints-environment-webserver")
    assert webserver.inputs["serviceName"] == environment.state["webserverVpcEndpointService"]
    assert plan.named("endpoints-environment-database").inputs["serviceName"] == environment.state[
        "databaseVpcEndpointService"]
    assert target_ips(plan) == sorted(world.private_ip(eni) for eni in webserver.state["networkInterfaceIds"])
    assert world.service_endpoints == {}  # MWAA created no endpoint of its own


def test_endpoints_can_be_created_with_a_role_of_their_own():
    role = "arn:aws:iam::111111111111:role/vpc-endpoint-creator"
    plan = plan_stack("sandbox", {**ENDPOINTS, "endpoints.assumeRoleArn": role, "mwaa.endpointManagement": "CUSTOMER"})
    provider = plan.one("pulumi:providers:aws")
    assert json.loads(provider.inputs["assumeRoles"]) == [{"roleArn": role}]
    assert (provider.inputs["region"], json.loads(provider.inputs["allowedAccountIds"])) == ("eu-west-1", ["111111111111"])
    endpoint_set = plan.one("airflow-aws:index:EndpointSet")
    uses_role = {r.name for r in plan.registrations if r.custom and r.provider.rsplit("::", 1)[0] == provider.urn}
    assert uses_role == {r.name for r in plan.children_of(endpoint_set)}
    assert {"endpoints-environment-webserver", "endpoints-logs"} <= uses_role


def test_centrally_managed_endpoints_are_left_out():
    plan = plan_stack("sandbox", {**ENDPOINTS, "endpoints.skipServices": ["logs", "kms"]})
    services = {r.inputs["serviceName"] for r in plan.of_type(ENDPOINT)}
    assert not {"com.amazonaws.eu-west-1.logs", "com.amazonaws.eu-west-1.kms"} & services
    assert len(services) == 8


def test_sign_in_reads_the_client_secret_from_secrets_manager(stack_plan):
    _, plan = stack_plan
    listener = plan.named("private-access-https")
    secret = listener.inputs["defaultActions"][0]["authenticateOidc"]["clientSecret"]
    assert secret.startswith("fake-secret-")  # what the fake Secrets Manager returned for the configured ARN
    assert "defaultActions" in listener.secret_inputs


def test_only_production_protects_the_load_balancer_and_its_logs(stack_plan):
    stack, plan = stack_plan
    assert plan.one(LB).inputs["enableDeletionProtection"] is (stack == "prod")
    assert plan.named("private-access-logs").protect is (stack == "prod")


def test_the_login_functions_logs_are_encrypted_with_the_stacks_key_which_admits_them(stack_plan):
    _, plan = stack_plan
    logs, key = plan.named("private-access-login-logs"), plan.one("aws:kms/key:Key")
    assert logs.inputs["kmsKeyId"] == key.state["arn"]
    # The key lets CloudWatch Logs use it only for log groups its policy names: this one must be among them.
    statement = next(s for s in json.loads(key.inputs["policy"])["Statement"]
                     if s["Principal"] == {"Service": "logs.eu-west-1.amazonaws.com"})
    assert fnmatchcase(logs.state["arn"], statement["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"])


def test_without_a_customer_key_the_login_logs_use_cloudwatchs_own_encryption():
    plan = plan_stack("sandbox", {"mwaa.kmsKey": "aws-owned"})
    assert plan.named("private-access-login-logs").inputs.get("kmsKeyId") is None


# --- settings refused before anything is registered -------------------------------------------------------

@pytest.mark.parametrize("changes, key, problem", [
    ({"mwaa.endpointManagement": "CUSTOMER", "endpoints.enabled": False}, "mwaa.endpointManagement", "PENDING"),
    ({"network.natGateways": "none", "endpoints.enabled": False, "privateAccess.enabled": False},
     "endpoints.enabled", "without any path to AWS services"),
    ({"endpoints.skipServices": ["log"]}, "endpoints.skipServices", "did you mean `logs`"),
    ({"endpoints.allowedCidrs": ["0.0.0.0/0"]}, "endpoints.allowedCidrs", "whole internet"),
    ({"endpoints.assumeRoleArn": "network-role"}, "endpoints.assumeRoleArn", "not an IAM role ARN"),
    ({"privateAccess.hostName": DELETE}, "privateAccess.hostName", "required when privateAccess.enabled"),
    ({"privateAccess.route53ZoneId": DELETE}, "privateAccess.route53ZoneId", "required when privateAccess.enabled"),
    ({"privateAccess.allowedCidrs": []}, "privateAccess.allowedCidrs", "admits nobody"),
    ({"privateAccess.allowedCidrs": ["0.0.0.0/0"]}, "privateAccess.allowedCidrs", "whole internet"),
    ({"privateAccess.internetFacing": True}, "privateAccess.subnetIds", "internet-facing"),
    ({"privateAccess.oidc": DELETE}, "privateAccess.oidc", "required with privateAccess.signIn oidc"),
    ({"privateAccess.signIn": "cognito"}, "privateAccess.cognito", "required with privateAccess.signIn cognito"),
    ({"privateAccess.oidc.clientSecretArn": "hunter2"}, "privateAccess.oidc.clientSecretArn", "Secrets Manager"),
    ({"privateAccess.oidc.issuer": "http://login.example.com"}, "privateAccess.oidc.issuer", "https://"),
    ({"privateAccess.groupRoleMapping": {}}, "privateAccess.groupRoleMapping", "nobody can sign in"),
    ({"privateAccess.groupRoleMapping": {"everyone": "Public"}}, "privateAccess.groupRoleMapping", "not Airflow UI roles"),
    ({"privateAccess.tlsPolicy": "ELBSecurityPolicy-2016-08"}, "privateAccess.tlsPolicy", "TLS 1.3"),
    ({"mwaa.webserverAccessMode": "PUBLIC_ONLY"}, "mwaa.webserverAccessMode", "no private web server"),
    ({"mwaa.airflowConfigurationOptions": {"webserver.base_url": "https://elsewhere"}},
     "mwaa.airflowConfigurationOptions", "sets webserver.base_url"),
    ({"network.natGateways": "none"}, "privateAccess.signIn", "on the internet only through a NAT gateway"),
])
def test_inconsistent_private_access_settings_are_refused_with_a_fix(changes, key, problem):
    errors = setting_errors("sandbox", changes)
    assert f"{KEY}{key}" in errors, errors
    error = errors[f"{KEY}{key}"]
    assert problem in error.problem and error.fix


def test_a_refused_private_setting_registers_nothing():
    error, registered = plan_failure("sandbox", {"privateAccess.allowedCidrs": []})
    assert any(e.key == f"{KEY}privateAccess.allowedCidrs" for e in error.errors)
    assert registered == []


def test_an_identity_provider_inside_the_network_needs_no_nat_and_is_the_only_sign_in_egress():
    changes = {"network.natGateways": "none", "privateAccess.identityProviderCidrs": ["10.60.0.0/24"]}
    assert f"{KEY}privateAccess.signIn" not in setting_errors("sandbox", changes)
    plan = plan_stack("sandbox", {"privateAccess.identityProviderCidrs": ["10.60.0.0/24"]})
    group = plan.named("private-access-sg")
    cidrs = [r.inputs.get("cidrIpv4") for r in plan.of_type("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
             if r.inputs["securityGroupId"] == group.id]
    assert sorted(cidrs, key=str) == sorted(["10.60.0.0/24", None], key=str)  # the IdP, and the web server's group

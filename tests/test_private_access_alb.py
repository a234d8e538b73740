"""PrivateAccessAlb: an internal HTTPS load balancer, open only to listed networks, with sign-in and the MWAA login."""

import json

import pulumi
import pytest

from airflow_aws import PrivateAccessAlb
from tests.harness import policy, run_component

LB = "aws:lb/loadBalancer:LoadBalancer"
TARGET_GROUP = "aws:lb/targetGroup:TargetGroup"
ATTACHMENT = "aws:lb/targetGroupAttachment:TargetGroupAttachment"
LISTENER_RULE = "aws:lb/listenerRule:ListenerRule"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
WEB_GROUP = "sg-0eeeeeeeeeeeeeeee"
USERS = "10.0.0.0/8"
PREFIX_LIST = "pl-0123456789abcdef0"
ZONE = "Z0123456789ABCDEFGHIJ"
OIDC = {"issuer": "https://login.example.com", "authorization_endpoint": "https://login.example.com/authorize",
        "token_endpoint": "https://login.example.com/token", "user_info_endpoint": "https://login.example.com/userinfo",
        "client_id": "airflow", "client_secret": "s3cret"}
MWAA_TARGET = {"port": 443, "protocol": "HTTPS", "health_check_path": "/", "health_check_matcher": "200,302",
               "security_group_id": WEB_GROUP, "ip_addresses": ["10.20.0.10", "10.20.64.10"]}
MAPPING = {"platform-admins": "Admin", "analysts": "Viewer"}


def alb(**changes):
    args = {"vpc_id": "vpc-0123456789abcdef0", "subnet_ids": ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"],
            "host_name": "airflow.example.com", "route53_zone_id": ZONE, "allowed_cidrs": [USERS],
            "allowed_prefix_list_ids": [PREFIX_LIST], "target": MWAA_TARGET, "authentication": {"oidc": OIDC},
            "web_login": {"environment_name": "analytics", "airflow_major_version": "2",
                          "group_role_mapping": MAPPING},
            **changes}
    args = {k: v for k, v in args.items() if v is not None}

    def build():
        component = PrivateAccessAlb("access", args)
        for name in ("arn", "dns_name", "url", "target_group_arn", "security_group_id", "https_listener_arn",
                     "access_logs_bucket", "login_function_name"):
            pulumi.export(name, getattr(component, name))
    return build


@pytest.fixture(scope="module")
def plan():
    return run_component(alb())


def ordered(rules):
    return sorted(rules, key=repr)


def rule_tuples(registrations):
    """(from, to, CIDR, prefix list, peer group, own group) of each rule, in a fixed order."""
    return ordered((r.inputs["fromPort"], r.inputs["toPort"], r.inputs.get("cidrIpv4"), r.inputs.get("prefixListId"),
                    r.inputs.get("referencedSecurityGroupId"), r.inputs["securityGroupId"]) for r in registrations)


# --- the load balancer and its security group ------------------------------------------------

def test_the_load_balancer_is_internal_unless_made_internet_facing(plan):
    assert plan.one(LB).inputs["internal"] is True
    assert run_component(alb(internet_facing=True)).one(LB).inputs["internal"] is False


def test_users_reach_only_443_and_80_and_only_from_the_listed_networks(plan):
    group = plan.named("access-sg")
    ingress = [r for r in plan.of_type(INGRESS) if r.inputs["securityGroupId"] == group.id]
    assert rule_tuples(ingress) == ordered([
        (443, 443, USERS, None, None, group.id), (80, 80, USERS, None, None, group.id),
        (443, 443, None, PREFIX_LIST, None, group.id), (80, 80, None, PREFIX_LIST, None, group.id)])
    assert "ingress" not in group.inputs and "egress" not in group.inputs


def test_egress_goes_to_the_web_server_and_to_the_identity_provider_only(plan):
    group = plan.named("access-sg")
    assert rule_tuples(plan.of_type(EGRESS)) == ordered([
        (443, 443, None, None, WEB_GROUP, group.id),
        (443, 443, "0.0.0.0/0", None, None, group.id)])  # the IdP's token and user info endpoints


def test_without_sign_in_the_load_balancer_talks_to_the_web_server_only():
    plan = run_component(alb(authentication=None, web_login=None))
    group = plan.named("access-sg")
    assert rule_tuples(plan.of_type(EGRESS)) == [(443, 443, None, None, WEB_GROUP, group.id)]


def test_the_web_server_group_admits_the_load_balancer_on_the_target_port(plan):
    group = plan.named("access-sg")
    on_target = [r for r in plan.of_type(INGRESS) if r.inputs["securityGroupId"] == WEB_GROUP]
    assert rule_tuples(on_target) == [(443, 443, None, None, group.id, WEB_GROUP)]


def test_deletion_protection_follows_the_setting(plan):
    assert plan.one(LB).inputs["enableDeletionProtection"] is False
    assert run_component(alb(deletion_protection=True)).one(LB).inputs["enableDeletionProtection"] is True


# --- targets -----------------------------------------------------------------------------------

def test_target_group_is_https_443_over_ips_with_a_health_check_mwaa_passes(plan):
    target = plan.named("access-target")
    assert (target.inputs["targetType"], target.inputs["protocol"], target.inputs["port"]) == ("ip", "HTTPS", 443)
    check = target.inputs["healthCheck"]
    assert (check["protocol"], check["path"], check["matcher"]) == ("HTTPS", "/", "200,302")


def test_one_attachment_per_target_ip(plan):
    target = plan.named("access-target")
    attachments = [r for r in plan.of_type(ATTACHMENT) if r.inputs["targetGroupArn"] == target.state["arn"]]
    assert sorted(r.inputs["targetId"] for r in attachments) == sorted(MWAA_TARGET["ip_addresses"])
    assert {r.inputs["port"] for r in attachments} == {443}


def test_a_fargate_api_server_target_registers_itself_on_its_own_port():
    target = {"port": 8080, "protocol": "HTTP", "health_check_path": "/api/v2/monitor/health",
              "health_check_matcher": "200", "security_group_id": WEB_GROUP}
    plan = run_component(alb(target=target, web_login=None))
    group = plan.named("access-sg")
    target_group = plan.named("access-target")
    assert (target_group.inputs["protocol"], target_group.inputs["port"]) == ("HTTP", 8080)
    assert target_group.inputs["healthCheck"]["path"] == "/api/v2/monitor/health"
    assert plan.of_type(ATTACHMENT) == []
    assert (8080, 8080, None, None, WEB_GROUP, group.id) in rule_tuples(plan.of_type(EGRESS))
    assert plan.outputs["target_group_arn"] == target_group.state["arn"]
    assert plan.outputs["https_listener_arn"] == plan.named("access-https").state["arn"]


# --- listeners, certificate, DNS -------------------------------------------------------------------

def test_https_listener_uses_a_current_tls13_policy_and_the_validated_certificate(plan):
    listener = plan.named("access-https")
    assert (listener.inputs["protocol"], listener.inputs["port"]) == ("HTTPS", 443)
    assert listener.inputs["sslPolicy"] == "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09"
    certificate = plan.named("access-certificate")
    assert (certificate.inputs["domainName"], certificate.inputs["validationMethod"]) == ("airflow.example.com", "DNS")
    validation = plan.named("access-certificate-validation")
    option = certificate.state["domainValidationOptions"][0]
    assert (validation.inputs["zoneId"], validation.inputs["name"], validation.inputs["records"]) == (
        ZONE, option["resourceRecordName"], [option["resourceRecordValue"]])
    validated = plan.named("access-certificate-validated")
    assert validated.inputs["validationRecordFqdns"] == [validation.state["fqdn"]]
    assert listener.inputs["certificateArn"] == validated.state["certificateArn"] == certificate.state["arn"]


def test_a_given_certificate_is_used_as_is():
    arn = "arn:aws:acm:eu-west-1:111111111111:certificate/01234567-89ab-cdef-0123-456789abcdef"
    plan = run_component(alb(certificate_arn=arn))
    assert plan.named("access-https").inputs["certificateArn"] == arn
    assert plan.of_type("aws:acm/certificate:Certificate") == []


def test_a_certificate_needs_a_zone_to_be_validated_in():
    with pytest.raises(ValueError, match="certificate_arn, or a zone"):
        run_component(alb(route53_zone_id=None))


def test_http_redirects_to_https(plan):
    listener = plan.named("access-http")
    assert (listener.inputs["protocol"], listener.inputs["port"]) == ("HTTP", 80)
    assert listener.inputs["defaultActions"] == [
        {"type": "redirect", "redirect": {"protocol": "HTTPS", "port": "443", "statusCode": "HTTP_301"}}]


def test_host_name_is_an_alias_of_the_load_balancer(plan):
    record = plan.named("access-alias")
    lb = plan.one(LB)
    assert (record.inputs["zoneId"], record.inputs["name"], record.inputs["type"]) == (ZONE, "airflow.example.com", "A")
    assert record.inputs["aliases"] == [{"name": lb.state["dnsName"], "zoneId": lb.state["zoneId"],
                                         "evaluateTargetHealth": True}]
    assert plan.outputs["url"] == "https://airflow.example.com"


# --- access logs ------------------------------------------------------------------------------------

def test_access_logs_go_to_an_sse_s3_bucket_closed_to_the_public(plan):
    bucket = plan.named("access-logs")
    assert plan.one(LB).inputs["accessLogs"] == {"bucket": bucket.state["bucket"], "enabled": True}
    encryption = plan.named("access-logs-encryption")
    assert encryption.inputs["rules"][0]["applyServerSideEncryptionByDefault"] == {"sseAlgorithm": "AES256"}
    block = plan.named("access-logs-public-access")
    assert all(block.inputs[k] is True for k in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls",
                                                  "restrictPublicBuckets"))
    assert plan.named("access-logs-expiry").inputs["rules"][0]["expiration"] == {"days": 90}
    assert plan.outputs["access_logs_bucket"] == bucket.state["bucket"]


def test_only_load_balancer_log_delivery_may_write_and_only_under_this_account(plan):
    document = policy(plan.named("access-logs-delivery"))
    bucket_arn = plan.named("access-logs").state["arn"]
    writers = [s for s in document["Statement"] if s["Effect"] == "Allow"]
    assert {json.dumps(s["Principal"], sort_keys=True) for s in writers} >= {
        json.dumps({"Service": "logdelivery.elasticloadbalancing.amazonaws.com"})}
    assert {(s["Action"], s["Resource"]) for s in writers} == {("s3:PutObject", f"{bucket_arn}/AWSLogs/111111111111/*")}
    assert any(s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
               for s in document["Statement"])


def test_the_log_bucket_is_protected_when_stateful_resources_are():
    assert run_component(alb()).named("access-logs").protect is False
    assert run_component(alb(protect_stateful_resources=True)).named("access-logs").protect is True


def test_the_login_logs_are_named_like_the_environments_and_encrypted_with_the_given_key():
    key = "arn:aws:kms:eu-west-1:111111111111:key/0d6d71a3-0177-4fec-8bf0-77bea0b6ede9"
    login = {"environment_name": "analytics", "airflow_major_version": "2", "group_role_mapping": MAPPING}
    logs = run_component(alb(web_login={**login, "kms_key_arn": key})).named("access-login-logs")
    assert logs.inputs["name"] == "airflow-analytics-web-login"
    assert logs.inputs["kmsKeyId"] == key


def test_access_logs_can_be_turned_off():
    plan = run_component(alb(access_logs={"enabled": False}))
    assert "accessLogs" not in plan.one(LB).inputs
    assert plan.of_type("aws:s3/bucket:Bucket") == []


# --- sign-in ------------------------------------------------------------------------------------------

def test_the_default_action_signs_in_with_oidc_then_forwards_to_the_web_server(plan):
    listener = plan.named("access-https")
    authenticate, forward = listener.inputs["defaultActions"]
    assert (authenticate["type"], authenticate["order"], forward["type"], forward["order"]) == (
        "authenticate-oidc", 1, "forward", 2)
    oidc = authenticate["authenticateOidc"]
    assert {k: oidc[k] for k in ("issuer", "clientId", "clientSecret", "tokenEndpoint")} == {
        "issuer": OIDC["issuer"], "clientId": "airflow", "clientSecret": "s3cret", "tokenEndpoint": OIDC["token_endpoint"]}
    assert forward["targetGroupArn"] == plan.named("access-target").state["arn"]
    # The client secret is stored encrypted in the state.
    assert "defaultActions" in listener.secret_inputs


def test_sign_in_can_use_cognito():
    cognito = {"user_pool_arn": "arn:aws:cognito-idp:eu-west-1:111111111111:userpool/eu-west-1_abc",
               "user_pool_client_id": "client", "user_pool_domain": "analytics-login"}
    plan = run_component(alb(authentication={"cognito": cognito}))
    authenticate = plan.named("access-https").inputs["defaultActions"][0]
    assert authenticate["type"] == "authenticate-cognito"
    assert authenticate["authenticateCognito"]["userPoolArn"] == cognito["user_pool_arn"]


@pytest.mark.parametrize("authentication, login, message", [
    ({"oidc": OIDC, "cognito": {"user_pool_arn": "a", "user_pool_client_id": "b", "user_pool_domain": "c"}},
     None, "exactly one of oidc or cognito"),
    (None, {"environment_name": "analytics", "airflow_major_version": "2", "group_role_mapping": MAPPING},
     "web_login needs authentication"),
])
def test_inconsistent_sign_in_is_refused(authentication, login, message):
    with pytest.raises(ValueError, match=message):
        run_component(alb(authentication=authentication, web_login=login))


def rules_by_name(plan):
    return {r.name.removeprefix("access-"): r for r in plan.of_type(LISTENER_RULE)}


def test_the_login_redirect_with_its_token_goes_straight_to_the_web_server(plan):
    rules = rules_by_name(plan)
    token, sign_in = rules["token"], rules["sign-in"]
    assert token.inputs["conditions"] == [{"pathPattern": {"values": ["/aws_mwaa/aws-console-sso"]}},
                                          {"queryStrings": [{"key": "login", "value": "true"}]}]
    assert token.inputs["actions"] == [{"type": "forward", "targetGroupArn": plan.named("access-target").state["arn"]}]
    assert token.inputs["priority"] < sign_in.inputs["priority"]
    assert {r.inputs["listenerArn"] for r in rules.values()} == {plan.named("access-https").state["arn"]}


def test_the_sign_in_path_authenticates_then_runs_the_login_function(plan):
    sign_in = rules_by_name(plan)["sign-in"]
    login_target = plan.named("access-login-tg").state["arn"]
    assert sign_in.inputs["conditions"] == [{"pathPattern": {"values": ["/aws_mwaa/aws-console-sso"]}}]
    authenticate, forward = sign_in.inputs["actions"]
    assert (authenticate["type"], authenticate["order"]) == ("authenticate-oidc", 1)
    assert forward == {"type": "forward", "targetGroupArn": login_target, "order": 2}


def test_logout_goes_to_the_login_function(plan):
    sign_out = rules_by_name(plan)["sign-out"]
    assert sign_out.inputs["conditions"] == [{"pathPattern": {"values": ["/logout"]}}]
    assert sign_out.inputs["actions"] == [{"type": "forward",
                                           "targetGroupArn": plan.named("access-login-tg").state["arn"]}]


def test_airflow_3_also_routes_the_plugin_login_path():
    plan = run_component(alb(web_login={"environment_name": "analytics", "airflow_major_version": "3",
                                        "group_role_mapping": MAPPING}))
    token = rules_by_name(plan)["token"]
    assert token.inputs["conditions"][0]["pathPattern"]["values"] == [
        "/aws_mwaa/aws-console-sso", "/pluginsv2/aws_mwaa/aws-console-sso"]


# --- the login function ---------------------------------------------------------------------------------

def login_function(plan):
    return plan.one("aws:lambda/function:Function")


def test_only_this_load_balancer_may_invoke_the_login_function(plan):
    permission = plan.one("aws:lambda/permission:Permission")
    function, login_target = login_function(plan), plan.named("access-login-tg")
    assert (permission.inputs["action"], permission.inputs["principal"]) == (
        "lambda:InvokeFunction", "elasticloadbalancing.amazonaws.com")
    assert permission.inputs["function"] == function.state["name"]
    assert permission.inputs["sourceArn"] == login_target.state["arn"]
    assert login_target.inputs["targetType"] == "lambda"
    assert login_target.inputs["lambdaMultiValueHeadersEnabled"] is True
    attachment = plan.named("access-login-tg-function")
    assert attachment.inputs["targetId"] == function.state["arn"]
    assert permission.urn in attachment.dependencies  # the load balancer checks the permission on attach


def test_the_login_function_is_told_what_seams_md_agrees(plan):
    function, lb = login_function(plan), plan.one(LB)
    assert (function.inputs["runtime"], function.inputs["handler"], function.inputs["architectures"]) == (
        "python3.12", "app.handler", ["x86_64"])
    variables = function.inputs["environment"]["variables"]
    assert variables["MWAA_ENVIRONMENT_NAME"] == "analytics"
    assert variables["AIRFLOW_MAJOR_VERSION"] == "2"
    assert variables["ALB_ARN"] == lb.state["arn"]
    assert variables["HOST_NAME"] == "airflow.example.com"  # where sign-in redirects, never the request Host
    assert json.loads(variables["GROUP_ROLE_MAPPING"]) == MAPPING
    assert variables["GROUPS_CLAIM"] == "groups"
    roles = {r.name: r for r in plan.of_type("aws:iam/role:Role")}
    assert json.loads(variables["LOGIN_ROLE_ARNS"]) == {
        "Admin": roles["access-login-admin"].state["arn"], "Viewer": roles["access-login-viewer"].state["arn"]}


def test_the_function_ships_its_code(plan):
    assets = login_function(plan).inputs["code"].assets
    assert "app.py" in assets


def test_each_login_role_may_only_request_its_own_airflow_role_and_trusts_only_the_function(plan):
    function_role = plan.named("access-login-role")
    assert {r.name for r in plan.of_type("aws:iam/role:Role")} == {
        "access-login-role", "access-login-admin", "access-login-viewer"}  # only the roles the mapping uses
    for airflow_role in ("Admin", "Viewer"):
        role = plan.named(f"access-login-{airflow_role.lower()}")
        trust = policy(role, "assumeRolePolicy")
        assert [s["Principal"] for s in trust["Statement"]] == [{"AWS": function_role.state["arn"]}]
        grant = policy(plan.named(f"access-login-{airflow_role.lower()}-token"))
        assert [(s["Action"], s["Resource"]) for s in grant["Statement"]] == [
            ("airflow:CreateWebLoginToken", f"arn:aws:airflow:eu-west-1:111111111111:role/analytics/{airflow_role}")]


def test_the_function_may_assume_exactly_the_login_roles(plan):
    document = policy(plan.named("access-login-policy"))
    assume = [s for s in document["Statement"] if s["Action"] == "sts:AssumeRole"]
    assert [sorted(s["Resource"]) for s in assume] == [sorted(
        plan.named(f"access-login-{r}").state["arn"] for r in ("admin", "viewer"))]
    assert all(s["Resource"] != "*" for s in document["Statement"])

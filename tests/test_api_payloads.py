"""Inputs that are literal API payloads: the stacks' own values pass, and each broken one is refused by name."""

import copy
import json
from typing import Any, Callable

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from program.api_model import policy_documents as policies
from program.api_model.container_definitions import check_container_definitions
from program.api_model.dashboard_body import check_dashboard_body
from program.api_model.listener_rules import check_actions, check_conditions
from program.api_model.payloads import PAYLOADS
from program.api_model.problems import Problem
from program.api_model.scheduler_target import check_target


def found(problems: list[Problem]) -> dict[str, str]:
    """Path -> what is wrong there (several problems at one path joined)."""
    result: dict[str, str] = {}
    for problem in problems:
        result[problem.path] = f"{result[problem.path]} | {problem.constraint}" if problem.path in result else problem.constraint
    return result


def scheduler_containers(plan) -> str:
    return next(r for r in plan.of_type("aws:ecs/taskDefinition:TaskDefinition")
                if r.name == "fargate-scheduler").inputs["containerDefinitions"]


def edited(document: Any, change: Callable[[Any], None]) -> Any:
    """A payload with one change applied, in the form it came in (JSON text or parsed)."""
    value = copy.deepcopy(json.loads(document) if isinstance(document, str) else document)
    change(value)
    return json.dumps(value) if isinstance(document, str) else value


def refuses(check: Callable[[Any], list[Problem]], value: Any, change: Callable[[Any], None], path: str,
            constraint: str) -> bool:
    """`value` (a stack's own) passes `check`, and with `change` applied is refused at `path` for `constraint`."""
    assert check(value) == []
    return constraint in found(check(edited(value, change))).get(path, "")


# --- ECS containerDefinitions (the scheduler task: scheduler + cloudwatch-agent sidecar) ---------------------

def rename(container: dict, old: str, new: str) -> None:
    container[new] = container.pop(old)


CONTAINER_BREAKS = {
    "unknown key": (lambda c: rename(c[0], "healthCheck", "healthChecks"), "[0].healthChecks", "did you mean `healthCheck`"),
    "model enum": (lambda c: c[0]["logConfiguration"].update(logDriver="cloudwatch"), "[0].logConfiguration.logDriver",
                   "is not one of LogDriver's values"),
    "model type": (lambda c: c[0].update(essential="yes"), "[0].essential", "must be true or false"),
    "no essential container": (lambda c: [x.update(essential=False) for x in c], "", "at least one essential container"),
    "duplicate name": (lambda c: c[1].update(name=c[0]["name"]), "[1].name", "must be unique"),
    "missing image": (lambda c: c[1].pop("image"), "[1].image", "is required"),
    "dependsOn unknown": (lambda c: c[0].update(dependsOn=[{"containerName": "agent", "condition": "START"}]),
                          "[0].dependsOn[0].containerName", "names no container"),
    "dependsOn exit of essential": (lambda c: c[1].update(dependsOn=[{"containerName": "scheduler", "condition": "SUCCESS"}]),
                                    "[1].dependsOn[0].condition", "mark scheduler essential: false"),
    "secret not an ARN": (lambda c: c[0]["secrets"][0].update(valueFrom="arn:aws:s3:::bucket/key"),
                          "[0].secrets[0].valueFrom", "Secrets Manager secret ARN"),
    "port out of range": (lambda c: c[0].update(portMappings=[{"containerPort": 70000}]),
                          "[0].portMappings[0].containerPort", "0 to 65535"),
    "port mapped twice": (lambda c: c[0].update(portMappings=[{"containerPort": 80}, {"containerPort": 80}]),
                          "[0].portMappings[1].containerPort", "mapped twice"),
    "health check interval": (lambda c: c[0]["healthCheck"].update(interval=1), "[0].healthCheck.interval", "5 to 300"),
    "health check command": (lambda c: c[0]["healthCheck"].update(command=["curl", "x"]), "[0].healthCheck.command[0]",
                             "CMD, CMD-SHELL or NONE"),
    "awslogs unknown option": (lambda c: c[0]["logConfiguration"]["options"].update({"awslogs-grup": "x"}),
                               "[0].logConfiguration.options['awslogs-grup']", "not an option of the awslogs"),
    "awslogs without group": (lambda c: c[0]["logConfiguration"]["options"].pop("awslogs-group"),
                              "[0].logConfiguration.options['awslogs-group']", "is required"),
    "name characters": (lambda c: c[1].update(name="cloudwatch agent"), "[1].name", "255 letters, digits, _ and -"),
    "memory below Docker's minimum": (lambda c: c[1].update(memory=4), "[1].memory", "at least 6 MiB"),
    "depends on itself": (lambda c: c[0].update(dependsOn=[{"containerName": "scheduler", "condition": "START"}]),
                          "[0].dependsOn[0].containerName", "cannot depend on itself"),
    "port mapping without a port": (lambda c: c[0].update(portMappings=[{"protocol": "tcp"}]), "[0].portMappings[0]",
                                    "needs containerPort or containerPortRange"),
    "app protocol without a name": (lambda c: c[0].update(portMappings=[{"containerPort": 80, "appProtocol": "http"}]),
                                    "[0].portMappings[0].appProtocol", "needs the port mapping's name"),
    "reservation above memory": (lambda c: c[0].update(memory=512, memoryReservation=1024), "[0].memoryReservation",
                                 "must not exceed the container's memory"),
}


@pytest.mark.parametrize("change,path,constraint", CONTAINER_BREAKS.values(), ids=CONTAINER_BREAKS.keys())
def test_container_definitions_refuse(fargate_plan, change, path, constraint):
    assert refuses(check_container_definitions, scheduler_containers(fargate_plan), change, path, constraint)


def test_container_keys_match_the_model_without_regard_to_case(fargate_plan):
    # The provider decodes with Go's encoding/json, which matches keys case-insensitively.
    task = scheduler_containers(fargate_plan)
    assert check_container_definitions(edited(task, lambda c: rename(c[0], "image", "Image"))) == []


def test_container_definitions_must_be_a_json_list():
    assert "not valid JSON" in found(check_container_definitions("[{"))[""]
    assert "at least one container" in found(check_container_definitions("[]"))[""]


# --- CloudWatch dashboard body -------------------------------------------------------------------------------

DASHBOARD_BREAKS = {
    "unknown top key": (lambda b: b.update(widget=[]), "widget", "did you mean `widgets`"),
    "widget type": (lambda b: b["widgets"][0].update(type="graph"), "widgets[0].type", "must be one of metric"),
    "past the grid": (lambda b: b["widgets"][1].update(x=16), "widgets[1].width", "past the grid's 24 columns"),
    "width above 24": (lambda b: b["widgets"][0].update(width=25), "widgets[0].width", "1 to 24"),
    "height": (lambda b: b["widgets"][0].update(height=0), "widgets[0].height", "1 to 1000"),
    "text without markdown": (lambda b: b["widgets"][0]["properties"].pop("markdown"), "widgets[0].properties.markdown",
                              "is required"),
    "metric without region": (lambda b: b["widgets"][1]["properties"].pop("region"), "widgets[1].properties.region",
                              "is required"),
    "unknown property": (lambda b: b["widgets"][1]["properties"].update(titel="x"), "widgets[1].properties.titel",
                         "did you mean `title`"),
    "period": (lambda b: b["widgets"][1]["properties"].update(period=90), "widgets[1].properties.period",
               "multiple of 60"),
    "stat": (lambda b: b["widgets"][1]["properties"]["metrics"][0][-1].update(stat="Avg"),
             "widgets[1].properties.metrics[0][-1].stat", "not a CloudWatch statistic"),
    "metric array": (lambda b: b["widgets"][1]["properties"]["metrics"][0].insert(2, "Environment"),
                     "widgets[1].properties.metrics[0]", "dimension name and value pairs"),
    "annotation value": (lambda b: b["widgets"][1]["properties"]["annotations"]["horizontal"][0].pop("value"),
                         "widgets[1].properties.annotations.horizontal[0].value", "is required"),
    "y axis": (lambda b: b["widgets"][1]["properties"]["yAxis"]["left"].update(min=20), "widgets[1].properties.yAxis.left.max",
               "must be above min"),
    "alarm ARN": (lambda b: b["widgets"][5]["properties"]["alarms"].append("airflow-prod-down"),
                  "widgets[5].properties.alarms[4]", "must be an alarm ARN"),
    "period override": (lambda b: b.update(periodOverride="always"), "periodOverride", "auto or inherit"),
    "too many widgets": (lambda b: b["widgets"].extend([b["widgets"][0]] * 494), "widgets", "at most 500 widgets"),
    "negative y": (lambda b: b["widgets"][0].update(y=-1), "widgets[0].y", "at least 0"),
    "text background": (lambda b: b["widgets"][0]["properties"].update(background="none"),
                        "widgets[0].properties.background", "solid or transparent"),
    "legend": (lambda b: b["widgets"][1]["properties"].update(legend={"position": "top"}), "widgets[1].properties.legend",
               "bottom, right or hidden"),
    "region": (lambda b: b["widgets"][1]["properties"].update(region="Ireland"), "widgets[1].properties.region",
               "Region code"),
    "metric option key": (lambda b: b["widgets"][1]["properties"]["metrics"][0][-1].update(colour="#fff"),
                          "widgets[1].properties.metrics[0][-1].colour", "did you mean `color`"),
    "metric id shape": (lambda b: b["widgets"][1]["properties"]["metrics"][0][-1].update(id="Total"),
                        "widgets[1].properties.metrics[0][-1].id", "lowercase letter"),
    "metric id twice": (lambda b: [m[-1].update(id="total") for m in b["widgets"][1]["properties"]["metrics"][:2]],
                        "widgets[1].properties.metrics[1][-1].id", "unique within the widget"),
    "metric y axis": (lambda b: b["widgets"][1]["properties"]["metrics"][0][-1].update(yAxis="top"),
                      "widgets[1].properties.metrics[0][-1].yAxis", "left or right"),
    "expression entry without expression": (lambda b: b["widgets"][1]["properties"]["metrics"].append([{"id": "e1"}]),
                                            "widgets[1].properties.metrics[5]", "needs an expression"),
    "vertical annotation": (lambda b: b["widgets"][1]["properties"]["annotations"].update(vertical=[{"value": 3}]),
                            "widgets[1].properties.annotations.vertical[0].value", "ISO 8601"),
    "alarm states": (lambda b: b["widgets"][5]["properties"].update(states=["FIRING"]), "widgets[5].properties.states[0]",
                     "ALARM, INSUFFICIENT_DATA, OK"),
    "alarm sort": (lambda b: b["widgets"][5]["properties"].update(sortBy="name"), "widgets[5].properties.sortBy",
                   "stateUpdatedTimestamp"),
    "too many alarms": (lambda b: b["widgets"][5]["properties"]["alarms"].extend(b["widgets"][5]["properties"]["alarms"] * 25),
                        "widgets[5].properties.alarms", "at most 100"),
    "view": (lambda b: b["widgets"][1]["properties"].update(view="line"), "widgets[1].properties.view", "timeSeries"),
}


@pytest.mark.parametrize("change,path,constraint", DASHBOARD_BREAKS.values(), ids=DASHBOARD_BREAKS.keys())
def test_dashboard_bodies_refuse(stack_plans, change, path, constraint):
    assert refuses(check_dashboard_body, stack_plans["prod"].one("aws:cloudwatch/dashboard:Dashboard").inputs["dashboardBody"],
                   change, path, constraint)


# --- IAM, key, bucket and topic policies ---------------------------------------------------------------------

def statement(**changes: Any) -> Callable[[dict], None]:
    return lambda policy: policy["Statement"][0].update(changes)


IDENTITY_BREAKS = {
    "version": (lambda p: p.update(Version="2008-10-17"), "Version", "must be 2012-10-17"),
    "unknown key": (lambda p: p.update(Statements=[]), "Statements", "did you mean `Statement`"),
    "no statement": (lambda p: p.pop("Statement"), "Statement", "is required"),
    "effect": (statement(Effect="allow"), "Statement[0].Effect", "exactly Allow or Deny"),
    "principal": (statement(Principal="*"), "Statement[0].Principal", "not allowed in an identity policy"),
    "no resource": (lambda p: p["Statement"][0].pop("Resource"), "Statement[0].Resource", "is required"),
    "action and notaction": (statement(NotAction="s3:*"), "Statement[0].NotAction", "not both"),
    "action shape": (statement(Action="s3 GetObject"), "Statement[0].Action", "service:Action"),
    "resource shape": (statement(Resource="my-bucket"), "Statement[0].Resource", "an ARN"),
    "sid": (statement(Sid="publish-metrics"), "Statement[0].Sid", "only letters and digits"),
    "duplicate sid": (lambda p: p["Statement"][1].update(Sid=p["Statement"][0]["Sid"]), "Statement[1].Sid", "unique"),
    "condition operator": (statement(Condition={"StringEqual": {"aws:SourceAccount": "1"}}),
                           "Statement[0].Condition.StringEqual", "not an IAM condition operator"),
    "condition without keys": (statement(Condition={"StringEquals": "x"}), "Statement[0].Condition.StringEquals",
                               "must map condition keys to values"),
    "not a statement object": (lambda p: p["Statement"].insert(0, "Allow s3"), "Statement[0]", "statement object"),
    "parliament unknown action": (statement(Action="airflow:PublishMetric"), "Statement[0]",
                                  "names an action its service does not have (parliament)"),
    "parliament Null condition": (statement(Condition={"Null": {"aws:SourceVpc": "no"}}), "Statement[0]",
                                  "Null condition that is not true or false"),
    "parliament resource mismatch": (statement(Action="s3:GetObject", Resource="arn:aws:s3:::bucket"), "Statement[0]",
                                     "s3:GetObject needs a resource like"),
}


@pytest.mark.parametrize("change,path,constraint", IDENTITY_BREAKS.values(), ids=IDENTITY_BREAKS.keys())
def test_identity_policies_refuse(stack_plans, change, path, constraint):
    assert refuses(policies.inline_identity_policy, stack_plans["prod"].named("mwaa-execution-baseline").inputs["policy"],
                   change, path, constraint)


def test_parliament_noise_is_not_an_error():
    # AWS accepts all of these: a wildcard action that expands to actions of other resource types, a Deny
    # that matches nothing (AWS's own MWAA sample policy has one), StringEquals on an ARN key, and a global
    # condition key newer than parliament's list.
    document = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:List*", "Resource": "arn:aws:s3:::bucket"},
        {"Effect": "Deny", "Action": "s3:ListAllMyBuckets", "Resource": "arn:aws:s3:::bucket"},
        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*",
         "Condition": {"StringEquals": {"aws:SourceArn": "arn:aws:sns:eu-west-1:111111111111:alarms"}}},
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*",
         "Condition": {"StringEquals": {"aws:SourceOrgID": "o-abc123"}}}]}
    assert policies.identity_policy(json.dumps(document)) == []


TRUST_BREAKS = {
    "resource": (statement(Resource="*"), "Statement[0].Resource", "not allowed in a role trust policy"),
    "no principal": (lambda p: p["Statement"][0].pop("Principal"), "Statement[0].Principal", "is required"),
    "service principal": (statement(Principal={"Service": "lambda"}), "Statement[0].Principal.Service",
                          "service principal"),
    "principal key": (statement(Principal={"Services": "lambda.amazonaws.com"}), "Statement[0].Principal.Services",
                      "did you mean `Service`"),
    "principal shape": (statement(Principal=["lambda.amazonaws.com"]), "Statement[0].Principal",
                        "`*` or an object of AWS"),
    "principal and not principal": (statement(NotPrincipal={"AWS": "111111111111"}), "Statement[0].NotPrincipal",
                                    "not both"),
    "aws principal": (statement(Principal={"AWS": "arn:aws:iam::1:root"}), "Statement[0].Principal.AWS",
                      "account ID or an IAM"),
}


@pytest.mark.parametrize("change,path,constraint", TRUST_BREAKS.values(), ids=TRUST_BREAKS.keys())
def test_trust_policies_refuse(stack_plans, change, path, constraint):
    assert refuses(policies.trust_policy, stack_plans["prod"].named("mwaa-execution").inputs["assumeRolePolicy"],
                   change, path, constraint)


def test_resource_policies_need_principal_and_resource_but_take_any_sid(stack_plans):
    key_policy = stack_plans["prod"].one("aws:kms/key:Key").inputs["policy"]
    assert policies.key_policy(edited(key_policy, statement(Sid="Key admins (IAM)"))) == []
    assert "is required" in found(policies.key_policy(edited(key_policy, lambda p: p["Statement"][0].pop("Principal"))))[
        "Statement[0].Principal"]
    assert "is required" in found(policies.key_policy(edited(key_policy, lambda p: p["Statement"][0].pop("Resource"))))[
        "Statement[0].Resource"]


def test_endpoint_policies_are_resource_policies():
    policy = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::airflow-*/*"}]})
    check = PAYLOADS["aws:ec2/vpcEndpoint:VpcEndpoint"]["policy"]
    assert check(policy) == []
    assert "is required" in found(check(edited(policy, lambda p: p["Statement"][0].pop("Principal"))))["Statement[0].Principal"]


def test_policies_keep_within_their_size_quota(stack_plans):
    policy = stack_plans["prod"].named("mwaa-execution-baseline").inputs["policy"]
    padded = edited(policy, lambda p: p["Statement"].extend(
        {"Sid": f"Read{i}", "Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::bucket-{i:04}/*"}
        for i in range(50)))
    assert "at most 6144 characters" in found(policies.identity_policy(padded))[""]
    assert policies.inline_identity_policy(padded) == []  # an inline policy may have 10,240


# --- Scheduler target ------------------------------------------------------------------------------------------

SCHEDULE_BREAKS = {
    "unknown input": (lambda t: t.update(roleArnn="x"), "roleArnn", "not an input of a schedule target"),
    "retry age below the model's minimum": (lambda t: t["retryPolicy"].update(maximumEventAgeInSeconds=30),
                                            "retryPolicy.maximumEventAgeInSeconds", "minimum 60"),
    "role ARN pattern": (lambda t: t.update(roleArn="worker-metrics-role"), "roleArn", "does not match"),
    "missing role": (lambda t: t.pop("roleArn"), "roleArn", "is required"),
    "input not JSON for a Lambda target": (lambda t: t.update(input="scheduledTime=<aws.scheduler.scheduled-time>"),
                                           "input", "must be JSON"),
    "unknown context attribute": (lambda t: t.update(input='{"at": "<aws.scheduler.time>"}'), "input",
                                  "not a schedule context attribute"),
}


@pytest.mark.parametrize("change,path,constraint", SCHEDULE_BREAKS.values(), ids=SCHEDULE_BREAKS.keys())
def test_schedule_targets_refuse(stack_plans, change, path, constraint):
    assert refuses(check_target, stack_plans["prod"].one("aws:scheduler/schedule:Schedule").inputs["target"],
                   change, path, constraint)


# --- Load balancer actions and rule conditions -----------------------------------------------------------------

ACTION_BREAKS = {
    "authenticate after forward": (lambda a: a.reverse() or [x.pop("order") for x in a], "[0].type",
                                   "must be the last action"),
    "no terminal action": (lambda a: a.pop(), "", "exactly one forward, redirect or fixed-response"),
    "duplicate order": (lambda a: a[1].update(order=1), "[1].order", "unique"),
    "order range": (lambda a: a[1].update(order=50001), "[1].order", "1 to 50000"),
    "oidc endpoint not https": (lambda a: a[0]["authenticateOidc"].update(tokenEndpoint="http://idp/token"),
                                "[0].authenticateOidc.tokenEndpoint", "https://"),
    "oidc session timeout": (lambda a: a[0]["authenticateOidc"].update(sessionTimeout=604801),
                             "[0].authenticateOidc.sessionTimeout", "7 days"),
    "oidc missing client id": (lambda a: a[0]["authenticateOidc"].pop("clientId"), "[0].authenticateOidc.clientId",
                               "is required"),
    "block missing": (lambda a: a[0].pop("authenticateOidc"), "[0].authenticateOidc", "is required by a authenticate-oidc"),
    "forward without target": (lambda a: a[1].pop("targetGroupArn"), "[1].targetGroupArn", "needs targetGroupArn"),
    "forward to six groups": (lambda a: a[1].update(forward={"targetGroups": [{"arn": "x"}] * 6}),
                              "[1].forward.targetGroups", "1 to 5 target groups"),
    "forward weight": (lambda a: a[1].update(forward={"targetGroups": [{"arn": "x", "weight": 1000}]}),
                       "[1].forward.targetGroups[0].weight", "0 to 999"),
    "stickiness": (lambda a: a[1].update(forward={"targetGroups": [{"arn": "x"}], "stickiness": {"duration": 0}}),
                   "[1].forward.stickiness.duration", "1 to 604800"),
    "extra params": (lambda a: a[0]["authenticateOidc"].update(authenticationRequestExtraParams={str(i): "x" for i in range(11)}),
                     "[0].authenticateOidc.authenticationRequestExtraParams", "at most 10"),
    "unauthenticated request": (lambda a: a[0]["authenticateOidc"].update(onUnauthenticatedRequest="redirect"),
                                "[0].authenticateOidc.onUnauthenticatedRequest", "deny, allow or authenticate"),
    "cognito pool ARN": (lambda a: a.__setitem__(0, {"type": "authenticate-cognito", "order": 1, "authenticateCognito": {
        "userPoolArn": "pool", "userPoolClientId": "c", "userPoolDomain": "d"}}), "[0].authenticateCognito.userPoolArn",
                         "Cognito user pool ARN"),
    "action type": (lambda a: a[1].update(type="forward-all"), "[1].type", "must be one of"),
    "fixed response body and status": (lambda a: a.__setitem__(1, {"type": "fixed-response", "fixedResponse": {
        "contentType": "text/plain", "statusCode": "302", "messageBody": "x" * 1025}}), "[1].fixedResponse.statusCode",
                                       "2XX, 4XX or 5XX"),
    "fixed response": (lambda a: a.__setitem__(1, {"type": "fixed-response", "order": 2, "fixedResponse": {
        "contentType": "text/xml", "statusCode": "200"}}), "[1].fixedResponse.contentType", "text/plain"),
}


@pytest.mark.parametrize("change,path,constraint", ACTION_BREAKS.values(), ids=ACTION_BREAKS.keys())
def test_listener_actions_refuse(stack_plans, change, path, constraint):
    assert refuses(check_actions, stack_plans["prod"].named("private-access-https").inputs["defaultActions"],
                   change, path, constraint)


REDIRECT_BREAKS = {
    "status code": (lambda a: a[0]["redirect"].update(statusCode="HTTP_307"), "[0].redirect.statusCode", "HTTP_301"),
    "port": (lambda a: a[0]["redirect"].update(port="70000"), "[0].redirect.port", "1 to 65535"),
    "path": (lambda a: a[0]["redirect"].update(path="login"), "[0].redirect.path", "must start with /"),
    "host length": (lambda a: a[0]["redirect"].update(host="x" * 129), "[0].redirect.host", "1 to 128"),
    "protocol": (lambda a: a[0]["redirect"].update(protocol="FTP"), "[0].redirect.protocol", "HTTP, HTTPS or #{protocol}"),
    "loop": (lambda a: a[0]["redirect"].update(port="#{port}", protocol="#{protocol}"), "[0].redirect", "redirects to itself"),
}


@pytest.mark.parametrize("change,path,constraint", REDIRECT_BREAKS.values(), ids=REDIRECT_BREAKS.keys())
def test_redirect_actions_refuse(stack_plans, change, path, constraint):
    assert refuses(check_actions, stack_plans["prod"].named("private-access-http").inputs["defaultActions"],
                   change, path, constraint)


def path_values(*values: str) -> dict:
    return {"pathPattern": {"values": list(values)}}


CONDITION_BREAKS = {
    "two path conditions": (lambda c: c.append(path_values("/other")), "[2].pathPattern", "one pathPattern condition"),
    "four values in one condition": (lambda c: c.__setitem__(0, path_values("/a", "/b", "/c", "/d")), "[0].pathPattern",
                                     "at most 3"),
    "six values in all": (lambda c: c.__setitem__(1, {"queryStrings": [{"key": f"k{i}", "value": "v"} for i in range(3)]})
                          or c.append({"hostHeader": {"values": ["a.example.com", "b.example.com"]}}), "",
                          "at most 5 values in all"),
    "two kinds in one block": (lambda c: c[0].update(hostHeader={"values": ["x.example.com"]}), "[0]", "exactly one of"),
    "path characters": (lambda c: c.__setitem__(0, path_values("/a b")), "[0].pathPattern.values[0]", "not a valid pathPattern"),
    "query value missing": (lambda c: c[1]["queryStrings"][0].pop("value"), "[1].queryStrings[0].value", "is required"),
    "source ip": (lambda c: c.__setitem__(0, {"sourceIp": {"values": ["10.0.0.300/8"]}}), "[0].sourceIp.values[0]", "CIDR"),
    "header name": (lambda c: c.__setitem__(0, {"httpHeader": {"httpHeaderName": "X" * 41, "values": ["a"]}}),
                    "[0].httpHeader.httpHeaderName", "1 to 40"),
    "host characters": (lambda c: c.__setitem__(0, {"hostHeader": {"values": ["airflow_example.com"]}}),
                        "[0].hostHeader.values[0]", "not a valid hostHeader"),
    "method characters": (lambda c: c.__setitem__(0, {"httpRequestMethod": {"values": ["get"]}}),
                          "[0].httpRequestMethod.values[0]", "not a valid httpRequestMethod"),
    "header value length": (lambda c: c.__setitem__(0, {"httpHeader": {"httpHeaderName": "X-Env", "values": ["x" * 129]}}),
                            "[0].httpHeader.values[0]", "at most 128"),
    "query key length": (lambda c: c[1]["queryStrings"][0].update(key="k" * 129), "[1].queryStrings[0].key", "at most 128"),
    "no condition": (lambda c: c.clear(), "", "at least one condition"),
}


@pytest.mark.parametrize("change,path,constraint", CONDITION_BREAKS.values(), ids=CONDITION_BREAKS.keys())
def test_listener_rule_conditions_refuse(stack_plans, change, path, constraint):
    assert refuses(check_conditions, stack_plans["prod"].named("private-access-token").inputs["conditions"],
                   change, path, constraint)


def test_a_lambda_invocation_input_must_be_json(fargate_plan):
    check = PAYLOADS["aws:lambda/invocation:Invocation"]["input"]
    assert check(fargate_plan.one("aws:lambda/invocation:Invocation").inputs["input"]) == []
    assert "not valid JSON" in found(check("cluster=airflow"))[""]


# --- Any JSON a user writes is read without a traceback --------------------------------------------------------

_KEYS = st.sampled_from(["name", "image", "essential", "dependsOn", "containerName", "condition", "secrets", "valueFrom",
                         "portMappings", "containerPort", "hostPort", "healthCheck", "command", "interval",
                         "logConfiguration", "logDriver", "options", "memory", "memoryReservation", "widgets", "type",
                         "x", "width", "properties", "metrics", "annotations", "horizontal", "value", "yAxis", "left",
                         "alarms", "markdown", "Version", "Statement", "Effect", "Action", "Resource", "Principal",
                         "Service", "AWS", "Condition", "Sid", "arn", "roleArn", "input", "retryPolicy"])
_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 70000), st.floats(allow_nan=False), st.text(max_size=4),
                     st.sampled_from(["awslogs", "metric", "alarm", "text", "Allow", "*", "2012-10-17", "CMD", "SUCCESS"]))
_JSON = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=5),
                     max_leaves=30)
_DOCUMENT_CHECKS = [check_container_definitions, check_dashboard_body, policies.identity_policy, policies.trust_policy,
                    policies.key_policy, check_target]


@settings(max_examples=600, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(_DOCUMENT_CHECKS), _JSON)
def test_document_checks_read_any_json(check, document):
    assert isinstance(check(json.dumps(document) if check is not check_target else document), list)


def test_a_value_a_check_cannot_read_is_reported_not_raised():
    problems = PAYLOADS["aws:lb/listenerRule:ListenerRule"]["conditions"]([{"pathPattern": "/login"}])
    assert len(problems) == 1 and "could not read it" in problems[0].constraint

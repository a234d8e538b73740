"""The API-model check in the plan: a resource input AWS would refuse fails the plan like an invalid setting (exit 2,
every violation named, no traceback), the check combines rules with documented limits and payload checks, and the
plan shows what it could not check."""

import json
import re

import pytest
import yaml

from program import plan as plan_command
from program import stacks
from program.api_model import limits, payloads
from program.api_model.problems import InvalidResources, Problem
from program.api_model.resources import check_plan
from airflow_aws.settings import PROJECT
from tests.harness import plan_failure, plan_violations, violations, with_input

# Passes the settings check (a well-formed statement), but no IAM service has this action: only the policy
# the execution role ends up with, run through the policy validator, shows it.
UNKNOWN_ACTION = {"Effect": "Allow", "Action": ["athena:StartQueryExecutions"], "Resource": ["*"]}
EXTRA_STATEMENT = {"mwaa.executionRolePolicyStatements": [UNKNOWN_ACTION]}
EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
DASHBOARD = "aws:cloudwatch/dashboard:Dashboard"
TASK = "aws:ecs/taskDefinition:TaskDefinition"


@pytest.fixture
def refused_stack(tmp_path, monkeypatch):
    """A stack file `refused` whose settings pass but whose MWAA environment AWS would refuse."""
    values = stacks.stack_values("sandbox")
    values[f"{PROJECT}:mwaa"] = {**values[f"{PROJECT}:mwaa"], "executionRolePolicyStatements": [UNKNOWN_ACTION]}
    (tmp_path / "Pulumi.refused.yaml").write_text(yaml.safe_dump({"config": values}, allow_unicode=True))
    real = stacks.stack_file
    monkeypatch.setattr(stacks, "stack_file", lambda stack: tmp_path / "Pulumi.refused.yaml" if stack == "refused" else real(stack))
    return "refused"


def test_a_refused_resource_input_prints_the_violation_to_stderr_and_exits_2(capsys, refused_stack):
    assert plan_command.main([refused_stack, "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        "stack 'refused' plans 1 resource input AWS would refuse at deploy time, or accept and not act on:",
        "  MwaaEnvironment mwaa > mwaa-execution-extra (aws:iam/rolePolicy:RolePolicy)",
        "    property:   policy.Statement[0]",
        '    value:      {"Action": ["athena:StartQueryExecutions"], "Effect": "Allow", "Resource": ["*"]}',
        "    constraint: names an action its service does not have (parliament): Unknown action "
        "athena:StartQueryExecutions",
    ]


def test_planning_a_stack_in_a_test_refuses_what_aws_would_refuse():
    error, _ = plan_failure("sandbox", EXTRA_STATEMENT)
    assert isinstance(error, InvalidResources)
    [violation] = error.violations
    assert (violation.resource, violation.problem.path) == ("mwaa-execution-extra", "policy.Statement[0]")
    assert plan_violations("sandbox", EXTRA_STATEMENT) == error.violations


def test_the_text_plan_lists_the_types_it_could_not_check_with_the_reason(capsys, stack_plans):
    assert plan_command.main(["sandbox"]) == 0
    text = capsys.readouterr().out
    report = check_plan(stack_plans["sandbox"])
    assert re.search(rf"^API model check: {len(report.checked_types)} resource types checked, 0 violations$", text, re.M)
    listed = text.split("\nunchecked types:\n", 1)[1].split("\nunchecked inputs:", 1)[0].splitlines()
    assert listed == [f"  {typ}: {reason}" for typ, reason in report.unchecked_types.items()]
    assert ("  aws:acm/certificateValidation:CertificateValidation: provider-only: waits for ACM to issue the "
            "certificate, no API call takes its inputs") in text


def test_the_json_plan_has_the_check_with_its_coverage(capsys, stack_plans):
    assert plan_command.main(["prod", "--json"]) == 0
    section = json.loads(capsys.readouterr().out)["apiModelCheck"]
    report = check_plan(stack_plans["prod"])
    assert section == {"violations": [], "checkedTypes": report.checked_types,
                       "uncheckedTypes": report.unchecked_types, "uncheckedProperties": report.unchecked_properties}
    assert section["uncheckedProperties"]["aws:lb/loadBalancer:LoadBalancer"]["enableDeletionProtection"].startswith(
        "provider-only")


def test_pulumi_only_types_are_unchecked_with_the_reason(fargate_plan):
    unchecked = check_plan(fargate_plan).unchecked_types
    assert unchecked["random:index/randomPassword:RandomPassword"] == "pulumi-random: generated locally, no AWS API involved"
    assert "aws:lambda/invocation:Invocation" not in unchecked  # its input is a payload: the function's JSON event


def test_a_documented_limit_is_checked_with_the_rules(monkeypatch, stack_plans):
    # The field report's rule description: EC2 allows only a-z A-Z 0-9, spaces and ._-:/()#,@[]+=&;{}!$* in it.
    def ec2_description_characters(inputs):
        text = inputs.get("description", "")
        return [] if re.fullmatch(r"[a-zA-Z0-9 ._\-:/()#,@\[\]+=&;{}!$*]*", text) else [
            Problem("description", text, "has a character EC2 refuses in rule descriptions")]

    monkeypatch.setitem(limits.LIMITS, EGRESS, [ec2_description_characters])
    plan, changed = with_input(stack_plans["sandbox"], EGRESS, "description", "Sign-in: the IdP's token endpoint")
    [violation] = violations(plan)
    assert (violation.resource, violation.problem.path, violation.problem.constraint) == (
        changed.name, "description", "has a character EC2 refuses in rule descriptions")
    assert violations(stack_plans["sandbox"]) == []  # every rule description the stack plans passes


def test_a_payload_is_checked_as_its_document_and_not_again_as_a_plain_string(monkeypatch, stack_plans):
    def widths(body):
        return [Problem(f"widgets[{i}].width", w["width"], "is above 24, the dashboard grid's width")
                for i, w in enumerate(body["widgets"]) if w["width"] > 24]

    monkeypatch.setitem(payloads.PAYLOADS, DASHBOARD, {"dashboardBody": widths})
    # A dict, not the string PutDashboard takes: only the payload check sees it.
    plan, _ = with_input(stack_plans["sandbox"], DASHBOARD, "dashboardBody", {"widgets": [{"width": 12}, {"width": 30}]})
    [violation] = violations(plan)
    assert (violation.problem.path, violation.problem.value) == ("dashboardBody.widgets[1].width", 30)


def test_a_type_with_only_a_documented_limit_counts_as_checked(monkeypatch, stack_plans):
    default_group = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
    monkeypatch.setitem(limits.LIMITS, default_group, [lambda inputs: []])
    report = check_plan(stack_plans["sandbox"])
    assert default_group in report.checked_types and default_group not in report.unchecked_types


def test_an_unknown_container_definition_key_the_provider_would_drop_is_a_violation(fargate_plan):
    definitions = json.dumps([{"name": "worker", "image": "apache/airflow:3.0.6", "memoryReservaton": 512}])
    plan, _ = with_input(fargate_plan, TASK, "containerDefinitions", definitions)
    [violation] = violations(plan)
    assert violation.problem.path == "containerDefinitions[0].memoryReservaton"
    assert "did you mean `memoryReservation`?" in violation.problem.constraint


def test_a_json_input_that_is_not_json_is_a_violation(fargate_plan):
    plan, _ = with_input(fargate_plan, TASK, "containerDefinitions", "[{\"name\": ")
    [violation] = violations(plan)
    assert violation.problem.constraint.startswith("is not valid JSON")

"""Every stack plans offline, is pinned to its own account, and differs from the others in sizing and, for sandbox,\nin going without VPC endpoints."""

import re

from program.stacks import STACKS, stack_values
from tests.harness import plan_stack, policy

ENVIRONMENT = "aws:mwaa/environment:Environment"



def test_each_stack_plans_one_environment_with_its_outputs(stack_plan):
    stack, plan = stack_plan
    environment = plan.one(ENVIRONMENT)
    assert environment.inputs["name"] == f"airflow-{stack}"
    assert plan.outputs["environmentName"] == f"airflow-{stack}"
    assert plan.outputs["webserverUrl"].endswith(".airflow.amazonaws.com")


def test_each_stack_is_pinned_to_its_own_account():
    accounts = [tuple(stack_values(stack)["aws:allowedAccountIds"]) for stack in STACKS]
    assert all(len(ids) == 1 for ids in accounts)
    assert len(set(accounts)) == len(STACKS)


def shape(plan) -> set[str]:
    """The types a plan registers, apart from the NAT gateways and their addresses (one per stack or per zone)."""
    return {r.type for r in plan.registrations} - {"aws:ec2/natGateway:NatGateway", "aws:ec2/eip:Eip"}


def test_stacks_share_one_architecture_and_only_sandbox_goes_without_endpoints(stack_plans):
    assert shape(stack_plans["test"]) == shape(stack_plans["prod"])
    # Sandbox's one difference is a setting: with it, sandbox is test and prod's architecture again.
    assert stack_values("sandbox")["airflow-aws:endpoints"] == {"enabled": False}
    assert shape(plan_stack("sandbox", {"endpoints.enabled": True})) == shape(stack_plans["prod"])
    assert shape(stack_plans["prod"]) - shape(stack_plans["sandbox"]) == {
        "airflow-aws:index:EndpointSet", "aws:ec2/vpcEndpoint:VpcEndpoint"}


def test_only_production_protects_stateful_resources(stack_plan):
    stack, plan = stack_plan
    # Which resources production protects: tests/test_stateful_protection.py.
    assert any(r.protect for r in plan.registrations) is (stack == "prod")


def test_an_existing_key_given_by_alias_reaches_log_groups_and_policies_as_the_key_it_points_to():
    # MWAA takes the alias, but CloudWatch Logs takes only a key ARN and IAM matches no key by its alias.
    plan = plan_stack("sandbox", {"mwaa.kmsKey": "arn:aws:kms:eu-west-1:111111111111:alias/airflow"})
    key_arn = plan.one(ENVIRONMENT).inputs["kmsKey"]
    assert re.fullmatch(r"arn:aws:kms:eu-west-1:111111111111:key/[0-9a-f-]{36}", key_arn)
    assert all(group.inputs["kmsKeyId"] == key_arn for group in plan.of_type("aws:cloudwatch/logGroup:LogGroup"))
    execution_policy = policy(plan.named("mwaa-execution-baseline"))
    assert any(statement["Resource"] == key_arn and statement["Action"][0].startswith("kms:")
               for statement in execution_policy["Statement"])

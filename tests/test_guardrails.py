"""The policy pack: each guardrail, run as CrossGuard runs it, passes a resource of our own plan (its JSON, as
`python -m program.plan --json` prints it) and refuses the same resource with one input made unsafe."""

import dataclasses
import json

import pytest
from pulumi_policy import PolicyCustomTimeouts, PolicyResourceOptions, ResourceValidationArgs

from airflow_aws.guardrails import GUARDRAILS
from airflow_aws.policy_pack import policy
from program.plan import _asset, as_json
from airflow_aws.settings import parse
from program.stacks import engine_config
from program.guardrail_check import check
from tests.harness import plan_stack, stack_config

FARGATE = {"platform": "fargate", "fargate.kmsKey": "create"}
DROP = object()  # remove the input
# guardrail -> (plan, resource type, the unsafe change); plans: prod as its stack file says, and prod on Fargate.
CASES = {
    "s3-public-access-blocked": ("prod", "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", {"blockPublicPolicy": False}),
    "s3-versioned": ("prod", "aws:s3/bucketVersioning:BucketVersioning", {"versioningConfiguration": {"status": "Suspended"}}),
    "s3-tls-only": ("prod", "aws:s3/bucketPolicy:BucketPolicy", {"policy": json.dumps({"Version": "2012-10-17", "Statement": []})}),
    "no-world-open-ingress": ("prod", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
                              {"cidrIpv4": "0.0.0.0/0", "referencedSecurityGroupId": DROP, "fromPort": 22, "toPort": 22}),
    "web-server-private-in-production": ("prod", "aws:mwaa/environment:Environment", {"webserverAccessMode": "PUBLIC_ONLY"}),
    "customer-key-encryption": ("prod", "aws:cloudwatch/logGroup:LogGroup", {"kmsKeyId": DROP}),
    "log-retention-set": ("prod", "aws:cloudwatch/logGroup:LogGroup", {"retentionInDays": DROP}),
    "stateful-protected-in-production": ("prod", "aws:s3/bucket:Bucket", {"protect": False}),
    "no-secrets-in-container-environment": ("prod-fargate", "aws:ecs/taskDefinition:TaskDefinition", {"environment": [
        {"name": "DATABASE_PASSWORD", "value": "hunter2"}]}),
}


@pytest.fixture(scope="module")
def plan_json(stack_plans):
    plans = {"prod": stack_plans["prod"], "prod-fargate": plan_stack("prod", FARGATE)}
    return {name: json.loads(json.dumps(as_json(plan), default=_asset)) for name, plan in plans.items()}


def crossguard(name: str, resource: dict) -> list[str]:
    """Run the pack's policy `name` on one resource of a production stack with a customer key, as the CLI would."""
    [rail] = [rail for rail in GUARDRAILS if rail.name == name]
    options = PolicyResourceOptions(protect=resource["protect"], ignore_changes=[], delete_before_replace=None, aliases=[],
                                    custom_timeouts=PolicyCustomTimeouts(0, 0, 0), additional_secret_outputs=[])
    args = ResourceValidationArgs(resource["type"], resource["inputs"], resource["urn"], resource["name"], options, None,
                                  config={"production": True, "customerKey": True})
    found: list[str] = []
    policy(rail).validate(args, lambda message, urn=None: found.append(message))
    return found


def unsafe(resource: dict, changes: dict) -> dict:
    if "protect" in changes:
        return {**resource, "protect": changes["protect"]}
    inputs = dict(resource["inputs"])
    if "environment" in changes:  # added to every container's plain environment
        containers = json.loads(inputs["containerDefinitions"])
        inputs["containerDefinitions"] = json.dumps([{**c, "environment": [*c.get("environment", []), *changes["environment"]]}
                                                     for c in containers])
    else:
        for key, value in changes.items():
            inputs.pop(key) if value is DROP else inputs.__setitem__(key, value)
    return {**resource, "inputs": inputs}


def test_every_guardrail_has_a_case():
    assert set(CASES) == {rail.name for rail in GUARDRAILS}


@pytest.mark.parametrize("name", CASES)
def test_the_policy_passes_our_resource_and_refuses_it_made_unsafe(name, plan_json):
    plan, resource_type, changes = CASES[name]
    resources = [r for r in plan_json[plan]["resources"] if r["type"] == resource_type]
    assert resources and all(crossguard(name, r) == [] for r in resources)
    [message] = crossguard(name, unsafe(resources[0], changes))[:1]
    assert message


@pytest.mark.parametrize("stack, changes", [("sandbox", {}), ("test", {}), ("prod", {}), ("prod", FARGATE),
                                            ("sandbox", {"platform": "fargate"})])
def test_the_offline_plan_finds_nothing_in_our_stacks(stack, changes):
    plan = plan_stack(stack, changes)
    assert check(plan, parse(stack, engine_config(stack_config(stack, changes)))) == []


def test_the_offline_plan_judges_production_by_the_stacks_protect_setting():
    plan = plan_stack("sandbox", {"mwaa.webserverAccessMode": "PUBLIC_ONLY", "privateAccess.enabled": False})
    settings = parse("sandbox", engine_config(stack_config("sandbox", {"mwaa.webserverAccessMode": "PUBLIC_ONLY",
                                                                       "privateAccess.enabled": False})))
    assert check(plan, settings) == []
    production = dataclasses.replace(settings, project=settings.project.model_copy(update={"protect": True}))
    assert {f.guardrail for f in check(plan, production)} >= {"web-server-private-in-production",
                                                               "stateful-protected-in-production"}

"""AirflowPlatform: the whole architecture as one component, which existing stacks adopt without replacing anything."""

import json
import re

import pytest

from program import REPOSITORY_ROOT

from tests.harness import DELETE, plan_stack

PLATFORM = "airflow-aws:index:AirflowPlatform"
# The plans tests/fixtures/urns_before_platform.json recorded, before the components had a parent.
VARIANTS = {
    # Sandbox had endpoints then; it goes without them since, and they keep their identity when turned on.
    "sandbox": ("sandbox", {"endpoints.enabled": True}),
    "test": ("test", {}),
    "prod": ("prod", {}),
    "sandbox-fargate": ("sandbox", {"platform": "fargate", "endpoints.enabled": True}),
    "prod-fargate": ("prod", {"platform": "fargate", "mwaa": DELETE}),
    "sandbox-customer-endpoints-role": ("sandbox", {"endpoints.enabled": True, "endpoints.assumeRoleArn": "arn:aws:iam::111111111111:role/vpc-endpoint-creator",
                                                    "mwaa.endpointManagement": "CUSTOMER"}),
    "sandbox-adopted-network": ("sandbox", {"network": {"vpcId": "vpc-0a1b2c3d4e5f60718",
                                                        "subnetIds": ["subnet-0a1b2c3d4e5f60718", "subnet-0a1b2c3d4e5f60719"]},
                                            "endpoints.enabled": True, "endpoints.allowedCidrs": ["10.0.0.0/16"]}),
}
# Resources added after those URNs were recorded: new, so they claim no former URN.
ADDED_SINCE = {
    # The load balancer answers /execution/ with 403 on Fargate (workers reach the api-server directly).
    "sandbox-fargate": ["aws:lb/listenerRule:ListenerRule"],
    "prod-fargate": ["aws:lb/listenerRule:ListenerRule"],
}
FORMER_URNS = json.loads((REPOSITORY_ROOT / "tests" / "fixtures" / "urns_before_platform.json").read_text())


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_resource_keeps_the_identity_it_had_before_the_platform(variant):
    """The engine matches a resource to its state by URN or alias URN: each former URN must be claimed by exactly
    one planned resource, or the engine would replace what it names (a database, a bucket, the environment)."""
    plan = plan_stack(*VARIANTS[variant])
    claims: dict[str, list[str]] = {}
    for registration in plan.registrations:
        for urn in {registration.urn, *registration.alias_urns}:
            claims.setdefault(urn, []).append(registration.urn)
    former = FORMER_URNS[variant]
    assert {urn: claims.get(urn, []) for urn in former if len(claims.get(urn, [])) != 1} == {}
    unclaimed = [r.type for r in plan.registrations if not {r.urn, *r.alias_urns} & set(former)]
    assert sorted(unclaimed) == sorted([PLATFORM, *ADDED_SINCE.get(variant, [])])


def test_the_platform_is_the_parent_of_every_component_and_its_outputs_are_the_stacks():
    plan = plan_stack("sandbox")
    platform = plan.one(PLATFORM)
    components = [r for r in plan.registrations if r.type.startswith("airflow-aws:index:") and r is not platform]
    assert components and {r.parent for r in components} == {platform.urn}
    assert platform.name == "airflow" and plan.outputs["environmentName"] == "airflow-sandbox"


def test_the_outputs_table_lists_exactly_what_the_stacks_export(stack_plans, fargate_plan):
    table = (REPOSITORY_ROOT / "docs" / "using-the-package.md").read_text().split("`platform.outputs`")[1]
    documented = {name for row in table.splitlines() if row.startswith("| `")
                  for name in re.findall(r"`(\w+)`", row.split("|")[1])}
    exported = {name for plan in [*stack_plans.values(), fargate_plan] for name in plan.outputs}
    assert documented == exported

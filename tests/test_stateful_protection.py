"""Production protects every stateful resource of either platform: one inventory of state, checked on both plans.

The inventory is data. A component that adds a resource of a listed type without protection
fails here; a new kind of stateful resource is added to the inventory (airflow_aws.guardrails, which the
policy pack shares) with it.
"""

import pytest

from airflow_aws.guardrails import STATEFUL_TYPES
from tests.harness import plan_stack

# Versions that follow an endpoint (database, broker): a new endpoint writes a new version, so they stay replaceable.
REPLACEABLE = {("aws:secretsmanager/secretVersion:SecretVersion", name)
               for name in ("fargate-database-url", "fargate-result-backend", "fargate-broker-url")}
# What both platforms have: the inventory cannot pass by finding nothing.
ON_BOTH = {"aws:s3/bucket:Bucket", "aws:kms/key:Key", "aws:cloudwatch/logGroup:LogGroup", "aws:ec2/eip:Eip",
           "aws:acm/certificate:Certificate", "aws:sns/topic:Topic"}


def stateful(plan) -> list:
    return [r for r in plan.registrations if r.type in STATEFUL_TYPES and (r.type, r.name) not in REPLACEABLE]


FARGATE = {"platform": "fargate", "fargate.flower": True, "fargate.kmsKey": "create"}


@pytest.mark.parametrize("changes", [{}, FARGATE], ids=["mwaa", "fargate"])
def test_production_protects_every_stateful_resource(changes, stack_plans):
    plan = plan_stack("prod", changes) if changes else stack_plans["prod"]
    found = stateful(plan)
    assert [(r.type, r.name) for r in found if not r.protect] == []
    # Nothing else: protection would block routine replacements (task definitions, URL secret versions).
    assert [(r.type, r.name) for r in plan.registrations if r.protect and r not in found] == []
    assert {r.type for r in found} >= ON_BOTH

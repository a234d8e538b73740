"""Production protects every stateful resource of either platform: one inventory of state, checked on both plans.

The inventory is data. A component that adds a resource of a listed type without protection
fails here; a new kind of stateful resource is added to the inventory with it.
"""

import pytest

from tests.harness import plan_stack

# Types whose resources hold data, keys or identities that a replacement or `pulumi destroy` loses.
STATEFUL_TYPES = {
    "aws:s3/bucket:Bucket": "DAGs, requirements, task and access logs",
    "aws:s3/bucketV2:BucketV2": "as Bucket",
    "aws:kms/key:Key": "everything it encrypted becomes unreadable",
    "aws:cloudwatch/logGroup:LogGroup": "process, task and sign-in logs",
    "aws:mwaa/environment:Environment": "MWAA's metadata database: runs, connections, variables",
    "aws:rds/cluster:Cluster": "the metadata database",
    "aws:rds/clusterInstance:ClusterInstance": "the metadata database's instances",
    "aws:rds/instance:Instance": "a database",
    "aws:elasticache/replicationGroup:ReplicationGroup": "the queued Celery tasks",
    "aws:elasticache/cluster:Cluster": "a cache",
    "aws:secretsmanager/secret:Secret": "connection URLs, keys and passwords the tasks read",
    "aws:secretsmanager/secretVersion:SecretVersion": "a secret's value",
    "random:index/randomPassword:RandomPassword": "a password that lives only in the state",
    "random:index/randomBytes:RandomBytes": "a key that lives only in the state (Fernet, JWT)",
    "aws:acm/certificate:Certificate": "HTTPS is down until a new one is issued and validated",
    "aws:ec2/eip:Eip": "the NAT's public address, which other parties allow-list",
    "aws:sns/topic:Topic": "the alarm subscriptions, made outside the stack",
    "aws:efs/fileSystem:FileSystem": "files",
    "aws:dynamodb/table:Table": "items",
    "aws:ecr/repository:Repository": "images",
}
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

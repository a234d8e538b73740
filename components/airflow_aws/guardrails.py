"""The platform's guardrails as plain checks of one planned resource (type, inputs, protection).

The CrossGuard policy pack in policy/ runs them on any stack (`pulumi preview --policy-pack policy`), and the
offline plan (`python -m program.plan`) runs the same checks on its own plan, so a pull request shows their
findings without the CLI. They read resource inputs as the engine holds them (camelCase, JSON documents as
strings); an input still unknown at preview is not judged.
"""

import dataclasses
import json
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

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
# A secret's version may follow an endpoint (a new database writes a new URL), so it must stay replaceable: the
# secret itself is protected.
PROTECTION_EXEMPT = {"aws:secretsmanager/secretVersion:SecretVersion"}
# Ports a public listener serves; anything else open to the internet is an exposed service.
LISTENER_PORTS = (80, 443)
WORLD = ("0.0.0.0/0", "::/0")
# Environment variable names whose values are credentials, and URLs that carry a password.
SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|PRIVATE_KEY|ACCESS_KEY|FERNET_KEY|SQL_ALCHEMY_CONN|BROKER_URL|"
                         r"RESULT_BACKEND", re.I)
URL_WITH_PASSWORD = re.compile(r"://[^/@\s:]+:[^/@\s]+@")


@dataclass(frozen=True)
class Context:
    """What a check knows besides the resource: the pack's configuration (see policy/PulumiPolicy.yaml)."""

    protect: bool = False
    """The resource has `protect` set."""
    production: bool = False
    """The stack is a production stack. Default: false."""
    customer_key: bool = False
    """The stack encrypts at rest with a customer managed KMS key. Default: false."""
    resource_type: str = ""
    """The resource's type token (set by Guardrail.findings)."""


@dataclass(frozen=True)
class Guardrail:
    """One policy: a name, what it enforces, the resource types it reads, and the check."""

    name: str
    description: str
    types: tuple[str, ...]
    check: Callable[[Mapping[str, Any], Context], Iterable[str]]

    def findings(self, resource_type: str, props: Mapping[str, Any], context: Context) -> list[str]:
        if resource_type not in self.types:
            return []
        return list(self.check(props, dataclasses.replace(context, resource_type=resource_type)))


def _document(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _public_access_blocked(props, _context):
    flags = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
    off = [flag for flag in flags if props.get(flag) is not True]
    if off:
        yield f"the bucket's public access block leaves {', '.join(off)} off; set all four to true"


def _versioned(props, _context):
    status = (props.get("versioningConfiguration") or {}).get("status")
    if status != "Enabled":
        yield f"bucket versioning is {status or 'unset'}; set versioningConfiguration.status to Enabled"


def _tls_only(props, _context):
    if "policy" not in props:
        return
    statements = _document(props["policy"]).get("Statement", [])
    refuses_plain = any(s.get("Effect") == "Deny" and
                        str((s.get("Condition") or {}).get("Bool", {}).get("aws:SecureTransport")).lower() == "false"
                        for s in (statements if isinstance(statements, list) else [statements]))
    if not refuses_plain:
        yield "the bucket policy does not deny requests without TLS (Deny when aws:SecureTransport is false)"


def _open_ports(rules: Iterable[Mapping[str, Any]]):
    for rule in rules:
        cidrs = [rule.get("cidrIpv4"), rule.get("cidrIpv6"), *(rule.get("cidrBlocks") or []),
                 *(rule.get("ipv6CidrBlocks") or [])]
        if not any(cidr in WORLD for cidr in cidrs):
            continue
        ports = (rule.get("fromPort"), rule.get("toPort"))
        if not (ports[0] == ports[1] and ports[0] in LISTENER_PORTS and rule.get("ipProtocol", rule.get("protocol")) == "tcp"):
            yield f"ingress from the whole internet on ports {ports[0]}-{ports[1]}; only a public listener (80, 443) may be open to the world"


def _no_world_ingress(props, _context):
    if "ingress" in props:  # a security group with inline rules
        yield from _open_ports(props.get("ingress") or [])
    elif props.get("type", "ingress") == "ingress":  # a rule resource
        yield from _open_ports([props])


def _private_web_server(props, context):
    if not context.production:
        return
    if "webserverAccessMode" in props and props["webserverAccessMode"] != "PRIVATE_ONLY":
        yield f"the MWAA web server is {props['webserverAccessMode']} in production; use PRIVATE_ONLY behind the sign-in load balancer"
    if props.get("loadBalancerType", "application") == "application" and props.get("internal") is False:
        yield "the load balancer is internet-facing in production; make it internal"


# S3 default encryption is not judged: load balancer access-log buckets accept only SSE-S3, and one resource's
# inputs do not show which bucket receives access logs.
KEY_INPUT = {
    "aws:cloudwatch/logGroup:LogGroup": "kmsKeyId",
    "aws:mwaa/environment:Environment": "kmsKey",
    "aws:sns/topic:Topic": "kmsMasterKeyId",
    "aws:rds/cluster:Cluster": "kmsKeyId",
    "aws:elasticache/replicationGroup:ReplicationGroup": "kmsKeyId",
}


def _customer_key(props, context):
    if context.customer_key and not props.get(KEY_INPUT[context.resource_type]):
        yield f"{KEY_INPUT[context.resource_type]} is unset: the stack encrypts with a customer managed key, this does not"


def _retention(props, _context):
    days = props.get("retentionInDays")
    if not days:
        yield "the log group keeps logs forever; set retentionInDays"


def _protected(props, context):
    if context.production and not context.protect:
        yield "a stateful resource is not protected in production; set protect (and retain on delete)"


def _no_plain_secrets(props, _context):
    if "containerDefinitions" not in props:
        return
    for container in _document(props["containerDefinitions"]):
        for variable in container.get("environment") or []:
            name, value = variable.get("name", ""), str(variable.get("value", ""))
            if SECRET_NAME.search(name) or URL_WITH_PASSWORD.search(value):
                yield (f"container {container.get('name')} has {name} in its plain environment; pass it as a secret "
                       "(`secrets` with a Secrets Manager or SSM ARN)")


GUARDRAILS = (
    Guardrail("s3-public-access-blocked", "Every bucket's public access block turns on all four protections.",
              ("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",), _public_access_blocked),
    Guardrail("s3-versioned", "Buckets are versioned (MWAA needs object versions; deletions stay recoverable).",
              ("aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"), _versioned),
    Guardrail("s3-tls-only", "Bucket policies deny every request without TLS.",
              ("aws:s3/bucketPolicy:BucketPolicy",), _tls_only),
    Guardrail("no-world-open-ingress", "No security group admits the whole internet except on a public listener's port.",
              ("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:ec2/securityGroup:SecurityGroup",
               "aws:ec2/securityGroupRule:SecurityGroupRule"), _no_world_ingress),
    Guardrail("web-server-private-in-production", "In production the web server is private and load balancers internal.",
              ("aws:mwaa/environment:Environment", "aws:lb/loadBalancer:LoadBalancer"), _private_web_server),
    Guardrail("customer-key-encryption", "Where the stack uses a customer managed key, data at rest is encrypted with it.",
              tuple(KEY_INPUT), _customer_key),
    Guardrail("log-retention-set", "Log groups expire their logs.", ("aws:cloudwatch/logGroup:LogGroup",), _retention),
    Guardrail("stateful-protected-in-production", "In production every stateful resource is protected from deletion.",
              tuple(sorted(set(STATEFUL_TYPES) - PROTECTION_EXEMPT)), _protected),
    Guardrail("no-secrets-in-container-environment", "Credentials reach containers as secrets, never as plain environment.",
              ("aws:ecs/taskDefinition:TaskDefinition",), _no_plain_secrets),
)


def findings(resource_type: str, props: Mapping[str, Any], context: Context) -> list[tuple[str, str]]:
    """(guardrail name, message) for each guardrail the resource breaks."""
    return [(rail.name, message) for rail in GUARDRAILS for message in rail.findings(resource_type, props, context)]

"""Inputs that are literal API payloads (JSON documents), validated as the payloads AWS receives.

PAYLOADS maps a Pulumi type token to {input name: check}; each check takes the input's value as
registered (usually a JSON string) and returns the problems, with paths inside the document.
"""

from typing import Any, Callable

from . import policy_documents as policies
from .container_definitions import check_container_definitions
from .dashboard_body import check_dashboard_body
from .documents import guarded, json_text
from .listener_rules import check_actions, check_conditions
from .problems import Problem
from .scheduler_target import check_target

_PAYLOADS: dict[str, dict[str, Callable[[Any], list[Problem]]]] = {
    "aws:cloudwatch/dashboard:Dashboard": {"dashboardBody": check_dashboard_body},
    "aws:ec2/vpcEndpoint:VpcEndpoint": {"policy": policies.endpoint_policy},
    "aws:ecs/taskDefinition:TaskDefinition": {"containerDefinitions": check_container_definitions},
    "aws:iam/role:Role": {"assumeRolePolicy": policies.trust_policy},
    "aws:iam/rolePolicy:RolePolicy": {"policy": policies.inline_identity_policy},
    "aws:iam/policy:Policy": {"policy": policies.identity_policy},
    "aws:lambda/invocation:Invocation": {"input": json_text},
    "aws:lb/listener:Listener": {"defaultActions": check_actions},
    "aws:lb/listenerRule:ListenerRule": {"actions": check_actions, "conditions": check_conditions},
    "aws:scheduler/schedule:Schedule": {"target": check_target},
    "aws:kms/key:Key": {"policy": policies.key_policy},
    "aws:s3/bucketPolicy:BucketPolicy": {"policy": policies.bucket_policy},
    "aws:sns/topic:Topic": {"policy": policies.topic_policy},
}
PAYLOADS: dict[str, dict[str, Callable[[Any], list[Problem]]]] = {
    type_token: {name: guarded(check) for name, check in checks.items()} for type_token, checks in _PAYLOADS.items()}

"""IAM policy documents as AWS validates them: identity policies, role trust policies and resource policies.

The grammar (IAM JSON policy element reference,
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html and
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html) is checked here for
every kind; identity policies also go through parliament (duo-labs), which knows every service's actions,
their resource types and condition keys.

How its findings map to errors and what is ignored: see parliament_findings.
"""

import json
import re
from enum import Enum
from typing import Any

from .documents import as_list, join, parse, unknown_keys
from .parliament_findings import statement_errors
from .problems import Problem


class PolicyKind(Enum):
    """Where a policy is attached decides which elements it needs and which it may not have."""

    IDENTITY = "an identity policy"  # attached to a role or a managed policy: no Principal, needs Resource
    TRUST = "a role trust policy"  # a role's assumeRolePolicy: needs Principal, may not have Resource
    RESOURCE = "a resource policy"  # key, bucket, topic policy: needs Principal and Resource


# Documented size quotas (characters; IAM does not count white space):
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html (managed policy 6,144;
# role trust policy 2,048 by default, raisable to 4,096; inline policies of one role 10,240 together),
# https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html (32 KB),
# https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html (20 KB).
MANAGED_POLICY_MAX = 6144
TRUST_POLICY_MAX = 2048
INLINE_POLICY_MAX = 10240
KEY_POLICY_MAX = 32768
BUCKET_POLICY_MAX = 20480

_TOP_KEYS = ("Version", "Id", "Statement")
_STATEMENT_KEYS = ("Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource",
                   "Condition")
_PRINCIPAL_KEYS = ("AWS", "Service", "Federated", "CanonicalUser")
# Service prefixes and action names are case-insensitive to IAM.
_ACTION = re.compile(r"\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+")
# arn:partition:service:region:account:resource; region and account may be empty, any part may use wildcards.
_ARN = re.compile(r"arn:(aws[a-z-]*|\*|\$\{[^}]+\}):[^:]+:[^:]*:[^:]*:.+")
_ACCOUNT = re.compile(r"\d{12}")
# CloudFront origin access identities are IAM users of the account "cloudfront".
_IAM_PRINCIPAL = re.compile(r"arn:aws[a-z-]*:(iam|sts)::(\d{12}|cloudfront):.+")
_SERVICE_PRINCIPAL = re.compile(r"[a-z0-9.-]+\.amazonaws\.com(\.cn)?")
_SID = re.compile(r"[0-9A-Za-z]*")
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
_OPERATORS = {
    "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike",
    "StringNotLike", "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals",
    "NumericGreaterThan", "NumericGreaterThanEquals", "DateEquals", "DateNotEquals", "DateLessThan",
    "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals", "Bool", "BinaryEquals", "IpAddress",
    "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Null",
}


def check_policy(value: Any, kind: PolicyKind, max_chars: int) -> list[Problem]:
    """Every problem of a policy document of `kind` (JSON text) that IAM or the owning service would refuse."""
    document, problems = parse(value)
    if problems:
        return problems
    if not isinstance(document, dict):
        return [Problem("", document, f"must be a JSON object ({kind.value})")]
    problems += unknown_keys(document, _TOP_KEYS, "", kind.value)
    if document.get("Version") != "2012-10-17":
        problems.append(Problem("Version", document.get("Version"),
                                "must be 2012-10-17 (without it IAM reads the policy as 2008-10-17, with no policy variables)"))
    size = len(re.sub(r"\s", "", value)) if isinstance(value, str) else len(json.dumps(document, separators=(",", ":")))
    if size > max_chars:
        problems.append(Problem("", f"{size} characters", f"{kind.value[0].upper()}{kind.value[1:]} may have at most {max_chars} characters "
                                                          "(white space not counted)"))
    statements = document.get("Statement")
    if not statements:
        problems.append(Problem("Statement", statements, "is required: one statement object or a list of them"))
        return problems
    sids: set[str] = set()
    for index, statement in enumerate(as_list(statements)):
        path = f"Statement[{index}]" if isinstance(statements, list) else "Statement"
        problems += _statement(statement, kind, path, sids)
    if kind is PolicyKind.IDENTITY and not problems:
        problems += _parliament(as_list(statements), isinstance(statements, list))
    return problems


def _statement(statement: Any, kind: PolicyKind, path: str, sids: set[str]) -> list[Problem]:
    if not isinstance(statement, dict):
        return [Problem(path, statement, "must be a statement object")]
    problems = unknown_keys(statement, _STATEMENT_KEYS, path, "a policy statement")
    if statement.get("Effect") not in ("Allow", "Deny"):
        problems.append(Problem(join(path, "Effect"), statement.get("Effect"), "must be exactly Allow or Deny"))
    sid = statement.get("Sid")
    if sid is not None:
        # IAM allows only letters and digits in a Sid; services that own resource policies accept more.
        if kind is not PolicyKind.RESOURCE and not (isinstance(sid, str) and _SID.fullmatch(sid)):
            problems.append(Problem(join(path, "Sid"), sid, "may hold only letters and digits in an IAM policy"))
        if sid in sids:
            problems.append(Problem(join(path, "Sid"), sid, "must be unique within the policy"))
        sids.add(sid)
    problems += _one_of(statement, "Action", "NotAction", path, required=True)
    for key in ("Action", "NotAction"):
        for i, action in enumerate(as_list(statement.get(key, []))):
            if not (isinstance(action, str) and _ACTION.fullmatch(action)):
                problems.append(Problem(_item(path, key, statement, i), action,
                                        "must be `*` or service:Action (wildcards allowed)"))
    needs_resource = kind is not PolicyKind.TRUST
    problems += _one_of(statement, "Resource", "NotResource", path, required=needs_resource, allowed=needs_resource,
                        why=kind.value)
    for key in ("Resource", "NotResource"):
        for i, resource in enumerate(as_list(statement.get(key, [])) if needs_resource else []):
            if not (isinstance(resource, str) and (resource == "*" or _ARN.fullmatch(resource))):
                problems.append(Problem(_item(path, key, statement, i), resource,
                                        "must be `*` or an ARN arn:partition:service:region:account:resource"))
    needs_principal = kind is not PolicyKind.IDENTITY
    problems += _one_of(statement, "Principal", "NotPrincipal", path, required=needs_principal,
                        allowed=needs_principal, why=kind.value)
    for key in ("Principal", "NotPrincipal"):
        if needs_principal and key in statement:
            problems += _principal(statement[key], join(path, key))
    if "Condition" in statement:
        problems += _condition(statement["Condition"], join(path, "Condition"))
    return problems


def _item(path: str, key: str, statement: dict[str, Any], index: int) -> str:
    return join(path, key) + (f"[{index}]" if isinstance(statement.get(key), list) else "")


def _one_of(statement: dict[str, Any], key: str, negated: str, path: str, *, required: bool, allowed: bool = True,
            why: str = "") -> list[Problem]:
    present = [k for k in (key, negated) if k in statement]
    if not allowed and present:
        return [Problem(join(path, k), statement[k], f"is not allowed in {why}") for k in present]
    if len(present) > 1:
        return [Problem(join(path, negated), statement[negated], f"a statement has {key} or {negated}, not both")]
    if required and not present:
        return [Problem(join(path, key), None, f"is required ({key} or {negated}){' in ' + why if why else ''}")]
    return []


def _principal(principal: Any, path: str) -> list[Problem]:
    if principal == "*":
        return []
    if not isinstance(principal, dict) or not principal:
        return [Problem(path, principal, "must be `*` or an object of AWS, Service, Federated or CanonicalUser")]
    problems = unknown_keys(principal, _PRINCIPAL_KEYS, path, "a Principal")
    for i, arn in enumerate(as_list(principal.get("AWS", []))):
        if not (arn == "*" or (isinstance(arn, str) and (_ACCOUNT.fullmatch(arn) or _IAM_PRINCIPAL.fullmatch(arn)))):
            problems.append(Problem(_item(path, "AWS", principal, i), arn,
                                    "must be `*`, an account ID or an IAM user, role or assumed-role ARN"))
    for i, service in enumerate(as_list(principal.get("Service", []))):
        if not (isinstance(service, str) and _SERVICE_PRINCIPAL.fullmatch(service)):
            problems.append(Problem(_item(path, "Service", principal, i), service,
                                    "must be a service principal such as lambda.amazonaws.com"))
    return problems


def _condition(condition: Any, path: str) -> list[Problem]:
    if not isinstance(condition, dict):
        return [Problem(path, condition, "must be an object of condition operators")]
    problems = []
    for operator, tests in condition.items():
        base = re.sub(r"^(ForAnyValue|ForAllValues):", "", operator)
        base = base[:-len("IfExists")] if base.endswith("IfExists") and base != "Null" else base
        if base not in _OPERATORS:
            problems.append(Problem(join(path, operator), tests, "is not an IAM condition operator"))
        elif not isinstance(tests, dict) or not tests:
            problems.append(Problem(join(path, operator), tests, "must map condition keys to values"))
    return problems


def _parliament(statements: list[Any], listed: bool) -> list[Problem]:
    problems = []
    for index, statement in enumerate(statements):
        path = f"Statement[{index}]" if listed else "Statement"
        problems += [Problem(path, statement, error) for error in statement_errors(statement)]
    return problems


def identity_policy(value: Any) -> list[Problem]:
    return check_policy(value, PolicyKind.IDENTITY, MANAGED_POLICY_MAX)


def inline_identity_policy(value: Any) -> list[Problem]:
    return check_policy(value, PolicyKind.IDENTITY, INLINE_POLICY_MAX)


def trust_policy(value: Any) -> list[Problem]:
    return check_policy(value, PolicyKind.TRUST, TRUST_POLICY_MAX)


def key_policy(value: Any) -> list[Problem]:
    return check_policy(value, PolicyKind.RESOURCE, KEY_POLICY_MAX)


def bucket_policy(value: Any) -> list[Problem]:
    return check_policy(value, PolicyKind.RESOURCE, BUCKET_POLICY_MAX)


# https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html: an endpoint policy has at most
# 20,480 characters (white space included; counted here without it, so slightly more lenient).
ENDPOINT_POLICY_MAX = 20480


def endpoint_policy(value: Any) -> list[Problem]:
    return check_policy(value, PolicyKind.RESOURCE, ENDPOINT_POLICY_MAX)


# https://docs.aws.amazon.com/sns/latest/api/API_SetTopicAttributes.html: a topic policy has at most 30 KB.
TOPIC_POLICY_MAX = 30720


def topic_policy(value: Any) -> list[Problem]:
    return check_policy(value, PolicyKind.RESOURCE, TOPIC_POLICY_MAX)

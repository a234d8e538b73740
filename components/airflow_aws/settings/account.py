"""The `aws:` provider keys: the Region and the account a stack is pinned to (and an optional deploying role).

The Regions come from botocore's endpoint data and the provider keys from pulumi_aws's own config module, so
neither list is typed by hand and both follow the installed versions.
"""

from __future__ import annotations

import ast
import importlib.util
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Optional

import botocore.loaders

from .base import ACCOUNT_ID, ROLE_ARN, decode, did_you_mean
from .errors import SettingError

AWS = "aws"


@dataclass(frozen=True)
class Account:
    """The AWS account and Region a stack is pinned to (`aws:` provider keys)."""

    region: str
    allowed_account_ids: tuple[str, ...]
    assume_role_arn: Optional[str]

    @property
    def account_id(self) -> str:
        return self.allowed_account_ids[0]

    @property
    def partition(self) -> str:
        return region_partitions()[self.region]


@cache
def region_partitions() -> dict[str, str]:
    """Every AWS Region botocore knows, with its partition (aws, aws-cn, aws-us-gov, ...)."""
    endpoints = botocore.loaders.create_loader().load_data("endpoints")
    return {region: partition["partition"] for partition in endpoints["partitions"] for region in partition["regions"]}


@cache
def provider_keys() -> frozenset[str]:
    """The keys the AWS provider reads under `aws:`, as pulumi_aws's config module declares them."""
    spec = importlib.util.find_spec("pulumi_aws.config.vars")
    assert spec is not None and spec.origin is not None
    tree = ast.parse(Path(spec.origin).read_text())
    # Each property of the module reads one key: `__config__.get('region')` (or get_bool, get_int, ...).
    return frozenset(node.args[0].value for node in ast.walk(tree)
                     if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                     and isinstance(node.func.value, ast.Name) and node.func.value.id == "__config__"
                     and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str))


def unknown_provider_keys(config: dict[str, str]) -> list[SettingError]:
    """A misspelt `aws:` key is silently ignored by the provider (aws:regoin leaves the Region unset)."""
    errors = []
    known = provider_keys()
    for full_key, text in config.items():
        namespace, _, key = full_key.partition(":")
        if namespace == AWS and key not in known:
            errors.append(SettingError(full_key, text, f"is not a key of the AWS provider{did_you_mean(key, known)}, "
                                       "so the provider would ignore it", "fix the spelling, or remove it"))
    return errors


def read_account(stack: str, config: dict[str, str]) -> tuple[Optional[Account], list[SettingError]]:
    errors: list[SettingError] = []
    region = config.get("aws:region")
    if region not in region_partitions():
        errors.append(SettingError("aws:region", region or "(missing)",
                                   f"is not an AWS Region{did_you_mean(region or '', region_partitions())}",
                                   f"pulumi config set aws:region eu-west-1 --stack {stack} (or another Region)"))
    raw_ids = config.get("aws:allowedAccountIds")
    ids = decode(raw_ids) if raw_ids else None
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) and ACCOUNT_ID.match(i) for i in ids):
        errors.append(SettingError("aws:allowedAccountIds", raw_ids or "(missing)",
                                   "must pin the stack to its AWS account (a list of 12-digit account IDs as strings)",
                                   f"add `aws:allowedAccountIds: [\"123456789012\"]` to Pulumi.{stack}.yaml"))
        ids = None
    role_arn = None
    raw_roles = config.get("aws:assumeRoles")
    if raw_roles:
        roles = decode(raw_roles)
        role_arn = roles[0].get("roleArn") if isinstance(roles, list) and roles and isinstance(roles[0], dict) else None
        match = ROLE_ARN.match(role_arn if isinstance(role_arn, str) else "")
        if not match:
            errors.append(SettingError("aws:assumeRoles", raw_roles, "must be a list with one {roleArn: ...} entry",
                                       "write aws:assumeRoles: [{roleArn: arn:aws:iam::123456789012:role/deployer}]"))
        elif ids and match.group(1) not in ids:
            errors.append(SettingError("aws:assumeRoles", role_arn,
                                       f"assumes a role in account {match.group(1)}, not in aws:allowedAccountIds {ids}",
                                       "use the deployment role of this stack's own account"))
    if errors or region is None or ids is None:
        return None, errors
    return Account(region=region, allowed_account_ids=tuple(ids), assume_role_arn=role_arn), []

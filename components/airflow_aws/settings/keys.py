"""Encryption key settings (`mwaa.kmsKey`, `fargate.kmsKey`): the service's own key, one created here, or an
existing KMS key of the stack's account and Region in a form every service that uses it accepts."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Optional

from pydantic import AfterValidator

from .base import Arn, invalid, parse_arn, placement_problem
from .errors import SettingError

if TYPE_CHECKING:
    from .account import Account

KEY_ID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
MULTI_REGION_KEY_ID = r"mrk-[0-9a-f]{32}"
ALIAS = r"alias/[A-Za-z0-9/_-]{1,250}"
OTHER_ACCOUNT = ("AWS would accept another account's key whose key policy grants this account, but this program "
                 "grants its roles and log groups only keys of the stack's own account")


def _key_arn(value: str) -> Optional[Arn]:
    return parse_arn(value, "kms", rf"key/({KEY_ID}|{MULTI_REGION_KEY_ID})")


def _alias_arn(value: str) -> Optional[Arn]:
    return parse_arn(value, "kms", ALIAS)


def _multi_region(value: str) -> bool:
    return re.search(rf"(^|key/){MULTI_REGION_KEY_ID}$", value) is not None


def encryption_key(default: str, *, service: str, aliases: bool) -> AfterValidator:
    """A key setting: `default` (the service's own key), `create`, or an existing key.

    MWAA (`aliases`) takes a key ID, key ARN or alias ARN, but no multi-Region key (its API pattern has no `mrk-`).
    Fargate's key also encrypts CloudWatch log groups, which take only a key ARN: there a key ID (made into the
    ARN of the stack's account and Region) or key ARN, multi-Region keys included.
    """
    forms = "a key ID, a key ARN or an alias ARN" if aliases else "a key ID or a key ARN"
    example = "arn:aws:kms:REGION:ACCOUNT:key/KEY-ID" + (" or arn:aws:kms:REGION:ACCOUNT:alias/NAME" if aliases else "")

    def check(value: str) -> str:
        if value in (default, "create"):
            return value
        if aliases and _multi_region(value):
            raise invalid(f"is a multi-Region key (mrk-...), which {service} does not accept: its API takes {forms} of "
                          "a single-Region key", f"use a single-Region key, {default}, or create (a key made here)")
        if re.fullmatch(KEY_ID, value) or re.fullmatch(MULTI_REGION_KEY_ID, value) or _key_arn(value):
            return value
        if _alias_arn(value):
            if aliases:
                return value
            raise invalid(f"is an alias ARN, but the {service} log groups this key encrypts take only a key ARN "
                          "(CloudWatch Logs does not resolve aliases)", "use the ARN of the key the alias points to")
        raise invalid(f"is neither `{default}`, `create` nor {forms}", f"use {default}, create, or {example}")

    return AfterValidator(check)


def key_placement_errors(key: str, value: str, account: Account, *, service: str) -> list[SettingError]:
    """A key ARN or alias ARN must be of the stack's Region (KMS keys are regional) and its pinned account."""
    arn = _key_arn(value) or _alias_arn(value)
    problem = arn and placement_problem(arn, account.region, account.partition, account.account_id,
                                        what=f"KMS key for {service}", other_account=OTHER_ACCOUNT)
    return [SettingError(key, value, *problem)] if problem else []


def key_arn(value: str, account: Account) -> str:
    """A bare key ID as the ARN of that key in the stack's account and Region (what the components take)."""
    if re.fullmatch(KEY_ID, value) or re.fullmatch(MULTI_REGION_KEY_ID, value):
        return f"arn:{account.partition}:kms:{account.region}:{account.account_id}:key/{value}"
    return value

"""The stack files on disk, turned into what the Pulumi engine would hand the program."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from airflow_aws.settings import PROJECT, Settings, parse

from . import REPOSITORY_ROOT
from .offline import FakeAws, Subnet

STACKS = ("sandbox", "test", "prod")


def stack_file(stack: str) -> Path:
    return REPOSITORY_ROOT / f"Pulumi.{stack}.yaml"


def engine_config(values: dict[str, Any]) -> dict[str, str]:
    """Config as the CLI passes it: every value a string, structured values as JSON."""
    return {key: value if isinstance(value, str) else json.dumps(value) for key, value in values.items()}


def stack_values(stack: str) -> dict[str, Any]:
    path = stack_file(stack)
    if not path.is_file():
        known = ", ".join(STACKS)
        raise SystemExit(f"no stack file {path.name}: known stacks are {known}")
    return (yaml.safe_load(path.read_text()) or {}).get("config", {})


def stack_settings(stack: str) -> Settings:
    """The stack file's settings, validated as the program validates them; raises InvalidSettings."""
    return parse(stack, engine_config(stack_values(stack)), REPOSITORY_ROOT)


def fake_world(values: dict[str, Any]) -> FakeAws:
    """An account that answers lookups the way a well-set-up account for this stack would."""
    ids = values.get("aws:allowedAccountIds") or ["111111111111"]
    account = str(ids[0]) if isinstance(ids, list) and ids else "111111111111"
    region = values.get("aws:region") or "eu-west-1"
    network = values.get(f"{PROJECT}:network") or {}
    world = FakeAws(account_id=account, region=region if isinstance(region, str) else "eu-west-1")
    if isinstance(network, dict) and network.get("vpcId") and isinstance(network.get("subnetIds"), list):
        for index, subnet_id in enumerate(network["subnetIds"]):
            world.subnets[str(subnet_id)] = Subnet(vpc_id=network["vpcId"], availability_zone=f"{world.region}{'abc'[index % 3]}",
                                                   owner_id=account, cidr_block=f"10.0.{index}.0/24")
    return world

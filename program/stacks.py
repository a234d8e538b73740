"""The stack files on disk, turned into what the Pulumi engine would hand the program."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from airflow_aws.settings import PROJECT, Settings, engine_config, parse, stack_file_values

from . import REPOSITORY_ROOT
from .offline import FakeAws, Subnet

STACKS = ("sandbox", "test", "prod")
__all__ = ["STACKS", "engine_config", "fake_world", "stack_file", "stack_settings", "stack_values"]


def stack_file(stack: str) -> Path:
    return REPOSITORY_ROOT / f"Pulumi.{stack}.yaml"


def stack_values(stack: str) -> dict[str, Any]:
    """This repository's stack file, as written."""
    path = stack_file(stack)
    if not path.is_file():
        raise SystemExit(f"no stack file {path.name}: known stacks are {', '.join(STACKS)}")
    return stack_file_values(path)


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

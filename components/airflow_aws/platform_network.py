"""The network a stack's Airflow runs in: created by VpcNetwork, or an existing one checked by lookups (adopt first)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

import pulumi
import pulumi_aws as aws

from airflow_aws import NatGateways, VpcNetwork

from .settings import PROJECT, InvalidSettings, SettingError, Settings, subnet_plan


@dataclass(frozen=True)
class NetworkRefs:
    """What components need to know of the network."""

    vpc_id: pulumi.Input[str]
    vpc_cidr: pulumi.Input[str]
    subnet_ids: pulumi.Input[list[str]]
    route_table_ids: pulumi.Input[list[str]]
    has_nat: bool
    # IDs of what gives the subnets their way out, for whatever must start after it; an adopted network has it already.
    ready_ids: pulumi.Input[Sequence[str]] = ()


def create(settings: Settings, opts: Optional[pulumi.ResourceOptions] = None) -> NetworkRefs:
    """A VpcNetwork made with `opts`, for a stack without network.vpcId."""
    network = settings.project.network
    private, public = subnet_plan(network)
    vpc = VpcNetwork("network", {
        "cidr": network.cidr, "private_subnet_cidrs": private, "public_subnet_cidrs": public,
        "nat_gateways": NatGateways(network.nat_gateways), "name": settings.project.environment_name,
        "protect_stateful_resources": settings.project.protect, "tags": settings.project.tags,
    }, opts=opts)
    return NetworkRefs(vpc.vpc_id, vpc.vpc_cidr, vpc.private_subnet_ids, vpc.private_route_table_ids,
                       has_nat=network.nat_gateways != "none", ready_ids=vpc.ready_ids)


def adopt(settings: Settings) -> NetworkRefs:
    """Look the subnets up and refuse, before anything is registered, what MWAA would fail on later."""
    network, account = settings.project.network, settings.account
    key = f"{PROJECT}:network.subnetIds"
    errors: list[SettingError] = []
    zones: dict[str, str] = {}
    tables: list[str] = []
    has_nat = True
    for subnet_id in network.subnet_ids or []:
        try:
            subnet = aws.ec2.get_subnet(id=subnet_id)
            table = aws.ec2.get_route_table(subnet_id=subnet_id)
        except Exception as error:  # the provider's lookup failure, whatever its type
            errors.append(SettingError(key, subnet_id, f"could not be looked up ({error})",
                                       f"check the subnet exists in {account.region} of account {account.account_id}"))
            continue
        if subnet.vpc_id != network.vpc_id:
            errors.append(SettingError(key, subnet_id, f"belongs to {subnet.vpc_id}, not to network.vpcId {network.vpc_id}",
                                       "list subnets of the VPC named in network.vpcId"))
        if subnet.owner_id != account.account_id:
            errors.append(SettingError(key, subnet_id, f"is shared from account {subnet.owner_id}; MWAA does not "
                                       "support shared subnets", "use subnets owned by this stack's account"))
        if subnet.availability_zone in zones.values():
            other = next(s for s, z in zones.items() if z == subnet.availability_zone)
            errors.append(SettingError(key, subnet_id, f"is in {subnet.availability_zone} like {other}",
                                       "choose two subnets in two different Availability Zones"))
        if any((route.gateway_id or "").startswith("igw-") for route in table.routes):
            errors.append(SettingError(key, subnet_id, "routes to an internet gateway: it is a public subnet",
                                       "use private subnets (egress through NAT or VPC endpoints only)"))
        has_nat = has_nat and any(route.nat_gateway_id for route in table.routes)
        zones[subnet_id] = subnet.availability_zone
        tables.append(table.route_table_id)
    if errors:
        raise InvalidSettings(settings.stack, errors)
    vpc = aws.ec2.get_vpc(id=network.vpc_id)
    return NetworkRefs(vpc.id, vpc.cidr_block, list(network.subnet_ids or []), tables, has_nat=has_nat)

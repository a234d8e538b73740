"""Network settings: a VPC this stack creates, or an existing VPC and subnets (and MWAA's extra egress)."""

from __future__ import annotations

import ipaddress
import re
from typing import TYPE_CHECKING, Any, Optional

from airflow_aws.aws_choices import EgressProtocol, NatGateways
from airflow_aws.naming import ec2_description_problem
from pydantic import Field, field_validator
from pydantic.alias_generators import to_camel

from .base import SettingsModel, cidr, invalid, values_of
from .errors import SettingError, project_key

if TYPE_CHECKING:
    from .stack import StackSettings

VPC_ID = re.compile(r"^vpc-[0-9a-f]{8,17}$")
SUBNET_ID = re.compile(r"^subnet-[0-9a-f]{8,17}$")


# The values of the components' enums (see values_of).
if TYPE_CHECKING:
    EgressProtocolName = NatGatewaysName = str
else:
    EgressProtocolName = values_of(EgressProtocol)
    NatGatewaysName = values_of(NatGateways)


class EgressRule(SettingsModel):
    """An extra egress rule for the Airflow security group (for example a peered database)."""

    description: str = Field(description="Why the rule exists; shown in the AWS console.")
    protocol: EgressProtocolName = Field("tcp", description="IP protocol; -1 means all.")
    from_port: int = Field(ge=0, le=65535, description="First port of the range.")
    to_port: int = Field(ge=0, le=65535, description="Last port of the range.")
    cidr: Optional[str] = Field(None, description="Destination IPv4 CIDR block.")
    prefix_list_id: Optional[str] = Field(None, description="Destination managed prefix list (pl-...).")

    @field_validator("description")
    @classmethod
    def _ec2_accepts(cls, value: str) -> str:
        problem = ec2_description_problem(value)
        if problem:
            raise invalid(problem, "reword it, e.g. `Reporting database (peered VPC)`")
        return value

    @field_validator("cidr")
    @classmethod
    def _valid_cidr(cls, value: Optional[str]) -> Optional[str]:
        if value is not None:
            cidr(value, fix="use a network address such as 10.50.0.0/16 (host bits zero)")
        return value


class NetworkSettings(SettingsModel):
    """Where the environment runs: a VPC this stack creates, or an existing VPC and subnets."""

    vpc_id: Optional[str] = Field(
        None, description="Adopt this existing VPC instead of creating one; needs `subnetIds`.")
    subnet_ids: Optional[list[str]] = Field(
        None, description="With `vpcId`: two private subnets of that VPC in two Availability Zones, owned by this account.")
    cidr: str = Field("10.20.0.0/16", description="CIDR block of the VPC this stack creates (/16 to /24).")
    private_subnet_cidrs: Optional[list[str]] = Field(
        None, description="CIDRs of the two private subnets; default: the first two quarters of `cidr`.")
    public_subnet_cidrs: Optional[list[str]] = Field(
        None, description="CIDRs of the public subnets holding NAT gateways; default: the last two quarters of `cidr`.")
    nat_gateways: NatGatewaysName = Field(
        "single", description="NAT gateways of a created VPC: none (endpoints only), one shared, or one per zone.")

    @field_validator("cidr")
    @classmethod
    def _vpc_cidr(cls, value: str) -> str:
        block = cidr(value, fix="use a network address such as 10.20.0.0/16 (host bits zero)")
        if not 16 <= block.prefixlen <= 24:
            raise invalid(f"has prefix /{block.prefixlen}; a VPC takes /16 to /24 here",
                          "use a /16 to /24 block, e.g. 10.20.0.0/16")
        return value

    @field_validator("private_subnet_cidrs", "public_subnet_cidrs")
    @classmethod
    def _subnet_cidrs(cls, value: Optional[list[str]]) -> Optional[list[str]]:
        for text in value or []:
            block = cidr(text, fix="use network addresses such as 10.20.0.0/18 (host bits zero)")
            if not 16 <= block.prefixlen <= 28:
                raise invalid(f"has {text}; AWS subnets take /16 to /28", "use blocks such as 10.20.0.0/18")
        if value is not None and len(value) != 2:
            raise invalid("must list exactly two CIDRs, one per Availability Zone", "give two CIDRs inside network.cidr")
        return value

    @property
    def adopted(self) -> bool:
        """True when the stack runs in an existing VPC (`vpcId`) instead of creating one."""
        return self.vpc_id is not None


def subnet_plan(network: NetworkSettings) -> tuple[list[str], list[str]]:
    """The private and public subnet CIDRs of a created VPC: explicit ones, or quarters of the VPC block."""
    quarters = [str(q) for q in ipaddress.IPv4Network(network.cidr).subnets(prefixlen_diff=2)]
    private = network.private_subnet_cidrs if network.private_subnet_cidrs is not None else quarters[:2]
    if network.nat_gateways == "none":
        return private, []
    public = network.public_subnet_cidrs if network.public_subnet_cidrs is not None else quarters[2:]
    return private, public


def network_checks(project: StackSettings) -> list[SettingError]:
    """Network settings that depend on each other: an adopted VPC's IDs, a created VPC's subnet blocks."""
    errors: list[SettingError] = []
    network = project.network
    explicitly_set = network.model_fields_set

    def err(key: str, value: Any, problem: str, fix: str) -> None:
        errors.append(SettingError(project_key(f"network.{key}"), value, problem, fix))

    if network.vpc_id is not None:
        if not VPC_ID.match(network.vpc_id):
            err("vpcId", network.vpc_id, "is not a VPC ID", "use the ID shown in the VPC console, e.g. vpc-0abc12345def67890")
        subnets = network.subnet_ids or []
        if len(subnets) != 2 or len(set(subnets)) != 2:
            err("subnetIds", network.subnet_ids, "must list exactly two distinct private subnets",
                "list the two private subnets (in two Availability Zones) the environment should use")
        for subnet in subnets:
            if not SUBNET_ID.match(subnet):
                err("subnetIds", subnet, "is not a subnet ID", "use IDs like subnet-0abc12345def67890")
        created_only = sorted({"cidr", "private_subnet_cidrs", "public_subnet_cidrs", "nat_gateways"} & explicitly_set)
        for name in created_only:
            err(to_camel(name), getattr(network, name), "only applies when this stack creates the VPC",
                "remove it, or remove vpcId and subnetIds to let the stack create the VPC")
        return errors
    if network.subnet_ids is not None:
        err("subnetIds", network.subnet_ids, "is set without vpcId", "add the VPC's ID as network.vpcId, or remove subnetIds")
        return errors
    if network.nat_gateways == "none" and network.public_subnet_cidrs is not None:
        err("publicSubnetCidrs", network.public_subnet_cidrs, "is set, but natGateways is none: no public subnet is created",
            "remove publicSubnetCidrs, or choose natGateways single or perZone")
    vpc = ipaddress.IPv4Network(network.cidr)
    private, public = subnet_plan(network)
    blocks: list[tuple[str, ipaddress.IPv4Network]] = []
    for name, cidrs in (("privateSubnetCidrs", private), ("publicSubnetCidrs", public)):
        for text in cidrs:
            block = ipaddress.IPv4Network(text)
            if not block.subnet_of(vpc):
                err(name, text, f"is not inside the VPC block {vpc}", f"choose a block inside {vpc}")
            for other_name, other in blocks:
                if block.overlaps(other):
                    err(name, text, f"overlaps {other} of {other_name}", "give every subnet its own block")
            blocks.append((name, block))
    return errors

"""VpcNetwork: a VPC with two private subnets in two Availability Zones, as MWAA requires.

NAT is a setting because it is a cost and a security decision: `none` keeps the subnets off
the internet (VPC endpoints carry AWS traffic), `single` shares one NAT gateway, `perZone`
keeps each zone's egress alive when the other zone fails.
"""

from typing import Mapping, Optional, Sequence, TypedDict

import pulumi
import pulumi_aws as aws
from typing_extensions import NotRequired

from ._aws_context import child_options, name_tagged
from .aws_choices import NatGateways, choice

TYPE_TOKEN = "airflow-aws:index:VpcNetwork"
ZONES = 2


class VpcNetworkArgs(TypedDict):
    """The arguments of a VpcNetwork."""

    cidr: str
    """CIDR block of the VPC."""
    private_subnet_cidrs: Sequence[str]
    """Two CIDRs for the private subnets, one per zone."""
    public_subnet_cidrs: NotRequired[Sequence[str]]
    """Two CIDRs for the public subnets holding NAT gateways; needed unless `nat_gateways` is none. Default: none."""
    nat_gateways: NotRequired[NatGateways]
    """none, single or perZone. Default: single."""
    availability_zones: NotRequired[Sequence[pulumi.Input[str]]]
    """Two zone names. Default: the Region's first two available zones."""
    name: NotRequired[str]
    """Name tag prefix. Default: the resource name."""
    protect_stateful_resources: NotRequired[bool]
    """Protect the NAT gateways' Elastic IPs, which other parties may allow-list, from deletion. Default: false."""
    tags: NotRequired[pulumi.Input[Mapping[str, pulumi.Input[str]]]]
    """Tags on every resource. Default: none."""


class VpcNetwork(pulumi.ComponentResource):
    """A VPC with private subnets in two zones and the NAT layout a stack chooses."""

    vpc_id: pulumi.Output[str]
    """ID of the VPC."""
    vpc_cidr: pulumi.Output[str]
    """CIDR block of the VPC."""
    private_subnet_ids: pulumi.Output[list[str]]
    """The private subnets, one per zone."""
    private_route_table_ids: pulumi.Output[list[str]]
    """Route tables of the private subnets (for gateway endpoints)."""
    public_subnet_ids: pulumi.Output[list[str]]
    """The public subnets; empty without NAT."""
    ready_ids: pulumi.Output[list[str]]
    """IDs of what gives the private subnets their way out: their route tables (with the NAT route when there is NAT) and associations. Start workloads after these (MwaaEnvironment `start_after`)."""

    def __init__(self, name: str, args: VpcNetworkArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__(TYPE_TOKEN, name, None, opts)
        label = args.get("name", name)
        tags = args.get("tags") or {}
        nat = choice(NatGateways, args.get("nat_gateways", NatGateways.SINGLE), "VpcNetwork: nat_gateways")
        zones = args.get("availability_zones") or [
            aws.get_availability_zones_output(state="available", opts=pulumi.InvokeOutputOptions(parent=self))
            .names.apply(lambda names, i=i: names[i])
            for i in range(ZONES)
        ]

        def named(suffix: str) -> pulumi.Input[Mapping[str, pulumi.Input[str]]]:
            return name_tagged(tags, f"{label}-{suffix}")

        vpc = aws.ec2.Vpc(f"{name}-vpc", cidr_block=args["cidr"], enable_dns_support=True,
                          enable_dns_hostnames=True,  # private DNS of interface endpoints needs both
                          tags=named("vpc"), opts=child_options(self))
        # The default group admits everything from itself; nothing here uses it, so it keeps no rules.
        aws.ec2.DefaultSecurityGroup(f"{name}-default-sg", vpc_id=vpc.id, tags=named("default-unused"),
                                     opts=child_options(self))

        public_subnets: list[aws.ec2.Subnet] = []
        nat_gateways: list[aws.ec2.NatGateway] = []
        if nat != NatGateways.NONE:
            gateway = aws.ec2.InternetGateway(f"{name}-igw", vpc_id=vpc.id, tags=named("igw"),
                                              opts=child_options(self))
            public_routes = aws.ec2.RouteTable(
                f"{name}-public", vpc_id=vpc.id, routes=[{"cidr_block": "0.0.0.0/0", "gateway_id": gateway.id}],
                tags=named("public"), opts=child_options(self))
            public_cidrs = args.get("public_subnet_cidrs")
            if not public_cidrs:
                raise ValueError(f"VpcNetwork: public_subnet_cidrs are needed for nat_gateways {nat}")
            for index, cidr in enumerate(public_cidrs):
                subnet = aws.ec2.Subnet(f"{name}-public-{index}", vpc_id=vpc.id, cidr_block=cidr,
                                        availability_zone=zones[index], map_public_ip_on_launch=False,
                                        tags=named(f"public-{index}"), opts=child_options(self))
                aws.ec2.RouteTableAssociation(f"{name}-public-{index}", subnet_id=subnet.id,
                                              route_table_id=public_routes.id, opts=child_options(self))
                public_subnets.append(subnet)
            for index in range(ZONES if nat == NatGateways.PER_ZONE else 1):
                address = aws.ec2.Eip(f"{name}-nat-{index}", domain="vpc", tags=named(f"nat-{index}"),
                                      opts=child_options(self, protect=bool(args.get("protect_stateful_resources"))))
                nat_gateways.append(aws.ec2.NatGateway(
                    f"{name}-nat-{index}", allocation_id=address.id, subnet_id=public_subnets[index].id,
                    tags=named(f"nat-{index}"), opts=child_options(self, depends_on=[gateway])))

        private_subnets, private_tables, associations = [], [], []
        for index, cidr in enumerate(args["private_subnet_cidrs"]):
            subnet = aws.ec2.Subnet(f"{name}-private-{index}", vpc_id=vpc.id, cidr_block=cidr,
                                    availability_zone=zones[index], map_public_ip_on_launch=False,
                                    tags=named(f"private-{index}"), opts=child_options(self))
            routes: list[aws.ec2.RouteTableRouteArgsDict] = (
                [{"cidr_block": "0.0.0.0/0", "nat_gateway_id": nat_gateways[min(index, len(nat_gateways) - 1)].id}]
                if nat_gateways else [])
            table = aws.ec2.RouteTable(f"{name}-private-{index}", vpc_id=vpc.id, routes=routes,
                                       tags=named(f"private-{index}"), opts=child_options(self))
            associations.append(aws.ec2.RouteTableAssociation(
                f"{name}-private-{index}", subnet_id=subnet.id, route_table_id=table.id, opts=child_options(self)))
            private_subnets.append(subnet)
            private_tables.append(table)

        self.vpc_id = vpc.id
        self.vpc_cidr = vpc.cidr_block
        self.private_subnet_ids = pulumi.Output.all(*[s.id for s in private_subnets])
        self.private_route_table_ids = pulumi.Output.all(*[t.id for t in private_tables])
        self.public_subnet_ids = pulumi.Output.all(*[s.id for s in public_subnets])
        self.ready_ids = pulumi.Output.all(*[r.id for r in [*private_tables, *associations]])
        self.register_outputs({
            "vpc_id": self.vpc_id, "vpc_cidr": self.vpc_cidr, "private_subnet_ids": self.private_subnet_ids,
            "private_route_table_ids": self.private_route_table_ids, "public_subnet_ids": self.public_subnet_ids,
            "ready_ids": self.ready_ids,
        })

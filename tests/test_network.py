"""The network: a created VPC has private subnets in two zones and the NAT layout its setting names; an adopted
VPC is checked through lookups and refused, with nothing registered, when MWAA could not run in it."""

import pulumi
import pytest

from airflow_aws import VpcNetwork
from tests.harness import FakeAws, Subnet, plan_failure, plan_stack, run_component

VPC_TYPE = "aws:ec2/vpc:Vpc"
SUBNET = "aws:ec2/subnet:Subnet"
NAT = "aws:ec2/natGateway:NatGateway"
EIP = "aws:ec2/eip:Eip"
IGW = "aws:ec2/internetGateway:InternetGateway"
ROUTE_TABLE = "aws:ec2/routeTable:RouteTable"
ASSOCIATION = "aws:ec2/routeTableAssociation:RouteTableAssociation"
ENVIRONMENT = "aws:mwaa/environment:Environment"
# What only a created network consists of.
NETWORK_TYPES = {VPC_TYPE, SUBNET, NAT, EIP, IGW, ROUTE_TABLE, ASSOCIATION, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
                 "airflow-aws:index:VpcNetwork"}

ACCOUNT = "111111111111"  # the sandbox stack's pinned account
VPC = "vpc-0a1b2c3d4e5f60718"
SUBNET_IDS = ["subnet-0a1b2c3d4e5f60718", "subnet-0a1b2c3d4e5f60719"]
# Endpoints with private DNS (as test and prod have them): in an adopted VPC their allowedCidrs must be chosen (seed 000).
ADOPT = {"network": {"vpcId": VPC, "subnetIds": SUBNET_IDS}, "endpoints.enabled": True,
         "endpoints.allowedCidrs": ["10.0.0.0/16"]}


def created_network(nat: str):
    public = [] if nat == "none" else ["10.20.128.0/18", "10.20.192.0/18"]
    return run_component(lambda: VpcNetwork("network", {
        "cidr": "10.20.0.0/16", "private_subnet_cidrs": ["10.20.0.0/18", "10.20.64.0/18"],
        "public_subnet_cidrs": public, "nat_gateways": nat, "name": "airflow-unit"}))


def private_subnets(plan):
    """The private subnets in zone order (registrations arrive in no fixed order)."""
    return sorted((r for r in plan.of_type(SUBNET) if "private" in r.name), key=lambda r: r.name)


def route_table_of(plan, subnet):
    association = next(a for a in plan.of_type(ASSOCIATION) if a.inputs["subnetId"] == subnet.id)
    return next(t for t in plan.of_type(ROUTE_TABLE) if t.id == association.inputs["routeTableId"])


def default_route_target(table) -> dict:
    routes = [r for r in table.inputs.get("routes") or [] if r.get("cidrBlock") == "0.0.0.0/0"]
    return routes[0] if routes else {}


def zone_of_nat(plan, nat) -> str:
    return next(s.inputs["availabilityZone"] for s in plan.of_type(SUBNET) if s.id == nat.inputs["subnetId"])


# --- a created VPC ---------------------------------------------------------------------------

@pytest.mark.parametrize("nat, gateways", [("none", 0), ("single", 1), ("perZone", 2)])
def test_the_nat_setting_decides_how_many_nat_gateways_and_addresses(nat, gateways):
    plan = created_network(nat)
    assert len(plan.of_type(NAT)) == gateways
    assert len(plan.of_type(EIP)) == gateways
    assert all(e.inputs["domain"] == "vpc" for e in plan.of_type(EIP))
    assert {n.inputs["allocationId"] for n in plan.of_type(NAT)} == {e.id for e in plan.of_type(EIP)}
    assert len(plan.of_type(IGW)) == (0 if nat == "none" else 1)


def test_without_nat_nothing_leaves_the_vpc():
    plan = created_network("none")
    assert sorted(s.name for s in plan.of_type(SUBNET)) == ["network-private-0", "network-private-1"]
    assert all(default_route_target(route_table_of(plan, s)) == {} for s in private_subnets(plan))
    assert all(not t.inputs.get("routes") for t in plan.of_type(ROUTE_TABLE))


def test_a_single_nat_gateway_serves_both_private_subnets():
    plan = created_network("single")
    nat = plan.one(NAT)
    assert [default_route_target(route_table_of(plan, s)).get("natGatewayId") for s in private_subnets(plan)] == [nat.id] * 2


def test_each_zone_routes_through_the_nat_gateway_in_that_zone():
    plan = created_network("perZone")
    for subnet in private_subnets(plan):
        nat_id = default_route_target(route_table_of(plan, subnet))["natGatewayId"]
        nat = next(n for n in plan.of_type(NAT) if n.id == nat_id)
        assert zone_of_nat(plan, nat) == subnet.inputs["availabilityZone"]
    assert len({default_route_target(route_table_of(plan, s))["natGatewayId"] for s in private_subnets(plan)}) == 2


@pytest.mark.parametrize("nat", ["single", "perZone"])
def test_nat_gateways_sit_in_public_subnets_routed_to_the_internet_gateway(nat):
    plan = created_network(nat)
    gateway = plan.one(IGW)
    for nat_gateway in plan.of_type(NAT):
        public = next(s for s in plan.of_type(SUBNET) if s.id == nat_gateway.inputs["subnetId"])
        assert "public" in public.name
        assert default_route_target(route_table_of(plan, public)) == {"cidrBlock": "0.0.0.0/0", "gatewayId": gateway.id}
        assert any(d == gateway.urn for d in nat_gateway.dependencies)


@pytest.mark.parametrize("nat", ["none", "single", "perZone"])
def test_private_subnets_are_in_two_distinct_zones_and_get_no_public_addresses(nat):
    plan = created_network(nat)
    subnets = private_subnets(plan)
    assert [s.inputs["cidrBlock"] for s in subnets] == ["10.20.0.0/18", "10.20.64.0/18"]
    assert len({s.inputs["availabilityZone"] for s in subnets}) == 2
    assert all(s.inputs["mapPublicIpOnLaunch"] is False for s in plan.of_type(SUBNET))
    assert all(default_route_target(route_table_of(plan, s)).get("gatewayId") is None for s in subnets)


def test_the_vpc_resolves_private_dns_and_its_default_group_admits_nothing():
    plan = created_network("single")
    vpc = plan.one(VPC_TYPE)
    assert vpc.inputs["cidrBlock"] == "10.20.0.0/16"
    assert vpc.inputs["enableDnsSupport"] is True and vpc.inputs["enableDnsHostnames"] is True
    default_group = plan.one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup")
    assert default_group.inputs["vpcId"] == vpc.id
    assert not default_group.inputs.get("ingress") and not default_group.inputs.get("egress")


def test_an_unknown_nat_layout_is_refused_by_the_component():
    with pytest.raises(ValueError, match="none, single or perZone"):
        created_network("two")


def test_tags_given_as_an_output_reach_every_resource_with_its_name():
    """Tags another resource computes arrive as an Output: the Name tag joins them once they resolve."""
    plan = run_component(lambda: VpcNetwork("network", {
        "cidr": "10.20.0.0/16", "private_subnet_cidrs": ["10.20.0.0/18", "10.20.64.0/18"], "nat_gateways": "none",
        "name": "airflow-unit", "tags": pulumi.Output.from_input({"team": "data"})}))
    assert plan.one(VPC_TYPE).inputs["tags"] == {"team": "data", "Name": "airflow-unit-vpc"}
    assert {s.inputs["tags"]["Name"] for s in private_subnets(plan)} == {"airflow-unit-private-0", "airflow-unit-private-1"}


def test_public_subnets_are_required_for_nat():
    with pytest.raises(ValueError, match="public_subnet_cidrs are needed for nat_gateways single"):
        run_component(lambda: VpcNetwork("network", {
            "cidr": "10.20.0.0/16", "private_subnet_cidrs": ["10.20.0.0/18", "10.20.64.0/18"]}))


def test_the_stack_runs_mwaa_in_the_private_subnets_it_created():
    plan = plan_stack("sandbox", {"network.natGateways": "perZone"})
    subnets = private_subnets(plan)
    environment = plan.one(ENVIRONMENT)
    assert environment.inputs["networkConfiguration"]["subnetIds"] == [s.id for s in subnets]
    assert plan.outputs["subnetIds"] == [s.id for s in subnets]
    assert plan.outputs["vpcId"] == plan.one(VPC_TYPE).id
    assert len(plan.of_type(NAT)) == 2


def test_the_stack_uses_the_cidrs_it_was_given():
    plan = plan_stack("sandbox", {"network.cidr": "10.40.0.0/20",
                                  "network.privateSubnetCidrs": ["10.40.0.0/24", "10.40.1.0/24"]})
    assert plan.one(VPC_TYPE).inputs["cidrBlock"] == "10.40.0.0/20"
    assert [s.inputs["cidrBlock"] for s in private_subnets(plan)] == ["10.40.0.0/24", "10.40.1.0/24"]
    assert sorted(s.inputs["cidrBlock"] for s in plan.of_type(SUBNET) if "public" in s.name) == ["10.40.12.0/22",
                                                                                                "10.40.8.0/22"]


# --- an adopted VPC --------------------------------------------------------------------------

def world(second_subnet: Subnet = Subnet(VPC, "eu-west-1b", ACCOUNT)) -> FakeAws:
    """An account whose lookups find the adopted subnets: by default a good pair in two zones of the VPC."""
    subnets = {SUBNET_IDS[0]: Subnet(VPC, "eu-west-1a", ACCOUNT), SUBNET_IDS[1]: second_subnet}
    return FakeAws(account_id=ACCOUNT, subnets=subnets, vpc_cidrs={VPC: "10.0.0.0/16"})


@pytest.mark.parametrize("bad, problem", [
    (Subnet(VPC, "eu-west-1a", ACCOUNT), f"is in eu-west-1a like {SUBNET_IDS[0]}"),
    (Subnet("vpc-0fffffffffffffff0", "eu-west-1b", ACCOUNT), f"belongs to vpc-0fffffffffffffff0, not to network.vpcId {VPC}"),
    (Subnet(VPC, "eu-west-1b", "999999999999"), "is shared from account 999999999999"),
    (Subnet(VPC, "eu-west-1b", ACCOUNT, internet_route=True), "routes to an internet gateway"),
], ids=["same-zone", "other-vpc", "shared", "public"])
def test_a_subnet_mwaa_cannot_use_is_refused_before_anything_is_registered(bad, problem):
    error, registered = plan_failure("sandbox", ADOPT, world=world(bad))
    [subnet_error] = [e for e in error.errors if e.key == "airflow-aws:network.subnetIds"]
    assert subnet_error.value == SUBNET_IDS[1]
    assert problem in subnet_error.problem and subnet_error.fix
    assert registered == []


def test_a_subnet_that_does_not_exist_is_refused():
    lookups = world()
    del lookups.subnets[SUBNET_IDS[1]]
    error, registered = plan_failure("sandbox", ADOPT, world=lookups)
    [subnet_error] = error.errors
    assert subnet_error.value == SUBNET_IDS[1]
    assert "could not be looked up" in subnet_error.problem and ACCOUNT in subnet_error.fix
    assert registered == []


def test_every_problem_of_both_subnets_is_reported_together():
    shared_public = Subnet("vpc-0fffffffffffffff0", "eu-west-1a", "999999999999", internet_route=True)
    error, registered = plan_failure("sandbox", ADOPT, world=world(shared_public))
    assert len([e for e in error.errors if e.value == SUBNET_IDS[1]]) == 4
    assert registered == []


def test_a_good_adopted_vpc_creates_no_network_and_runs_mwaa_in_its_subnets():
    plan = plan_stack("sandbox", ADOPT, world=world())
    assert not plan.types() & NETWORK_TYPES
    environment = plan.one(ENVIRONMENT)
    assert environment.inputs["networkConfiguration"]["subnetIds"] == SUBNET_IDS
    [group_id] = environment.inputs["networkConfiguration"]["securityGroupIds"]
    assert next(g for g in plan.of_type("aws:ec2/securityGroup:SecurityGroup") if g.id == group_id).inputs["vpcId"] == VPC
    assert plan.outputs["vpcId"] == VPC and plan.outputs["subnetIds"] == SUBNET_IDS


# --- the environment starts after its way to AWS ---------------------------------------------------

ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
# Without NAT, MWAA reaches AWS through the endpoints, its requirements must come from plugins.zip, and sign-in from an IdP inside the network.
NO_NAT = {"network.natGateways": "none", "endpoints.enabled": True, "mwaa.sourceFolder": "tests/fixtures/wheel_requirements",
          "privateAccess.identityProviderCidrs": ["10.0.0.0/8"]}


def service_endpoints(plan) -> list:
    """The AWS service endpoints and the rules admitting their clients: what MWAA uses while it is created."""
    return [*(e for e in plan.of_type(ENDPOINT) if "environment" not in e.name),
            *(r for r in plan.of_type(INGRESS) if r.name.startswith("endpoints-sg-in-client-"))]


def starts_after(plan, resources) -> bool:
    dependencies = set(plan.one(ENVIRONMENT).dependencies)
    return bool(resources) and {r.urn for r in resources} <= dependencies


def test_without_nat_the_environment_starts_after_the_endpoints():
    plan = plan_stack("sandbox", NO_NAT)
    assert not plan.of_type(NAT) and len(service_endpoints(plan)) == 11  # 9 interface, the S3 gateway, 1 client rule
    assert starts_after(plan, service_endpoints(plan))


def test_with_nat_the_environment_starts_after_the_nat_routes_and_the_endpoints(stack_plans):
    plan = stack_plans["prod"]  # a NAT gateway per zone
    routes = [route_table_of(plan, s) for s in private_subnets(plan)]
    assert len({default_route_target(t)["natGatewayId"] for t in routes}) == 2
    associations = [a for a in plan.of_type(ASSOCIATION) if a.inputs["routeTableId"] in {t.id for t in routes}]
    assert starts_after(plan, routes) and starts_after(plan, associations)
    assert starts_after(plan, service_endpoints(plan))


def test_in_an_adopted_vpc_the_environment_starts_after_the_endpoints():
    plan = plan_stack("sandbox", ADOPT, world=world())
    assert starts_after(plan, service_endpoints(plan))


def test_customer_endpoints_follow_the_environment_while_it_follows_the_service_endpoints():
    """No cycle: the orders run resource to resource, and no component waits for another as a whole."""
    plan = plan_stack("sandbox", {**NO_NAT, "mwaa.endpointManagement": "CUSTOMER"})
    environment = plan.one(ENVIRONMENT)
    assert starts_after(plan, service_endpoints(plan))
    for kind in ("webserver", "database"):
        own = plan.named(f"endpoints-environment-{kind}")
        assert environment.urn in own.dependencies and own.urn not in environment.dependencies
    assert plan.outputs["endpointIds"]["webserver"] == plan.named("endpoints-environment-webserver").id
    waiting = {r.name for r in plan.registrations if not r.custom and r.dependencies}
    assert waiting <= {"monitoring"}  # alarms wait for the environment; nothing waits for the monitoring


def test_on_fargate_the_migration_run_and_every_service_start_after_the_nat_routes(fargate_plan):
    """The first tasks pull their images through NAT: started before the routes exist, the migration would fail."""
    routes = [route_table_of(fargate_plan, s) for s in private_subnets(fargate_plan)]
    associations = [a for a in fargate_plan.of_type(ASSOCIATION) if a.inputs["routeTableId"] in {t.id for t in routes}]
    waiting = [*fargate_plan.of_type("aws:lambda/invocation:Invocation"), *fargate_plan.of_type("aws:ecs/service:Service")]
    assert len(waiting) == 6 and routes and associations
    for resource in waiting:
        assert {r.urn for r in [*routes, *associations]} <= set(resource.dependencies), resource.name

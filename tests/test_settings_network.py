"""Network settings: a created VPC's blocks fit together; an adopted VPC takes two subnet IDs and nothing of a
created one."""

import pytest

from airflow_aws.settings import PROJECT
from tests.harness import setting_errors
from tests.setting_refusals import explains, refusal

VPC = "vpc-0123456789abcdef0"
SUBNETS = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
# The sandbox enables endpoints with private DNS: in an adopted VPC their allowedCidrs must be chosen (seed 000).
ADOPTED = {"network": {"vpcId": VPC, "subnetIds": SUBNETS}, "endpoints.allowedCidrs": ["10.0.0.0/16"]}
NO_NAT = {"network.natGateways": "none"}


# --- the network -----------------------------------------------------------------------------

@pytest.mark.parametrize("cidr, problem", [
    ("10.0.0.0/8", "/16 to /24"), ("10.20.0.0/25", "/16 to /24"), ("10.20.0.1/16", "host bits"), ("ten", "IPv4"),
])
def test_vpc_cidr_is_a_network_of_16_to_24_bits(cidr, problem):
    error = refusal({"network.cidr": cidr}, "network.cidr")
    assert error.value == cidr
    explains(error, problem)


@pytest.mark.parametrize("cidrs, problem", [
    (["10.20.0.0/18"], "exactly two"),
    (["10.20.0.0/18", "10.20.64.0/18", "10.20.128.0/18"], "exactly two"),
    (["10.20.0.0/18", "10.20.64.1/18"], "host bits"),
    (["10.20.0.0/18", "10.20.64.0/30"], "/16 to /28"),
])
def test_private_subnet_cidrs_are_two_valid_blocks(cidrs, problem):
    explains(refusal({"network.privateSubnetCidrs": cidrs}, "network.privateSubnetCidrs"), problem)


def test_subnets_lie_inside_the_vpc():
    error = refusal({"network.privateSubnetCidrs": ["10.20.0.0/18", "10.99.0.0/18"]}, "network.privateSubnetCidrs")
    assert error.value == "10.99.0.0/18"
    explains(error, "10.20.0.0/16")


def test_private_subnets_do_not_overlap_each_other():
    error = refusal({"network.privateSubnetCidrs": ["10.20.0.0/18", "10.20.32.0/19"]}, "network.privateSubnetCidrs")
    explains(error, "overlaps 10.20.0.0/18")


def test_public_subnets_do_not_overlap_the_private_ones():
    # The default private subnets are the first two quarters of the VPC block.
    error = refusal({"network.publicSubnetCidrs": ["10.20.0.0/18", "10.20.192.0/18"]}, "network.publicSubnetCidrs")
    explains(error, "overlaps 10.20.0.0/18", "privateSubnetCidrs")


def test_public_subnet_cidrs_without_nat_are_refused_not_ignored():
    errors = setting_errors("sandbox", {**NO_NAT, "network.publicSubnetCidrs": ["10.99.0.0/18", "10.99.64.0/18"]})
    assert "natGateways is none" in errors[f"{PROJECT}:network.publicSubnetCidrs"].problem


def test_an_adopted_vpc_needs_its_subnets():
    error = refusal({"network": {"vpcId": VPC}}, "network.subnetIds")
    explains(error, "two distinct private subnets")


def test_subnets_without_a_vpc_are_refused():
    error = refusal({"network": {"subnetIds": SUBNETS}}, "network.subnetIds")
    explains(error, "without vpcId", "network.vpcId")


@pytest.mark.parametrize("subnets", [SUBNETS[:1], [SUBNETS[0], SUBNETS[0]], [*SUBNETS, "subnet-0123456789abcdef2"]])
def test_an_adopted_vpc_takes_exactly_two_distinct_subnets(subnets):
    error = refusal({"network": {"vpcId": VPC, "subnetIds": subnets}}, "network.subnetIds")
    explains(error, "exactly two distinct")


def test_adopted_ids_look_like_aws_ids():
    errors = setting_errors("sandbox", {"network": {"vpcId": "my-vpc", "subnetIds": ["subnet-a", SUBNETS[1]]}})
    assert errors[f"{PROJECT}:network.vpcId"].value == "my-vpc"
    assert errors[f"{PROJECT}:network.subnetIds"].value == "subnet-a"


@pytest.mark.parametrize("key, value", [("cidr", "10.30.0.0/16"), ("natGateways", "none"),
                                        ("privateSubnetCidrs", ["10.30.0.0/18", "10.30.64.0/18"]),
                                        ("publicSubnetCidrs", ["10.30.128.0/18", "10.30.192.0/18"])])
def test_settings_of_a_created_vpc_conflict_with_an_adopted_one(key, value):
    error = refusal({"network": {**ADOPTED["network"], key: value}}, f"network.{key}")
    assert error.value == value
    explains(error, "only applies when this stack creates the VPC", "remove")


def test_an_adopted_vpc_alone_is_valid():
    assert setting_errors("sandbox", ADOPTED) == {}



"""Enumerated inputs are str enums: a Python caller may pass the enum member or its plain string, and both plan
exactly the same resources; an unknown value is refused with the choices."""

import json
from enum import Enum
from typing import Any

import pytest

from airflow_aws import (AirflowMajorVersion, AirflowMonitoring, BrokerEngine, CpuArchitecture, EgressProtocol,
                         EndpointManagement, EnvironmentClass, FargateAirflowCluster, MonitoredPlatform, MwaaEnvironment,
                         NatGateways, PrivateAccessAlb, TargetProtocol, VpcNetwork, WebserverAccessMode,
                         WorkerReplacementStrategy)
from tests.harness import plan_document, run_component

VPC = "vpc-0123456789abcdef0"
SUBNETS = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"]
CERTIFICATE = "arn:aws:acm:eu-west-1:111111111111:certificate/01234567-89ab-cdef-0123-456789abcdef"
OIDC = {"issuer": "https://login.example.com", "authorization_endpoint": "https://login.example.com/authorize",
        "token_endpoint": "https://login.example.com/token", "user_info_endpoint": "https://login.example.com/userinfo",
        "client_id": "airflow", "client_secret": "s3cret"}

# Every enumerated input, given as a member other than its default (so the value reaches what is planned).
COMPONENTS: dict[str, tuple[type, dict[str, Any]]] = {
    "network": (VpcNetwork, {
        "cidr": "10.20.0.0/16", "private_subnet_cidrs": ["10.20.0.0/18", "10.20.64.0/18"],
        "public_subnet_cidrs": ["10.20.128.0/18", "10.20.192.0/18"], "nat_gateways": NatGateways.PER_ZONE}),
    "mwaa": (MwaaEnvironment, {
        "environment_name": "analytics", "vpc_id": VPC, "subnet_ids": SUBNETS,
        "environment_class": EnvironmentClass.MW1_MEDIUM, "webserver_access_mode": WebserverAccessMode.PUBLIC_AND_PRIVATE,
        "endpoint_management": EndpointManagement.CUSTOMER,
        "worker_replacement_strategy": WorkerReplacementStrategy.GRACEFUL,
        "security_group_egress": [
            {"description": "DNS", "protocol": EgressProtocol.UDP, "from_port": 53, "to_port": 53, "cidr": "10.0.0.2/32"},
            {"description": "peer", "protocol": EgressProtocol.ALL, "from_port": 0, "to_port": 0, "cidr": "10.1.0.0/16"}]}),
    "access": (PrivateAccessAlb, {
        "vpc_id": VPC, "subnet_ids": SUBNETS, "host_name": "airflow.example.com", "certificate_arn": CERTIFICATE,
        "allowed_cidrs": ["10.0.0.0/8"], "authentication": {"oidc": OIDC},
        "target": {"port": 8080, "protocol": TargetProtocol.HTTP, "health_check_path": "/",
                   "health_check_matcher": "200"},
        "web_login": {"environment_name": "analytics", "airflow_major_version": AirflowMajorVersion.V3,
                      "group_role_mapping": {"admins": "Admin"}}}),
    "fargate": (FargateAirflowCluster, {
        "environment_name": "airflow-x", "vpc_id": VPC, "vpc_cidr": "10.0.0.0/16", "subnet_ids": SUBNETS,
        "image": "apache/airflow:3.0.6", "cpu_architecture": CpuArchitecture.ARM64,
        "broker": {"engine": BrokerEngine.REDIS}}),
    "monitoring": (AirflowMonitoring, {
        "environment_name": "airflow-x", "min_workers": 1, "max_workers": 4, "platform": MonitoredPlatform.FARGATE,
        "fargate": {"cluster_name": "x-cluster", "statsd_namespace": "Airflow/x",
                    "service_names": {"scheduler": "x-scheduler", "worker": "x-worker"}}}),
}


def plain(value: Any) -> Any:
    """The same arguments with every enum member replaced by its plain string, as a caller without the enums writes."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def planned(component: type, args: dict[str, Any]) -> dict[str, Any]:
    return plan_document(run_component(lambda: component("it", args)))


def as_text(document: dict[str, Any]) -> str:
    """The plan as JSON text: a member formatted by name (`NatGateways.PER_ZONE`) would differ from its value here."""
    return json.dumps(document, sort_keys=True)


@pytest.mark.parametrize("case", COMPONENTS)
def test_an_enum_member_and_its_plain_string_plan_the_same_resources(case):
    component, args = COMPONENTS[case]
    assert as_text(planned(component, args)) == as_text(planned(component, plain(args)))


def test_the_plan_carries_the_plain_values():
    """What reaches AWS is the value, never the member's name (`EnvironmentClass.MW1_MEDIUM`)."""
    component, args = COMPONENTS["mwaa"]
    environment = next(r for r in planned(component, args)["resources"] if r["type"] == "aws:mwaa/environment:Environment")
    assert (environment["inputs"]["environmentClass"], environment["inputs"]["webserverAccessMode"],
            environment["inputs"]["workerReplacementStrategy"]) == ("mw1.medium", "PUBLIC_AND_PRIVATE", "GRACEFUL")


@pytest.mark.parametrize("component, args, message", [
    (VpcNetwork, {**COMPONENTS["network"][1], "nat_gateways": "two"}, "nat_gateways must be none, single or perZone"),
    (MwaaEnvironment, {**COMPONENTS["mwaa"][1], "environment_class": "mw1.huge"},
     "environment_class must be mw1.micro, mw1.small, mw1.medium, mw1.large, mw1.xlarge or mw1.2xlarge, not 'mw1.huge'"),
    (AirflowMonitoring, {**COMPONENTS["monitoring"][1], "platform": "eks"}, "platform must be mwaa or fargate"),
])
def test_an_unknown_value_is_refused_with_the_choices(component, args, message):
    with pytest.raises(Exception, match=message):
        run_component(lambda: component("it", args))

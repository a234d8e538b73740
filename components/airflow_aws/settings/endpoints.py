"""VPC endpoint settings: the interface and gateway endpoints that carry AWS traffic without internet."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from airflow_aws.aws_choices import ENDPOINT_SERVICES
from pydantic import Field, field_validator

from .base import ROLE_ARN, SettingsModel, cidr, invalid, refuse_unknown
from .errors import SettingError, project_key

if TYPE_CHECKING:
    from .stack import StackSettings


def ingress_cidrs(value: list[str]) -> list[str]:
    """Networks admitted to something of this stack: valid blocks, and never the whole internet."""
    for text in value:
        block = cidr(text, fix="use a network address such as 10.0.0.0/8 (host bits zero)")
        if block.prefixlen == 0:
            raise invalid("admits the whole internet (0.0.0.0/0)", "list the networks your users come from")
    return value


class EndpointSettings(SettingsModel):
    """VPC endpoints for Airflow without internet (EndpointSet)."""

    enabled: bool = Field(
        False, description="Create the VPC endpoints MWAA needs without internet; with mwaa.endpointManagement "
                           "CUSTOMER also the environment's webserver and database endpoints.")
    skip_services: list[str] = Field(
        default_factory=list, description="Services whose endpoints already exist in the VPC (e.g. managed centrally); "
                                          f"any of {', '.join(ENDPOINT_SERVICES)}.")
    private_dns: bool = Field(
        True, description="Private DNS on the AWS service endpoints (MWAA without internet needs it); it answers for "
                          "the service's name in the whole VPC.")
    allowed_cidrs: list[str] = Field(
        default_factory=list, description="Other workloads of the VPC admitted on 443 to the endpoints. In a VPC this "
                                          "stack creates the default `[]` admits only Airflow. In an adopted VPC "
                                          "(network.vpcId) with private DNS it must be set: the endpoints then answer "
                                          "for every workload of the VPC, so give the VPC's CIDR to keep the others "
                                          "working, or `[]` once you checked nothing else calls these services.")
    assume_role_arn: Optional[str] = Field(
        None, description="Create the endpoints with this IAM role (same account) when the deploying role may not.")

    @field_validator("skip_services")
    @classmethod
    def _known_services(cls, value: list[str]) -> list[str]:
        refuse_unknown(value, ENDPOINT_SERVICES, "services (without an endpoint here)")
        return value

    @field_validator("allowed_cidrs")
    @classmethod
    def _cidrs(cls, value: list[str]) -> list[str]:
        return ingress_cidrs(value)

    @field_validator("assume_role_arn")
    @classmethod
    def _role(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and not ROLE_ARN.match(value):
            raise invalid("is not an IAM role ARN", "use arn:aws:iam::ACCOUNT:role/NAME")
        return value


def endpoint_checks(project: StackSettings) -> list[SettingError]:
    """Endpoint settings that depend on the network and on MWAA's endpoint management."""
    errors: list[SettingError] = []
    endpoints, network, mwaa = project.endpoints, project.network, project.mwaa

    def err(key: str, value: Any, problem: str, fix: str) -> None:
        errors.append(SettingError(project_key(key), value, problem, fix))

    if project.platform == "mwaa" and mwaa.endpoint_management == "CUSTOMER" and not endpoints.enabled:
        err("mwaa.endpointManagement", "CUSTOMER", "leaves the environment PENDING: with endpoints.enabled false nothing "
            "creates its webserver and database endpoints", "set endpoints.enabled: true, or use SERVICE")
    if project.platform == "mwaa" and not network.adopted and network.nat_gateways == "none" and not endpoints.enabled:
        err("endpoints.enabled", False, "leaves MWAA without any path to AWS services (network.natGateways is none)",
            "set endpoints.enabled: true, or add a NAT gateway")
    # Seed 000: with private DNS the endpoints answer for these services in the whole VPC, and their security group
    # admits only Airflow; in a VPC shared with other workloads that cut them off (a weekend outage).
    if endpoints.enabled and endpoints.private_dns and network.adopted and "allowed_cidrs" not in endpoints.model_fields_set:
        err("endpoints.allowedCidrs", "(not set)",
            f"must be set in an adopted VPC ({network.vpc_id}): with private DNS the endpoints answer for these AWS "
            "services for every workload of the VPC, and by default admit only Airflow, so other workloads lose "
            "those services", "set it to the VPC's CIDR (e.g. [10.0.0.0/16]) to keep other workloads working, or to [] "
            "after checking that nothing else in the VPC calls these services")
    return errors

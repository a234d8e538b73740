"""EndpointSet: the VPC endpoints an Airflow environment needs when it has no path to the internet.

Interface endpoints with private DNS answer for the service's public name in the whole VPC
(seed 000): every workload in the VPC then reaches that service through them. Their security
group therefore admits HTTPS only from the clients named here (by default the Airflow
environment's group); other workloads of the VPC must be admitted explicitly, and services a
network team already serves from central endpoints are skipped (seed 001), because a second
private-DNS endpoint for the same service is refused.

With MWAA's endpoint management CUSTOMER, the set also holds the environment's own webserver
and database endpoints, as ordinary resources with fixed logical names: an update changes them
in place or leaves them alone, never deletes and recreates them.
"""

from typing import Mapping, Optional, Sequence, TypedDict

import pulumi
import pulumi_aws as aws
from typing_extensions import NotRequired

from ._aws_context import AwsContext, child_options, name_tagged
from .aws_choices import ENDPOINT_SERVICES, INTERFACE_SERVICES

TYPE_TOKEN = "airflow-aws:index:EndpointSet"

# The environment's own endpoint services, keyed as they appear in `endpoint_ids`.
ENVIRONMENT_ENDPOINTS = ("webserver", "database")
HTTPS = 443


class EnvironmentEndpointServicesArgs(TypedDict):
    """The endpoint services of an MWAA environment whose endpoint management is CUSTOMER."""

    webserver: pulumi.Input[str]
    """The environment's `webserver_vpc_endpoint_service`."""
    database: pulumi.Input[str]
    """The environment's `database_vpc_endpoint_service`."""
    security_group_id: pulumi.Input[str]
    """The environment's security group, which admits all of the environment and (for the web server) the load balancer."""


class EndpointSetArgs(TypedDict):
    """The arguments of an EndpointSet."""

    vpc_id: pulumi.Input[str]
    """VPC the endpoints are created in."""
    subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]]
    """Subnets of the interface endpoints: the environment's two private subnets."""
    route_table_ids: pulumi.Input[Sequence[pulumi.Input[str]]]
    """Route tables the S3 gateway endpoint is added to: those of the private subnets."""
    client_security_group_ids: Sequence[pulumi.Input[str]]
    """Security groups admitted on 443 to the interface endpoints (the Airflow environment's). Must be known in number at plan time."""
    allowed_cidrs: NotRequired[Sequence[str]]
    """Further IPv4 blocks admitted on 443, for other workloads of the VPC that use these endpoints. Default: none."""
    skip_services: NotRequired[Sequence[str]]
    """Services whose endpoints exist already, for example managed centrally: airflow.api, airflow.env, airflow.ops, ecr.api, ecr.dkr, kms, logs, monitoring, sqs, s3. Default: none."""
    private_dns: NotRequired[bool]
    """Private DNS on the AWS service endpoints; MWAA without internet needs it. Default: true."""
    environment_endpoints: NotRequired[EnvironmentEndpointServicesArgs]
    """Create the MWAA environment's webserver and database endpoints (endpoint management CUSTOMER). Default: none."""
    tags: NotRequired[pulumi.Input[Mapping[str, pulumi.Input[str]]]]
    """Tags on every resource. Default: none."""


class EndpointSet(pulumi.ComponentResource):
    """VPC endpoints for MWAA without internet, with a security group that admits only their clients."""

    endpoint_ids: pulumi.Output[dict[str, str]]
    """Endpoint ID per service (`logs`, `s3`, ..., and `webserver`/`database` in CUSTOMER mode)."""
    security_group_id: pulumi.Output[str]
    """Security group of the AWS service interface endpoints."""
    webserver_network_interface_ids: pulumi.Output[list[str]]
    """Network interfaces of the webserver endpoint (one per subnet); empty unless `environment_endpoints` was given."""
    ready_ids: pulumi.Output[list[str]]
    """IDs of the AWS service endpoints and of the rules admitting their clients. Start clients after these (MwaaEnvironment `start_after`)."""

    def __init__(self, name: str, args: EndpointSetArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__(TYPE_TOKEN, name, None, opts)
        skipped = set(args.get("skip_services") or [])
        unknown = sorted(skipped - set(ENDPOINT_SERVICES))
        if unknown:
            raise ValueError(f"EndpointSet: unknown services to skip {unknown}; known: {', '.join(ENDPOINT_SERVICES)}")
        tags = args.get("tags") or {}
        # What add_environment_endpoints needs. Not `_name`: pulumi.Resource keeps its own there.
        self._label, self._tags, self._vpc_id, self._subnet_ids = name, tags, args["vpc_id"], args["subnet_ids"]
        context = AwsContext.of(self)

        group = aws.ec2.SecurityGroup(
            f"{name}-sg", vpc_id=args["vpc_id"], description="Interface endpoints of the Airflow environment",
            tags=tags, opts=child_options(self))
        admitted = [
            aws.vpc.SecurityGroupIngressRule(
                f"{name}-sg-in-client-{index}", security_group_id=group.id, referenced_security_group_id=client,
                ip_protocol="tcp", from_port=HTTPS, to_port=HTTPS, description="Airflow reaches AWS services",
                opts=child_options(self))
            for index, client in enumerate(args["client_security_group_ids"])]
        for index, cidr in enumerate(args.get("allowed_cidrs") or []):
            aws.vpc.SecurityGroupIngressRule(
                f"{name}-sg-in-cidr-{index}", security_group_id=group.id, cidr_ipv4=cidr, ip_protocol="tcp",
                from_port=HTTPS, to_port=HTTPS, description="Other workloads of the VPC admitted explicitly",
                opts=child_options(self))

        endpoints: dict[str, aws.ec2.VpcEndpoint] = {}
        for service in INTERFACE_SERVICES:
            if service in skipped:
                continue
            endpoints[service] = aws.ec2.VpcEndpoint(
                f"{name}-{service.replace('.', '-')}", vpc_id=args["vpc_id"], vpc_endpoint_type="Interface",
                service_name=context.apply(lambda c, s=service: f"com.amazonaws.{c.region}.{s}"),
                subnet_ids=args["subnet_ids"], security_group_ids=[group.id],
                private_dns_enabled=args.get("private_dns", True), tags=name_tagged(tags, f"{name}-{service}"),
                opts=child_options(self))
        if "s3" not in skipped:
            endpoints["s3"] = aws.ec2.VpcEndpoint(
                f"{name}-s3", vpc_id=args["vpc_id"], vpc_endpoint_type="Gateway",
                service_name=context.apply(lambda c: f"com.amazonaws.{c.region}.s3"),
                route_table_ids=args["route_table_ids"], tags=name_tagged(tags, f"{name}-s3"),
                opts=child_options(self))

        self.ready_ids = pulumi.Output.all(*[r.id for r in [*endpoints.values(), *admitted]])
        environment = args.get("environment_endpoints")
        if environment:
            endpoints.update(self.add_environment_endpoints(environment))

        self.endpoint_ids = pulumi.Output.all(**{service: e.id for service, e in endpoints.items()})
        self.security_group_id = group.id
        self.webserver_network_interface_ids = (endpoints["webserver"].network_interface_ids.apply(list) if environment
                                                else pulumi.Output.from_input([]))
        self.register_outputs({"endpoint_ids": self.endpoint_ids, "security_group_id": self.security_group_id,
                               "webserver_network_interface_ids": self.webserver_network_interface_ids,
                               "ready_ids": self.ready_ids})

    def add_environment_endpoints(self, services: EnvironmentEndpointServicesArgs) -> dict[str, aws.ec2.VpcEndpoint]:
        """The environment's webserver and database endpoints (CUSTOMER mode), by kind, as `environment_endpoints` makes them.

        For an environment made after this set, so that it starts after the set's service
        endpoints: its endpoint services exist only once it does. The endpoints are this set's
        children under the same names either way; `endpoint_ids` lists them only when given
        at construction.
        """
        name = self._label
        # MWAA's endpoint services publish no private DNS name; the environment finds its
        # endpoints by service, and the load balancer targets the web server's IPs.
        return {kind: aws.ec2.VpcEndpoint(
            f"{name}-environment-{kind}", vpc_id=self._vpc_id, vpc_endpoint_type="Interface",
            service_name=services[kind], subnet_ids=self._subnet_ids,
            security_group_ids=[services["security_group_id"]], private_dns_enabled=False,
            tags=name_tagged(self._tags, f"{name}-environment-{kind}"), opts=child_options(self))
            for kind in ENVIRONMENT_ENDPOINTS}


def interface_private_ips(network_interface_ids: pulumi.Input[Sequence[str]], count: int,
                          parent: pulumi.Resource) -> list[pulumi.Output[str]]:
    """The private IPs of an endpoint's `count` network interfaces, each as its own Output.

    `count` comes from settings (one interface per subnet), so one load balancer target per IP
    can be declared at plan time instead of inside an `apply`.
    """
    ids = pulumi.Output.from_input(network_interface_ids)
    opts = pulumi.InvokeOutputOptions(parent=parent)
    return [aws.ec2.get_network_interface_output(id=ids.apply(lambda v, i=i: interface_at(v, i, count)),
                                                 opts=opts).private_ip
            for i in range(count)]


def interface_at(interface_ids: Sequence[str], index: int, count: int) -> str:
    """Interface `index` of an endpoint expected to have `count`; any other number is an error, not a guess."""
    if len(interface_ids) != count:
        raise ValueError(f"the endpoint has {len(interface_ids)} network interfaces {interface_ids}, expected {count} "
                         "(one per subnet of the environment)")
    return interface_ids[index]


def webserver_endpoint_interface_ids(service_name: pulumi.Input[str], vpc_id: pulumi.Input[str],
                                     parent: pulumi.Resource) -> pulumi.Output[list[str]]:
    """The network interfaces of the webserver endpoint MWAA created itself (endpoint management SERVICE)."""
    endpoint = aws.ec2.get_vpc_endpoint_output(service_name=service_name, vpc_id=vpc_id,
                                               opts=pulumi.InvokeOutputOptions(parent=parent))
    return endpoint.network_interface_ids

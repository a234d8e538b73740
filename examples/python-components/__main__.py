"""MWAA without internet, composed from the components: a network without NAT, VPC endpoints that admit the
environment's security group, and the environment starting once the endpoints exist. A test runs it under mocks."""

import pulumi

from airflow_aws import (EndpointSet, MwaaEnvironment, NatGateways, VpcNetwork, WebserverAccessMode,
                         environment_security_group)

network = VpcNetwork("network", {
    "cidr": "10.30.0.0/16",
    "private_subnet_cidrs": ["10.30.0.0/18", "10.30.64.0/18"],
    "nat_gateways": NatGateways.NONE,
})
# Made before the environment: the endpoints admit it, and the environment must start after the endpoints.
group = environment_security_group("airflow", vpc_id=network.vpc_id, environment_name="isolated", tags={})
endpoints = EndpointSet("endpoints", {
    "vpc_id": network.vpc_id,
    "subnet_ids": network.private_subnet_ids,
    "route_table_ids": network.private_route_table_ids,
    "client_security_group_ids": [group.id],
})
environment = MwaaEnvironment("airflow", {
    "environment_name": "isolated",
    "vpc_id": network.vpc_id,
    "subnet_ids": network.private_subnet_ids,
    "security_group_id": group.id,
    "start_after": endpoints.ready_ids,
    "webserver_access_mode": WebserverAccessMode.PRIVATE_ONLY,
})
pulumi.export("webserverVpcEndpointService", environment.webserver_vpc_endpoint_service)
pulumi.export("endpointIds", endpoints.endpoint_ids)

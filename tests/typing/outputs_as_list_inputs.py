"""Type-checked by pyright in `make test`, never run: list inputs take lists of Outputs (Sequence is covariant)."""

import pulumi

from airflow_aws import EndpointSetArgs, MwaaEnvironmentArgs


def wiring(subnet_ids: list[pulumi.Output[str]], group: pulumi.Output[str]) -> MwaaEnvironmentArgs:
    endpoint_args: EndpointSetArgs = {"vpc_id": "vpc-1", "subnet_ids": subnet_ids, "route_table_ids": [],
                                      "client_security_group_ids": [group]}
    del endpoint_args
    return {"environment_name": "analytics", "vpc_id": "vpc-1", "subnet_ids": subnet_ids,
            "execution_role_managed_policy_arns": [group]}

"""The components are a Pulumi package: the SDK's own analyzer (what `pulumi package add` runs) infers their
schema, with the type tokens the components register under and a description for every input and output."""

import inspect
import json

import pulumi
import pytest
from pulumi.provider.experimental.component import ComponentProvider

import airflow_aws
from airflow_aws import MwaaEnvironment, VpcNetwork, mwaa_environment, package, vpc_network

PACKAGE = "airflow-aws"
EXPORTED_COMPONENTS = [item for item in (getattr(airflow_aws, name) for name in airflow_aws.__all__)
                       if inspect.isclass(item) and issubclass(item, pulumi.ComponentResource)]


def schema(*components) -> dict:
    return json.loads(ComponentProvider(list(components), PACKAGE, version="0.1.0").schema)


@pytest.fixture(scope="module")
def foundation():
    return schema(MwaaEnvironment, VpcNetwork)


def test_every_exported_component_is_hosted_for_other_languages():
    assert {c.__name__ for c in EXPORTED_COMPONENTS} == {c.__name__ for c in package.components()}


@pytest.mark.parametrize("component", package.components(), ids=lambda c: c.__name__)
def test_the_analyzer_accepts_every_hosted_component(component):
    try:
        resources = schema(component)["resources"]
    except AttributeError as error:  # what the analyzer raises on annotations it cannot read
        pytest.fail(f"{component.__module__}: {error}; string annotations (`from __future__ import annotations`) "
                    "hide the types from the analyzer")
    assert list(resources) == [f"{PACKAGE}:index:{component.__name__}"]


@pytest.mark.parametrize("component, module", [(MwaaEnvironment, mwaa_environment), (VpcNetwork, vpc_network)])
def test_the_schema_token_is_the_one_the_component_registers_under(foundation, component, module):
    assert f"{PACKAGE}:index:{component.__name__}" == module.TYPE_TOKEN
    assert foundation["resources"][module.TYPE_TOKEN]["isComponent"] is True


def test_every_input_and_output_is_described(foundation):
    for token, resource in foundation["resources"].items():
        properties = {**resource["inputProperties"], **resource["properties"]}
        undescribed = [name for name, prop in properties.items() if not prop.get("description")]
        assert not undescribed, f"{token}: {undescribed}"
        assert resource["description"]
    for token, type_definition in foundation.get("types", {}).items():
        assert all(prop.get("description") for prop in type_definition.get("properties", {}).values()), token


def test_the_environment_takes_the_network_it_runs_in_and_names_the_rest_optional(foundation):
    environment = foundation["resources"][mwaa_environment.TYPE_TOKEN]
    assert sorted(environment["requiredInputs"]) == ["environmentName", "subnetIds", "vpcId"]
    inputs = environment["inputProperties"]
    assert inputs["subnetIds"]["type"] == "array" and inputs["subnetIds"]["items"]["type"] == "string"
    assert inputs["securityGroupEgress"]["items"]["$ref"] == f"#/types/{PACKAGE}:index:EgressRuleArgs"
    egress = foundation["types"][f"{PACKAGE}:index:EgressRuleArgs"]
    assert sorted(egress["required"]) == ["description", "fromPort", "protocol", "toPort"]


def test_what_decides_which_resources_exist_must_be_known_at_plan_time(foundation):
    environment = foundation["resources"][mwaa_environment.TYPE_TOKEN]["inputProperties"]
    plain = {name for name, prop in environment.items() if prop.get("plain")}
    assert {"environmentName", "logLevels", "createKmsKey", "sourceFolder", "uploadDags",
            "protectStatefulResources", "securityGroupEgress"} <= plain
    assert not {"vpcId", "subnetIds", "kmsKeyArn", "minWorkers"} & plain
    # The component compares the protocol to decide whether an egress rule takes ports.
    assert foundation["types"][f"{PACKAGE}:index:EgressRuleArgs"]["properties"]["protocol"].get("plain") is True
    network = foundation["resources"][vpc_network.TYPE_TOKEN]["inputProperties"]
    assert {"cidr", "privateSubnetCidrs", "natGateways"} <= {n for n, p in network.items() if p.get("plain")}


def test_the_environment_outputs_what_its_users_need(foundation):
    outputs = foundation["resources"][mwaa_environment.TYPE_TOKEN]["properties"]
    assert {"arn", "name", "webserverUrl", "webserverVpcEndpointService", "databaseVpcEndpointService",
            "bucketName", "bucketArn", "executionRoleArn", "securityGroupId", "kmsKeyArn", "logGroupNames",
            "webUiAccessPolicyArns"} <= set(outputs)
    assert outputs["webUiAccessPolicyArns"]["type"] == "object"


def test_the_network_outputs_its_vpc_subnets_and_route_tables(foundation):
    outputs = foundation["resources"][vpc_network.TYPE_TOKEN]["properties"]
    assert {"vpcId", "vpcCidr", "privateSubnetIds", "privateRouteTableIds", "publicSubnetIds"} <= set(outputs)
    assert sorted(foundation["resources"][vpc_network.TYPE_TOKEN]["requiredInputs"]) == ["cidr", "privateSubnetCidrs"]

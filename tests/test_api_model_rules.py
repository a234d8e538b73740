"""The mapping table: every Pulumi type the stacks register maps onto the API operation the provider calls, every
mapped member exists in AWS's model, and a value the model refuses in any mapped input fails the check."""

import importlib
import inspect
import re
from types import ModuleType
from typing import Iterator

import pytest

from program.api_model.resources import RULES, UNCHECKED, check_plan, mapped_members, member_shape
from program.api_model.rules import Block
from tests.harness import violations, with_input


@pytest.mark.parametrize("type_token", sorted(RULES))
def test_every_mapped_member_exists_in_the_api_model(type_token):
    rule = RULES[type_token]
    for key, path in mapped_members(rule.members):
        assert member_shape(rule.service, rule.shape, path) is not None, (type_token, key, path)


def test_a_misspelt_member_in_the_table_is_found():
    with pytest.raises(KeyError, match="CreateVpcRequest has no member path CidrBlocks"):
        member_shape("ec2", "CreateVpcRequest", "CidrBlocks")


def all_plans(stack_plans, fargate_plan):
    # test first: it has every part of the MWAA architecture (sandbox goes without the interface endpoints).
    return [stack_plans["test"], *(plan for stack, plan in stack_plans.items() if stack != "test"), fargate_plan]


def test_every_type_the_stacks_register_has_a_rule_or_a_reason(stack_plans, fargate_plan):
    registered = {r.type for plan in all_plans(stack_plans, fargate_plan) for r in plan.registrations if r.custom}
    assert registered - set(RULES) == set(UNCHECKED)


def test_every_input_the_stacks_register_is_mapped_or_has_a_reason(stack_plans, fargate_plan):
    for plan in all_plans(stack_plans, fargate_plan):
        report = check_plan(plan)
        unexplained = {(typ, key): reason for typ, inputs in report.unchecked_properties.items()
                       for key, reason in inputs.items() if reason.startswith("not mapped")}
        assert unexplained == {}, plan.stack


def test_the_stacks_and_fargate_plan_without_violations(stack_plans, fargate_plan):
    for plan in all_plans(stack_plans, fargate_plan):
        assert check_plan(plan).violations == []


# One registered input per type, set to a value AWS's model refuses: (type, input path, value, component,
# what the constraint says).
BREAKS = [
    ("aws:ec2/vpc:Vpc", "enableDnsHostnames", "yes", "VpcNetwork", "must be true or false"),
    ("aws:ec2/subnet:Subnet", "mapPublicIpOnLaunch", "no", "VpcNetwork", "must be true or false"),
    ("aws:ec2/internetGateway:InternetGateway", "vpcId", 42, "VpcNetwork", "must be a string"),
    ("aws:ec2/eip:Eip", "domain", "classic", "VpcNetwork", "is not one of DomainType's values"),
    ("aws:ec2/natGateway:NatGateway", "allocationId", ["eipalloc-1"], "VpcNetwork", "must be a string"),
    ("aws:ec2/routeTable:RouteTable", "routes[0].gatewayId", 7, "VpcNetwork", "must be a string"),
    ("aws:ec2/routeTableAssociation:RouteTableAssociation", "subnetId", 7, "VpcNetwork", "must be a string"),
    ("aws:ec2/securityGroup:SecurityGroup", "description", 7, "EndpointSet", "must be a string"),
    ("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "fromPort", 443.5, "EndpointSet",
     "must be a whole number"),
    ("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "toPort", "443", "PrivateAccessAlb",
     "must be a number"),
    ("aws:ec2/vpcEndpoint:VpcEndpoint", "vpcEndpointType", "Interfaces", "EndpointSet",
     "is not one of VpcEndpointType's values"),
    ("aws:iam/role:Role", "description", "x" * 1001, "AirflowMonitoring", "allows at most 1000"),
    ("aws:iam/policy:Policy", "description", "x" * 1001, "MwaaEnvironment", "allows at most 1000"),
    ("aws:iam/rolePolicy:RolePolicy", "role", "execution role", "AirflowMonitoring", "does not match roleNameType's pattern"),
    ("aws:kms/key:Key", "deletionWindowInDays", 400, "MwaaEnvironment", "above PendingWindowInDaysType's maximum 365"),
    ("aws:kms/alias:Alias", "name", "alias/airflow sandbox", "MwaaEnvironment", "does not match AliasNameType's pattern"),
    ("aws:s3/bucket:Bucket", "objectLockEnabled", "yes", "MwaaEnvironment", "must be true or false"),
    ("aws:s3/bucketVersioning:BucketVersioning", "versioningConfiguration.status", "On", "MwaaEnvironment",
     "is not one of BucketVersioningStatus's values"),
    ("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
     "rules[0].applyServerSideEncryptionByDefault.sseAlgorithm", "KMS", "MwaaEnvironment",
     "is not one of ServerSideEncryption's values"),
    ("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "blockPublicAcls", "true", "MwaaEnvironment",
     "must be true or false"),
    ("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "rule.objectOwnership", "Enforced", "MwaaEnvironment",
     "is not one of ObjectOwnership's values"),
    ("aws:s3/bucketPolicy:BucketPolicy", "bucket", 7, "MwaaEnvironment", "must be a string"),
    ("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "rules[0].status", "On", "PrivateAccessAlb",
     "is not one of ExpirationStatus's values"),
    ("aws:s3/bucketObjectv2:BucketObjectv2", "key", "", "MwaaEnvironment", "needs at least 1"),
    ("aws:cloudwatch/logGroup:LogGroup", "name", "/airflow/with space", "AirflowMonitoring",
     "does not match LogGroupName's pattern"),
    ("aws:lambda/function:Function", "memorySize", 64, "AirflowMonitoring", "below MemorySize's minimum 128"),
    ("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "maximumRetryAttempts", 3, "AirflowMonitoring",
     "above MaximumRetryAttempts's maximum 2"),
    ("aws:lambda/permission:Permission", "principal", "elastic loadbalancing", "PrivateAccessAlb",
     "does not match Principal's pattern"),
    ("aws:lb/loadBalancer:LoadBalancer", "loadBalancerType", "classic", "PrivateAccessAlb",
     "is not one of LoadBalancerTypeEnum's values"),
    ("aws:lb/targetGroup:TargetGroup", "healthCheck.interval", 3, "PrivateAccessAlb",
     "below HealthCheckIntervalSeconds's minimum 5"),
    ("aws:lb/targetGroupAttachment:TargetGroupAttachment", "port", 0, "PrivateAccessAlb", "below Port's minimum 1"),
    ("aws:lb/listener:Listener", "port", 70000, "PrivateAccessAlb", "above Port's maximum 65535"),
    ("aws:lb/listenerRule:ListenerRule", "priority", 0, "PrivateAccessAlb", "below RulePriority's minimum 1"),
    ("aws:acm/certificate:Certificate", "validationMethod", "DNS01", "PrivateAccessAlb",
     "is not one of ValidationMethod's values"),
    ("aws:route53/record:Record", "type", "ALIAS", "PrivateAccessAlb", "is not one of RRType's values"),
    ("aws:cloudwatch/dashboard:Dashboard", "dashboardName", 7, "AirflowMonitoring", "must be a string"),
    ("aws:cloudwatch/metricAlarm:MetricAlarm", "comparisonOperator", "Below", "AirflowMonitoring",
     "is not one of ComparisonOperator's values"),
    ("aws:scheduler/schedule:Schedule", "flexibleTimeWindow.mode", "NONE", "AirflowMonitoring",
     "is not one of FlexibleTimeWindowMode's values"),
    ("aws:sns/topic:Topic", "name", 7, "AirflowMonitoring", "must be a string"),
    ("aws:mwaa/environment:Environment", "schedulers", 6, "MwaaEnvironment", "above Schedulers's maximum 5"),
    ("aws:ecs/cluster:Cluster", "settings[0].name", "insights", "FargateAirflowCluster",
     "is not one of ClusterSettingName's values"),
    ("aws:ecs/service:Service", "launchType", "SPOT", "FargateAirflowCluster", "is not one of LaunchType's values"),
    ("aws:ecs/taskDefinition:TaskDefinition", "networkMode", "vpc", "FargateAirflowCluster",
     "is not one of NetworkMode's values"),
    ("aws:rds/cluster:Cluster", "port", "5432", "FargateAirflowCluster", "must be a number"),
    ("aws:rds/clusterInstance:ClusterInstance", "promotionTier", 1.5, "FargateAirflowCluster", "must be a whole number"),
    ("aws:rds/subnetGroup:SubnetGroup", "subnetIds", "subnet-1", "FargateAirflowCluster", "must be a list"),
    ("aws:elasticache/replicationGroup:ReplicationGroup", "numCacheClusters", "1", "FargateAirflowCluster",
     "must be a number"),
    ("aws:elasticache/subnetGroup:SubnetGroup", "subnetIds", "subnet-1", "FargateAirflowCluster", "must be a list"),
    ("aws:secretsmanager/secret:Secret", "description", "x" * 2049, "FargateAirflowCluster", "allows at most 2048"),
    ("aws:secretsmanager/secretVersion:SecretVersion", "secretString", "", "FargateAirflowCluster", "needs at least 1"),
    ("aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace", "name", "arn:aws:airflow", "FargateAirflowCluster",
     "does not match NamespaceNamePrivate's pattern"),
    ("aws:servicediscovery/service:Service", "dnsConfig.dnsRecords[0].type", "MX", "FargateAirflowCluster",
     "is not one of RecordType's values"),
    ("aws:appautoscaling/target:Target", "scalableDimension", "ecs:service:Count", "FargateAirflowCluster",
     "is not one of ScalableDimension's values"),
    ("aws:appautoscaling/policy:Policy", "policyType", "Target", "FargateAirflowCluster",
     "is not one of PolicyType's values"),
]


def test_every_rule_has_a_breaking_case():
    assert {case[0] for case in BREAKS} == set(RULES)


@pytest.mark.parametrize("type_token, path, value, component, constraint", BREAKS, ids=[c[0] for c in BREAKS])
def test_a_value_the_api_model_refuses_names_component_resource_property_and_constraint(
        type_token, path, value, component, constraint, stack_plans, fargate_plan):
    source = next(plan for plan in all_plans(stack_plans, fargate_plan) if plan.of_type(type_token))
    plan, changed = with_input(source, type_token, path, value)
    # A documented limit may refuse the same value too; the model's own constraint must be there, once.
    [violation] = [v for v in violations(plan) if constraint in v.problem.constraint]
    assert violation.component.split()[0] == component
    assert (violation.resource, violation.type, violation.problem.path) == (changed.name, type_token, path)
    assert constraint in violation.problem.constraint


@pytest.mark.parametrize("type_token", ["aws:mwaa/environment:Environment", "aws:iam/role:Role", "aws:kms/key:Key",
                                        "aws:lb/loadBalancer:LoadBalancer", "aws:cloudwatch/logGroup:LogGroup"])
def test_a_tag_aws_refuses_is_named_by_its_key(type_token, stack_plans):
    # Every service's tag shape allows 256 characters in a value (the settings refuse longer ones first).
    plan, changed = with_input(stack_plans["sandbox"], type_token, "tags", {"owner": "x" * 257})
    [violation] = violations(plan)
    assert (violation.resource, violation.problem.path) == (changed.name, "tags['owner']")
    assert "allows at most 256" in violation.problem.constraint


def test_a_name_prefix_is_checked_as_the_name_the_provider_makes_of_it(fargate_plan):
    # The provider appends 26 characters: a 490-character prefix makes a 516-character secret name.
    plan, changed = with_input(fargate_plan, "aws:secretsmanager/secret:Secret", "namePrefix", "airflow/" + "x" * 482)
    [violation] = [v for v in violations(plan) if "NameType" in v.problem.constraint]
    assert (violation.resource, violation.problem.path) == (changed.name, "namePrefix")
    assert violation.problem.constraint == "has 516 characters, NameType allows at most 512"


# Values the provider reshapes before AWS sees them: each is judged as what is sent, not as what was registered.
# (type, input path, value, what the check must say: None for accepted, else part of the constraint)
PROVIDER_CONVERSIONS = [
    # CreateListener takes a list of ALPN policies; the provider sends the one it is given as a list.
    ("aws:lb/listener:Listener", "alpnPolicy", "HTTP2Preferred", None),
    # "Disabled" (an unversioned bucket) makes the provider send no PutBucketVersioning at all.
    ("aws:s3/bucketVersioning:BucketVersioning", "versioningConfiguration.status", "Disabled", None),
    # The provider base64-decodes secretBinary and fails on what is not base64.
    ("aws:secretsmanager/secretVersion:SecretVersion", "secretBinary", "not base64!", "is not valid base64"),
    # The provider strips leading slashes from a key: "/" is sent as "", which PutObject refuses.
    ("aws:s3/bucketObjectv2:BucketObjectv2", "key", "/", "needs at least 1"),
]


@pytest.mark.parametrize("type_token, path, value, constraint", PROVIDER_CONVERSIONS,
                         ids=[f"{c[0].split(':')[-1]}.{c[1]}={str(c[2])[:20]}" for c in PROVIDER_CONVERSIONS])
def test_a_value_is_judged_as_the_provider_sends_it(type_token, path, value, constraint, stack_plans, fargate_plan):
    source = next(plan for plan in all_plans(stack_plans, fargate_plan) if plan.of_type(type_token))
    plan, _ = with_input(source, type_token, path, value)
    found = violations(plan)
    if constraint is None:
        assert found == []
    else:
        [violation] = found
        assert violation.problem.path == path and constraint in violation.problem.constraint


def _camel(snake: str) -> str:
    first, *rest = snake.split("_")
    return first + "".join(part[:1].upper() + part[1:] for part in rest)


def _pulumi_inputs(annotation: object, inputs_module: ModuleType) -> dict[str, object]:
    """camelCase input name -> annotation, of the pulumi-aws input type an annotation names."""
    name = re.search(r"'(\w+Args)(?:Dict)?'", str(annotation)).group(1) + "Dict"
    return {_camel(key): value for key, value in getattr(inputs_module, name).__annotations__.items()}


def _unknown_inputs(members: dict, unmapped: dict, inputs: dict[str, object], inputs_module: ModuleType,
                    where: str = "") -> Iterator[str]:
    """Every input the table names, through its blocks, that the pulumi-aws type does not have."""
    for key in [*members, *unmapped]:
        if key not in inputs:
            yield where + key
        elif isinstance(members.get(key), Block):
            block = members[key]
            yield from _unknown_inputs(block.members, block.unmapped, _pulumi_inputs(inputs[key], inputs_module),
                                       inputs_module, f"{where}{key}.")


@pytest.mark.parametrize("type_token", sorted(t for t in RULES if t.startswith("aws:")))
def test_every_input_the_table_names_is_an_input_of_the_pulumi_aws_type(type_token):
    # pulumi-aws's own input types carry the bridged (renamed) names, so a guessed name fails here.
    _, module, resource = type_token.split(":")
    package = "pulumi_aws." + {"lambda": "lambda_"}.get(module.split("/")[0], module.split("/")[0])
    resource_module = importlib.import_module(f"{package}.{re.sub(r'(?<!^)(?=[A-Z])', '_', resource).lower()}")
    args = getattr(resource_module, resource + "InitArgs", None) or getattr(resource_module, resource + "Args")
    inputs = {_camel(name): p.annotation for name, p in inspect.signature(args.__init__).parameters.items()}
    rule = RULES[type_token]
    inputs_module = importlib.import_module(package + "._inputs")
    assert list(_unknown_inputs(rule.members, rule.unmapped, inputs, inputs_module)) == []

"""Which inputs force the provider to replace a resource instead of updating it, for every type the program creates.

The data is the provider's own: pulumi-aws bridges terraform-provider-aws, whose schemas mark such arguments
`ForceNew: true` (SDK resources) or `RequiresReplace` (framework resources); pulumi-random marks every argument
of its resources so. Each entry names the file of terraform-provider-aws (github.com/hashicorp/terraform-provider-aws,
internal/service/...) that holds the schema, so a reviewer can check it when the provider is upgraded.
Inputs are Pulumi names (camelCase); `a.b` is a nested argument. Tests assert that every type a stack creates has
an entry, so a new resource type cannot slip past the preview.

Read line by line against the schema source in December 2026: the MWAA environment, VPC, subnet, VPC endpoint, KMS
key, log group, ACM certificate, Aurora cluster (arguments up to `scaling_configuration`), ElastiCache replication
group, load balancer, target group and
Secrets Manager secret. Re-read an entry's file when the provider is upgraded or a preview disagrees with
`pulumi preview`.
"""

from dataclasses import dataclass
from typing import Any, Callable

EVERY_INPUT = "*"


@dataclass(frozen=True)
class ReplaceRule:
    """How one resource type reacts to a changed input."""

    source: str  # the provider file whose schema these come from
    forces: tuple[str, ...] = ()  # inputs (or EVERY_INPUT) whose change replaces the resource
    except_inputs: tuple[str, ...] = ()  # with EVERY_INPUT: the inputs that still update in place

    def forcing(self, changed: str) -> bool:
        """True when a change of this input (a top-level name or a dotted path) replaces the resource."""
        top = changed.split(".")[0].split("[")[0]
        if self.forces == (EVERY_INPUT,):
            return top not in self.except_inputs and top not in _NEVER_FORCING
        return any(changed == f or changed.startswith(f + ".") or changed.startswith(f + "[") or top == f
                   for f in self.forces)


# Tags are updated in place on every type (the provider's tagging API), and so are these provider-only switches.
_NEVER_FORCING = ("tags", "tagsAll", "skipDestroy")

_EC2 = "ec2/"
RULES: dict[str, ReplaceRule] = {
    "aws:mwaa/environment:Environment": ReplaceRule(
        "mwaa/environment.go", ("name", "kmsKey", "endpointManagement", "networkConfiguration.subnetIds")),
    "aws:ec2/vpc:Vpc": ReplaceRule(_EC2 + "vpc_.go", ("cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength")),
    "aws:ec2/subnet:Subnet": ReplaceRule(
        _EC2 + "vpc_subnet.go", ("availabilityZone", "availabilityZoneId", "cidrBlock", "vpcId", "ipv4IpamPoolId",
                                 "ipv4NetmaskLength", "ipv6IpamPoolId", "ipv6Native", "ipv6NetmaskLength", "outpostArn")),
    "aws:ec2/internetGateway:InternetGateway": ReplaceRule(_EC2 + "vpc_internet_gateway.go"),
    "aws:ec2/eip:Eip": ReplaceRule(_EC2 + "ec2_eip.go", ("address", "customerOwnedIpv4Pool", "domain", "ipamPoolId",
                                                         "networkBorderGroup", "publicIpv4Pool")),
    "aws:ec2/natGateway:NatGateway": ReplaceRule(
        _EC2 + "vpc_nat_gateway.go", ("allocationId", "connectivityType", "privateIp", "subnetId")),
    "aws:ec2/routeTable:RouteTable": ReplaceRule(_EC2 + "vpc_route_table.go", ("vpcId",)),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": ReplaceRule(
        _EC2 + "vpc_route_table_association.go", ("subnetId", "gatewayId")),
    "aws:ec2/securityGroup:SecurityGroup": ReplaceRule(
        _EC2 + "vpc_security_group.go", ("name", "namePrefix", "description", "vpcId")),
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": ReplaceRule(_EC2 + "vpc_default_security_group.go", ("vpcId",)),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ReplaceRule(
        "vpc/security_group_ingress_rule.go", ("securityGroupId",)),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": ReplaceRule(
        "vpc/security_group_egress_rule.go", ("securityGroupId",)),
    "aws:ec2/vpcEndpoint:VpcEndpoint": ReplaceRule(
        _EC2 + "vpc_endpoint.go", ("serviceName", "vpcEndpointType", "vpcId", "serviceRegion",
                                   "resourceConfigurationArn", "serviceNetworkArn", "dnsOptions.privateDnsPreference",
                                   "dnsOptions.privateDnsSpecifiedDomains")),
    "aws:s3/bucket:Bucket": ReplaceRule("s3/bucket.go", ("bucket", "bucketPrefix", "objectLockEnabled")),
    "aws:s3/bucketObjectv2:BucketObjectv2": ReplaceRule("s3/object.go", ("bucket", "key")),
    "aws:s3/bucketVersioning:BucketVersioning": ReplaceRule(
        "s3/bucket_versioning.go", ("bucket", "expectedBucketOwner")),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": ReplaceRule(
        "s3/bucket_server_side_encryption_configuration.go", ("bucket", "expectedBucketOwner")),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": ReplaceRule("s3/bucket_public_access_block.go", ("bucket",)),
    "aws:s3/bucketPolicy:BucketPolicy": ReplaceRule("s3/bucket_policy.go", ("bucket",)),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": ReplaceRule("s3/bucket_ownership_controls.go", ("bucket",)),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": ReplaceRule(
        "s3/bucket_lifecycle_configuration.go", ("bucket", "expectedBucketOwner")),
    "aws:kms/key:Key": ReplaceRule(
        "kms/key.go", ("customerMasterKeySpec", "keyUsage", "multiRegion", "customKeyStoreId", "xksKeyId")),
    "aws:kms/alias:Alias": ReplaceRule("kms/alias.go", ("name", "namePrefix")),
    "aws:cloudwatch/logGroup:LogGroup": ReplaceRule("logs/group.go", ("name", "namePrefix", "logGroupClass")),
    "aws:cloudwatch/metricAlarm:MetricAlarm": ReplaceRule("cloudwatch/metric_alarm.go", ("name",)),
    "aws:cloudwatch/dashboard:Dashboard": ReplaceRule("cloudwatch/dashboard.go", ("dashboardName",)),
    "aws:iam/role:Role": ReplaceRule("iam/role.go", ("name", "namePrefix", "path")),
    "aws:iam/policy:Policy": ReplaceRule("iam/policy.go", ("name", "namePrefix", "path", "description")),
    "aws:iam/rolePolicy:RolePolicy": ReplaceRule("iam/role_policy.go", ("name", "namePrefix", "role")),
    "aws:lambda/function:Function": ReplaceRule("lambda/function.go", ("name", "packageType")),
    "aws:lambda/permission:Permission": ReplaceRule("lambda/permission.go", (EVERY_INPUT,)),
    "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": ReplaceRule(
        "lambda/function_event_invoke_config.go", ("functionName", "qualifier")),
    # A changed input invokes the function again: Pulumi shows it as a replacement of the invocation.
    "aws:lambda/invocation:Invocation": ReplaceRule("lambda/invocation.go", (EVERY_INPUT,)),
    "aws:lb/loadBalancer:LoadBalancer": ReplaceRule(
        "elbv2/load_balancer.go", ("name", "namePrefix", "internal", "loadBalancerType", "customerOwnedIpv4Pool")),
    "aws:lb/targetGroup:TargetGroup": ReplaceRule(
        "elbv2/target_group.go", ("name", "namePrefix", "port", "protocol", "protocolVersion", "targetType", "vpcId",
                                  "ipAddressType")),
    "aws:lb/targetGroupAttachment:TargetGroupAttachment": ReplaceRule(
        "elbv2/target_group_attachment.go", (EVERY_INPUT,)),
    "aws:lb/listener:Listener": ReplaceRule("elbv2/listener.go", ("loadBalancerArn",)),
    "aws:lb/listenerRule:ListenerRule": ReplaceRule("elbv2/listener_rule.go", ("listenerArn",)),
    "aws:acm/certificate:Certificate": ReplaceRule(
        "acm/certificate.go", ("domainName", "subjectAlternativeNames", "validationMethod", "validationOptions",
                               "keyAlgorithm", "certificateAuthorityArn")),
    "aws:acm/certificateValidation:CertificateValidation": ReplaceRule(
        "acm/certificate_validation.go", (EVERY_INPUT,)),
    "aws:route53/record:Record": ReplaceRule("route53/record.go", ("name", "zoneId")),
    "aws:scheduler/schedule:Schedule": ReplaceRule("scheduler/schedule.go", ("name", "namePrefix", "groupName")),
    "aws:sns/topic:Topic": ReplaceRule("sns/topic.go", ("name", "namePrefix", "fifoTopic")),
    "aws:ecs/cluster:Cluster": ReplaceRule("ecs/cluster.go", ("name",)),
    "aws:ecs/service:Service": ReplaceRule(
        "ecs/service.go", ("name", "cluster", "iamRole", "launchType", "schedulingStrategy")),
    # Task definitions are immutable: every input but these makes a new revision.
    "aws:ecs/taskDefinition:TaskDefinition": ReplaceRule(
        "ecs/task_definition.go", (EVERY_INPUT,), except_inputs=("trackLatest",)),
    "aws:rds/cluster:Cluster": ReplaceRule(
        "rds/cluster.go", ("clusterIdentifier", "clusterIdentifierPrefix", "clusterScalabilityType", "engine",
                           "engineMode", "databaseName", "dbSystemId", "masterUsername", "availabilityZones",
                           "storageEncrypted", "kmsKeyId", "dbSubnetGroupName", "snapshotIdentifier", "sourceRegion",
                           "restoreToPointInTime", "s3Import")),
    "aws:rds/clusterInstance:ClusterInstance": ReplaceRule(
        "rds/cluster_instance.go", ("identifier", "identifierPrefix", "clusterIdentifier", "engine",
                                    "availabilityZone", "dbSubnetGroupName", "customIamInstanceProfile")),
    "aws:rds/subnetGroup:SubnetGroup": ReplaceRule("rds/subnet_group.go", ("name", "namePrefix")),
    "aws:elasticache/replicationGroup:ReplicationGroup": ReplaceRule(
        "elasticache/replication_group.go", ("replicationGroupId", "atRestEncryptionEnabled", "kmsKeyId",
                                             "subnetGroupName", "port", "snapshotArns", "snapshotName",
                                             "dataTieringEnabled", "networkType", "globalReplicationGroupId",
                                             "securityGroupNames")),
    "aws:elasticache/subnetGroup:SubnetGroup": ReplaceRule("elasticache/subnet_group.go", ("name",)),
    "aws:secretsmanager/secret:Secret": ReplaceRule("secretsmanager/secret.go", ("name", "namePrefix")),
    "aws:secretsmanager/secretVersion:SecretVersion": ReplaceRule(
        "secretsmanager/secret_version.go", ("secretId", "secretString", "secretBinary")),
    "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace": ReplaceRule(
        "servicediscovery/private_dns_namespace.go", ("name", "vpc")),
    "aws:servicediscovery/service:Service": ReplaceRule(
        "servicediscovery/service.go", ("name", "namespaceId", "dnsConfig.namespaceId", "healthCheckCustomConfig",
                                        "type")),
    "aws:appautoscaling/target:Target": ReplaceRule(
        "appautoscaling/target.go", ("resourceId", "scalableDimension", "serviceNamespace")),
    "aws:appautoscaling/policy:Policy": ReplaceRule(
        "appautoscaling/policy.go", ("name", "resourceId", "scalableDimension", "serviceNamespace")),
    # pulumi-random (terraform-provider-random): every argument of these resources requires replacement.
    "random:index/randomPassword:RandomPassword": ReplaceRule("terraform-provider-random password", (EVERY_INPUT,)),
    "random:index/randomBytes:RandomBytes": ReplaceRule("terraform-provider-random bytes", (EVERY_INPUT,)),
}


def _major_version_raised(old: Any, new: Any) -> bool:
    """MWAA upgrades minor versions in place; a new major version is a new environment (CustomizeDiff)."""
    try:
        return int(str(old).split(".")[0]) < int(str(new).split(".")[0])
    except ValueError:
        return False


# Inputs that force replacement only for some changes: the provider's CustomizeDiff, by type and input.
CONDITIONAL: dict[str, dict[str, Callable[[Any, Any], bool]]] = {
    "aws:mwaa/environment:Environment": {"airflowVersion": _major_version_raised},
}


def forcing_inputs(type_token: str, changed: dict[str, tuple[Any, Any]]) -> list[str]:
    """The changed inputs (path -> (old, new)) that make the provider replace a resource of this type.

    Raises KeyError for a type without data: the preview must not guess that an unknown type updates in place."""
    rule = RULES[type_token]
    conditional = CONDITIONAL.get(type_token, {})
    return [path for path, (old, new) in changed.items()
            if rule.forcing(path) or (path in conditional and conditional[path](old, new))]

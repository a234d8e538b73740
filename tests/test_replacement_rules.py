"""The provider's replace-versus-update knowledge, one case per resource type the program creates."""

import pytest

from program.changes.replacement import RULES, forcing_inputs

# Per type: (an input the provider replaces the resource for, an input it updates in place).
CASES = {
    "aws:mwaa/environment:Environment": ("networkConfiguration.subnetIds", "networkConfiguration.securityGroupIds"),
    "aws:ec2/vpc:Vpc": ("cidrBlock", "enableDnsHostnames"),
    "aws:ec2/subnet:Subnet": ("availabilityZone", "mapPublicIpOnLaunch"),
    "aws:ec2/internetGateway:InternetGateway": (None, "vpcId"),
    "aws:ec2/eip:Eip": ("domain", "tags"),
    "aws:ec2/natGateway:NatGateway": ("subnetId", "tags"),
    "aws:ec2/routeTable:RouteTable": ("vpcId", "routes"),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": ("subnetId", "routeTableId"),
    "aws:ec2/securityGroup:SecurityGroup": ("description", "revokeRulesOnDelete"),
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": ("vpcId", "ingress"),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ("securityGroupId", "cidrIpv4"),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": ("securityGroupId", "toPort"),
    "aws:ec2/vpcEndpoint:VpcEndpoint": ("serviceName", "privateDnsEnabled"),
    "aws:s3/bucket:Bucket": ("bucketPrefix", "forceDestroy"),
    "aws:s3/bucketObjectv2:BucketObjectv2": ("key", "source.sha256"),
    "aws:s3/bucketVersioning:BucketVersioning": ("bucket", "versioningConfiguration.status"),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": ("bucket", "rules"),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": ("bucket", "blockPublicAcls"),
    "aws:s3/bucketPolicy:BucketPolicy": ("bucket", "policy"),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": ("bucket", "rule.objectOwnership"),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": ("bucket", "rules"),
    "aws:kms/key:Key": ("keyUsage", "enableKeyRotation"),
    "aws:kms/alias:Alias": ("name", "targetKeyId"),
    "aws:cloudwatch/logGroup:LogGroup": ("name", "retentionInDays"),
    "aws:cloudwatch/metricAlarm:MetricAlarm": ("name", "threshold"),
    "aws:cloudwatch/dashboard:Dashboard": ("dashboardName", "dashboardBody"),
    "aws:iam/role:Role": ("name", "assumeRolePolicy"),
    "aws:iam/policy:Policy": ("description", "policy"),
    "aws:iam/rolePolicy:RolePolicy": ("role", "policy"),
    "aws:lambda/function:Function": ("name", "code"),
    "aws:lambda/permission:Permission": ("principal", "tags"),
    "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": ("functionName", "maximumRetryAttempts"),
    "aws:lambda/invocation:Invocation": ("input", "tags"),
    "aws:lb/loadBalancer:LoadBalancer": ("internal", "subnets"),
    "aws:lb/targetGroup:TargetGroup": ("targetType", "healthCheck.path"),
    "aws:lb/targetGroupAttachment:TargetGroupAttachment": ("targetId", "tags"),
    "aws:lb/listener:Listener": ("loadBalancerArn", "sslPolicy"),
    "aws:lb/listenerRule:ListenerRule": ("listenerArn", "priority"),
    "aws:acm/certificate:Certificate": ("domainName", "tags"),
    "aws:acm/certificateValidation:CertificateValidation": ("validationRecordFqdns", "tags"),
    "aws:route53/record:Record": ("zoneId", "records"),
    "aws:scheduler/schedule:Schedule": ("name", "scheduleExpression"),
    "aws:sns/topic:Topic": ("name", "kmsMasterKeyId"),
    "aws:ecs/cluster:Cluster": ("name", "settings"),
    "aws:ecs/service:Service": ("cluster", "desiredCount"),
    "aws:ecs/taskDefinition:TaskDefinition": ("containerDefinitions", "trackLatest"),
    "aws:rds/cluster:Cluster": ("storageEncrypted", "serverlessv2ScalingConfiguration.maxCapacity"),
    "aws:rds/clusterInstance:ClusterInstance": ("clusterIdentifier", "instanceClass"),
    "aws:rds/subnetGroup:SubnetGroup": ("name", "subnetIds"),
    "aws:elasticache/replicationGroup:ReplicationGroup": ("atRestEncryptionEnabled", "nodeType"),
    "aws:elasticache/subnetGroup:SubnetGroup": ("name", "subnetIds"),
    "aws:secretsmanager/secret:Secret": ("namePrefix", "kmsKeyId"),
    "aws:secretsmanager/secretVersion:SecretVersion": ("secretString", "versionStages"),
    "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace": ("vpc", "description"),
    "aws:servicediscovery/service:Service": ("dnsConfig.namespaceId", "dnsConfig.dnsRecords"),
    "aws:appautoscaling/target:Target": ("resourceId", "maxCapacity"),
    "aws:appautoscaling/policy:Policy": ("resourceId", "targetTrackingScalingPolicyConfiguration"),
    "random:index/randomPassword:RandomPassword": ("length", "tags"),
    "random:index/randomBytes:RandomBytes": ("length", "tags"),
}


@pytest.mark.parametrize("type_token", sorted(RULES))
def test_the_provider_replaces_for_one_input_and_updates_for_another(type_token):
    replacing, updating = CASES[type_token]
    if replacing:
        assert forcing_inputs(type_token, {replacing: ("a", "b")}) == [replacing]
    assert forcing_inputs(type_token, {updating: ("a", "b")}) == []


def test_every_type_a_stack_creates_has_replacement_data(stack_plans, fargate_plan):
    created = {r.type for plan in [*stack_plans.values(), fargate_plan] for r in plan.registrations if r.custom}
    assert created <= RULES.keys()
    assert RULES.keys() == CASES.keys()


def test_mwaa_replaces_the_environment_only_for_a_new_major_airflow_version():
    environment = "aws:mwaa/environment:Environment"
    assert forcing_inputs(environment, {"airflowVersion": ("2.10.3", "2.11.0")}) == []
    assert forcing_inputs(environment, {"airflowVersion": ("2.11.0", "3.0.6")}) == ["airflowVersion"]

"""The mapping table: which API operation the provider calls with each Pulumi type's inputs, member by member.

Pulumi input names are camelCase of terraform-provider-aws attribute names; the member each becomes was read
in the provider's create and expand functions (the `source` of each rule, under
github.com/hashicorp/terraform-provider-aws/internal/service/). A path is dotted API members of the rule's
input shape, stepping through lists; `Shape:Path` names a member of another operation the same resource
calls (e.g. a retention set by PutRetentionPolicy after CreateLogGroup). Inputs that become no member
(tags, name prefixes, assets, provider-side switches) are listed in `unmapped` with the reason, so the plan
shows them as unchecked instead of passing over them.

Every rule was read in the provider's source: the create function of the file its `source` names, the
expand and attribute helpers it calls, and the calls it makes after create. MWAA environment, security group
rules, target group, load balancer, metric alarm, log group, Route 53 record, ECS service, Cloud Map service
and ElastiCache replication group were read first; the others after, in the copies the code index holds,
from v4 and v5 (AWS SDK v1) to 2026 (v6.x, which pulumi-aws 7.51 bundles); where the bundled version differs
from an older copy the rule says so (KMS key spec). A test holds every input name, block keys included, to
pulumi-aws 7.51's own input types, and every mapped member to botocore's model. Read only in part: the S3
bucket (only a pre-v4 copy of bucket.go was at hand, so tags by PutBucketTagging follow v5), the Application
Auto Scaling policy (a copy before the target-tracking `metrics` queries, whose members follow
TargetTrackingMetricDataQuery), the scheduler schedule (create from the flexible time window on, and the
target's expand helpers) and the listener rule (its transforms keep the names pulumi-aws gives them, which a
2025 copy spelled differently).
"""

import base64
import binascii
import json
import re
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Optional, Union
from urllib.parse import urlencode


@dataclass(frozen=True)
class Convert:
    """An input the provider reshapes before sending it (a map into a Name/Value list, a bool into an enum)."""

    member: str
    """The API member path the converted value becomes."""
    convert: Callable[[Any], Any]
    """Turns the registered value into what the provider sends (None: sends nothing); a ValueError is reported
    as the problem."""
    locate: Optional[Callable[[Any, str], str]] = None
    """Turns a path inside the converted value back into one inside the registered value. Default: the same."""


@dataclass(frozen=True)
class Block:
    """A nested Pulumi input (an object, or a list of objects) that the provider expands into `member`."""

    member: str
    """The API member path the block becomes; its members' paths are relative to it."""
    members: dict[str, "Mapping"]
    """The block's own keys -> the API member each becomes."""
    unmapped: dict[str, str] = field(default_factory=dict)
    """Keys of the block that become no member -> why. Default: none."""


Mapping = Union[str, Convert, Block]


@dataclass(frozen=True)
class Rule:
    """How the provider turns one Pulumi type's inputs into one API operation's input."""

    service: str
    """botocore's service name (e.g. "ec2", "elbv2")."""
    shape: str
    """The input shape of the operation the provider's create calls (e.g. "CreateVpcRequest")."""
    source: str
    """The provider file (under internal/service/) whose create and expand functions were read."""
    members: dict[str, Mapping]
    """Pulumi input name (camelCase, as registered) -> the API member, conversion or block it becomes."""
    unmapped: dict[str, str] = field(default_factory=dict)
    """Pulumi inputs that become no member -> why. Default: none."""


def _pairs(key: str, value: str) -> Callable[[dict[str, Any]], list[dict[str, Any]]]:
    """A map the provider sends as a list of {key: ..., value: ...} objects (dimensions, tags)."""
    return lambda mapping: [{key: k, value: v} for k, v in mapping.items()]


_name_value_list = _pairs("Name", "Value")


def _ec2_tag_specifications(tags: dict[str, str]) -> list[dict[str, Any]]:
    # getTagSpecificationsIn: one TagSpecification of the resource's own type, holding every tag.
    return [{"Tags": _pairs("Key", "Value")(tags)}]


def _record_values(values: list[str]) -> list[dict[str, str]]:
    return [{"Value": value} for value in values]


def _json_document(text: str) -> Any:
    """A JSON string input the provider decodes into the structure the API takes."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"is not valid JSON ({error.msg} at character {error.pos})") from None


def _enabled(flag: bool) -> str:
    return "ENABLED" if flag else "DISABLED"


def _scheme(internal: bool) -> str:
    return "internal" if internal else "internet-facing"


def _one_item_list(value: Any) -> list[Any]:
    return [value]


def _unless(skipped: Any) -> Callable[[Any], Any]:
    """A value the provider treats as "not set": it sends nothing for it (GetOk's zero value, or a sentinel)."""
    return lambda value: None if value == skipped else value


def _base64_decoded(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except binascii.Error as error:
        raise ValueError(f"is not valid base64 ({error})") from None


def _s3_object_key(key: str) -> str:
    # sdkv1CompatibleCleanKey: drops a leading "./" and leading "/", and collapses repeated "/".
    key = key[2:] if key.startswith("./") else key
    return re.sub(r"/+", "/", key.lstrip("/"))


def _float_bound(text: str) -> Optional[float]:
    if text == "":
        return None
    try:
        return float(text)
    except ValueError:
        raise ValueError("must be a number written as a string") from None


def _bool_attribute(name: str) -> Callable[[bool], dict[str, str]]:
    """A bool the provider sends as one entry of a string-valued attribute map."""
    return lambda flag: {name: "true" if flag else "false"}


# Reasons shared by many rules. TAGS is the reason only where _TAGS (after the table) has no mapping.
TAGS = "provider-only: tags go to the service's tag list or TagResource after create"
NAME_PREFIX = "provider-only: the provider appends a unique suffix and sends the result as the name"  # see _PREFIXES
ASSET = "provider-only: an asset the provider uploads as the body"
REPLACEMENT = "provider-only: decides how Pulumi replaces or deletes the resource, never sent to AWS"

_SG_RULE_MEMBERS: dict[str, Mapping] = {
    # expandIPPermission: one IpPermission; the description goes to whichever source list is set (IpRanges,
    # UserIdGroupPairs or PrefixListIds), all three the same unconstrained string in the model.
    "securityGroupId": "GroupId",
    "ipProtocol": "IpPermissions.IpProtocol",
    "fromPort": "IpPermissions.FromPort",
    "toPort": "IpPermissions.ToPort",
    "cidrIpv4": "IpPermissions.IpRanges.CidrIp",
    "cidrIpv6": "IpPermissions.Ipv6Ranges.CidrIpv6",
    "prefixListId": "IpPermissions.PrefixListIds.PrefixListId",
    "referencedSecurityGroupId": "IpPermissions.UserIdGroupPairs.GroupId",
    "description": "IpPermissions.IpRanges.Description",
}

_LB_ACTION: dict[str, Mapping] = {
    "type": "Type",
    "order": "Order",
    "targetGroupArn": "TargetGroupArn",
    "forward": Block("ForwardConfig", {
        "targetGroups": Block("TargetGroups", {"arn": "TargetGroupArn", "weight": "Weight"}),
        "stickiness": Block("TargetGroupStickinessConfig", {"enabled": "Enabled", "duration": "DurationSeconds"})}),
    "redirect": Block("RedirectConfig", {"protocol": "Protocol", "port": "Port", "host": "Host", "path": "Path",
                                         "query": "Query", "statusCode": "StatusCode"}),
    "fixedResponse": Block("FixedResponseConfig", {"contentType": "ContentType", "messageBody": "MessageBody",
                                                   "statusCode": "StatusCode"}),
    "authenticateOidc": Block("AuthenticateOidcConfig", {
        "issuer": "Issuer", "authorizationEndpoint": "AuthorizationEndpoint", "tokenEndpoint": "TokenEndpoint",
        "userInfoEndpoint": "UserInfoEndpoint", "clientId": "ClientId", "clientSecret": "ClientSecret",
        "sessionCookieName": "SessionCookieName", "scope": "Scope", "sessionTimeout": "SessionTimeout",
        "authenticationRequestExtraParams": "AuthenticationRequestExtraParams",
        "onUnauthenticatedRequest": "OnUnauthenticatedRequest"}),
    "authenticateCognito": Block("AuthenticateCognitoConfig", {
        "userPoolArn": "UserPoolArn", "userPoolClientId": "UserPoolClientId", "userPoolDomain": "UserPoolDomain",
        "sessionCookieName": "SessionCookieName", "scope": "Scope", "sessionTimeout": "SessionTimeout",
        "authenticationRequestExtraParams": "AuthenticationRequestExtraParams",
        "onUnauthenticatedRequest": "OnUnauthenticatedRequest"}),
}


# The monitoring inputs CreateDBCluster and CreateDBInstance take alike.
_RDS_MONITORING: dict[str, Mapping] = {
    "monitoringInterval": "MonitoringInterval", "monitoringRoleArn": "MonitoringRoleArn",
    "performanceInsightsEnabled": "EnablePerformanceInsights",
    "performanceInsightsKmsKeyId": "PerformanceInsightsKMSKeyId",
    "performanceInsightsRetentionPeriod": "PerformanceInsightsRetentionPeriod",
}


def _actions(member: str) -> Block:
    return Block(member, _LB_ACTION)


def _metric_queries(member: str, period: bool) -> Block:
    """CloudWatch metric queries: the alarm's (with a period) and target tracking's (without) take the same keys."""
    stat = {"metricName": "Metric.MetricName", "namespace": "Metric.Namespace", "stat": "Stat", "unit": "Unit"}
    if period:
        # PutMetricAlarm's flat `metric` block: dimensions are a map, period sits on the MetricStat.
        metric = Block("MetricStat", {**stat, "period": "Period",
                                      "dimensions": Convert("Metric.Dimensions", _name_value_list)})
        return Block(member, {"id": "Id", "expression": "Expression", "label": "Label", "returnData": "ReturnData",
                              "period": "Period", "accountId": "AccountId", "metric": metric})
    metric_stat = Block("MetricStat", {"stat": "Stat", "unit": "Unit", "metric": Block("Metric", {
        "metricName": "MetricName", "namespace": "Namespace",
        "dimensions": Block("Dimensions", {"name": "Name", "value": "Value"})})})
    return Block(member, {"id": "Id", "expression": "Expression", "label": "Label", "returnData": "ReturnData",
                          "metricStat": metric_stat})


RULES: dict[str, Rule] = {
    # ---- network -------------------------------------------------------------------------------------------
    "aws:ec2/vpc:Vpc": Rule("ec2", "CreateVpcRequest", "ec2/vpc_.go", {
        "cidrBlock": "CidrBlock",
        "instanceTenancy": "InstanceTenancy",
        "assignGeneratedIpv6CidrBlock": "AmazonProvidedIpv6CidrBlock",
        "ipv4IpamPoolId": "Ipv4IpamPoolId", "ipv4NetmaskLength": "Ipv4NetmaskLength",
        "ipv6CidrBlock": "Ipv6CidrBlock", "ipv6CidrBlockNetworkBorderGroup": "Ipv6CidrBlockNetworkBorderGroup",
        "ipv6IpamPoolId": "Ipv6IpamPoolId", "ipv6NetmaskLength": "Ipv6NetmaskLength",
        # modifyVPCAttributesOnCreate: one ModifyVpcAttribute call each, after create.
        "enableDnsHostnames": "ModifyVpcAttributeRequest:EnableDnsHostnames.Value",
        "enableDnsSupport": "ModifyVpcAttributeRequest:EnableDnsSupport.Value",
        "enableNetworkAddressUsageMetrics": "ModifyVpcAttributeRequest:EnableNetworkAddressUsageMetrics.Value",
    }, {"tags": TAGS}),
    "aws:ec2/subnet:Subnet": Rule("ec2", "CreateSubnetRequest", "ec2/vpc_subnet.go", {
        "vpcId": "VpcId", "cidrBlock": "CidrBlock", "availabilityZone": "AvailabilityZone",
        "availabilityZoneId": "AvailabilityZoneId", "ipv4IpamPoolId": "Ipv4IpamPoolId",
        "ipv4NetmaskLength": "Ipv4NetmaskLength", "ipv6CidrBlock": "Ipv6CidrBlock", "ipv6IpamPoolId": "Ipv6IpamPoolId",
        "ipv6Native": "Ipv6Native", "ipv6NetmaskLength": "Ipv6NetmaskLength", "outpostArn": "OutpostArn",
        "mapPublicIpOnLaunch": "ModifySubnetAttributeRequest:MapPublicIpOnLaunch.Value",
    }, {"tags": TAGS}),
    "aws:ec2/internetGateway:InternetGateway": Rule("ec2", "AttachInternetGatewayRequest",
                                                    "ec2/vpc_internet_gateway.go", {"vpcId": "VpcId"},
                                                    {"tags": TAGS}),
    "aws:ec2/eip:Eip": Rule("ec2", "AllocateAddressRequest", "ec2/ec2_eip.go", {
        "domain": "Domain", "publicIpv4Pool": "PublicIpv4Pool", "networkBorderGroup": "NetworkBorderGroup",
        "address": "Address", "customerOwnedIpv4Pool": "CustomerOwnedIpv4Pool", "ipamPoolId": "IpamPoolId",
        # associateEIP, after the allocation, when an instance or network interface is given.
        "instance": "AssociateAddressRequest:InstanceId",
        "networkInterface": "AssociateAddressRequest:NetworkInterfaceId",
        "associateWithPrivateIp": "AssociateAddressRequest:PrivateIpAddress",
    }, {"tags": TAGS}),
    "aws:ec2/natGateway:NatGateway": Rule("ec2", "CreateNatGatewayRequest", "ec2/vpc_nat_gateway.go", {
        "allocationId": "AllocationId", "subnetId": "SubnetId", "connectivityType": "ConnectivityType",
        "privateIp": "PrivateIpAddress", "secondaryAllocationIds": "SecondaryAllocationIds",
        "secondaryPrivateIpAddressCount": "SecondaryPrivateIpAddressCount",
        "secondaryPrivateIpAddresses": "SecondaryPrivateIpAddresses",
    }, {"tags": TAGS}),
    "aws:ec2/routeTable:RouteTable": Rule("ec2", "CreateRouteTableRequest", "ec2/vpc_route_table.go", {
        "vpcId": "VpcId",
        # Each route is its own CreateRoute call after the table exists (routeTableAddRoute, expandCreateRouteInput).
        "routes": Block("CreateRouteRequest:", {
            "cidrBlock": "DestinationCidrBlock", "ipv6CidrBlock": "DestinationIpv6CidrBlock",
            "destinationPrefixListId": "DestinationPrefixListId", "carrierGatewayId": "CarrierGatewayId",
            "coreNetworkArn": "CoreNetworkArn", "egressOnlyGatewayId": "EgressOnlyInternetGatewayId",
            "gatewayId": "GatewayId", "localGatewayId": "LocalGatewayId",
            "natGatewayId": "NatGatewayId", "networkInterfaceId": "NetworkInterfaceId",
            "transitGatewayId": "TransitGatewayId", "vpcEndpointId": "VpcEndpointId",
            "vpcPeeringConnectionId": "VpcPeeringConnectionId"}),
    }, {"tags": TAGS,
        "propagatingVgws": "provider-only: each gateway is an EnableVgwRoutePropagation call after create"}),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": Rule(
        "ec2", "AssociateRouteTableRequest", "ec2/vpc_route_table_association.go",
        {"routeTableId": "RouteTableId", "subnetId": "SubnetId", "gatewayId": "GatewayId"}),
    "aws:ec2/securityGroup:SecurityGroup": Rule("ec2", "CreateSecurityGroupRequest", "ec2/vpc_security_group.go", {
        "name": "GroupName", "description": "Description", "vpcId": "VpcId",
    }, {"tags": TAGS, "namePrefix": NAME_PREFIX,
        "revokeRulesOnDelete": "provider-only: revokes the rules before a delete, never sent on create",
        "ingress": "provider-only: each rule is an AuthorizeSecurityGroupIngress call after create",
        "egress": "provider-only: each rule is an AuthorizeSecurityGroupEgress call after create"}),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": Rule(
        "ec2", "AuthorizeSecurityGroupIngressRequest", "ec2/vpc_security_group_ingress_rule.go",
        _SG_RULE_MEMBERS, {"tags": TAGS}),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": Rule(
        "ec2", "AuthorizeSecurityGroupEgressRequest", "ec2/vpc_security_group_egress_rule.go",
        _SG_RULE_MEMBERS, {"tags": TAGS}),
    "aws:ec2/vpcEndpoint:VpcEndpoint": Rule("ec2", "CreateVpcEndpointRequest", "ec2/vpc_endpoint.go", {
        "vpcId": "VpcId", "serviceName": "ServiceName", "vpcEndpointType": "VpcEndpointType",
        "privateDnsEnabled": "PrivateDnsEnabled", "routeTableIds": "RouteTableIds", "subnetIds": "SubnetIds",
        "securityGroupIds": "SecurityGroupIds", "policy": "PolicyDocument", "ipAddressType": "IpAddressType",
        "resourceConfigurationArn": "ResourceConfigurationArn", "serviceNetworkArn": "ServiceNetworkArn",
        "serviceRegion": "ServiceRegion",
        "dnsOptions": Block("DnsOptions", {
            "dnsRecordIpType": "DnsRecordIpType",
            "privateDnsOnlyForInboundResolverEndpoint": "PrivateDnsOnlyForInboundResolverEndpoint"}),
        "subnetConfigurations": Block("SubnetConfigurations", {"ipv4": "Ipv4", "ipv6": "Ipv6", "subnetId": "SubnetId"}),
    }, {"tags": TAGS, "autoAccept": "provider-only: accepts a cross-account connection, not part of the create"}),
    # ---- identity and keys ----------------------------------------------------------------------------------
    "aws:iam/role:Role": Rule("iam", "CreateRoleRequest", "iam/role.go", {
        "name": "RoleName", "path": "Path", "assumeRolePolicy": "AssumeRolePolicyDocument",
        "description": "Description", "maxSessionDuration": "MaxSessionDuration",
        "permissionsBoundary": "PermissionsBoundary",
        # addRoleInlinePolicies: one PutRolePolicy call per inline policy, after create.
        "inlinePolicies": Block("PutRolePolicyRequest:", {"name": "PolicyName", "policy": "PolicyDocument"}),
    }, {"tags": TAGS, "namePrefix": NAME_PREFIX,
        "forceDetachPolicies": "provider-only: detaches policies before a delete",
        "managedPolicyArns": "provider-only: each ARN is an AttachRolePolicy call after create"}),
    "aws:iam/policy:Policy": Rule("iam", "CreatePolicyRequest", "iam/policy.go", {
        "name": "PolicyName", "path": "Path", "policy": "PolicyDocument", "description": "Description",
    }, {"tags": TAGS, "namePrefix": NAME_PREFIX,
        "delayAfterPolicyCreationInMs": "provider-only: a wait after create, never sent"}),
    "aws:iam/rolePolicy:RolePolicy": Rule("iam", "PutRolePolicyRequest", "iam/role_policy.go", {
        "role": "RoleName", "name": "PolicyName", "policy": "PolicyDocument",
    }, {"namePrefix": NAME_PREFIX}),
    "aws:kms/key:Key": Rule("kms", "CreateKeyRequest", "kms/key.go", {
        # KeySpec since the provider's 2025 rewrite of resourceKeyCreate; v5 sent the deprecated CustomerMasterKeySpec,
        # whose enum lacks the ML-DSA/ML-KEM/EdDSA specs.
        "description": "Description", "keyUsage": "KeyUsage", "customerMasterKeySpec": "KeySpec",
        "policy": "Policy", "bypassPolicyLockoutSafetyCheck": "BypassPolicyLockoutSafetyCheck",
        "multiRegion": "MultiRegion", "customKeyStoreId": "CustomKeyStoreId", "xksKeyId": "XksKeyId",
        # updateKeyRotationEnabled, after create and only when enableKeyRotation is true.
        "rotationPeriodInDays": "EnableKeyRotationRequest:RotationPeriodInDays",
        # Sent when the key is destroyed: the waiting period ScheduleKeyDeletion takes.
        "deletionWindowInDays": "ScheduleKeyDeletionRequest:PendingWindowInDays",
    }, {"tags": TAGS,
        "enableKeyRotation": "provider-only: a switch that decides whether EnableKeyRotation is called",
        "isEnabled": "provider-only: false makes the provider call DisableKey (key ID only) after create"}),
    "aws:kms/alias:Alias": Rule("kms", "CreateAliasRequest", "kms/alias.go", {
        "name": "AliasName", "targetKeyId": "TargetKeyId",
    }, {"namePrefix": NAME_PREFIX}),
    # ---- storage --------------------------------------------------------------------------------------------
    # Only a pre-v4 copy of bucket.go was at hand: the members follow v5's CreateBucket.
    "aws:s3/bucket:Bucket": Rule("s3", "CreateBucketRequest", "s3/bucket.go", {
        "bucket": "Bucket", "objectLockEnabled": "ObjectLockEnabledForBucket",
    }, {"tags": TAGS, "bucketPrefix": NAME_PREFIX,
        "forceDestroy": "provider-only: empties the bucket before a delete"}),
    "aws:s3/bucketVersioning:BucketVersioning": Rule(
        "s3", "PutBucketVersioningRequest", "s3/bucket_versioning.go", {
            "bucket": "Bucket", "expectedBucketOwner": "ExpectedBucketOwner", "mfa": "MFA",
            # Status "Disabled" (an unversioned bucket adopted from v3) makes the provider send no request at all.
            "versioningConfiguration": Block("VersioningConfiguration", {
                "status": Convert("Status", _unless("Disabled")), "mfaDelete": "MFADelete"}),
        }),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": Rule(
        "s3", "PutBucketEncryptionRequest", "s3/bucket_server_side_encryption_configuration.go", {
            "bucket": "Bucket", "expectedBucketOwner": "ExpectedBucketOwner",
            "rules": Block("ServerSideEncryptionConfiguration.Rules", {
                "bucketKeyEnabled": "BucketKeyEnabled",
                "applyServerSideEncryptionByDefault": Block("ApplyServerSideEncryptionByDefault", {
                    "sseAlgorithm": "SSEAlgorithm", "kmsMasterKeyId": "KMSMasterKeyID"})}),
        }),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": Rule(
        "s3", "PutPublicAccessBlockRequest", "s3/bucket_public_access_block.go", {
            "bucket": "Bucket",
            "blockPublicAcls": "PublicAccessBlockConfiguration.BlockPublicAcls",
            "blockPublicPolicy": "PublicAccessBlockConfiguration.BlockPublicPolicy",
            "ignorePublicAcls": "PublicAccessBlockConfiguration.IgnorePublicAcls",
            "restrictPublicBuckets": "PublicAccessBlockConfiguration.RestrictPublicBuckets",
        }),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": Rule(
        "s3", "PutBucketOwnershipControlsRequest", "s3/bucket_ownership_controls.go", {
            "bucket": "Bucket",
            "rule": Block("OwnershipControls.Rules", {"objectOwnership": "ObjectOwnership"}),
        }),
    "aws:s3/bucketPolicy:BucketPolicy": Rule("s3", "PutBucketPolicyRequest", "s3/bucket_policy.go", {
        "bucket": "Bucket", "policy": "Policy",
    }),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": Rule(
        "s3", "PutBucketLifecycleConfigurationRequest", "s3/bucket_lifecycle_configuration.go", {
            # A framework resource: AutoFlex expands the model into the input by field name.
            "bucket": "Bucket", "expectedBucketOwner": "ExpectedBucketOwner",
            "transitionDefaultMinimumObjectSize": "TransitionDefaultMinimumObjectSize",
            "rules": Block("LifecycleConfiguration.Rules", {
                "id": "ID", "status": "Status", "prefix": "Prefix",
                "expiration": Block("Expiration", {"days": "Days", "date": "Date",
                                                   "expiredObjectDeleteMarker": "ExpiredObjectDeleteMarker"}),
                "filter": Block("Filter", {
                    "prefix": "Prefix", "objectSizeGreaterThan": "ObjectSizeGreaterThan",
                    "objectSizeLessThan": "ObjectSizeLessThan", "tag": Block("Tag", {"key": "Key", "value": "Value"}),
                    "and": Block("And", {"prefix": "Prefix", "objectSizeGreaterThan": "ObjectSizeGreaterThan",
                                         "objectSizeLessThan": "ObjectSizeLessThan",
                                         "tags": Convert("Tags", _pairs("Key", "Value"))})}),
                "noncurrentVersionExpiration": Block("NoncurrentVersionExpiration", {
                    "noncurrentDays": "NoncurrentDays", "newerNoncurrentVersions": "NewerNoncurrentVersions"}),
                "noncurrentVersionTransitions": Block("NoncurrentVersionTransitions", {
                    "noncurrentDays": "NoncurrentDays", "newerNoncurrentVersions": "NewerNoncurrentVersions",
                    "storageClass": "StorageClass"}),
                "transitions": Block("Transitions", {"date": "Date", "days": "Days", "storageClass": "StorageClass"}),
                "abortIncompleteMultipartUpload": Block("AbortIncompleteMultipartUpload", {
                    "daysAfterInitiation": "DaysAfterInitiation"}),
            }),
        }, {"timeouts": "provider-only: how long the provider waits, never sent"}),
    "aws:s3/bucketObjectv2:BucketObjectv2": Rule("s3", "PutObjectRequest", "s3/object.go", {
        # resourceObjectUpload: the key is cleaned as SDK v1 did before it is sent.
        "bucket": "Bucket", "key": Convert("Key", _s3_object_key), "contentType": "ContentType",
        "serverSideEncryption": "ServerSideEncryption", "kmsKeyId": "SSEKMSKeyId", "storageClass": "StorageClass",
        "cacheControl": "CacheControl", "acl": "ACL", "bucketKeyEnabled": "BucketKeyEnabled",
        "checksumAlgorithm": "ChecksumAlgorithm", "contentDisposition": "ContentDisposition",
        "contentEncoding": "ContentEncoding", "contentLanguage": "ContentLanguage", "metadata": "Metadata",
        "objectLockLegalHoldStatus": "ObjectLockLegalHoldStatus", "objectLockMode": "ObjectLockMode",
        "objectLockRetainUntilDate": "ObjectLockRetainUntilDate", "websiteRedirect": "WebsiteRedirectLocation",
    }, {"source": ASSET, "content": ASSET, "contentBase64": ASSET,
        "etag": "provider-only: compared with the uploaded object to detect changes",
        "sourceHash": "provider-only: compared with the uploaded object to detect changes",
        "forceDestroy": "provider-only: deletes every version of the object on destroy",
        "overrideProvider": "provider-only: decides which provider default tags join the object's tags"}),
    "aws:cloudwatch/logGroup:LogGroup": Rule("logs", "CreateLogGroupRequest", "logs/group.go", {
        "name": "logGroupName", "kmsKeyId": "kmsKeyId", "logGroupClass": "logGroupClass",
        "retentionInDays": "PutRetentionPolicyRequest:retentionInDays",
    }, {"tags": TAGS, "namePrefix": NAME_PREFIX, "skipDestroy": REPLACEMENT}),
    # ---- functions ------------------------------------------------------------------------------------------
    "aws:lambda/function:Function": Rule("lambda", "CreateFunctionRequest", "lambda/function.go", {
        "name": "FunctionName", "role": "Role", "handler": "Handler", "runtime": "Runtime",
        "description": "Description", "memorySize": "MemorySize", "timeout": "Timeout",
        "architectures": "Architectures", "kmsKeyArn": "KMSKeyArn", "layers": "Layers", "publish": "Publish",
        "environment": Block("Environment", {"variables": "Variables"}),
        # expandLoggingConfig leaves empty strings out.
        "loggingConfig": Block("LoggingConfig", {
            key: Convert(key[0].upper() + key[1:], _unless(""))
            for key in ("logFormat", "logGroup", "applicationLogLevel", "systemLogLevel")}),
        "imageConfig": Block("ImageConfig", {"commands": "Command", "entryPoints": "EntryPoint",
                                             "workingDirectory": "WorkingDirectory"}),
        "fileSystemConfig": Block("FileSystemConfigs", {"arn": "Arn", "localMountPath": "LocalMountPath"}),
        "vpcConfig": Block("VpcConfig", {"subnetIds": "SubnetIds", "securityGroupIds": "SecurityGroupIds",
                                         "ipv6AllowedForDualStack": "Ipv6AllowedForDualStack"}),
        "tracingConfig": Block("TracingConfig", {"mode": "Mode"}),
        "ephemeralStorage": Block("EphemeralStorage", {"size": "Size"}),
        "deadLetterConfig": Block("DeadLetterConfig", {"targetArn": "TargetArn"}),
        "snapStart": Block("SnapStart", {"applyOn": "ApplyOn"}),
        "packageType": "PackageType", "codeSigningConfigArn": "CodeSigningConfigArn",
        "imageUri": "Code.ImageUri", "s3Bucket": "Code.S3Bucket", "s3Key": "Code.S3Key",
        "s3ObjectVersion": "Code.S3ObjectVersion", "sourceKmsKeyArn": "Code.SourceKMSKeyArn",
        # PutFunctionConcurrency after create; the default -1 means "unreserved" and sends nothing.
        "reservedConcurrentExecutions": Convert("PutFunctionConcurrencyRequest:ReservedConcurrentExecutions",
                                                _unless(-1)),
    }, {"code": ASSET, "tags": TAGS,
        "sourceCodeHash": "provider-only: compared with the deployed code to detect changes",
        "skipDestroy": REPLACEMENT}),
    "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": Rule(
        "lambda", "PutFunctionEventInvokeConfigRequest", "lambda/function_event_invoke_config.go", {
            "functionName": "FunctionName", "qualifier": "Qualifier",
            "maximumEventAgeInSeconds": "MaximumEventAgeInSeconds", "maximumRetryAttempts": "MaximumRetryAttempts",
            "destinationConfig": Block("DestinationConfig", {
                "onFailure": Block("OnFailure", {"destination": "Destination"}),
                "onSuccess": Block("OnSuccess", {"destination": "Destination"})}),
        }),
    "aws:lambda/permission:Permission": Rule("lambda", "AddPermissionRequest", "lambda/permission.go", {
        "function": "FunctionName", "action": "Action", "principal": "Principal", "sourceArn": "SourceArn",
        "sourceAccount": "SourceAccount", "statementId": "StatementId", "qualifier": "Qualifier",
        "principalOrgId": "PrincipalOrgID", "eventSourceToken": "EventSourceToken",
        "functionUrlAuthType": "FunctionUrlAuthType", "invokedViaFunctionUrl": "InvokedViaFunctionUrl",
    }, {"statementIdPrefix": NAME_PREFIX}),
    # ---- load balancing, certificates, DNS ------------------------------------------------------------------
    "aws:lb/loadBalancer:LoadBalancer": Rule("elbv2", "CreateLoadBalancerInput", "elbv2/load_balancer.go", {
        "name": "Name", "subnets": "Subnets", "securityGroups": "SecurityGroups",
        "loadBalancerType": "Type", "ipAddressType": "IpAddressType",
        "internal": Convert("Scheme", _scheme),
    }, {"tags": TAGS, "namePrefix": NAME_PREFIX,
        "accessLogs": "provider-only: sent as access_logs.s3.* key/value pairs by ModifyLoadBalancerAttributes",
        "dropInvalidHeaderFields": "provider-only: a key/value pair of ModifyLoadBalancerAttributes",
        "enableDeletionProtection": "provider-only: a key/value pair of ModifyLoadBalancerAttributes",
        "idleTimeout": "provider-only: a key/value pair of ModifyLoadBalancerAttributes"}),
    # For a lambda target the provider leaves out port, protocol, VPC and the health check's port and protocol;
    # they are checked all the same, so a value AWS would never see can still be refused (stricter, never looser).
    "aws:lb/targetGroup:TargetGroup": Rule("elbv2", "CreateTargetGroupInput", "elbv2/target_group.go", {
        "name": "Name", "port": "Port", "protocol": "Protocol", "protocolVersion": "ProtocolVersion",
        "vpcId": "VpcId", "targetType": "TargetType", "ipAddressType": "IpAddressType",
        "healthCheck": Block("", {
            "enabled": "HealthCheckEnabled", "path": "HealthCheckPath", "port": "HealthCheckPort",
            "protocol": "HealthCheckProtocol", "interval": "HealthCheckIntervalSeconds",
            "timeout": "HealthCheckTimeoutSeconds", "healthyThreshold": "HealthyThresholdCount",
            "unhealthyThreshold": "UnhealthyThresholdCount", "matcher": "Matcher.HttpCode"}),
    }, {"tags": TAGS, "namePrefix": NAME_PREFIX,
        "lambdaMultiValueHeadersEnabled": "provider-only: a key/value pair of ModifyTargetGroupAttributes",
        "deregistrationDelay": "provider-only: a key/value pair of ModifyTargetGroupAttributes"}),
    "aws:lb/targetGroupAttachment:TargetGroupAttachment": Rule(
        "elbv2", "RegisterTargetsInput", "elbv2/target_group_attachment.go", {
            "targetGroupArn": "TargetGroupArn", "targetId": "Targets.Id", "port": "Targets.Port",
            "availabilityZone": "Targets.AvailabilityZone",
        }),
    "aws:lb/listener:Listener": Rule("elbv2", "CreateListenerInput", "elbv2/listener.go", {
        # The one ALPN policy and the one certificate become one-item lists.
        "loadBalancerArn": "LoadBalancerArn", "port": "Port", "protocol": "Protocol", "sslPolicy": "SslPolicy",
        "certificateArn": "Certificates.CertificateArn", "alpnPolicy": Convert("AlpnPolicy", _one_item_list),
        "defaultActions": _actions("DefaultActions"),
    }, {"tags": TAGS}),
    "aws:lb/listenerRule:ListenerRule": Rule("elbv2", "CreateRuleInput", "elbv2/listener_rule.go", {
        "listenerArn": "ListenerArn", "priority": "Priority",
        "actions": _actions("Actions"),
        "conditions": Block("Conditions", {
            "pathPattern": Block("PathPatternConfig", {"values": "Values"}),
            "hostHeader": Block("HostHeaderConfig", {"values": "Values"}),
            "httpRequestMethod": Block("HttpRequestMethodConfig", {"values": "Values"}),
            "sourceIp": Block("SourceIpConfig", {"values": "Values"}),
            "httpHeader": Block("HttpHeaderConfig", {"httpHeaderName": "HttpHeaderName", "values": "Values"}),
            # An empty key is left out of the pair.
            "queryStrings": Block("QueryStringConfig.Values", {"key": Convert("Key", _unless("")), "value": "Value"}),
        }),
        # expandRuleTransforms; pulumi-aws 7.51's names (a 2025 copy said host_header_rewrite and replacement).
        "transforms": Block("Transforms", {
            "type": "Type",
            **{key: Block(member, {"rewrite": Block("Rewrites", {"regex": "Regex", "replace": "Replace"})})
               for key, member in (("hostHeaderRewriteConfig", "HostHeaderRewriteConfig"),
                                   ("urlRewriteConfig", "UrlRewriteConfig"))}}),
    }, {"tags": TAGS}),
    "aws:acm/certificate:Certificate": Rule("acm", "RequestCertificateRequest", "acm/certificate.go", {
        "domainName": "DomainName", "validationMethod": "ValidationMethod", "keyAlgorithm": "KeyAlgorithm",
        "subjectAlternativeNames": "SubjectAlternativeNames", "certificateAuthorityArn": "CertificateAuthorityArn",
        "options": Block("Options", {
            "certificateTransparencyLoggingPreference": "CertificateTransparencyLoggingPreference",
            "export": "Export"}),
        "validationOptions": Block("DomainValidationOptions", {"domainName": "DomainName",
                                                               "validationDomain": "ValidationDomain"}),
        # With a certificate body the provider imports instead of requesting.
        "certificateBody": "ImportCertificateRequest:Certificate",
        "certificateChain": "ImportCertificateRequest:CertificateChain",
        "privateKey": "ImportCertificateRequest:PrivateKey",
    }, {"tags": TAGS, "earlyRenewalDuration": "provider-only: decides when the provider calls RenewCertificate"}),
    "aws:route53/record:Record": Rule("route53", "ChangeResourceRecordSetsRequest", "route53/record.go", {
        "zoneId": "HostedZoneId",
        "name": "ChangeBatch.Changes.ResourceRecordSet.Name",
        "type": "ChangeBatch.Changes.ResourceRecordSet.Type",
        "ttl": "ChangeBatch.Changes.ResourceRecordSet.TTL",
        "setIdentifier": "ChangeBatch.Changes.ResourceRecordSet.SetIdentifier",
        "records": Convert("ChangeBatch.Changes.ResourceRecordSet.ResourceRecords", _record_values),
        "aliases": Block("ChangeBatch.Changes.ResourceRecordSet.AliasTarget", {
            "name": "DNSName", "zoneId": "HostedZoneId", "evaluateTargetHealth": "EvaluateTargetHealth"}),
    }, {"allowOverwrite": "provider-only: chooses UPSERT over CREATE as the change's action"}),
    # ---- monitoring -----------------------------------------------------------------------------------------
    "aws:cloudwatch/dashboard:Dashboard": Rule("cloudwatch", "PutDashboardInput", "cloudwatch/dashboard.go", {
        "dashboardName": "DashboardName", "dashboardBody": "DashboardBody",
    }),
    "aws:cloudwatch/metricAlarm:MetricAlarm": Rule("cloudwatch", "PutMetricAlarmInput", "cloudwatch/metric_alarm.go", {
        "name": "AlarmName", "alarmDescription": "AlarmDescription", "actionsEnabled": "ActionsEnabled",
        "alarmActions": "AlarmActions", "okActions": "OKActions",
        "insufficientDataActions": "InsufficientDataActions", "comparisonOperator": "ComparisonOperator",
        "evaluationPeriods": "EvaluationPeriods", "datapointsToAlarm": "DatapointsToAlarm",
        "threshold": "Threshold", "thresholdMetricId": "ThresholdMetricId", "treatMissingData": "TreatMissingData",
        "metricName": "MetricName", "namespace": "Namespace", "period": "Period", "statistic": "Statistic",
        "extendedStatistic": "ExtendedStatistic", "unit": "Unit",
        "dimensions": Convert("Dimensions", _name_value_list),
        "evaluateLowSampleCountPercentiles": "EvaluateLowSampleCountPercentile",
        "metricQueries": _metric_queries("Metrics", period=True),
    }, {"tags": TAGS}),
    "aws:scheduler/schedule:Schedule": Rule("scheduler", "CreateScheduleInput", "scheduler/schedule.go", {
        "name": "Name", "groupName": "GroupName", "description": "Description",
        "scheduleExpression": "ScheduleExpression", "scheduleExpressionTimezone": "ScheduleExpressionTimezone",
        "state": "State", "kmsKeyArn": "KmsKeyArn", "startDate": "StartDate", "endDate": "EndDate",
        "actionAfterCompletion": "ActionAfterCompletion",
        # expandFlexibleTimeWindow leaves a window of 0 minutes out.
        "flexibleTimeWindow": Block("FlexibleTimeWindow", {
            "mode": "Mode", "maximumWindowInMinutes": Convert("MaximumWindowInMinutes", _unless(0))}),
        "target": Block("Target", {
            # expandTarget leaves an empty input out.
            "arn": "Arn", "roleArn": "RoleArn", "input": Convert("Input", _unless("")),
            "sqsParameters": Block("SqsParameters", {"messageGroupId": "MessageGroupId"}),
            "eventbridgeParameters": Block("EventBridgeParameters", {"detailType": "DetailType", "source": "Source"}),
            "retryPolicy": Block("RetryPolicy", {"maximumEventAgeInSeconds": "MaximumEventAgeInSeconds",
                                                 "maximumRetryAttempts": "MaximumRetryAttempts"}),
            "deadLetterConfig": Block("DeadLetterConfig", {"arn": "Arn"})}),
    }, {"namePrefix": NAME_PREFIX}),
    # CreateTopic takes only the FIFO attributes; every other attribute is its own SetTopicAttributes call after
    # create, as an AttributeValue string the model leaves unconstrained.
    "aws:sns/topic:Topic": Rule("sns", "CreateTopicInput", "sns/topic.go", {
        "name": "Name", "fifoTopic": Convert("Attributes", _bool_attribute("FifoTopic")),
    }, {"tags": TAGS, "namePrefix": NAME_PREFIX,
        **dict.fromkeys(("displayName", "kmsMasterKeyId", "policy", "deliveryPolicy", "signatureVersion",
                         "tracingConfig", "archivePolicy", "contentBasedDeduplication"),
                        "provider-only: a SetTopicAttributes value after create, a string the model leaves "
                        "unconstrained")}),
    # ---- Airflow --------------------------------------------------------------------------------------------
    "aws:mwaa/environment:Environment": Rule("mwaa", "CreateEnvironmentInput", "mwaa/environment.go", {
        "name": "Name", "executionRoleArn": "ExecutionRoleArn", "sourceBucketArn": "SourceBucketArn",
        "dagS3Path": "DagS3Path", "pluginsS3Path": "PluginsS3Path", "pluginsS3ObjectVersion": "PluginsS3ObjectVersion",
        "requirementsS3Path": "RequirementsS3Path", "requirementsS3ObjectVersion": "RequirementsS3ObjectVersion",
        "startupScriptS3Path": "StartupScriptS3Path", "startupScriptS3ObjectVersion": "StartupScriptS3ObjectVersion",
        "airflowConfigurationOptions": "AirflowConfigurationOptions", "environmentClass": "EnvironmentClass",
        "maxWorkers": "MaxWorkers", "minWorkers": "MinWorkers", "maxWebservers": "MaxWebservers",
        "minWebservers": "MinWebservers", "schedulers": "Schedulers", "kmsKey": "KmsKey",
        "airflowVersion": "AirflowVersion", "weeklyMaintenanceWindowStart": "WeeklyMaintenanceWindowStart",
        "webserverAccessMode": "WebserverAccessMode", "endpointManagement": "EndpointManagement",
        "networkConfiguration": Block("NetworkConfiguration", {"subnetIds": "SubnetIds",
                                                               "securityGroupIds": "SecurityGroupIds"}),
        "loggingConfiguration": Block("LoggingConfiguration", {
            module: Block(module[0].upper() + module[1:], {"enabled": "Enabled", "logLevel": "LogLevel"})
            for module in ("dagProcessingLogs", "schedulerLogs", "taskLogs", "webserverLogs", "workerLogs")}),
    }, {"tags": TAGS,
        "workerReplacementStrategy": "provider-only: sent only by UpdateEnvironment, never on create"}),
    # ---- Airflow on Fargate ---------------------------------------------------------------------------------
    "aws:ecs/cluster:Cluster": Rule("ecs", "CreateClusterRequest", "ecs/cluster.go", {
        "name": "clusterName",
        "settings": Block("settings", {"name": "name", "value": "value"}),
        "serviceConnectDefaults": Block("serviceConnectDefaults", {"namespace": "namespace"}),
        "configuration": Block("configuration", {
            "executeCommandConfiguration": Block("executeCommandConfiguration", {
                "kmsKeyId": "kmsKeyId", "logging": "logging",
                "logConfiguration": Block("logConfiguration", {
                    "cloudWatchEncryptionEnabled": "cloudWatchEncryptionEnabled",
                    "cloudWatchLogGroupName": "cloudWatchLogGroupName", "s3BucketName": "s3BucketName",
                    "s3BucketEncryptionEnabled": "s3EncryptionEnabled", "s3KeyPrefix": "s3KeyPrefix"})}),
            "managedStorageConfiguration": Block("managedStorageConfiguration", {
                "fargateEphemeralStorageKmsKeyId": "fargateEphemeralStorageKmsKeyId", "kmsKeyId": "kmsKeyId"})}),
    }, {"tags": TAGS}),
    "aws:ecs/service:Service": Rule("ecs", "CreateServiceRequest", "ecs/service.go", {
        "name": "serviceName", "cluster": "cluster", "taskDefinition": "taskDefinition",
        "desiredCount": "desiredCount", "launchType": "launchType", "platformVersion": "platformVersion",
        "healthCheckGracePeriodSeconds": "healthCheckGracePeriodSeconds", "enableEcsManagedTags": "enableECSManagedTags",
        "propagateTags": "propagateTags", "enableExecuteCommand": "enableExecuteCommand",
        "schedulingStrategy": "schedulingStrategy",
        "deploymentMaximumPercent": "deploymentConfiguration.maximumPercent",
        "deploymentMinimumHealthyPercent": "deploymentConfiguration.minimumHealthyPercent",
        "deploymentCircuitBreaker": Block("deploymentConfiguration.deploymentCircuitBreaker", {
            "enable": "enable", "rollback": "rollback"}),
        "networkConfiguration": Block("networkConfiguration.awsvpcConfiguration", {
            "subnets": "subnets", "securityGroups": "securityGroups",
            "assignPublicIp": Convert("assignPublicIp", _enabled)}),
        "loadBalancers": Block("loadBalancers", {"targetGroupArn": "targetGroupArn", "containerName": "containerName",
                                                 "containerPort": "containerPort"}),
        "serviceRegistries": Block("serviceRegistries", {"registryArn": "registryArn", "port": "port",
                                                         "containerName": "containerName",
                                                         "containerPort": "containerPort"}),
    }, {"tags": TAGS,
        "waitForSteadyState": "provider-only: makes the provider wait for the deployment, never sent",
        "forceNewDeployment": "provider-only: sent only by UpdateService"}),
    "aws:ecs/taskDefinition:TaskDefinition": Rule(
        "ecs", "RegisterTaskDefinitionRequest", "ecs/task_definition.go", {
            "family": "family", "cpu": "cpu", "memory": "memory", "networkMode": "networkMode",
            "requiresCompatibilities": "requiresCompatibilities", "executionRoleArn": "executionRoleArn",
            "taskRoleArn": "taskRoleArn", "containerDefinitions": Convert("containerDefinitions", _json_document),
            "runtimePlatform": Block("runtimePlatform", {"operatingSystemFamily": "operatingSystemFamily",
                                                         "cpuArchitecture": "cpuArchitecture"}),
            "ipcMode": "ipcMode", "pidMode": "pidMode",
            "placementConstraints": Block("placementConstraints", {"type": "type", "expression": "expression"}),
            "proxyConfiguration": Block("proxyConfiguration", {
                "containerName": "containerName", "type": "type",
                "properties": Convert("properties", _name_value_list)}),
            # expandVolumes; an EFS root directory is dropped when an authorization config is given.
            "volumes": Block("volumes", {
                "name": "name", "hostPath": "host.sourcePath",
                "dockerVolumeConfiguration": Block("dockerVolumeConfiguration", {
                    "scope": "scope", "autoprovision": "autoprovision", "driver": "driver",
                    "driverOpts": "driverOpts", "labels": "labels"}),
                "efsVolumeConfiguration": Block("efsVolumeConfiguration", {
                    "fileSystemId": "fileSystemId", "rootDirectory": "rootDirectory",
                    "transitEncryption": "transitEncryption", "transitEncryptionPort": "transitEncryptionPort",
                    "authorizationConfig": Block("authorizationConfig", {"accessPointId": "accessPointId",
                                                                         "iam": "iam"})}),
                "fsxWindowsFileServerVolumeConfiguration": Block("fsxWindowsFileServerVolumeConfiguration", {
                    "fileSystemId": "fileSystemId", "rootDirectory": "rootDirectory",
                    "authorizationConfig": Block("authorizationConfig", {
                        "credentialsParameter": "credentialsParameter", "domain": "domain"})})}),
            "ephemeralStorage": Block("ephemeralStorage", {"sizeInGib": "sizeInGiB"}),
        }, {"tags": TAGS, "skipDestroy": REPLACEMENT,
            "trackLatest": "provider-only: decides which revision the provider reads back, never sent"}),
    "aws:rds/cluster:Cluster": Rule("rds", "CreateDBClusterMessage", "rds/cluster.go", {
        "clusterIdentifier": "DBClusterIdentifier", "engine": "Engine", "engineMode": "EngineMode",
        "engineVersion": "EngineVersion", "databaseName": "DatabaseName", "masterUsername": "MasterUsername",
        "masterPassword": "MasterUserPassword", "port": "Port", "backupRetentionPeriod": "BackupRetentionPeriod",
        "preferredBackupWindow": "PreferredBackupWindow", "preferredMaintenanceWindow": "PreferredMaintenanceWindow",
        "storageEncrypted": "StorageEncrypted", "kmsKeyId": "KmsKeyId", "copyTagsToSnapshot": "CopyTagsToSnapshot",
        "deletionProtection": "DeletionProtection", "dbSubnetGroupName": "DBSubnetGroupName",
        "vpcSecurityGroupIds": "VpcSecurityGroupIds",
        "serverlessv2ScalingConfiguration": Block("ServerlessV2ScalingConfiguration", {
            "minCapacity": "MinCapacity", "maxCapacity": "MaxCapacity",
            "secondsUntilAutoPause": "SecondsUntilAutoPause"}),
        "allocatedStorage": "AllocatedStorage", "availabilityZones": "AvailabilityZones",
        "backtrackWindow": "BacktrackWindow", "caCertificateIdentifier": "CACertificateIdentifier",
        "clusterScalabilityType": "ClusterScalabilityType", "databaseInsightsMode": "DatabaseInsightsMode",
        "dbClusterInstanceClass": "DBClusterInstanceClass",
        "dbClusterParameterGroupName": "DBClusterParameterGroupName",
        "dbSystemId": "DBSystemId", "domain": "Domain", "domainIamRoleName": "DomainIAMRoleName",
        "enableGlobalWriteForwarding": "EnableGlobalWriteForwarding", "enableHttpEndpoint": "EnableHttpEndpoint",
        "enableLocalWriteForwarding": "EnableLocalWriteForwarding",
        "enabledCloudwatchLogsExports": "EnableCloudwatchLogsExports",
        "engineLifecycleSupport": "EngineLifecycleSupport",
        "globalClusterIdentifier": "GlobalClusterIdentifier",
        "iamDatabaseAuthenticationEnabled": "EnableIAMDatabaseAuthentication", "iops": "Iops",
        "manageMasterUserPassword": "ManageMasterUserPassword", "masterUserSecretKmsKeyId": "MasterUserSecretKmsKeyId",
        "networkType": "NetworkType", **_RDS_MONITORING,
        "replicationSourceIdentifier": "ReplicationSourceIdentifier", "sourceRegion": "SourceRegion",
        "storageType": "StorageType", "autoMinorVersionUpgrade": "AutoMinorVersionUpgrade",
        # Sent when the cluster is destroyed (the identifier only when skipFinalSnapshot is false).
        "finalSnapshotIdentifier": "DeleteDBClusterMessage:FinalDBSnapshotIdentifier",
        "deleteAutomatedBackups": "DeleteDBClusterMessage:DeleteAutomatedBackups",
    }, {"tags": TAGS, "clusterIdentifierPrefix": NAME_PREFIX,
        "skipFinalSnapshot": "provider-only: decides SkipFinalSnapshot of the DeleteDBCluster call",
        "applyImmediately": "provider-only: sent only by ModifyDBCluster",
        "allowMajorVersionUpgrade": "provider-only: sent only by ModifyDBCluster",
        "iamRoles": "provider-only: each role ARN is an AddRoleToDBCluster call after create"}),
    "aws:rds/clusterInstance:ClusterInstance": Rule("rds", "CreateDBInstanceMessage", "rds/cluster_instance.go", {
        "identifier": "DBInstanceIdentifier", "clusterIdentifier": "DBClusterIdentifier",
        "instanceClass": "DBInstanceClass", "engine": "Engine", "engineVersion": "EngineVersion",
        "dbSubnetGroupName": "DBSubnetGroupName", "promotionTier": "PromotionTier",
        "publiclyAccessible": "PubliclyAccessible", "autoMinorVersionUpgrade": "AutoMinorVersionUpgrade",
        "availabilityZone": "AvailabilityZone", "copyTagsToSnapshot": "CopyTagsToSnapshot",
        "customIamInstanceProfile": "CustomIamInstanceProfile", "dbParameterGroupName": "DBParameterGroupName",
        **_RDS_MONITORING,
        "preferredBackupWindow": "PreferredBackupWindow", "preferredMaintenanceWindow": "PreferredMaintenanceWindow",
        # A ModifyDBInstance (and a reboot) after create when it differs from the default.
        "caCertIdentifier": "ModifyDBInstanceMessage:CACertificateIdentifier",
    }, {"tags": TAGS, "identifierPrefix": NAME_PREFIX,
        "applyImmediately": "provider-only: sent only by ModifyDBInstance",
        "forceDestroy": "provider-only: promotes a read replica cluster so its last instance can be deleted"}),
    "aws:rds/subnetGroup:SubnetGroup": Rule("rds", "CreateDBSubnetGroupMessage", "rds/subnet_group.go", {
        "name": "DBSubnetGroupName", "description": "DBSubnetGroupDescription", "subnetIds": "SubnetIds",
    }, {"tags": TAGS, "namePrefix": NAME_PREFIX}),
    "aws:elasticache/replicationGroup:ReplicationGroup": Rule(
        "elasticache", "CreateReplicationGroupMessage", "elasticache/replication_group.go", {
            "replicationGroupId": "ReplicationGroupId", "description": "ReplicationGroupDescription",
            "engine": "Engine", "engineVersion": "EngineVersion", "nodeType": "CacheNodeType",
            "numCacheClusters": "NumCacheClusters", "port": "Port", "securityGroupIds": "SecurityGroupIds",
            "subnetGroupName": "CacheSubnetGroupName", "atRestEncryptionEnabled": "AtRestEncryptionEnabled",
            "transitEncryptionEnabled": "TransitEncryptionEnabled", "authToken": "AuthToken",
            "automaticFailoverEnabled": "AutomaticFailoverEnabled", "multiAzEnabled": "MultiAZEnabled",
            "maintenanceWindow": "PreferredMaintenanceWindow", "kmsKeyId": "KmsKeyId",
            "snapshotRetentionLimit": "SnapshotRetentionLimit", "snapshotWindow": "SnapshotWindow",
            "parameterGroupName": "CacheParameterGroupName",
        }, {"tags": TAGS, "applyImmediately": "provider-only: sent only by ModifyReplicationGroup"}),
    "aws:elasticache/subnetGroup:SubnetGroup": Rule(
        "elasticache", "CreateCacheSubnetGroupMessage", "elasticache/subnet_group.go", {
            "name": "CacheSubnetGroupName", "description": "CacheSubnetGroupDescription", "subnetIds": "SubnetIds",
        }, {"tags": TAGS}),
    "aws:secretsmanager/secret:Secret": Rule("secretsmanager", "CreateSecretRequest", "secretsmanager/secret.go", {
        "name": "Name", "description": "Description", "kmsKeyId": "KmsKeyId",
        "forceOverwriteReplicaSecret": "ForceOverwriteReplicaSecret",
        "replicas": Block("AddReplicaRegions", {"kmsKeyId": "KmsKeyId", "region": "Region"}),
        # PutResourcePolicy after create, unless the policy is empty.
        "policy": Convert("PutResourcePolicyRequest:ResourcePolicy", _unless("")),
        # Sent when the secret is destroyed; 0 sends ForceDeleteWithoutRecovery instead of a window.
        "recoveryWindowInDays": Convert("DeleteSecretRequest:RecoveryWindowInDays", _unless(0)),
    }, {"tags": TAGS, "namePrefix": NAME_PREFIX}),
    "aws:secretsmanager/secretVersion:SecretVersion": Rule(
        "secretsmanager", "PutSecretValueRequest", "secretsmanager/secret_version.go", {
            # The provider base64-decodes secretBinary and sends the bytes.
            "secretId": "SecretId", "secretString": "SecretString", "secretStringWo": "SecretString",
            "secretBinary": Convert("SecretBinary", _base64_decoded), "versionStages": "VersionStages",
        }, {"secretStringWoVersion": "provider-only: a counter; a new value makes the provider send the string again"}),
    "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace": Rule(
        "servicediscovery", "CreatePrivateDnsNamespaceRequest", "servicediscovery/private_dns_namespace.go", {
            "name": "Name", "vpc": "Vpc", "description": "Description",
        }, {"tags": TAGS}),
    "aws:servicediscovery/service:Service": Rule("servicediscovery", "CreateServiceRequest",
                                                 "servicediscovery/service.go", {
        "name": "Name", "description": "Description", "namespaceId": "NamespaceId", "type": "Type",
        "dnsConfig": Block("DnsConfig", {
            "namespaceId": "NamespaceId", "routingPolicy": "RoutingPolicy",
            "dnsRecords": Block("DnsRecords", {"ttl": "TTL", "type": "Type"})}),
        "healthCheckCustomConfig": Block("HealthCheckCustomConfig", {"failureThreshold": "FailureThreshold"}),
    }, {"tags": TAGS, "forceDestroy": "provider-only: deregisters instances before a delete"}),
    "aws:appautoscaling/target:Target": Rule(
        "application-autoscaling", "RegisterScalableTargetRequest", "appautoscaling/target.go", {
            "serviceNamespace": "ServiceNamespace", "resourceId": "ResourceId",
            "scalableDimension": "ScalableDimension", "minCapacity": "MinCapacity", "maxCapacity": "MaxCapacity",
            "roleArn": "RoleARN",
        }, {"tags": TAGS}),
    "aws:appautoscaling/policy:Policy": Rule(
        "application-autoscaling", "PutScalingPolicyRequest", "appautoscaling/policy.go", {
            "name": "PolicyName", "serviceNamespace": "ServiceNamespace", "resourceId": "ResourceId",
            "scalableDimension": "ScalableDimension", "policyType": "PolicyType",
            "stepScalingPolicyConfiguration": Block("StepScalingPolicyConfiguration", {
                "adjustmentType": "AdjustmentType", "cooldown": "Cooldown",
                "metricAggregationType": "MetricAggregationType",
                "minAdjustmentMagnitude": Convert("MinAdjustmentMagnitude", _unless(0)),
                # The bounds are strings in the schema, parsed as floats.
                "stepAdjustments": Block("StepAdjustments", {
                    "scalingAdjustment": "ScalingAdjustment",
                    "metricIntervalLowerBound": Convert("MetricIntervalLowerBound", _float_bound),
                    "metricIntervalUpperBound": Convert("MetricIntervalUpperBound", _float_bound)})}),
            "targetTrackingScalingPolicyConfiguration": Block("TargetTrackingScalingPolicyConfiguration", {
                "targetValue": "TargetValue", "disableScaleIn": "DisableScaleIn",
                "scaleInCooldown": "ScaleInCooldown", "scaleOutCooldown": "ScaleOutCooldown",
                "predefinedMetricSpecification": Block("PredefinedMetricSpecification", {
                    "predefinedMetricType": "PredefinedMetricType", "resourceLabel": "ResourceLabel"}),
                "customizedMetricSpecification": Block("CustomizedMetricSpecification", {
                    "metricName": "MetricName", "namespace": "Namespace", "statistic": "Statistic",
                    "unit": "Unit",
                    "dimensions": Block("Dimensions", {"name": "Name", "value": "Value"}),
                    # Newer than the copy of policy.go read: the members follow TargetTrackingMetricDataQuery.
                    "metrics": _metric_queries("Metrics", period=False)}),
            }),
        }),
}

# Types the stacks register that no single API operation's input describes.
UNCHECKED: dict[str, str] = {
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup":
        "adopts the group every VPC already has: no create call takes its inputs",
    "aws:acm/certificateValidation:CertificateValidation":
        "provider-only: waits for ACM to issue the certificate, no API call takes its inputs",
    "aws:lambda/invocation:Invocation":
        "its input is the function's own event, whose format only the function defines",
    "random:index/randomPassword:RandomPassword": "pulumi-random: generated locally, no AWS API involved",
    "random:index/randomBytes:RandomBytes": "pulumi-random: generated locally, no AWS API involved",
}

# How each service's create takes the `tags` input (the provider's getTagsIn / getTagSpecificationsIn):
# a list of Key/Value objects, EC2's TagSpecifications, or a plain map. Kept apart so each rule above stays
# about the resource itself.
def _tag_path(tags: dict[str, str], path: str) -> str:
    """`[2].Value` (or EC2's `[0].Tags[2].Value`) of the sent list is the registered map's third tag."""
    found = re.fullmatch(r"(?:\[0\]\.Tags)?\[(\d+)\]\.(\w+)", path)
    if not found:
        return path
    key = list(tags)[int(found.group(1))]
    return f"[{key!r}]" + (" (its key)" if found.group(2).lower().endswith("key") else "")


def _tags(member: str, convert: Callable[[dict[str, str]], Any] = dict) -> Convert:
    """Tags as `member`; getTagsIn sends nothing for an empty map, so an empty map is not checked."""
    return Convert(member, lambda tags: convert(tags) if tags else None, _tag_path)


_TAG_LIST = _tags("Tags", _pairs("Key", "Value"))
_EC2_TAGS = _tags("TagSpecifications", _ec2_tag_specifications)
_ECS_TAGS = _tags("tags", _pairs("key", "value"))
_TAGS: dict[str, Mapping] = {
    **dict.fromkeys(["aws:ec2/vpc:Vpc", "aws:ec2/subnet:Subnet", "aws:ec2/eip:Eip", "aws:ec2/natGateway:NatGateway",
                     "aws:ec2/routeTable:RouteTable", "aws:ec2/securityGroup:SecurityGroup",
                     "aws:ec2/vpcEndpoint:VpcEndpoint", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
                     "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"], _EC2_TAGS),
    "aws:ec2/internetGateway:InternetGateway": _tags("CreateInternetGatewayRequest:TagSpecifications",
                                                     _ec2_tag_specifications),
    **dict.fromkeys(["aws:iam/role:Role", "aws:iam/policy:Policy", "aws:lb/loadBalancer:LoadBalancer",
                     "aws:lb/targetGroup:TargetGroup", "aws:lb/listener:Listener", "aws:lb/listenerRule:ListenerRule",
                     "aws:acm/certificate:Certificate", "aws:cloudwatch/metricAlarm:MetricAlarm", "aws:sns/topic:Topic",
                     "aws:rds/cluster:Cluster", "aws:rds/clusterInstance:ClusterInstance",
                     "aws:rds/subnetGroup:SubnetGroup", "aws:elasticache/replicationGroup:ReplicationGroup",
                     "aws:elasticache/subnetGroup:SubnetGroup", "aws:secretsmanager/secret:Secret",
                     "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace",
                     "aws:servicediscovery/service:Service"], _TAG_LIST),
    "aws:kms/key:Key": _tags("Tags", _pairs("TagKey", "TagValue")),
    # CreateBucket takes no tags: PutBucketTagging follows it.
    "aws:s3/bucket:Bucket": _tags("PutBucketTaggingRequest:Tagging.TagSet", _pairs("Key", "Value")),
    # PutObject takes the tag set URL-encoded in one header.
    "aws:s3/bucketObjectv2:BucketObjectv2": _tags("Tagging", urlencode),
    "aws:cloudwatch/logGroup:LogGroup": _tags("tags"),
    **dict.fromkeys(["aws:lambda/function:Function", "aws:mwaa/environment:Environment",
                     "aws:appautoscaling/target:Target"], _tags("Tags")),
    **dict.fromkeys(["aws:ecs/cluster:Cluster", "aws:ecs/service:Service", "aws:ecs/taskDefinition:TaskDefinition"],
                    _ECS_TAGS),
}
# A name prefix becomes the name: create.Name(name, prefix) appends id.UniqueId's 26 characters (an 18-digit
# timestamp and an 8-digit hex counter), so the name member's limits apply to prefix + 26 characters.
_PREFIXES = {"namePrefix": "name", "bucketPrefix": "bucket", "clusterIdentifierPrefix": "clusterIdentifier",
             "identifierPrefix": "identifier", "statementIdPrefix": "statementId"}
_UNIQUE_SUFFIX = "20260101000000000000000001"


def _complete(typ: str, rule: Rule) -> Rule:
    """The rule with its tags (from _TAGS) and its name prefixes mapped as the provider sends them."""
    members, unmapped = dict(rule.members), dict(rule.unmapped)
    if typ in _TAGS:
        members["tags"] = _TAGS[typ]
        unmapped.pop("tags", None)
    for prefix, name in _PREFIXES.items():
        if prefix in unmapped and isinstance(members.get(name), str):
            members[prefix] = Convert(members[name], lambda given: given + _UNIQUE_SUFFIX)
            del unmapped[prefix]
    return replace(rule, members=members, unmapped=unmapped)


RULES = {typ: _complete(typ, rule) for typ, rule in RULES.items()}

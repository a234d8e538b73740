"""Run a Pulumi program in-process under the SDK's mock engine, with fake but plausible AWS answers.

The plan command, the benchmarks and the tests all run programs through `run()`. It records
every registration with what `pulumi up` would send the engine (type, name, parent, inputs,
provider, protect, dependencies) so callers can print or query them, and resolves the stack
outputs. Nothing here talks to AWS or needs the Pulumi CLI.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

import pulumi
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime.proto import provider_pb2, resource_pb2
from pulumi.runtime import rpc, settings as runtime_settings
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _sync_await

STACK_TYPE = "pulumi:pulumi:Stack"


@dataclass
class Subnet:
    vpc_id: str
    availability_zone: str
    owner_id: str
    cidr_block: str = "10.0.0.0/24"
    internet_route: bool = False


@dataclass
class FakeAws:
    """What the fake account answers to lookups. Tests change it to provoke refusals."""

    account_id: str = "111111111111"
    region: str = "eu-west-1"
    subnets: dict[str, Subnet] = field(default_factory=dict)
    vpc_cidrs: dict[str, str] = field(default_factory=dict)
    # Every interface endpoint's network interfaces, per endpoint: one per subnet it spans.
    interfaces_per_endpoint: int = 2
    # Interface endpoints created outside the program (by MWAA in SERVICE mode), by service name.
    service_endpoints: dict[str, list[str]] = field(default_factory=dict)

    def private_ip(self, network_interface_id: str) -> str:
        """The private IP the account reports for a network interface."""
        return _fake_ip(network_interface_id)

    def subnet(self, subnet_id: str) -> Subnet:
        if subnet_id not in self.subnets:
            raise LookupError(f"InvalidSubnetID.NotFound: The subnet ID '{subnet_id}' does not exist")
        return self.subnets[subnet_id]


@dataclass(frozen=True)
class Registration:
    """One resource as the engine received it."""

    urn: str
    type: str
    name: str
    parent: str
    custom: bool
    inputs: dict[str, Any]
    state: dict[str, Any]
    id: str
    protect: bool
    provider: str
    dependencies: tuple[str, ...]
    ignore_changes: tuple[str, ...]
    replace_on_changes: tuple[str, ...]
    delete_before_replace: bool
    retain_on_delete: bool
    # Inputs the engine would store encrypted (their values above are unwrapped for reading).
    secret_inputs: tuple[str, ...] = ()
    # The URNs the engine would match against the state as this resource's former identities.
    alias_urns: tuple[str, ...] = ()


def _digest(*parts: Any) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()


class FakeAwsMocks(pulumi_mocks.Mocks):
    """Answers resource registrations and invokes the way AWS would shape them."""

    def __init__(self, world: FakeAws):
        self.world = world

    # -- resources ----------------------------------------------------------------------
    def new_resource(self, args: pulumi_mocks.MockResourceArgs):
        if not args.custom:
            return f"{args.name}", {}
        inputs = dict(args.inputs)
        short = _digest(args.typ, args.name)[:17]
        region, account = self.world.region, self.world.account_id
        service = args.typ.split(":")[1].split("/")[0]
        state: dict[str, Any] = {**inputs, "arn": f"arn:aws:{service}:{region}:{account}:{args.name}"}
        resource_id = f"{args.name}-{short[:8]}"
        # The name the provider would generate when the program sets none.
        auto_name = f"{args.name}-{short[:7]}"
        typ = args.typ
        if typ == "aws:s3/bucket:Bucket":
            bucket = inputs.get("bucket") or f"{inputs.get('bucketPrefix', args.name)}{short}"
            state.update(bucket=bucket, arn=f"arn:aws:s3:::{bucket}", bucketRegionalDomainName=f"{bucket}.s3.{region}.amazonaws.com")
            resource_id = bucket
        elif typ == "aws:s3/bucketObjectv2:BucketObjectv2":
            state["versionId"] = _asset_version(inputs.get("source"))
        elif typ in ("aws:iam/role:Role", "aws:iam/policy:Policy"):
            kind = typ.split(":")[2].lower()
            role_name = inputs.get("name") or auto_name
            state.update(name=role_name, arn=f"arn:aws:iam::{account}:{kind}/{role_name}")
        elif typ == "aws:kms/key:Key":
            key_id = f"{short[:8]}-{short[8:12]}-4{short[12:15]}-8{short[15:17]}0-{_digest(args.name)[:12]}"
            state.update(keyId=key_id, arn=f"arn:aws:kms:{region}:{account}:key/{key_id}")
            resource_id = key_id
        elif typ == "aws:cloudwatch/logGroup:LogGroup":
            state["arn"] = f"arn:aws:logs:{region}:{account}:log-group:{inputs.get('name', args.name)}"
        elif typ == "aws:mwaa/environment:Environment":
            env = inputs["name"]
            state.update(
                arn=f"arn:aws:airflow:{region}:{account}:environment/{env}",
                webserverUrl=f"{short[:8]}-{short[8:12]}.c{short[12:14]}.{region}.airflow.amazonaws.com",
                webserverVpcEndpointService=f"com.amazonaws.vpce.{region}.vpce-svc-{short}",
                databaseVpcEndpointService=f"com.amazonaws.vpce.{region}.vpce-svc-{_digest(short)[:17]}",
                serviceRoleArn=f"arn:aws:iam::{account}:role/aws-service-role/airflow.amazonaws.com/AWSServiceRoleForAmazonMWAA",
                status="AVAILABLE",
            )
            resource_id = env
            if inputs.get("endpointManagement", "SERVICE") == "SERVICE" and \
                    inputs.get("webserverAccessMode", "PRIVATE_ONLY") != "PUBLIC_ONLY":
                # MWAA creates the web server's endpoint itself, one interface per subnet.
                subnets = (inputs.get("networkConfiguration") or {}).get("subnetIds") or []
                self.world.service_endpoints[state["webserverVpcEndpointService"]] = [
                    f"eni-{_digest(short, 'webserver', i)[:17]}" for i in range(len(subnets))]
        elif typ.startswith("aws:lb/"):
            kind = typ.split("/")[1].split(":")[0]
            lb_name = inputs.get("name") or auto_name[:32]
            path = {"loadBalancer": f"loadbalancer/app/{lb_name}/{short[:16]}",
                    "targetGroup": f"targetgroup/{lb_name}/{short[:16]}",
                    "listener": f"listener/app/{lb_name}/{short[:16]}",
                    "listenerRule": f"listener-rule/app/{lb_name}/{short[:16]}"}.get(kind, f"{kind}/{short}")
            state.update(name=lb_name, arn=f"arn:aws:elasticloadbalancing:{region}:{account}:{path}")
            if kind == "loadBalancer":
                scheme = "internal-" if inputs.get("internal") else ""
                state.update(dnsName=f"{scheme}{lb_name}-{int(short[:8], 16)}.{region}.elb.amazonaws.com",
                             zoneId="Z32O12XQLNTSW2")
            resource_id = state["arn"] if kind != "targetGroupAttachment" else f"{args.name}-{short[:8]}"
        elif typ == "aws:acm/certificate:Certificate":
            domain = inputs["domainName"]
            state.update(arn=f"arn:aws:acm:{region}:{account}:certificate/{short[:8]}-{short[8:12]}-{short[12:16]}",
                         domainValidationOptions=[{"domainName": domain,
                                                   "resourceRecordName": f"_{short[:12]}.{domain}.",
                                                   "resourceRecordType": "CNAME",
                                                   "resourceRecordValue": f"_{short[4:16]}.acm-validations.aws."}])
            resource_id = state["arn"]
        elif typ == "aws:acm/certificateValidation:CertificateValidation":
            state["certificateArn"] = inputs["certificateArn"]
        elif typ == "aws:route53/record:Record":
            state["fqdn"] = inputs["name"]
        elif typ == "aws:lambda/function:Function":
            function_name = inputs.get("name") or auto_name
            state.update(name=function_name, arn=f"arn:aws:lambda:{region}:{account}:function:{function_name}",
                         invokeArn=f"arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/"
                                   f"arn:aws:lambda:{region}:{account}:function:{function_name}/invocations")
            resource_id = function_name
        elif typ == "aws:sns/topic:Topic":
            topic = inputs.get("name") or auto_name
            state.update(name=topic, arn=f"arn:aws:sns:{region}:{account}:{topic}")
            resource_id = state["arn"]
        elif typ == "aws:cloudwatch/metricAlarm:MetricAlarm":
            alarm = inputs.get("name") or auto_name
            state.update(name=alarm, arn=f"arn:aws:cloudwatch:{region}:{account}:alarm:{alarm}")
            resource_id = alarm
        elif typ == "aws:scheduler/schedule:Schedule":
            schedule = inputs.get("name") or auto_name
            group = inputs.get("groupName") or "default"
            state.update(name=schedule, groupName=group,
                         arn=f"arn:aws:scheduler:{region}:{account}:schedule/{group}/{schedule}")
            resource_id = f"{group}/{schedule}"
        elif typ == "aws:cloudwatch/dashboard:Dashboard":
            state["dashboardArn"] = f"arn:aws:cloudwatch::{account}:dashboard/{inputs['dashboardName']}"
            resource_id = inputs["dashboardName"]
        elif typ in _FARGATE_TYPES:
            resource_id = _fargate_state(typ, args.name, auto_name, inputs, short, region, account, state) or resource_id
        elif typ.startswith("aws:ec2/") or typ.startswith("aws:vpc/"):
            prefix = {"vpc": "vpc", "subnet": "subnet", "securityGroup": "sg", "routeTable": "rtb",
                      "internetGateway": "igw", "natGateway": "nat", "eip": "eipalloc", "vpcEndpoint": "vpce",
                      "securityGroupIngressRule": "sgr", "securityGroupEgressRule": "sgr",
                      "defaultSecurityGroup": "sg"}.get(typ.split("/")[1].split(":")[0], "res")
            resource_id = f"{prefix}-{short}"
            if typ == "aws:ec2/vpcEndpoint:VpcEndpoint" and inputs.get("vpcEndpointType") == "Interface":
                count = len(inputs.get("subnetIds") or []) or self.world.interfaces_per_endpoint
                state["networkInterfaceIds"] = [f"eni-{_digest(short, i)[:17]}" for i in range(count)]
            if typ == "aws:ec2/vpc:Vpc":
                state["defaultRouteTableId"] = f"rtb-{_digest(short)[:17]}"
            state["arn"] = f"arn:aws:ec2:{region}:{account}:{prefix}/{resource_id}"
        state.setdefault("id", resource_id)
        return resource_id, state

    # -- invokes ------------------------------------------------------------------------
    def call(self, args: pulumi_mocks.MockCallArgs):
        token, world, a = args.token, self.world, args.args
        if token == "aws:index/getCallerIdentity:getCallerIdentity":
            return {"accountId": world.account_id, "arn": f"arn:aws:iam::{world.account_id}:role/deployer",
                    "userId": "AROAEXAMPLE:deployer", "id": world.account_id}
        if token == "aws:index/getRegion:getRegion":
            return {"name": world.region, "region": world.region, "id": world.region,
                    "endpoint": f"ec2.{world.region}.amazonaws.com", "description": world.region}
        if token == "aws:index/getPartition:getPartition":
            return {"partition": "aws", "dnsSuffix": "amazonaws.com", "id": "aws"}
        if token == "aws:index/getAvailabilityZones:getAvailabilityZones":
            names = [f"{world.region}{z}" for z in "abc"]
            return {"names": names, "zoneIds": [f"euw1-az{i + 1}" for i in range(3)], "id": world.region}
        if token == "aws:ec2/getSubnet:getSubnet":
            subnet = world.subnet(a["id"])
            return {"id": a["id"], "vpcId": subnet.vpc_id, "availabilityZone": subnet.availability_zone,
                    "ownerId": subnet.owner_id, "cidrBlock": subnet.cidr_block,
                    "arn": f"arn:aws:ec2:{world.region}:{subnet.owner_id}:subnet/{a['id']}"}
        if token == "aws:ec2/getRouteTable:getRouteTable":
            subnet = world.subnet(a["subnetId"])
            routes = [{"cidrBlock": "0.0.0.0/0", "gatewayId": "igw-0123456789abcdef0"}] if subnet.internet_route else []
            return {"id": f"rtb-{_digest(a['subnetId'])[:17]}", "routeTableId": f"rtb-{_digest(a['subnetId'])[:17]}",
                    "vpcId": subnet.vpc_id, "routes": routes, "ownerId": subnet.owner_id}
        if token == "aws:ec2/getVpc:getVpc":
            return {"id": a["id"], "cidrBlock": world.vpc_cidrs.get(a["id"], "10.0.0.0/16"),
                    "ownerId": world.account_id}
        if token == "aws:ec2/getNetworkInterface:getNetworkInterface":
            return {"id": a["id"], "privateIp": world.private_ip(a["id"]), "subnetId": "subnet-0"}
        if token == "aws:elb/getServiceAccount:getServiceAccount":
            elb_account = str(int(_digest("elb", world.region)[:10], 16))[:12].rjust(12, "0")
            return {"id": elb_account, "arn": f"arn:aws:iam::{elb_account}:root"}
        if token == "aws:kms/getAlias:getAlias":
            key = _digest("alias", a["name"])
            key_id = f"{key[:8]}-{key[8:12]}-4{key[12:15]}-8{key[15:18]}-{key[18:30]}"
            return {"id": a["name"], "name": a["name"], "arn": f"arn:aws:kms:{world.region}:{world.account_id}:{a['name']}",
                    "targetKeyId": key_id, "targetKeyArn": f"arn:aws:kms:{world.region}:{world.account_id}:key/{key_id}"}
        if token == "aws:secretsmanager/getSecretVersion:getSecretVersion":
            return {"id": a["secretId"], "arn": a["secretId"], "secretString": f"fake-secret-{_digest(a['secretId'])[:8]}",
                    "versionId": _digest(a["secretId"])[:32], "versionStages": ["AWSCURRENT"]}
        if token == "aws:ec2/getVpcEndpoint:getVpcEndpoint":
            endpoint = f"vpce-{_digest(json.dumps(a, sort_keys=True, default=str))[:17]}"
            interfaces = world.service_endpoints.get(a.get("serviceName")) or [
                f"eni-{_digest(endpoint, i)[:17]}" for i in range(world.interfaces_per_endpoint)]
            return {"id": endpoint, "serviceName": a.get("serviceName"), "vpcId": a.get("vpcId"),
                    "networkInterfaceIds": interfaces}
        return {}


_FARGATE_TYPES = {
    "aws:rds/cluster:Cluster", "aws:rds/clusterInstance:ClusterInstance", "aws:rds/subnetGroup:SubnetGroup",
    "aws:elasticache/replicationGroup:ReplicationGroup", "aws:elasticache/subnetGroup:SubnetGroup",
    "aws:secretsmanager/secret:Secret", "aws:ecs/cluster:Cluster", "aws:ecs/taskDefinition:TaskDefinition",
    "aws:ecs/service:Service", "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace",
    "aws:servicediscovery/service:Service", "random:index/randomPassword:RandomPassword",
    "random:index/randomBytes:RandomBytes", "aws:lambda/invocation:Invocation",
}


def _fargate_state(typ: str, name: str, auto_name: str, inputs: dict[str, Any], short: str, region: str,
                   account: str, state: dict[str, Any]) -> Optional[str]:
    """What AWS (and pulumi-random) answer for FargateAirflowCluster's resources; returns the ID when it is special."""
    if typ == "aws:rds/cluster:Cluster":
        identifier = inputs.get("clusterIdentifier") or auto_name.lower()
        state.update(clusterIdentifier=identifier, arn=f"arn:aws:rds:{region}:{account}:cluster:{identifier}",
                     endpoint=f"{identifier}.cluster-c{short[:11]}.{region}.rds.amazonaws.com",
                     readerEndpoint=f"{identifier}.cluster-ro-c{short[:11]}.{region}.rds.amazonaws.com",
                     port=inputs.get("port", 5432), engineVersionActual=inputs.get("engineVersion"))
        return identifier
    if typ == "aws:rds/clusterInstance:ClusterInstance":
        identifier = inputs.get("identifier") or auto_name.lower()
        state.update(identifier=identifier, arn=f"arn:aws:rds:{region}:{account}:db:{identifier}",
                     endpoint=f"{identifier}.c{short[:11]}.{region}.rds.amazonaws.com", port=5432)
        return identifier
    if typ in ("aws:rds/subnetGroup:SubnetGroup", "aws:elasticache/subnetGroup:SubnetGroup"):
        group = inputs.get("name") or auto_name.lower()
        state["name"] = group
        return group
    if typ == "aws:elasticache/replicationGroup:ReplicationGroup":
        group = inputs.get("replicationGroupId") or auto_name.lower()[:40]
        state.update(replicationGroupId=group, arn=f"arn:aws:elasticache:{region}:{account}:replicationgroup:{group}",
                     primaryEndpointAddress=f"master.{group}.{short[:6]}.{region[:4]}.cache.amazonaws.com",
                     readerEndpointAddress=f"replica.{group}.{short[:6]}.{region[:4]}.cache.amazonaws.com")
        return group
    if typ == "aws:secretsmanager/secret:Secret":
        secret_name = inputs.get("name") or f"{inputs.get('namePrefix', name)}{short[:8]}"
        arn = f"arn:aws:secretsmanager:{region}:{account}:secret:{secret_name}-{short[8:14]}"
        state.update(name=secret_name, arn=arn)
        return arn
    if typ == "aws:ecs/cluster:Cluster":
        cluster = inputs.get("name") or auto_name
        state.update(name=cluster, arn=f"arn:aws:ecs:{region}:{account}:cluster/{cluster}")
        return state["arn"]
    if typ == "aws:ecs/taskDefinition:TaskDefinition":
        revision = int(_digest(inputs.get("containerDefinitions"))[:4], 16) % 50 + 1
        state.update(revision=revision, arnWithoutRevision=f"arn:aws:ecs:{region}:{account}:task-definition/{inputs['family']}",
                     arn=f"arn:aws:ecs:{region}:{account}:task-definition/{inputs['family']}:{revision}")
        return state["arn"]
    if typ == "aws:ecs/service:Service":
        service_name = inputs.get("name") or auto_name
        cluster = str(inputs.get("cluster", "")).rsplit("/", 1)[-1]
        state.update(name=service_name, arn=f"arn:aws:ecs:{region}:{account}:service/{cluster}/{service_name}")
        return state["arn"]
    if typ == "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace":
        namespace = f"ns-{short[:16]}"
        state.update(arn=f"arn:aws:servicediscovery:{region}:{account}:namespace/{namespace}",
                     hostedZone=f"Z{short[:13].upper()}")
        return namespace
    if typ == "aws:servicediscovery/service:Service":
        service = f"srv-{short[:16]}"
        state["arn"] = f"arn:aws:servicediscovery:{region}:{account}:service/{service}"
        return service
    if typ == "random:index/randomPassword:RandomPassword":
        # Drawn from the characters the resource may use, as pulumi-random draws them.
        alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        if inputs.get("special", True):
            alphabet += inputs.get("overrideSpecial") or "!@#$%&*()-_=+[]{}<>:?"
        seed = hashlib.sha256(name.encode()).digest() * 8
        state.update(result="".join(alphabet[b % len(alphabet)] for b in seed[: int(inputs["length"])]),
                     bcryptHash="$2a$10$" + short)
        return None
    if typ == "random:index/randomBytes:RandomBytes":
        raw = (hashlib.sha256(name.encode()).digest() * 8)[: int(inputs["length"])]
        state.update(base64=base64.b64encode(raw).decode(), hex=raw.hex())
        return None
    if typ == "aws:lambda/invocation:Invocation":
        state["result"] = json.dumps({"exitCode": 0})
    return None


def _alias_urn(alias, request, urn: str) -> str:
    """The URN an alias names, as the engine resolves an alias spec: unset parts are the resource's own."""
    if alias.urn:
        return alias.urn
    spec = alias.spec
    stack, project = urn.split("::")[0].removeprefix("urn:pulumi:"), urn.split("::")[1]
    parent = "" if spec.noParent else (spec.parentUrn or request.parent)
    parent_type = parent.split("::")[2] if parent else ""
    prefix = f"{parent_type}$" if parent_type and parent_type != STACK_TYPE else ""
    return (f"urn:pulumi:{spec.stack or stack}::{spec.project or project}::{prefix}{spec.type or request.type}"
            f"::{spec.name or request.name}")


def _child_urn(parent_urn: str, request) -> str:
    """The URN a child would have under `parent_urn`; a name starting with its parent's name follows it."""
    head, parent_type, parent_name = parent_urn.rsplit("::", 2)
    current_parent_name = request.parent.rsplit("::", 1)[1]
    name = request.name
    if name.startswith(current_parent_name):
        name = parent_name + name[len(current_parent_name):]
    return f"{head}::{parent_type}${request.type}::{name}"


def _fake_ip(seed: str) -> str:
    digest = _digest(seed)
    return f"10.{int(digest[:2], 16) % 200}.{int(digest[2:4], 16)}.{int(digest[4:6], 16) % 250 + 4}"


def _asset_version(source: Any) -> str:
    """A version ID that changes exactly when the uploaded content changes, as S3's does."""
    path = getattr(source, "path", None)
    content = Path(path).read_bytes() if path and Path(path).is_file() else str(source).encode()
    return hashlib.sha256(content).hexdigest()[:32]


class RecordingMonitor(pulumi_mocks.MockMonitor):
    """The SDK's mock monitor, also keeping what each registration asked of the engine."""

    def __init__(self, mocks: pulumi_mocks.Mocks):
        super().__init__(mocks)
        self.registrations: list[Registration] = []

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        """The URN the engine gives: the parent's whole type chain (the SDK's mock keeps only its last type,
        and prefixes children of the stack with the stack's type), so moves between parents show as they will."""
        chain = parent.split("::")[2] if parent else STACK_TYPE
        qualified = type_ if chain == STACK_TYPE else f"{chain}${type_}"
        return f"urn:pulumi:{pulumi.get_stack()}::{pulumi.get_project()}::{qualified}::{name}"

    def RegisterResource(self, request):
        response = super().RegisterResource(request)
        if request.type != STACK_TYPE:
            inputs = rpc.deserialize_properties(request.object)
            self.registrations.append(Registration(
                urn=response.urn, type=request.type, name=request.name, parent=request.parent,
                custom=request.custom, inputs={k: rpc.unwrap_rpc_secret(v) for k, v in inputs.items()},
                state=self.resources[response.urn].state, id=response.id, protect=request.protect,
                provider=request.provider, dependencies=tuple(request.dependencies),
                ignore_changes=tuple(request.ignoreChanges), replace_on_changes=tuple(request.replaceOnChanges),
                delete_before_replace=request.deleteBeforeReplace, retain_on_delete=request.retainOnDelete,
                secret_inputs=tuple(k for k, v in inputs.items() if rpc.is_rpc_secret(v)),
                alias_urns=self._alias_urns(request, response.urn),
            ))
        return response

    def _alias_urns(self, request, urn: str) -> tuple[str, ...]:
        """The resource's own aliases, and those the engine derives from its parent's: a child of a moved
        component had, under the component's former URN, the URN it would have there (engine:
        step_generator.go inheritedChildAlias)."""
        own = [_alias_urn(alias, request, urn) for alias in request.aliases]
        parent = next((r for r in self.registrations if r.urn == request.parent), None)
        inherited = [_child_urn(former, request) for former in (parent.alias_urns if parent else ())]
        return tuple(dict.fromkeys([*own, *inherited]))

    def Invoke(self, request):
        try:
            return super().Invoke(request)
        except LookupError as error:
            # The engine hands a failed lookup to the program's call (which may handle it) as a failure.
            return resource_pb2.ResourceInvokeResponse(failures=[provider_pb2.CheckFailure(property="", reason=str(error))])


@dataclass
class Plan:
    """What a program registered and exported."""

    project: str
    stack: str
    registrations: list[Registration]
    outputs: dict[str, Any]

    def of_type(self, type_token: str) -> list[Registration]:
        return [r for r in self.registrations if r.type == type_token]

    def one(self, type_token: str) -> Registration:
        found = self.of_type(type_token)
        if len(found) != 1:
            raise AssertionError(f"expected one {type_token}, found {[r.name for r in found]}")
        return found[0]

    def named(self, name: str) -> Registration:
        found = [r for r in self.registrations if r.name == name]
        if len(found) != 1:
            raise AssertionError(f"expected one resource named {name}, found {len(found)}")
        return found[0]

    def parent_of(self, registration: Registration) -> Optional[Registration]:
        return next((r for r in self.registrations if r.urn == registration.parent), None)

    def children_of(self, registration: Registration) -> list[Registration]:
        return [r for r in self.registrations if r.parent == registration.urn]

    def types(self) -> set[str]:
        return {r.type for r in self.registrations}


def run(program: Callable[[], Any], *, project: str, stack: str, config: Optional[dict[str, str]] = None,
        world: Optional[FakeAws] = None, root_directory: Optional[Path] = None) -> Plan:
    """Run `program` as a Pulumi program under mocks and return what it registered and exported.

    `root_directory` is what `pulumi.get_root_directory()` answers, as the engine gives a program its
    project's folder (the mock engine gives none).
    """
    world = world or FakeAws()
    monitor = RecordingMonitor(FakeAwsMocks(world))
    runtime_settings.ROOT.set(None)
    pulumi.runtime.set_all_config(dict(config or {}))
    pulumi.runtime.set_mocks(monitor.mocks, project=project, stack=stack, preview=False, monitor=monitor)
    runtime_settings.SETTINGS.root_directory = str(root_directory) if root_directory else None
    root = runtime_settings.get_root_resource()
    try:
        _sync_await(run_pulumi_func(program))
    except BaseException as error:
        # Callers check that a refused program registered nothing before it was refused.
        error.registrations = list(monitor.registrations)  # type: ignore[attr-defined]
        raise
    outputs = _sync_await(pulumi.Output.from_input(dict(root.outputs)).future()) if root.outputs else {}
    return Plan(project=project, stack=stack, registrations=list(monitor.registrations), outputs=outputs or {})

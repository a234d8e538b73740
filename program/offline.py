"""Run a Pulumi program in-process under the SDK's mock engine, with fake but plausible AWS answers.

The plan command, the benchmarks and the tests all run programs through `run()`. It records
every registration with what `pulumi up` would send the engine (type, name, parent, inputs,
provider, protect, dependencies) so callers can print or query them, and resolves the stack
outputs. Nothing here talks to AWS or needs the Pulumi CLI.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

import pulumi
from pulumi.runtime import mocks as pulumi_mocks
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
        typ = args.typ
        if typ == "aws:s3/bucket:Bucket":
            bucket = inputs.get("bucket") or f"{inputs.get('bucketPrefix', args.name)}{short}"
            state.update(bucket=bucket, arn=f"arn:aws:s3:::{bucket}", bucketRegionalDomainName=f"{bucket}.s3.{region}.amazonaws.com")
            resource_id = bucket
        elif typ == "aws:s3/bucketObjectv2:BucketObjectv2":
            state["versionId"] = _asset_version(inputs.get("source"))
        elif typ in ("aws:iam/role:Role", "aws:iam/policy:Policy"):
            kind = typ.split(":")[2].lower()
            role_name = inputs.get("name") or f"{args.name}-{short[:7]}"
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
            return {"id": a["id"], "privateIp": _fake_ip(a["id"]), "subnetId": "subnet-0"}
        if token == "aws:ec2/getVpcEndpoint:getVpcEndpoint":
            endpoint = f"vpce-{_digest(json.dumps(a, sort_keys=True, default=str))[:17]}"
            return {"id": endpoint, "networkInterfaceIds": [f"eni-{_digest(endpoint, i)[:17]}"
                                                            for i in range(world.interfaces_per_endpoint)]}
        return {}


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

    def RegisterResource(self, request):
        response = super().RegisterResource(request)
        if request.type != STACK_TYPE:
            self.registrations.append(Registration(
                urn=response.urn, type=request.type, name=request.name, parent=request.parent,
                custom=request.custom, inputs=rpc.deserialize_properties(request.object),
                state=self.resources[response.urn].state, id=response.id, protect=request.protect,
                provider=request.provider, dependencies=tuple(request.dependencies),
                ignore_changes=tuple(request.ignoreChanges), replace_on_changes=tuple(request.replaceOnChanges),
                delete_before_replace=request.deleteBeforeReplace, retain_on_delete=request.retainOnDelete,
            ))
        return response


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
        world: Optional[FakeAws] = None) -> Plan:
    """Run `program` as a Pulumi program under mocks and return what it registered and exported."""
    world = world or FakeAws()
    monitor = RecordingMonitor(FakeAwsMocks(world))
    runtime_settings.ROOT.set(None)
    pulumi.runtime.set_all_config(dict(config or {}))
    pulumi.runtime.set_mocks(monitor.mocks, project=project, stack=stack, preview=False, monitor=monitor)
    root = runtime_settings.get_root_resource()
    try:
        _sync_await(run_pulumi_func(program))
    except BaseException as error:
        # Callers check that a refused program registered nothing before it was refused.
        error.registrations = list(monitor.registrations)  # type: ignore[attr-defined]
        raise
    outputs = _sync_await(pulumi.Output.from_input(dict(root.outputs)).future()) if root.outputs else {}
    return Plan(project=project, stack=stack, registrations=list(monitor.registrations), outputs=outputs or {})

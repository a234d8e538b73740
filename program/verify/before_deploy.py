"""Checks before deploy: is this account, Region and network one the stack can be deployed into?

Each check takes the deploying session and the stack's settings and only reads (Describe/Get/List calls).
"""

import ipaddress
import json
from typing import Callable, Optional

import boto3
from botocore.exceptions import ClientError

from airflow_aws.aws_choices import INTERFACE_SERVICES

from airflow_aws.settings import Settings
from airflow_aws.findings import Finding

# Service Quotas' code for MWAA and the name of its environments-per-Region quota. The quota is found by name rather
# than by an `L-` code: the code could not be confirmed from the sources here, and the name is what the console shows.
QUOTA_SERVICE, QUOTA_NAME = "airflow", "Environments"
MWAA_PORTS = {443: "HTTPS to AWS services and the web server", 5432: "the metadata database"}


def account_and_region(session: boto3.Session, settings: Settings) -> Finding:
    account = session.client("sts").get_caller_identity()["Account"]
    pinned, region = settings.account.allowed_account_ids, settings.account.region
    if pinned and account not in pinned:
        return Finding("FAIL", "account", f"the credentials are of account {account}; the stack is pinned to "
                    f"{', '.join(pinned)}", "use credentials of the pinned account, or select the stack of this account")
    if session.region_name != region:
        return Finding("FAIL", "account", f"the session's Region is {session.region_name}; the stack deploys to {region}",
                    f"set AWS_REGION={region}")
    return Finding("PASS", "account", f"account {account}, Region {region}")


def _environments_quota(session: boto3.Session) -> Optional[float]:
    """The account's applied quota, or AWS's default where none was ever applied (ListServiceQuotas omits those)."""
    quotas = session.client("service-quotas")
    for operation in ("list_service_quotas", "list_aws_default_service_quotas"):
        for page in quotas.get_paginator(operation).paginate(ServiceCode=QUOTA_SERVICE):
            for quota in page["Quotas"]:
                if quota["QuotaName"].lower() == QUOTA_NAME.lower():
                    return quota["Value"]
    return None


def environments_quota(session: boto3.Session, settings: Settings) -> Optional[Finding]:
    """A new environment beyond the Region's quota fails to create after the network is built; updating one that
    exists takes no new slot."""
    if settings.project.platform != "mwaa":
        return None
    name = settings.project.environment_name
    existing = [e for page in session.client("mwaa").get_paginator("list_environments").paginate()
                for e in page["Environments"]]
    try:
        quota = _environments_quota(session)
    except ClientError as error:
        return Finding("WARN", "environments quota", f"could not read the quota: {error.response['Error']['Code']}",
                       "allow servicequotas:ListServiceQuotas and ListAWSDefaultServiceQuotas to the deploying role")
    if quota is None:
        return Finding("WARN", "environments quota", f"Service Quotas has no `{QUOTA_NAME}` quota for {QUOTA_SERVICE}",
                       "compare the Region's MWAA environments with the quota in the Service Quotas console")
    region = settings.account.region
    if name in existing:
        return Finding("PASS", "environments quota", f"{name} exists: an update takes no new slot "
                       f"({len(existing)} of {quota:g} in {region})")
    increase = (f"request an increase of Amazon MWAA `{QUOTA_NAME}` in Service Quotas for {region} "
                "(days ahead of the deploy), or delete an environment no longer used")
    if len(existing) >= quota:
        return Finding("FAIL", "environments quota", f"{len(existing)} environments exist in {region} and the quota "
                       f"is {quota:g}: {name} cannot be created", increase)
    if len(existing) + 1 == quota:
        return Finding("WARN", "environments quota", f"{name} takes the last of {quota:g} environments in {region}",
                       increase)
    return Finding("PASS", "environments quota", f"{len(existing) + 1} of {quota:g} environments in {region}")


def _subnets(session: boto3.Session, settings: Settings) -> list[dict]:
    ids = settings.project.network.subnet_ids or []
    return session.client("ec2").describe_subnets(SubnetIds=ids)["Subnets"]


def adopted_subnets(session: boto3.Session, settings: Settings) -> Optional[Finding]:
    network = settings.project.network
    if not network.adopted:
        return None
    subnets = _subnets(session, settings)
    zones = {s["AvailabilityZone"] for s in subnets}
    foreign = [s["SubnetId"] for s in subnets if s["OwnerId"] != settings.account.account_id]
    outside = [s["SubnetId"] for s in subnets if s["VpcId"] != network.vpc_id]
    if foreign:
        return Finding("FAIL", "subnets", f"{', '.join(foreign)} are shared from another account, which MWAA does not support",
                    "use subnets this account owns")
    if outside:
        return Finding("FAIL", "subnets", f"{', '.join(outside)} are not in {network.vpc_id}", "list subnets of network.vpcId")
    if len(zones) < 2:
        return Finding("FAIL", "subnets", f"all subnets are in {', '.join(sorted(zones))}", "use subnets in two zones")
    return Finding("PASS", "subnets", f"{len(subnets)} subnets in {', '.join(sorted(zones))}")


def _route_table(ec2, subnet: dict) -> dict:
    tables = ec2.describe_route_tables(Filters=[{"Name": "association.subnet-id", "Values": [subnet["SubnetId"]]}])
    if tables["RouteTables"]:
        return tables["RouteTables"][0]
    main = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [subnet["VpcId"]]},
                                              {"Name": "association.main", "Values": ["true"]}])
    return main["RouteTables"][0]


def _private_dns_endpoints(ec2, vpc_id: str, region: str) -> dict[str, str]:
    """Service short name (e.g. `logs`) -> endpoint ID of the VPC's interface endpoints with private DNS."""
    prefix = f"com.amazonaws.{region}."
    found = ec2.describe_vpc_endpoints(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["VpcEndpoints"]
    return {e["ServiceName"][len(prefix):]: e["VpcEndpointId"] for e in found
            if e.get("VpcEndpointType") == "Interface" and e.get("PrivateDnsEnabled") and e["State"] != "deleted"
            and e["ServiceName"].startswith(prefix)}


def subnet_routes(session: boto3.Session, settings: Settings) -> Optional[Finding]:
    """No blackhole or internet gateway route; a NAT path, or every endpoint MWAA needs."""
    project = settings.project
    if not project.network.adopted:
        return None
    ec2 = session.client("ec2")
    without_nat = []
    for subnet in _subnets(session, settings):
        routes = _route_table(ec2, subnet)["Routes"]
        name = subnet["SubnetId"]
        dead = [r.get("DestinationCidrBlock", r.get("DestinationPrefixListId")) for r in routes if r.get("State") == "blackhole"]
        if dead:
            return Finding("FAIL", "subnet routes", f"{name} has blackhole routes to {', '.join(map(str, dead))}",
                        "delete them or restore their target (a deleted NAT gateway or peering)")
        default = [r for r in routes if r.get("DestinationCidrBlock") == "0.0.0.0/0"]
        if any(r.get("GatewayId", "").startswith("igw-") for r in default):
            return Finding("FAIL", "subnet routes", f"{name} routes 0.0.0.0/0 to an internet gateway: it is public",
                        "use private subnets (a NAT gateway or endpoints for the way out)")
        if not any(r.get("NatGatewayId") or r.get("TransitGatewayId") for r in default):
            without_nat.append(name)
    if not without_nat:
        return Finding("PASS", "subnet routes", "every subnet has a NAT path and no blackhole route")
    if project.endpoints.enabled:
        return Finding("PASS", "subnet routes", f"{', '.join(without_nat)} have no NAT path; the stack creates the endpoints")
    existing = _private_dns_endpoints(ec2, project.network.vpc_id or "", settings.account.region)
    missing = [s for s in INTERFACE_SERVICES if s not in existing]
    if missing:
        return Finding("FAIL", "subnet routes", f"{', '.join(without_nat)} have no NAT path and the VPC has no private-DNS "
                    f"endpoint for {', '.join(missing)}", "add a NAT route, or set endpoints.enabled: true")
    return Finding("PASS", "subnet routes", "no NAT path; every endpoint MWAA needs exists with private DNS")


def _acl_allows(entries: list[dict], egress: bool, port: int, peer: ipaddress.IPv4Network) -> bool:
    """What a network ACL decides for TCP `port` to or from `peer`: its lowest-numbered matching rule."""
    for entry in sorted((e for e in entries if e["Egress"] == egress), key=lambda e: e["RuleNumber"]):
        if entry["Protocol"] not in ("-1", "6") or "CidrBlock" not in entry:
            continue
        ports = entry.get("PortRange") or {"From": 0, "To": 65535}
        if ports["From"] <= port <= ports["To"] and peer.subnet_of(ipaddress.IPv4Network(entry["CidrBlock"])):
            return entry["RuleAction"] == "allow"
    return False


def network_acls(session: boto3.Session, settings: Settings) -> Optional[Finding]:
    if not settings.project.network.adopted:
        return None
    ec2 = session.client("ec2")
    subnets = _subnets(session, settings)
    for subnet in subnets:
        acl = ec2.describe_network_acls(Filters=[{"Name": "association.subnet-id", "Values": [subnet["SubnetId"]]}])
        entries = acl["NetworkAcls"][0]["Entries"]
        for peer in subnets:
            block = ipaddress.IPv4Network(peer["CidrBlock"])
            for port, why in MWAA_PORTS.items():
                for egress in (False, True):
                    if not _acl_allows(entries, egress, port, block):
                        way = "outbound to" if egress else "inbound from"
                        return Finding("FAIL", "network ACLs", f"the ACL of {subnet['SubnetId']} denies TCP {port} ({why}) "
                                    f"{way} {block}", f"allow TCP {port} both ways between the MWAA subnets")
    return Finding("PASS", "network ACLs", "TCP 443 and 5432 are allowed both ways between the subnets")


def existing_endpoints(session: boto3.Session, settings: Settings) -> Optional[Finding]:
    """Seed 001: a second private-DNS endpoint for a service the VPC already serves fails to create."""
    project = settings.project
    if not (project.network.adopted and project.endpoints.enabled):
        return None
    existing = _private_dns_endpoints(session.client("ec2"), project.network.vpc_id or "", settings.account.region)
    clashing = sorted(s for s in existing if s in INTERFACE_SERVICES and s not in project.endpoints.skip_services)
    if clashing:
        return Finding("FAIL", "existing endpoints", f"the VPC already has private-DNS endpoints for {', '.join(clashing)} "
                    f"({', '.join(existing[s] for s in clashing)})", f"add {clashing} to endpoints.skipServices")
    return Finding("PASS", "existing endpoints", "no private-DNS endpoint the stack would create exists yet")


def other_workloads(session: boto3.Session, settings: Settings) -> Optional[Finding]:
    """Seed 000: a private-DNS endpoint answers for its service in the whole VPC, and its security group admits only
    the environment and endpoints.allowedCidrs; a workload elsewhere in the VPC would lose that service."""
    project = settings.project
    endpoints = project.endpoints
    if not (project.network.adopted and endpoints.enabled and endpoints.private_dns):
        return None
    ours = set(project.network.subnet_ids or [])
    admitted = [ipaddress.IPv4Network(cidr) for cidr in endpoints.allowed_cidrs]
    ec2 = session.client("ec2")
    interfaces = ec2.describe_network_interfaces(
        Filters=[{"Name": "vpc-id", "Values": [project.network.vpc_id or ""]}])["NetworkInterfaces"]
    # Judged by subnet, not by address: whatever starts in that subnet later is in the same position.
    others = sorted({i["SubnetId"] for i in interfaces if i["SubnetId"] not in ours and i.get("InterfaceType") != "vpc_endpoint"})
    subnets = ec2.describe_subnets(SubnetIds=others)["Subnets"] if others else []
    captured = sorted(s["SubnetId"] for s in subnets
                      if not any(ipaddress.IPv4Network(s["CidrBlock"]).subnet_of(block) for block in admitted))
    if captured:
        return Finding("WARN", "other workloads", f"network interfaces in {', '.join(captured)} would reach the new "
                       "endpoints' services only through them, and their security group would refuse them",
                       "add those subnets' CIDRs to endpoints.allowedCidrs, or list the services they call in "
                       "endpoints.skipServices")
    return Finding("PASS", "other workloads", "every other workload in the VPC is admitted by endpoints.allowedCidrs")


def _principals(statement: dict) -> set[str]:
    principal = statement.get("Principal", {})
    if principal == "*":
        return {"*"}
    return {v for values in principal.values() for v in ([values] if isinstance(values, str) else values)}


def kms_key_policy(session: boto3.Session, settings: Settings) -> Optional[Finding]:
    """An existing key must let CloudWatch Logs use it, and the account's IAM (MWAA's roles) as well."""
    key = settings.project.mwaa.kms_key
    if not key.startswith("arn:") or settings.project.platform != "mwaa":
        return None
    policy = json.loads(session.client("kms").get_key_policy(KeyId=key, PolicyName="default")["Policy"])
    allowed = set().union(*(_principals(s) for s in policy.get("Statement", []) if s.get("Effect") == "Allow"))
    logs = f"logs.{settings.account.region}.amazonaws.com"
    account = settings.account.account_id
    missing = [who for who, ok in ((logs, logs in allowed or "*" in allowed),
                                   ("this account's IAM (MWAA's execution role)",
                                    bool({account, f"arn:aws:iam::{account}:root", "*"} & allowed))) if not ok]
    if missing:
        return Finding("FAIL", "KMS key policy", f"the key's policy admits neither {' nor '.join(missing)}"
                    if len(missing) > 1 else f"the key's policy does not admit {missing[0]}",
                    f"add statements allowing {' and '.join(missing)} to use the key (kms:Encrypt*, Decrypt*, "
                    "GenerateDataKey*, Describe*), or use kmsKey: create")
    return Finding("PASS", "KMS key policy", "CloudWatch Logs and the account's IAM may use the key")


CHECKS: tuple[Callable[[boto3.Session, Settings], Optional[Finding]], ...] = (
    account_and_region, environments_quota, adopted_subnets, subnet_routes, network_acls, existing_endpoints, other_workloads, kms_key_policy)

"""The monthly line items of a plan document (`python -m program.plan STACK --json`), priced from prices.py.

Each item has a low and a high figure: the low one at the minimum of everything that scales (workers, web servers,
tasks, Aurora capacity), the high one at the maximum. Usage-priced items use ASSUMED_USAGE and say so.
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Optional

from .prices import ASSUMED_USAGE, HOURS_PER_MONTH, PRICES, PriceTable

MWAA = "aws:mwaa/environment:Environment"


@dataclass(frozen=True)
class LineItem:
    name: str  # what is paid for, the same across stacks and changes ("MWAA extra workers")
    detail: str  # its size in this plan ("0–2", "mw1.small")
    low: float  # USD a month at the minimum
    high: float  # USD a month at the maximum
    assumed: bool = False  # usage-priced: the figure rests on ASSUMED_USAGE

    @property
    def label(self) -> str:
        return f"{self.name} ({self.detail})" if self.detail else self.name


@dataclass
class Estimate:
    region: str
    table: Optional[PriceTable]  # None: a Region without prices
    items: list[LineItem] = field(default_factory=list)
    unpriced: list[str] = field(default_factory=list)  # price items the table lacks

    @property
    def low(self) -> float:
        return round(sum(i.low for i in self.items), 2)

    @property
    def high(self) -> float:
        return round(sum(i.high for i in self.items), 2)


class _Pricer:
    """Adds line items to an estimate, noting every price the table lacks."""

    def __init__(self, estimate: Estimate):
        self.estimate = estimate
        self.prices = estimate.table.prices if estimate.table else {}

    def hourly(self, name: str, detail: str, item: str, low: float, high: Optional[float] = None) -> None:
        """`low`..`high` units that each run all month at the hourly price of `item`."""
        if item not in self.prices:
            self.estimate.unpriced.append(item)
            return
        monthly = self.prices[item] * HOURS_PER_MONTH
        self.estimate.items.append(LineItem(name, detail, round(low * monthly, 2),
                                            round((low if high is None else high) * monthly, 2)))

    def monthly(self, name: str, item: str, count: float, note: str = "") -> None:
        if count:
            self._flat(name, f"{count}; {note}" if note else str(count), item, count, assumed=False)

    def usage(self, name: str, item: str, hourly: bool = False) -> None:
        """A usage-priced item at its assumed monthly use."""
        self._flat(name, f"assumed {ASSUMED_USAGE[item]} {'LCU' if hourly else 'GB'}", item,
                   ASSUMED_USAGE[item] * (HOURS_PER_MONTH if hourly else 1), assumed=True)

    def _flat(self, name: str, detail: str, item: str, quantity: float, assumed: bool) -> None:
        if item not in self.prices:
            self.estimate.unpriced.append(item)
            return
        cost = round(quantity * self.prices[item], 2)
        self.estimate.items.append(LineItem(name, detail, cost, cost, assumed))


def estimate(document: dict[str, Any], region: str) -> Estimate:
    """The monthly estimate of a plan document deployed in a Region."""
    result = Estimate(region, PRICES.get(region))
    if result.table is None:
        return result
    resources = [r for r in document["resources"] if r["type"].startswith("aws:")]
    of_type = lambda token: [r for r in resources if r["type"] == token]  # noqa: E731
    price = _Pricer(result)
    for environment in of_type(MWAA):
        _mwaa(price, environment["inputs"])
    _fargate(price, of_type)
    for cluster in of_type("aws:rds/cluster:Cluster"):
        _aurora(price, cluster, of_type("aws:rds/clusterInstance:ClusterInstance"))
    for group in of_type("aws:elasticache/replicationGroup:ReplicationGroup"):
        nodes = int(group["inputs"].get("numCacheClusters", 1))
        node_type = group["inputs"]["nodeType"]
        price.hourly("ElastiCache nodes", f"{nodes} × {node_type}", f"elasticache.{node_type}", nodes)
    _network(price, of_type)
    counted = Counter(r["type"] for r in resources)
    price.monthly("KMS keys", "kms.key", counted["aws:kms/key:Key"])
    secrets = counted["aws:secretsmanager/secret:Secret"]
    price.monthly("Secrets Manager secrets", "secret", secrets)
    alarms = counted["aws:cloudwatch/metricAlarm:MetricAlarm"]
    price.monthly("CloudWatch alarms", "alarm", alarms)
    dashboards = counted["aws:cloudwatch/dashboard:Dashboard"]
    price.monthly("CloudWatch dashboards", "dashboard", dashboards, note="an account's first 3 are free")
    if counted["aws:cloudwatch/logGroup:LogGroup"]:
        price.usage("CloudWatch Logs ingestion", "logs.gb")
    return result


def _mwaa(price: _Pricer, inputs: dict[str, Any]) -> None:
    """The environment fee covers one worker, and two schedulers and two web servers (one each on mw1.micro)."""
    kind = inputs.get("environmentClass", "mw1.small")
    included = 1 if kind == "mw1.micro" else 2
    price.hourly("MWAA environment", kind, f"mwaa.environment.{kind}", 1)
    workers = (int(inputs.get("minWorkers", 1)) - 1, int(inputs.get("maxWorkers", 10)) - 1)
    if workers[1] > 0:
        price.hourly("MWAA extra workers", f"{workers[0]}–{workers[1]} × {kind}", f"mwaa.worker.{kind}", *workers)
    schedulers = int(inputs.get("schedulers", included)) - included
    if schedulers > 0:
        price.hourly("MWAA extra schedulers", f"{schedulers} × {kind}", f"mwaa.scheduler.{kind}", schedulers)
    webservers = (max(0, int(inputs.get("minWebservers", included)) - included),
                  max(0, int(inputs.get("maxWebservers", included)) - included))
    if webservers[1] > 0:
        price.hourly("MWAA extra web servers", f"{webservers[0]}–{webservers[1]} × {kind}", f"mwaa.webserver.{kind}",
                     *webservers)
    price.usage("MWAA metadata database", "mwaa.metadata")


def _fargate(price: _Pricer, of_type: Any) -> None:
    """Every ECS service's tasks at its task definition's size, between its autoscaling bounds if it has any."""
    definitions = {r["arn"]: r["inputs"] for r in of_type("aws:ecs/taskDefinition:TaskDefinition")}
    scaling = {r["inputs"]["resourceId"]: r["inputs"] for r in of_type("aws:appautoscaling/target:Target")}
    for service in of_type("aws:ecs/service:Service"):
        definition = definitions.get(service["inputs"].get("taskDefinition"))
        if definition is None:
            continue
        bounds = next((s for rid, s in scaling.items() if (service.get("arn") or "").endswith(rid)), None)
        low, high = ((int(bounds["minCapacity"]), int(bounds["maxCapacity"])) if bounds
                     else (int(service["inputs"].get("desiredCount", 1)),) * 2)
        vcpu, gb = int(definition["cpu"]) / 1024, int(definition["memory"]) / 1024
        arch = (definition.get("runtimePlatform") or {}).get("cpuArchitecture", "X86_64")
        item = f"fargate.vcpu.{arch}"
        if item not in price.prices or f"fargate.gb.{arch}" not in price.prices:
            price.estimate.unpriced.append(item)
            continue
        per_task = vcpu * price.prices[item] + gb * price.prices[f"fargate.gb.{arch}"]
        detail = f"{low}–{high} × {vcpu:g} vCPU / {gb:g} GB, {arch}"
        price.estimate.items.append(LineItem(f"Fargate {service['name']}", detail, round(low * per_task * HOURS_PER_MONTH, 2),
                                             round(high * per_task * HOURS_PER_MONTH, 2)))


def _aurora(price: _Pricer, cluster: dict[str, Any], instances: list[dict[str, Any]]) -> None:
    scaling = cluster["inputs"].get("serverlessv2ScalingConfiguration") or {}
    serverless = [i for i in instances if i["inputs"].get("instanceClass") == "db.serverless"]
    low, high = float(scaling.get("minCapacity", 0.5)), float(scaling.get("maxCapacity", 1))
    count = len(serverless)
    price.hourly("Aurora Serverless v2", f"{count} × {low:g}–{high:g} ACU", "aurora.acu", count * low, count * high)


def _network(price: _Pricer, of_type: Any) -> None:
    nat = len(of_type("aws:ec2/natGateway:NatGateway"))
    if nat:
        price.hourly("NAT gateways", str(nat), "nat.hour", nat)
        price.usage("NAT data processed", "nat.gb")
    addresses = len(of_type("aws:ec2/eip:Eip"))
    if addresses:
        price.hourly("Public IPv4 addresses", str(addresses), "ipv4.hour", addresses)
    interface = [r for r in of_type("aws:ec2/vpcEndpoint:VpcEndpoint") if r["inputs"].get("vpcEndpointType") == "Interface"]
    zones = sum(len(r["inputs"].get("subnetIds") or []) for r in interface)
    if interface:
        price.hourly("Interface endpoints", f"{len(interface)} endpoints, {zones} endpoint-zones", "endpoint.hour", zones)
        price.usage("Interface endpoint data processed", "endpoint.gb")
    balancers = len(of_type("aws:lb/loadBalancer:LoadBalancer"))
    if balancers:
        price.hourly("Load balancers", str(balancers), "alb.hour", balancers)
        price.usage("Load balancer capacity units", "alb.lcu", hourly=True)

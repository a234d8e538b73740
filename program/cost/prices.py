"""On-demand AWS prices in USD, per Region, with the date and the source of every table.

Only the Regions listed here are estimated; any other Region is reported as unknown rather than guessed. An item a
table lacks (say, a worker price for mw1.2xlarge) is reported as unpriced, never taken from another Region.
Re-read the sources and move `as_of` when you change a number.
"""

from dataclasses import dataclass

HOURS_PER_MONTH = 730  # AWS's own convention on its pricing pages


@dataclass(frozen=True)
class PriceTable:
    region: str
    as_of: str  # when these numbers were last read
    source: str  # where they were read
    prices: dict[str, float]  # item -> USD, per the unit in UNITS


# The unit of each item: hourly items run all month; the others are per month or per GB.
UNITS: dict[str, str] = {
    "mwaa.environment.<class>": "hour", "mwaa.worker.<class>": "hour", "mwaa.scheduler.<class>": "hour",
    "mwaa.webserver.<class>": "hour", "mwaa.metadata": "GB-month",
    "fargate.vcpu.X86_64": "vCPU-hour", "fargate.gb.X86_64": "GB-hour",
    "fargate.vcpu.ARM64": "vCPU-hour", "fargate.gb.ARM64": "GB-hour",
    "aurora.acu": "ACU-hour", "elasticache.<nodeType>": "node-hour",
    "nat.hour": "hour", "nat.gb": "GB processed", "ipv4.hour": "hour per public IPv4 address",
    "endpoint.hour": "hour per endpoint per zone", "endpoint.gb": "GB processed",
    "alb.hour": "hour", "alb.lcu": "LCU-hour",
    "kms.key": "key-month", "secret": "secret-month", "alarm": "alarm-month", "dashboard": "dashboard-month",
    "logs.gb": "GB ingested",
}

_MWAA = {  # The MWAA price list (the project's reference: us-west-2 list of August 2026)
    "mwaa.environment.mw1.micro": 0.29, "mwaa.environment.mw1.small": 0.49, "mwaa.environment.mw1.medium": 0.74,
    "mwaa.environment.mw1.large": 0.99, "mwaa.environment.mw1.xlarge": 1.98, "mwaa.environment.mw1.2xlarge": 3.96,
    "mwaa.worker.mw1.small": 0.055, "mwaa.worker.mw1.medium": 0.11, "mwaa.worker.mw1.large": 0.22,
    "mwaa.scheduler.mw1.small": 0.055, "mwaa.scheduler.mw1.medium": 0.11, "mwaa.scheduler.mw1.large": 0.22,
    "mwaa.webserver.mw1.small": 0.055, "mwaa.webserver.mw1.medium": 0.055, "mwaa.webserver.mw1.large": 0.11,
    "mwaa.metadata": 0.10,
}
_PER_MONTH = {"kms.key": 1.00, "secret": 0.40, "alarm": 0.10, "dashboard": 3.00}
_FARGATE = {"fargate.vcpu.X86_64": 0.04048, "fargate.gb.X86_64": 0.004445,
            "fargate.vcpu.ARM64": 0.03238, "fargate.gb.ARM64": 0.00356}

PRICES: dict[str, PriceTable] = {
    "us-east-1": PriceTable(
        "us-east-1", "2026-08",
        "shared/reference/airflow-on-fargate.md (AWS pricing pages read in 2026; MWAA from the us-west-2 list)",
        {**_MWAA, **_FARGATE, **_PER_MONTH, "aurora.acu": 0.12, "elasticache.cache.t3.micro": 0.017,
         "nat.hour": 0.045, "nat.gb": 0.045, "ipv4.hour": 0.005, "endpoint.hour": 0.01, "endpoint.gb": 0.01,
         "alb.hour": 0.0225, "alb.lcu": 0.008, "logs.gb": 0.50}),
    "eu-west-1": PriceTable(
        "eu-west-1", "2026-12",
        "AWS pricing pages for Europe (Ireland) as known in December 2026, not re-read from the price list API "
        "(check before quoting); MWAA is the us-west-2 list of the project reference, assumed equal in Ireland",
        {**_MWAA, **_FARGATE, **_PER_MONTH, "aurora.acu": 0.13, "elasticache.cache.t3.micro": 0.018,
         "elasticache.cache.t4g.micro": 0.0144, "nat.hour": 0.048, "nat.gb": 0.048, "ipv4.hour": 0.005,
         "endpoint.hour": 0.011, "endpoint.gb": 0.01, "alb.hour": 0.0252, "alb.lcu": 0.008, "logs.gb": 0.57}),
}

# What usage-priced items are assumed to use each month; shown with every estimate.
ASSUMED_USAGE = {
    "logs.gb": 10,  # GB of logs ingested into CloudWatch
    "nat.gb": 20,  # GB through the NAT gateways (package installs, calls to public APIs)
    "endpoint.gb": 20,  # GB through interface endpoints (images, logs, metrics, queue)
    "alb.lcu": 1,  # load balancer capacity units on average (a handful of Airflow UI users)
    "mwaa.metadata": 10,  # GB in the MWAA metadata database (AWS's example of a typical workload)
}

"""AWS names and the fixed choices of the components' inputs, importable without pulumi_aws.

The settings load with every plan and every `Settings` check; taking these from the components
themselves would import their resource modules (and pulumi_aws's ec2 and s3 input types) first.

Each enumerated input is a `str` enum: the package schema the SDK's analyzer infers lists its values (so other
languages get a typed enum), and Python callers may pass the member or its plain string alike. Components read
such an input with `choice`, which turns either into the plain value, so both plan the same resources.
"""

from enum import Enum
from typing import Optional, TypeVar, Union, overload

# What MWAA reaches without internet (AWS docs `vpc-vpe-create-access`, ../shared/reference/mwaa.md).
INTERFACE_SERVICES = ("airflow.api", "airflow.env", "airflow.ops", "ecr.api", "ecr.dkr", "kms", "logs",
                      "monitoring", "sqs")
GATEWAY_SERVICES = ("s3",)
ENDPOINT_SERVICES = (*INTERFACE_SERVICES, *GATEWAY_SERVICES)

# AWS's recommended policy (Elastic Load Balancing docs, "Security policies for your Application
# Load Balancer", 2025-09): TLS 1.3 and 1.2 with hybrid post-quantum key exchange.
DEFAULT_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09"


class NatGateways(str, Enum):
    """How the private subnets reach the internet."""

    NONE = "none"
    """No NAT: VPC endpoints carry AWS traffic."""
    SINGLE = "single"
    """One NAT gateway shared by both zones."""
    PER_ZONE = "perZone"
    """One NAT gateway per zone, so each zone keeps its egress when the other fails."""


class EnvironmentClass(str, Enum):
    """Size of an MWAA environment's scheduler, web server and worker containers."""

    MW1_MICRO = "mw1.micro"
    """The smallest: exactly one scheduler and one web server."""
    MW1_SMALL = "mw1.small"
    """Workers sized for 5 concurrent tasks (MWAA scales on that figure)."""
    MW1_MEDIUM = "mw1.medium"
    """Workers sized for 10 concurrent tasks."""
    MW1_LARGE = "mw1.large"
    """Workers sized for 20 concurrent tasks."""
    MW1_XLARGE = "mw1.xlarge"
    """Workers sized for 40 concurrent tasks."""
    MW1_2XLARGE = "mw1.2xlarge"
    """Workers sized for 80 concurrent tasks."""


class WebserverAccessMode(str, Enum):
    """Where an MWAA environment's Airflow UI is reachable from."""

    PRIVATE_ONLY = "PRIVATE_ONLY"
    """Only from the VPC, through the webserver's VPC endpoint."""
    PUBLIC_ONLY = "PUBLIC_ONLY"
    """Only from the internet, through MWAA's public endpoint."""
    PUBLIC_AND_PRIVATE = "PUBLIC_AND_PRIVATE"
    """From the VPC and the internet."""


class EndpointManagement(str, Enum):
    """Who creates an MWAA environment's own webserver and database VPC endpoints."""

    SERVICE = "SERVICE"
    """MWAA creates them in the environment's subnets."""
    CUSTOMER = "CUSTOMER"
    """You do (EndpointSet `environment_endpoints`), e.g. in a VPC whose owner creates all endpoints."""


class WorkerReplacementStrategy(str, Enum):
    """How MWAA replaces workers during an update."""

    FORCED = "FORCED"
    """Replace workers without waiting for the tasks they run."""
    GRACEFUL = "GRACEFUL"
    """Let running tasks finish before a worker is replaced."""


class EgressProtocol(str, Enum):
    """IP protocol of a security group egress rule."""

    TCP = "tcp"
    """TCP on the rule's port range."""
    UDP = "udp"
    """UDP on the rule's port range."""
    ALL = "-1"
    """Every protocol and port (the rule's ports are ignored)."""


class TargetProtocol(str, Enum):
    """Protocol a load balancer speaks to its targets."""

    HTTPS = "HTTPS"
    """TLS to the targets (MWAA's web server)."""
    HTTP = "HTTP"
    """Plain HTTP inside the VPC (the Airflow 3 api-server)."""


class AirflowMajorVersion(str, Enum):
    """Major version of the Airflow an MWAA login function signs users in to."""

    V2 = "2"
    """Airflow 2."""
    V3 = "3"
    """Airflow 3."""


class BrokerEngine(str, Enum):
    """ElastiCache engine of the Celery broker."""

    VALKEY = "valkey"
    """Valkey (default engine version 8.0)."""
    REDIS = "redis"
    """Redis OSS (default engine version 7.1)."""


class CpuArchitecture(str, Enum):
    """CPU architecture of Fargate tasks."""

    X86_64 = "X86_64"
    """Intel or AMD."""
    ARM64 = "ARM64"
    """AWS Graviton; about 20% cheaper."""


class MonitoredPlatform(str, Enum):
    """Where the Airflow an AirflowMonitoring watches runs."""

    MWAA = "mwaa"
    """Amazon MWAA: a function publishes the worker count MWAA lacks."""
    FARGATE = "fargate"
    """FargateAirflowCluster on ECS Fargate: Container Insights counts the workers."""


Choice = TypeVar("Choice", bound=Enum)


@overload
def choice(kind: type[Choice], value: Union[Choice, str], what: str) -> str: ...
@overload
def choice(kind: type[Choice], value: None, what: str) -> None: ...
@overload
def choice(kind: type[Choice], value: Optional[Union[Choice, str]], what: str) -> Optional[str]: ...


def choice(kind: type[Choice], value: Optional[Union[Choice, str]], what: str) -> Optional[str]:
    """The plain value of an enumerated input given as member or string (None when not given); a ValueError names
    `what` and the choices."""
    if value is None:
        return None
    try:
        return kind(value).value
    except ValueError:
        *others, last = (str(member.value) for member in kind)
        raise ValueError(f"{what} must be {', '.join(others)} or {last}, not {value!r}") from None

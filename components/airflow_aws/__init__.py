"""Pulumi components that run Apache Airflow on AWS.

The public API: import components and their args from here, e.g.
`from airflow_aws import MwaaEnvironment, MwaaEnvironmentArgs`, or the whole platform from validated settings:
`AirflowPlatform.from_settings("airflow", airflow_aws.settings.load())`.
"""

import importlib
from typing import TYPE_CHECKING, Any

# First, before any component imports pulumi_aws: its service packages then import only the modules a program
# uses (a stack plan loads ~350 pulumi_aws modules instead of ~880 and runs ~1 s faster). See _lazy_aws.py.
from ._lazy_aws import install as _install_lazy_aws_imports; _install_lazy_aws_imports()  # noqa: E702,I001

# Each public name and the module defining it. Modules load on first use (PEP 562), so a program
# pays only for the components it builds: an MWAA stack never imports the Fargate cluster.
_EXPORTS = {
    "AirflowPlatform": "airflow_platform",
    "AirflowMonitoring": "airflow_monitoring", "AirflowMonitoringArgs": "airflow_monitoring",
    "FargateMetricsArgs": "airflow_monitoring", "MonitoringThresholdsArgs": "airflow_monitoring",
    "EndpointSet": "endpoint_set", "EndpointSetArgs": "endpoint_set",
    "EnvironmentEndpointServicesArgs": "endpoint_set",
    # What wiring the components together takes (airflow_platform.py uses the same).
    "environment_security_group": "mwaa_environment", "interface_private_ips": "endpoint_set",
    "webserver_endpoint_interface_ids": "endpoint_set", "ui_base_url": "airflow_settings",
    "BrokerArgs": "fargate_airflow_cluster", "DatabaseArgs": "fargate_airflow_cluster",
    "FargateAirflowCluster": "fargate_airflow_cluster", "FargateAirflowClusterArgs": "fargate_airflow_cluster",
    "EgressRuleArgs": "mwaa_environment", "MwaaEnvironment": "mwaa_environment",
    "MwaaEnvironmentArgs": "mwaa_environment",
    "AccessLogsArgs": "private_access_alb", "AlbTargetArgs": "private_access_alb",
    "AuthenticationArgs": "private_access_alb", "CognitoArgs": "private_access_alb", "OidcArgs": "private_access_alb",
    "PrivateAccessAlb": "private_access_alb", "PrivateAccessAlbArgs": "private_access_alb",
    "MachineAccessArgs": "private_access_alb", "WebLoginArgs": "private_access_alb",
    "VpcNetwork": "vpc_network", "VpcNetworkArgs": "vpc_network",
    # The enumerated inputs' choices (str enums: the plain strings work as well).
    **{name: "aws_choices" for name in (
        "AirflowMajorVersion", "BrokerEngine", "CpuArchitecture", "EgressProtocol", "EndpointManagement",
        "EnvironmentClass", "MonitoredPlatform", "NatGateways", "TargetProtocol", "WebserverAccessMode",
        "WorkerReplacementStrategy")},
}
# Built, not written out: type checkers read the public names from the TYPE_CHECKING imports below instead.
__all__ = sorted(_EXPORTS)  # pyright: ignore[reportUnsupportedDunderAll]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if TYPE_CHECKING:  # what type checkers and IDEs read; at run time __getattr__ serves these names
    from .airflow_monitoring import (AirflowMonitoring, AirflowMonitoringArgs, FargateMetricsArgs,
                                     MonitoringThresholdsArgs)
    from .airflow_platform import AirflowPlatform
    from .airflow_settings import ui_base_url
    from .endpoint_set import (EndpointSet, EndpointSetArgs, EnvironmentEndpointServicesArgs, interface_private_ips,
                               webserver_endpoint_interface_ids)
    from .fargate_airflow_cluster import BrokerArgs, DatabaseArgs, FargateAirflowCluster, FargateAirflowClusterArgs
    from .mwaa_environment import EgressRuleArgs, MwaaEnvironment, MwaaEnvironmentArgs, environment_security_group
    from .private_access_alb import (AccessLogsArgs, AlbTargetArgs, AuthenticationArgs, CognitoArgs,
                                     MachineAccessArgs, OidcArgs, PrivateAccessAlb, PrivateAccessAlbArgs,
                                     WebLoginArgs)
    from .aws_choices import (AirflowMajorVersion, BrokerEngine, CpuArchitecture, EgressProtocol, EndpointManagement,
                              EnvironmentClass, MonitoredPlatform, NatGateways, TargetProtocol, WebserverAccessMode,
                              WorkerReplacementStrategy)
    from .vpc_network import VpcNetwork, VpcNetworkArgs

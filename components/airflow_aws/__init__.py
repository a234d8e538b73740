"""Pulumi components that run Apache Airflow on AWS.

The public API: import components and their args from here.
"""

# First, before any component imports pulumi_aws: its service packages then import only the modules a program
# uses (a stack plan loads ~350 pulumi_aws modules instead of ~880 and runs ~1 s faster). See _lazy_aws.py.
from ._lazy_aws import install as _install_lazy_aws_imports; _install_lazy_aws_imports()  # noqa: E702,I001
from .airflow_monitoring import (AirflowMonitoring, AirflowMonitoringArgs, FargateMetricsArgs,
                                 MonitoringThresholdsArgs)
from .endpoint_set import EndpointSet, EndpointSetArgs, EnvironmentEndpointServicesArgs
from .fargate_airflow_cluster import BrokerArgs, DatabaseArgs, FargateAirflowCluster, FargateAirflowClusterArgs
from .mwaa_environment import EgressRuleArgs, MwaaEnvironment, MwaaEnvironmentArgs
from .private_access_alb import (AccessLogsArgs, AlbTargetArgs, AuthenticationArgs, CognitoArgs, OidcArgs,
                                 PrivateAccessAlb, PrivateAccessAlbArgs, WebLoginArgs)
from .vpc_network import VpcNetwork, VpcNetworkArgs

__all__ = [
    "AccessLogsArgs",
    "AirflowMonitoring",
    "AirflowMonitoringArgs",
    "AlbTargetArgs",
    "AuthenticationArgs",
    "CognitoArgs",
    "EgressRuleArgs",
    "EndpointSet",
    "EndpointSetArgs",
    "BrokerArgs",
    "DatabaseArgs",
    "EnvironmentEndpointServicesArgs",
    "FargateAirflowCluster",
    "FargateAirflowClusterArgs",
    "FargateMetricsArgs",
    "MonitoringThresholdsArgs",
    "MwaaEnvironment",
    "MwaaEnvironmentArgs",
    "OidcArgs",
    "PrivateAccessAlb",
    "PrivateAccessAlbArgs",
    "VpcNetwork",
    "VpcNetworkArgs",
    "WebLoginArgs",
]

"""Pulumi components that run Apache Airflow on AWS.

The public API: import components and their args from here.
"""

from .mwaa_environment import EgressRuleArgs, MwaaEnvironment, MwaaEnvironmentArgs
from .vpc_network import VpcNetwork, VpcNetworkArgs

__all__ = [
    "EgressRuleArgs",
    "MwaaEnvironment",
    "MwaaEnvironmentArgs",
    "VpcNetwork",
    "VpcNetworkArgs",
]

"""A stack's configuration, read once and turned into typed, validated settings.

Every value a stack file can hold is declared here, one module per settings section, with its type, default and
description; each section's cross-setting checks sit with it. `Pulumi.yaml` and the settings reference (docs/settings.md)
are generated from these models (`python -m program.reference` in this repository) and tests keep them in step.

    base            the strict base model, shared checks (CIDRs, ARNs of the stack's account, project folders)
    errors          SettingError, InvalidSettings, pydantic's findings in the user's words
    account         the `aws:` provider keys: Region, pinned account, deploying role
    network         a created or adopted VPC
    mwaa            the MWAA environment (sizing, Airflow options, IAM, source folder)
    keys            encryption key settings of MWAA and Fargate
    endpoints       VPC endpoints
    private_access  the load balancer with sign-in
    fargate         self-managed Airflow 3 on ECS Fargate
    monitoring      dashboard and alarms
    stack           the top level, tags, and parse()
    stack_file      a Pulumi.<stack>.yaml read as the CLI passes it, for commands outside `pulumi up`

Invalid configuration stops the program with one `pulumi.RunError` that lists every problem found (key, bad
value, what is allowed, how to fix it) before any resource is registered.
"""

from .account import Account
from .base import LOG_RETENTION_DAYS, PROJECT, SettingsModel
from .endpoints import EndpointSettings
from .errors import InvalidSettings, SettingError
from .fargate import FARGATE_PROCESSES, FargateSettings
from .monitoring import MonitoringSettings
from .mwaa import AIRFLOW_VERSIONS, ENVIRONMENT_CLASSES, LOG_LEVELS, LOG_TYPES, MwaaSettings
from .network import NetworkSettings, subnet_plan
from .private_access import PrivateAccessSettings, base_url_option
from .stack import ENVIRONMENT_NAME, PLATFORMS, Settings, StackSettings, all_config, load, parse
from .stack_file import engine_config, stack_file_values

__all__ = ["AIRFLOW_VERSIONS", "Account", "ENVIRONMENT_CLASSES", "ENVIRONMENT_NAME", "EndpointSettings",
           "FARGATE_PROCESSES", "FargateSettings", "InvalidSettings", "LOG_LEVELS", "LOG_RETENTION_DAYS", "LOG_TYPES",
           "MonitoringSettings", "MwaaSettings", "NetworkSettings", "PLATFORMS", "PROJECT", "PrivateAccessSettings",
           "SettingError", "Settings", "SettingsModel", "StackSettings", "all_config", "engine_config",
           "base_url_option", "load", "parse", "stack_file_values", "subnet_plan"]

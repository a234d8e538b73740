"""Settings -> components -> stack outputs. The one place that decides what a stack deploys."""

from __future__ import annotations

from typing import Any

import pulumi

from airflow_aws import MwaaEnvironment

from . import network as network_module
from .settings import REPOSITORY_ROOT, Settings


def compose(settings: Settings) -> dict[str, Any]:
    project = settings.project
    mwaa = project.mwaa
    network = network_module.provide(settings)
    environment = MwaaEnvironment("mwaa", {
        "environment_name": project.environment_name,
        "vpc_id": network.vpc_id,
        "subnet_ids": network.subnet_ids,
        "airflow_version": mwaa.airflow_version,
        "environment_class": mwaa.environment_class,
        "min_workers": mwaa.min_workers,
        "max_workers": mwaa.max_workers,
        "schedulers": mwaa.schedulers,
        "min_webservers": mwaa.min_webservers,
        "max_webservers": mwaa.max_webservers,
        "weekly_maintenance_window_start": mwaa.weekly_maintenance_window_start,
        "webserver_access_mode": mwaa.webserver_access_mode,
        "endpoint_management": mwaa.endpoint_management,
        **({"worker_replacement_strategy": mwaa.worker_replacement_strategy} if mwaa.worker_replacement_strategy else {}),
        "airflow_configuration_options": mwaa.airflow_configuration_options,
        "log_levels": mwaa.log_levels,
        "log_retention_days": mwaa.log_retention_days,
        "create_kms_key": mwaa.kms_key == "create",
        **({"kms_key_arn": mwaa.kms_key} if mwaa.kms_key.startswith("arn:") else {}),
        "source_folder": str(REPOSITORY_ROOT / mwaa.source_folder),
        "upload_dags": mwaa.upload_dags,
        "execution_role_policy_statements": mwaa.execution_role_policy_statements,
        "execution_role_managed_policy_arns": mwaa.execution_role_managed_policy_arns,
        "security_group_egress": [rule.model_dump(exclude_none=True) for rule in mwaa.security_group_egress],
        "protect_stateful_resources": project.protect,
        "tags": project.tags,
    })
    return {
        "vpcId": network.vpc_id,
        "subnetIds": network.subnet_ids,
        "environmentArn": environment.arn,
        "environmentName": environment.name,
        "webserverUrl": environment.webserver_url,
        "webserverVpcEndpointService": environment.webserver_vpc_endpoint_service,
        "databaseVpcEndpointService": environment.database_vpc_endpoint_service,
        "sourceBucket": environment.bucket_name,
        "executionRoleArn": environment.execution_role_arn,
        "securityGroupId": environment.security_group_id,
        "kmsKeyArn": environment.kms_key_arn,
        "webUiAccessPolicyArns": environment.web_ui_access_policy_arns,
    }


def export(outputs: dict[str, Any]) -> None:
    for name, value in outputs.items():
        pulumi.export(name, value)

"""IAM documents of FargateAirflowCluster: pure functions, each scoped to what one principal uses.

Principals: the shared ECS execution role (pull the image, write process logs, read the
cluster's secrets), one task role per Airflow process (the bucket prefixes it reads or
writes, the metrics namespace for the scheduler's agent), and the migration function's role.
"""

from __future__ import annotations

from typing import Optional, Sequence

from .airflow_settings import DAGS_PREFIX, LOGS_PREFIX
from .policies import Document, assume_role_policy, customer_key_policy, policy_document

# What each process does with the bucket. Task logs are written by the processes that run
# tasks or triggers and read by the api-server (the UI); the DAG folder is read by the parsers.
BUCKET_ACCESS: dict[str, dict[str, bool]] = {
    "api-server": {"read_dags": False, "write_logs": False, "read_logs": True},
    "scheduler": {"read_dags": False, "write_logs": False, "read_logs": False},
    "dag-processor": {"read_dags": True, "write_logs": True, "read_logs": True},
    "triggerer": {"read_dags": True, "write_logs": True, "read_logs": True},
    "worker": {"read_dags": True, "write_logs": True, "read_logs": True},
    "flower": {"read_dags": False, "write_logs": False, "read_logs": False},
    "migrate": {"read_dags": False, "write_logs": False, "read_logs": False},
}


def ecs_tasks_trust_policy(*, account: str, partition: str, region: str) -> Document:
    """ECS may assume the role, only for tasks of this account and Region (confused deputy guard)."""
    document = assume_role_policy("ecs-tasks.amazonaws.com")
    document["Statement"][0]["Condition"] = {
        "StringEquals": {"aws:SourceAccount": account},
        "ArnLike": {"aws:SourceArn": f"arn:{partition}:ecs:{region}:{account}:*"},
    }
    return document


def execution_policy(*, log_group_arns: Sequence[str], secret_arns: Sequence[str], kms_key_arn: Optional[str],
                     ecr_repository_arn: Optional[str]) -> Document:
    """What ECS itself needs to start the cluster's tasks."""
    statements: list[Document] = [
        {"Sid": "WriteProcessLogs", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
         "Resource": [f"{arn}:log-stream:*" for arn in log_group_arns]},
        {"Sid": "ReadTheClusterSecrets", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
         "Resource": list(secret_arns)},
    ]
    if kms_key_arn:
        statements.append({"Sid": "DecryptTheClusterSecrets", "Effect": "Allow", "Action": "kms:Decrypt",
                           "Resource": kms_key_arn})
    if ecr_repository_arn:
        statements += [
            {"Sid": "PullTheAirflowImage", "Effect": "Allow",
             "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
             "Resource": ecr_repository_arn},
            # GetAuthorizationToken has no resource-level permissions.
            {"Sid": "SignInToEcr", "Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
        ]
    return policy_document(*statements)


def task_policy(process: str, *, bucket_arn: str, kms_key_arn: Optional[str],
                metrics_namespace: Optional[str] = None, protection_cluster_arn: Optional[str] = None) -> Optional[Document]:
    """What one Airflow process may do in AWS itself; None when it needs nothing.

    `protection_cluster_arn` (the worker's cluster): the task may protect itself from scale-in and watch its
    service's deployments (worker_protection.py)."""
    access = BUCKET_ACCESS[process]
    prefixes = [p for p, wanted in ((DAGS_PREFIX, access["read_dags"]),
                                    (LOGS_PREFIX, access["read_logs"] or access["write_logs"])) if wanted]
    statements: list[Document] = []
    if prefixes:
        statements.append({"Sid": "ListItsPrefixes", "Effect": "Allow", "Action": "s3:ListBucket",
                           "Resource": bucket_arn,
                           "Condition": {"StringLike": {"s3:prefix": [f"{p}/*" for p in prefixes]}}})
    readable = [p for p, wanted in ((DAGS_PREFIX, access["read_dags"]), (LOGS_PREFIX, access["read_logs"])) if wanted]
    if readable:
        statements.append({"Sid": "ReadObjects", "Effect": "Allow", "Action": "s3:GetObject",
                           "Resource": [f"{bucket_arn}/{p}/*" for p in readable]})
    if access["write_logs"]:
        statements.append({"Sid": "WriteTaskLogs", "Effect": "Allow", "Action": "s3:PutObject",
                           "Resource": f"{bucket_arn}/{LOGS_PREFIX}/*"})
    if prefixes and kms_key_arn:
        statements.append({"Sid": "UseTheBucketKey", "Effect": "Allow",
                           "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": kms_key_arn})
    if metrics_namespace:
        statements.append({"Sid": "PublishExecutorMetrics", "Effect": "Allow", "Action": "cloudwatch:PutMetricData",
                           "Resource": "*",
                           "Condition": {"StringEquals": {"cloudwatch:namespace": metrics_namespace}}})
    if protection_cluster_arn:
        # Task and service ARNs are the cluster's ARN with `task/` or `service/` in place of `cluster/`.
        prefix, _, cluster = protection_cluster_arn.rpartition(":cluster/")
        statements += [
            # The ECS agent calls these with the task role when the task asks for protection.
            {"Sid": "ProtectItsTaskFromScaleIn", "Effect": "Allow",
             "Action": ["ecs:GetTaskProtection", "ecs:UpdateTaskProtection"], "Resource": f"{prefix}:task/{cluster}/*"},
            {"Sid": "WatchItsServiceDeployments", "Effect": "Allow", "Action": "ecs:DescribeServices",
             "Resource": f"{prefix}:service/{cluster}/{process}"},
        ]
    return policy_document(*statements) if statements else None


def task_needs_policy(process: str, *, metrics_namespace: Optional[str] = None) -> bool:
    """Whether a process's task role gets any policy (known at plan time, unlike the ARNs in it)."""
    return task_policy(process, bucket_arn="arn:aws:s3:::bucket", kms_key_arn=None,
                       metrics_namespace=metrics_namespace) is not None


def migration_function_policy(*, cluster_arn: str, task_definition_family_arn: str, task_arn_pattern: str,
                              passed_role_arns: Sequence[str], log_group_arn: str) -> Document:
    """Run the migration task in this cluster, watch it, and log; nothing else."""
    return policy_document(
        {"Sid": "RunTheMigrationTask", "Effect": "Allow", "Action": "ecs:RunTask",
         "Resource": f"{task_definition_family_arn}:*", "Condition": {"ArnEquals": {"ecs:cluster": cluster_arn}}},
        {"Sid": "WatchTheMigrationTask", "Effect": "Allow", "Action": "ecs:DescribeTasks",
         "Resource": task_arn_pattern},
        {"Sid": "HandTheTaskItsRoles", "Effect": "Allow", "Action": "iam:PassRole",
         "Resource": list(passed_role_arns),
         "Condition": {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}},
        {"Sid": "WriteFunctionLogs", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
         "Resource": f"{log_group_arn}:log-stream:*"},
    )


def cluster_key_policy(*, partition: str, region: str, account: str, log_group_pattern: str) -> Document:
    """A customer managed key for the cluster's secrets, bucket, database, broker and log groups."""
    return customer_key_policy(partition=partition, region=region, account=account,
                               log_group_pattern=log_group_pattern)

"""IAM and resource policy documents: pure functions, so each can be read and tested alone.

Sources: the AWS MWAA execution role baseline (`mwaa-create-role`), the customer managed key
policy MWAA's docs give, and S3's guidance on refusing non-TLS requests.
"""

from __future__ import annotations

from typing import Any, Optional, Sequence

from . import naming

Document = dict[str, Any]


def policy_document(*statements: Optional[Document]) -> Document:
    """An IAM policy document; statements passed as None (optional grants not needed) are left out."""
    return {"Version": "2012-10-17", "Statement": [s for s in statements if s]}


def assume_role_policy(*services: str) -> Document:
    return policy_document({"Effect": "Allow", "Principal": {"Service": list(services)}, "Action": "sts:AssumeRole"})


def mwaa_execution_trust_policy() -> Document:
    return assume_role_policy("airflow.amazonaws.com", "airflow-env.amazonaws.com")


def mwaa_execution_policy(
    *,
    partition: str,
    region: str,
    account: str,
    environment_name: str,
    bucket_arn: str,
    kms_key_arn: Optional[str],
) -> Document:
    """The AWS baseline for an execution role, scoped to this environment's bucket, logs, queues and key."""
    log_groups = f"arn:{partition}:logs:{region}:{account}:log-group:{naming.log_group_pattern(environment_name)}"
    kms_actions = ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey*", "kms:Encrypt"]
    if kms_key_arn:
        kms: Document = {
            "Sid": "UseTheEnvironmentKeyThroughSqsAndS3", "Effect": "Allow", "Action": kms_actions,
            "Resource": kms_key_arn,
            "Condition": {"StringLike": {"kms:ViaService": [f"sqs.{region}.amazonaws.com", f"s3.{region}.amazonaws.com"]}},
        }
    else:
        # The AWS owned key of MWAA's Celery queue lives in an AWS account: allow any key but
        # this account's own, and only through SQS.
        kms = {
            "Sid": "UseTheAwsOwnedQueueKey", "Effect": "Allow", "Action": kms_actions,
            "NotResource": f"arn:{partition}:kms:*:{account}:key/*",
            "Condition": {"StringLike": {"kms:ViaService": [f"sqs.{region}.amazonaws.com"]}},
        }
    return policy_document(
        {"Sid": "PublishEnvironmentMetrics", "Effect": "Allow", "Action": "airflow:PublishMetrics",
         "Resource": naming.environment_arn(partition, region, account, environment_name)},
        {"Sid": "NeverListOtherBuckets", "Effect": "Deny", "Action": "s3:ListAllMyBuckets",
         "Resource": [bucket_arn, f"{bucket_arn}/*"]},
        {"Sid": "ReadTheSourceBucket", "Effect": "Allow", "Action": ["s3:GetObject*", "s3:GetBucket*", "s3:List*"],
         "Resource": [bucket_arn, f"{bucket_arn}/*"]},
        {"Sid": "WriteEnvironmentLogs", "Effect": "Allow",
         "Action": ["logs:CreateLogStream", "logs:CreateLogGroup", "logs:PutLogEvents", "logs:GetLogEvents",
                    "logs:GetLogRecord", "logs:GetLogGroupFields", "logs:GetQueryResults"],
         "Resource": [log_groups]},
        {"Sid": "DescribeLogGroups", "Effect": "Allow", "Action": "logs:DescribeLogGroups", "Resource": "*"},
        {"Sid": "CheckAccountPublicAccessBlock", "Effect": "Allow", "Action": "s3:GetAccountPublicAccessBlock",
         "Resource": "*"},
        {"Sid": "PutMetrics", "Effect": "Allow", "Action": "cloudwatch:PutMetricData", "Resource": "*"},
        {"Sid": "UseTheCeleryQueues", "Effect": "Allow",
         "Action": ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl",
                    "sqs:ReceiveMessage", "sqs:SendMessage"],
         "Resource": f"arn:{partition}:sqs:{region}:*:airflow-celery-*"},
        kms,
    )


def extra_statements_policy(statements: Sequence[Document]) -> Document:
    """The statements a stack adds for the services its DAGs drive, as one inline policy."""
    return policy_document(*statements)


def customer_key_policy(*, partition: str, region: str, account: str, log_group_pattern: str,
                        extra_statements: Sequence[Document] = ()) -> Document:
    """A customer managed key this account's IAM policies govern, CloudWatch Logs uses for these log groups and alarms for their topic."""
    log_groups = f"arn:{partition}:logs:{region}:{account}:log-group:{log_group_pattern}"
    return policy_document(
        {"Sid": "AccountAdministersTheKeyThroughIam", "Effect": "Allow",
         "Principal": {"AWS": f"arn:{partition}:iam::{account}:root"}, "Action": "kms:*", "Resource": "*"},
        {"Sid": "CloudWatchLogsEncryptsTheLogGroups", "Effect": "Allow",
         "Principal": {"Service": f"logs.{region}.amazonaws.com"},
         "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
         "Resource": "*",
         "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": log_groups}}},
        # CloudWatch alarms publish to the alarm topic, which this key encrypts.
        {"Sid": "CloudWatchAlarmsPublishToTheEncryptedTopic", "Effect": "Allow",
         "Principal": {"Service": "cloudwatch.amazonaws.com"}, "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
         "Resource": "*", "Condition": {"StringEquals": {"aws:SourceAccount": account}}},
        *extra_statements,
    )


def mwaa_key_policy(*, partition: str, region: str, account: str, environment_name: str) -> Document:
    """A customer managed key usable by this account's IAM policies, MWAA and the environment's log groups."""
    return customer_key_policy(
        partition=partition, region=region, account=account,
        log_group_pattern=naming.log_group_pattern(environment_name),
        extra_statements=[{
            "Sid": "AirflowUsesTheKeyOnBehalfOfThisAccount", "Effect": "Allow",
            "Principal": {"AWS": f"arn:{partition}:iam::{account}:root"},
            "Action": ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*",
                       "kms:CreateGrant"],
            "Resource": "*",
            "Condition": {"StringEquals": {"kms:CallerAccount": account},
                          "StringLike": {"kms:ViaService": [f"airflow.{region}.amazonaws.com",
                                                            f"sqs.{region}.amazonaws.com",
                                                            f"s3.{region}.amazonaws.com"]}}}])


def tls_only_bucket_policy(bucket_arn: str) -> Document:
    """Refuse every request to the bucket that does not use TLS."""
    return policy_document({
        "Sid": "RefuseRequestsWithoutTls", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
        "Resource": [bucket_arn, f"{bucket_arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    })


def web_ui_access_policy(*, partition: str, region: str, account: str, environment_name: str, role: str) -> Document:
    """What a person needs to open the Airflow UI as one Airflow role; attach it to an SSO permission set."""
    if role not in naming.AIRFLOW_UI_ROLES:
        raise ValueError(f"unknown Airflow UI role {role!r}; expected one of {naming.AIRFLOW_UI_ROLES}")
    return policy_document({
        "Sid": f"OpenTheAirflowUiAs{role}", "Effect": "Allow", "Action": "airflow:CreateWebLoginToken",
        "Resource": naming.web_login_role_arn(partition, region, account, environment_name, role),
    })


def web_login_role_trust_policy(function_role_arn: str) -> Document:
    """A login role (one per Airflow role) that only the web login function's execution role may assume."""
    return policy_document({"Sid": "OnlyTheWebLoginFunction", "Effect": "Allow",
                      "Principal": {"AWS": function_role_arn}, "Action": "sts:AssumeRole"})


def web_login_function_policy(*, log_group_arn: str, login_role_arns: Sequence[str]) -> Document:
    """The web login function writes its logs and assumes the login role of the Airflow role it grants."""
    statements: list[Document] = [
        {"Sid": "WriteFunctionLogs", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
         "Resource": f"{log_group_arn}:*"},
    ]
    if login_role_arns:
        statements.append({"Sid": "AssumeTheLoginRoles", "Effect": "Allow", "Action": "sts:AssumeRole",
                           "Resource": list(login_role_arns)})
    return policy_document(*statements)


def alb_access_logs_bucket_policy(*, bucket_arn: str, account: str, legacy_delivery_account_arn: str) -> Document:
    """Elastic Load Balancing may write access logs for this account's load balancers; nothing reads without TLS.

    Regions opened since August 2022 deliver as the `logdelivery.elasticloadbalancing.amazonaws.com`
    service; older Regions deliver from a regional ELB account, which `aws.elb.get_service_account` names.
    """
    logs = f"{bucket_arn}/AWSLogs/{account}/*"
    return policy_document(
        {"Sid": "LogDeliveryService", "Effect": "Allow",
         "Principal": {"Service": "logdelivery.elasticloadbalancing.amazonaws.com"}, "Action": "s3:PutObject",
         "Resource": logs},
        {"Sid": "RegionalLogDeliveryAccount", "Effect": "Allow", "Principal": {"AWS": legacy_delivery_account_arn},
         "Action": "s3:PutObject", "Resource": logs},
        tls_only_bucket_policy(bucket_arn)["Statement"][0],
    )

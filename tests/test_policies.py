"""Policy documents, alone: the execution role baseline stays scoped to one environment, the key policy lets
CloudWatch Logs and MWAA use the key, the bucket refuses plain HTTP, UI access is one Airflow role each."""

import pytest
from hypothesis import given, strategies as st

from airflow_aws import policies
from airflow_aws.settings import ENVIRONMENT_NAME

FACTS = {"partition": "aws", "region": "eu-west-1", "account": "111111111111"}
BUCKET = "arn:aws:s3:::airflow-analytics-0123456789"
KEY = "arn:aws:kms:eu-west-1:111111111111:key/0d6d71a3-0177-4fec-8bf0-77bea0b6ede9"
UNSCOPED_ACTIONS = {"logs:DescribeLogGroups", "s3:GetAccountPublicAccessBlock", "cloudwatch:PutMetricData"}


def execution(name: str = "analytics", key: str | None = None, **facts) -> dict:
    return policies.mwaa_execution_policy(**{**FACTS, **facts}, environment_name=name, bucket_arn=BUCKET, kms_key_arn=key)


def by_sid(document: dict) -> dict[str, dict]:
    return {s["Sid"]: s for s in document["Statement"]}


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def test_documents_use_the_current_policy_language():
    for document in (execution(), policies.mwaa_key_policy(**FACTS, environment_name="x"),
                     policies.tls_only_bucket_policy(BUCKET), policies.mwaa_execution_trust_policy(),
                     policies.web_ui_access_policy(**FACTS, environment_name="x", role="Op")):
        assert document["Version"] == "2012-10-17" and document["Statement"]


def test_the_execution_role_trusts_only_mwaa():
    [statement] = policies.mwaa_execution_trust_policy()["Statement"]
    assert statement == {"Effect": "Allow", "Action": "sts:AssumeRole",
                         "Principal": {"Service": ["airflow.amazonaws.com", "airflow-env.amazonaws.com"]}}


@given(st.from_regex(ENVIRONMENT_NAME, fullmatch=True))
def test_the_baseline_is_scoped_to_one_environment_whatever_its_name(name):
    statements = by_sid(execution(name))
    assert statements["PublishEnvironmentMetrics"]["Resource"] == f"arn:aws:airflow:eu-west-1:111111111111:environment/{name}"
    assert statements["WriteEnvironmentLogs"]["Resource"] == [f"arn:aws:logs:eu-west-1:111111111111:log-group:airflow-{name}-*"]


@pytest.mark.parametrize("key", [None, KEY], ids=["aws-owned", "cmk"])
def test_only_the_baselines_account_wide_actions_take_every_resource(key):
    for statement in execution(key=key)["Statement"]:
        assert all(action != "*" and not action.endswith(":*") for action in as_list(statement["Action"]))
        if "*" in as_list(statement.get("Resource", [])):
            assert statement["Effect"] == "Allow" and set(as_list(statement["Action"])) <= UNSCOPED_ACTIONS


def test_s3_access_is_the_source_bucket_and_its_objects():
    statements = by_sid(execution())
    assert statements["ReadTheSourceBucket"]["Resource"] == [BUCKET, f"{BUCKET}/*"]
    assert statements["ReadTheSourceBucket"]["Action"] == ["s3:GetObject*", "s3:GetBucket*", "s3:List*"]
    assert statements["NeverListOtherBuckets"] == {"Sid": "NeverListOtherBuckets", "Effect": "Deny",
                                                   "Action": "s3:ListAllMyBuckets", "Resource": [BUCKET, f"{BUCKET}/*"]}


def test_the_celery_queues_are_mwaas_own():
    queues = by_sid(execution())["UseTheCeleryQueues"]
    assert queues["Resource"] == "arn:aws:sqs:eu-west-1:*:airflow-celery-*"
    assert "sqs:DeleteQueue" not in queues["Action"] and "sqs:ReceiveMessage" in queues["Action"]


def test_with_a_customer_key_the_role_uses_that_key_through_sqs_and_s3():
    kms = by_sid(execution(key=KEY))["UseTheEnvironmentKeyThroughSqsAndS3"]
    assert kms["Resource"] == KEY
    assert kms["Condition"] == {"StringLike": {"kms:ViaService": ["sqs.eu-west-1.amazonaws.com",
                                                                  "s3.eu-west-1.amazonaws.com"]}}
    assert not [s for s in execution(key=KEY)["Statement"] if "NotResource" in s]


def test_without_a_customer_key_the_role_uses_aws_owned_keys_through_sqs_only():
    kms = by_sid(execution())["UseTheAwsOwnedQueueKey"]
    # Never a key of this account: the AWS owned queue key lives in an AWS account.
    assert kms["NotResource"] == "arn:aws:kms:*:111111111111:key/*" and "Resource" not in kms
    assert kms["Condition"] == {"StringLike": {"kms:ViaService": ["sqs.eu-west-1.amazonaws.com"]}}
    assert set(kms["Action"]) == {"kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey*", "kms:Encrypt"}


def test_arns_follow_the_partition():
    document = execution(partition="aws-cn", region="cn-north-1", key=None)
    resources = [r for s in document["Statement"] for r in as_list(s.get("Resource", s.get("NotResource")))]
    assert all(r.startswith(("arn:aws-cn:", "arn:aws:s3:::")) or r == "*" for r in resources)


def test_extra_statements_become_one_policy_as_written():
    extra = [{"Effect": "Allow", "Action": "glue:GetTable", "Resource": "arn:aws:glue:eu-west-1:111111111111:table/db/t"}]
    assert policies.extra_statements_policy(extra) == {"Version": "2012-10-17", "Statement": extra}


def test_the_key_policy_lets_the_account_cloudwatch_logs_and_mwaa_use_the_key():
    statements = by_sid(policies.mwaa_key_policy(**FACTS, environment_name="analytics"))
    admin = statements["AccountAdministersTheKeyThroughIam"]
    assert admin["Principal"] == {"AWS": "arn:aws:iam::111111111111:root"} and "Condition" not in admin
    logs = statements["CloudWatchLogsEncryptsTheLogGroups"]
    assert logs["Principal"] == {"Service": "logs.eu-west-1.amazonaws.com"}
    assert logs["Condition"] == {"ArnLike": {"kms:EncryptionContext:aws:logs:arn":
                                             "arn:aws:logs:eu-west-1:111111111111:log-group:airflow-analytics-*"}}
    airflow = statements["AirflowUsesTheKeyOnBehalfOfThisAccount"]
    assert airflow["Condition"]["StringEquals"] == {"kms:CallerAccount": "111111111111"}
    assert set(airflow["Condition"]["StringLike"]["kms:ViaService"]) == {
        "airflow.eu-west-1.amazonaws.com", "sqs.eu-west-1.amazonaws.com", "s3.eu-west-1.amazonaws.com"}
    assert "kms:CreateGrant" in airflow["Action"]


def test_the_key_lets_cloudwatch_alarms_of_this_account_publish_to_the_encrypted_topic():
    for document in (policies.mwaa_key_policy(**FACTS, environment_name="analytics"),
                     policies.customer_key_policy(**FACTS, log_group_pattern="airflow-analytics-*")):
        alarms = by_sid(document)["CloudWatchAlarmsPublishToTheEncryptedTopic"]
        assert alarms["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
        assert sorted(alarms["Action"]) == ["kms:Decrypt", "kms:GenerateDataKey*"]
        assert alarms["Condition"] == {"StringEquals": {"aws:SourceAccount": "111111111111"}}


def test_the_bucket_refuses_every_request_without_tls():
    [statement] = policies.tls_only_bucket_policy(BUCKET)["Statement"]
    assert statement["Effect"] == "Deny" and statement["Principal"] == "*" and statement["Action"] == "s3:*"
    assert statement["Resource"] == [BUCKET, f"{BUCKET}/*"]
    assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


@pytest.mark.parametrize("role", ["Admin", "Op", "User", "Viewer"])
def test_ui_access_grants_a_web_login_token_for_one_role(role):
    [statement] = policies.web_ui_access_policy(**FACTS, environment_name="analytics", role=role)["Statement"]
    assert statement["Effect"] == "Allow" and statement["Action"] == "airflow:CreateWebLoginToken"
    assert statement["Resource"] == f"arn:aws:airflow:eu-west-1:111111111111:role/analytics/{role}"


@pytest.mark.parametrize("role", ["admin", "Public", "*"])
def test_ui_access_refuses_roles_that_are_not_airflow_ui_roles(role):
    with pytest.raises(ValueError, match="Admin"):
        policies.web_ui_access_policy(**FACTS, environment_name="analytics", role=role)

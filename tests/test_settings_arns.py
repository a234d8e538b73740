"""Resources a stack names by ARN or ID (KMS keys, the client secret, the alarm topic, the Cognito user pool) are
well-formed, in every form the service takes, and of the stack's own Region and pinned account."""

import pytest

from airflow_aws.settings import parse
from program.stacks import engine_config
from tests.harness import DELETE, stack_config
from tests.setting_refusals import accepted, explains, refusal

KEY_ID = "0d6d71a3-0177-4fec-8bf0-77bea0b6ede9"
MULTI_REGION_KEY_ID = "mrk-1234abcd12ab34cd56ef1234567890ab"
HOME = "eu-west-1:111111111111"  # the sandbox's Region and pinned account
FARGATE = {"platform": "fargate"}
COGNITO = {"privateAccess.signIn": "cognito", "privateAccess.oidc": DELETE, "privateAccess.cognito": {
    "userPoolArn": f"arn:aws:cognito-idp:{HOME}:userpool/eu-west-1_AbCdEf123",
    "userPoolClientId": "1example23456789", "userPoolDomain": "airflow-login"}}


def settings(changes: dict):
    return parse("sandbox", engine_config(stack_config("sandbox", changes))).project


# --- KMS keys ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("key", [KEY_ID, f"arn:aws:kms:{HOME}:key/{KEY_ID}", f"arn:aws:kms:{HOME}:alias/airflow"],
                         ids=["key-id", "key-arn", "alias-arn"])
def test_mwaa_takes_a_key_id_key_arn_or_alias_arn(key):
    assert accepted({"mwaa.kmsKey": key})


def test_a_key_id_reaches_the_components_as_the_key_arn_of_the_stacks_account():
    assert settings({"mwaa.kmsKey": KEY_ID}).mwaa.kms_key == f"arn:aws:kms:{HOME}:key/{KEY_ID}"
    assert settings({**FARGATE, "fargate.kmsKey": KEY_ID}).fargate.kms_key == f"arn:aws:kms:{HOME}:key/{KEY_ID}"


@pytest.mark.parametrize("key", [MULTI_REGION_KEY_ID, f"arn:aws:kms:{HOME}:key/{MULTI_REGION_KEY_ID}"])
def test_mwaa_refuses_a_multi_region_key_and_says_which_forms_it_takes(key):
    error = refusal({"mwaa.kmsKey": key}, "mwaa.kmsKey")
    explains(error, "multi-Region key", "MWAA", "a key ID, a key ARN or an alias ARN", "single-Region")


@pytest.mark.parametrize("key", ["my-key", "alias/airflow", f"arn:aws:kms:{HOME}:key/not-a-key",
                                 f"arn:aws:s3:{HOME}:key/{KEY_ID}"])
def test_a_key_in_no_form_mwaa_takes_is_refused(key):
    explains(refusal({"mwaa.kmsKey": key}, "mwaa.kmsKey"), "aws-owned", "create", "arn:aws:kms:")


@pytest.mark.parametrize("setting, changes", [("mwaa.kmsKey", {}), ("fargate.kmsKey", FARGATE)])
def test_a_key_of_another_region_is_refused(setting, changes):
    error = refusal({**changes, setting: f"arn:aws:kms:us-east-1:111111111111:key/{KEY_ID}"}, setting)
    explains(error, "us-east-1", "eu-west-1", "Region")


@pytest.mark.parametrize("key", [f"arn:aws:kms:eu-west-1:999999999999:key/{KEY_ID}",
                                 "arn:aws:kms:eu-west-1:999999999999:alias/shared"])
def test_a_key_of_another_account_is_refused_and_says_aws_would_allow_it(key):
    error = refusal({"mwaa.kmsKey": key}, "mwaa.kmsKey")
    explains(error, "999999999999", "111111111111", "AWS would accept", "this program")


def test_fargate_refuses_an_alias_because_its_log_groups_take_only_a_key_arn():
    error = refusal({**FARGATE, "fargate.kmsKey": f"arn:aws:kms:{HOME}:alias/airflow"}, "fargate.kmsKey")
    explains(error, "alias", "key ARN", "CloudWatch Logs")


@pytest.mark.parametrize("key", [f"arn:aws:kms:{HOME}:key/{KEY_ID}", f"arn:aws:kms:{HOME}:key/{MULTI_REGION_KEY_ID}"])
def test_fargate_takes_key_arns_multi_region_ones_too(key):
    assert accepted({**FARGATE, "fargate.kmsKey": key})


# --- the OIDC client secret ---------------------------------------------------------------------------------

@pytest.mark.parametrize("arn, words", [
    ("arn:aws:secretsmanager:us-east-1:111111111111:secret:airflow/oidc-AbCdEf", ("us-east-1", "eu-west-1")),
    ("arn:aws:secretsmanager:eu-west-1:999999999999:secret:airflow/oidc-AbCdEf", ("999999999999", "AWS would let")),
    ("arn:aws:secretsmanager:eu-west-1:111111111111:airflow/oidc", ("not a Secrets Manager secret ARN",)),
    ("arn:aws:ssm:eu-west-1:111111111111:secret:airflow/oidc", ("not a Secrets Manager secret ARN",)),
])
def test_the_client_secret_is_a_secret_of_the_stacks_region_and_account(arn, words):
    key = "privateAccess.oidc.clientSecretArn"
    explains(refusal({key: arn}, key), *words)


# --- the alarm topic ----------------------------------------------------------------------------------------

def test_the_alarm_topic_of_another_account_is_refused_and_says_aws_would_allow_it():
    key = "monitoring.alarmTopicArn"
    error = refusal({key: "arn:aws:sns:eu-west-1:999999999999:on-call"}, key)
    explains(error, "999999999999", "AWS would let", "this program")


@pytest.mark.parametrize("arn", ["arn:aws:sns:eu-west-1:111111111111:", "arn:aws:sqs:eu-west-1:111111111111:on-call",
                                 "arn:aws:sns:eu-west-1:1111:on-call", "arn:aws:sns:eu-west-1:111111111111:on call"])
def test_a_malformed_alarm_topic_is_refused(arn):
    explains(refusal({"monitoring.alarmTopicArn": arn}, "monitoring.alarmTopicArn"), "not an SNS topic ARN")


# --- the Cognito user pool ----------------------------------------------------------------------------------

def test_a_well_formed_user_pool_of_the_stack_is_accepted():
    assert accepted(COGNITO)


@pytest.mark.parametrize("arn, words", [
    ("arn:aws:cognito-idp:us-east-1:111111111111:userpool/us-east-1_AbCdEf123", ("us-east-1", "eu-west-1")),
    ("arn:aws:cognito-idp:eu-west-1:999999999999:userpool/eu-west-1_AbCdEf123", ("999999999999", "111111111111")),
    ("arn:aws:cognito-idp:eu-west-1:111111111111:pool/eu-west-1_AbCdEf123", ("not a Cognito user pool ARN",)),
])
def test_the_user_pool_is_a_pool_of_the_stacks_region_and_account(arn, words):
    key = "privateAccess.cognito.userPoolArn"
    explains(refusal({**COGNITO, key: arn}, key), *words)


@pytest.mark.parametrize("domain, words", [
    ("-airflow", ("no hyphen first or last",)), ("airflow-", ("no hyphen first or last",)),
    ("Airflow", ("lower-case",)), ("airflow.example.com", ("only the prefix",)), ("a" * 64, ("1 to 63",)),
    ("my-cognito-login", ("'cognito'", "without aws, amazon, cognito")), ("awslogin", ("'aws'",)),
    ("amazon-airflow", ("'amazon'",)),
])
def test_the_user_pool_domain_follows_cognitos_prefix_rules(domain, words):
    key = "privateAccess.cognito.userPoolDomain"
    explains(refusal({**COGNITO, key: domain}, key), *words)


def test_the_user_pool_client_id_is_a_cognito_client_id():
    key = "privateAccess.cognito.userPoolClientId"
    explains(refusal({**COGNITO, key: "client id!"}, key), "app client ID")

"""The `aws:` keys: each stack is pinned to its own account and a real Region, and its deploying role is of that
account."""

import pytest

from airflow_aws.settings import parse
from program.stacks import STACKS, engine_config
from tests.harness import DELETE, setting_errors, stack_config
from tests.setting_refusals import explains, refusal


# --- the account pin -------------------------------------------------------------------------

@pytest.mark.parametrize("ids", [DELETE, [], "111111111111", [111111111111], ["11111111111"], ["111111111111", 7]])
def test_each_stack_must_be_pinned_to_its_account(ids):
    error = refusal({"aws:allowedAccountIds": ids}, "aws:allowedAccountIds")
    explains(error, "12-digit", "Pulumi.sandbox.yaml")


def test_the_pin_and_an_assumed_role_reach_the_settings():
    role = "arn:aws:iam::333333333333:role/deployer"
    settings = parse("prod", engine_config(stack_config("prod", {"aws:assumeRoles": [{"roleArn": role}]})))
    assert settings.account.allowed_account_ids == ("333333333333",)
    assert settings.account.assume_role_arn == role


def test_a_role_in_another_account_is_refused():
    sandbox_role = "arn:aws:iam::111111111111:role/deployer"
    error = refusal({"aws:assumeRoles": [{"roleArn": sandbox_role}]}, "aws:assumeRoles", stack="prod")
    assert error.value == sandbox_role
    explains(error, "111111111111", "333333333333")


@pytest.mark.parametrize("roles", [[{"role": "deployer"}], [{"roleArn": "deployer"}], "arn:aws:iam::111111111111:role/x"])
def test_assume_roles_is_a_list_with_one_role_arn(roles):
    explains(refusal({"aws:assumeRoles": roles}, "aws:assumeRoles"), "roleArn")


@pytest.mark.parametrize("region", [DELETE, "Ireland", "eu-west", "eu-west-9", "us-east-7", ""])
def test_the_region_is_an_aws_region(region):
    explains(refusal({"aws:region": region}, "aws:region"), "aws:region eu-west-1")


def test_production_settings_cannot_target_another_stacks_account():
    pins = {stack: parse(stack, engine_config(stack_config(stack))).account.allowed_account_ids for stack in STACKS}
    for stack, ids in pins.items():
        assert all(not set(ids) & set(other) for name, other in pins.items() if name != stack)




@pytest.mark.parametrize("region", ["us-east-1", "ap-southeast-5", "cn-north-1", "us-gov-west-1"])
def test_every_region_botocore_knows_is_accepted(region):
    # Without the load balancer, whose client secret lives in the sandbox's own Region.
    changes = {"aws:region": region, "privateAccess.enabled": False}
    assert parse("sandbox", engine_config(stack_config("sandbox", changes))).account.region == region


def test_a_misspelt_region_gets_the_closest_real_one():
    explains(refusal({"aws:region": "eu-wset-1"}, "aws:region"), "did you mean `eu-west-1`")


@pytest.mark.parametrize("key, suggestion", [("aws:regoin", "region"), ("aws:allowedAccountId", "allowedAccountIds"),
                                             ("aws:assumeRole", "assumeRoles"), ("aws:defaultTag", "defaultTags")])
def test_a_misspelt_provider_key_is_named_with_the_providers_own_key(key, suggestion):
    error = refusal({key: "x"}, key)
    explains(error, "not a key of the AWS provider", f"did you mean `{suggestion}`")


@pytest.mark.parametrize("key, value", [("aws:skipCredentialsValidation", "true"), ("aws:maxRetries", "5"),
                                        ("aws:defaultTags", {"tags": {"team": "data"}})])
def test_the_providers_other_keys_are_accepted(key, value):
    assert setting_errors("sandbox", {key: value}) == {}


def test_a_misspelt_provider_key_does_not_hide_the_other_account_checks():
    errors = setting_errors("sandbox", {"aws:regoin": "eu-west-1",
                                        "monitoring.alarmTopicArn": "arn:aws:sns:eu-west-1:999999999999:on-call"})
    assert {"aws:regoin", "airflow-aws:monitoring.alarmTopicArn"} <= set(errors)

"""The IAM documents behind sign-in, alone: each login role may open the UI as one Airflow role only,
trusts only the sign-in function, and the function may assume exactly those roles."""

from __future__ import annotations

import pytest

from airflow_aws import naming, policies

FUNCTION_ROLE = "arn:aws:iam::111122223333:role/access-login-role-1a2b3c"
LOG_GROUP = "arn:aws:logs:eu-west-1:111122223333:log-group:airflow-analytics-web-login"


@pytest.mark.parametrize("role", naming.AIRFLOW_UI_ROLES)
def test_a_login_role_may_ask_for_a_web_token_for_its_own_airflow_role_only(role):
    document = policies.web_ui_access_policy(partition="aws", region="eu-west-1", account="111122223333",
                                             environment_name="analytics", role=role)

    assert [(s["Effect"], s["Action"], s["Resource"]) for s in document["Statement"]] == [
        ("Allow", "airflow:CreateWebLoginToken", f"arn:aws:airflow:eu-west-1:111122223333:role/analytics/{role}")]


def test_an_unknown_airflow_role_gets_no_policy():
    with pytest.raises(ValueError, match="Superuser"):
        policies.web_ui_access_policy(partition="aws", region="eu-west-1", account="111122223333",
                                      environment_name="analytics", role="Superuser")


def test_a_login_role_trusts_the_sign_in_function_alone():
    document = policies.web_login_role_trust_policy(FUNCTION_ROLE)

    assert [(s["Effect"], s["Principal"], s["Action"]) for s in document["Statement"]] == [
        ("Allow", {"AWS": FUNCTION_ROLE}, "sts:AssumeRole")]


def test_the_sign_in_function_may_assume_exactly_its_login_roles_and_write_its_own_logs():
    login_roles = ["arn:aws:iam::111122223333:role/login-admin", "arn:aws:iam::111122223333:role/login-viewer"]

    document = policies.web_login_function_policy(log_group_arn=LOG_GROUP, login_role_arns=login_roles)

    grants = {s["Action"] if isinstance(s["Action"], str) else tuple(s["Action"]): s["Resource"]
              for s in document["Statement"]}
    assert grants == {"sts:AssumeRole": login_roles,
                      ("logs:CreateLogStream", "logs:PutLogEvents"): f"{LOG_GROUP}:*"}

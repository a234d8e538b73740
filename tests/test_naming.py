"""Naming rules: every valid environment name yields names AWS accepts, and the IAM patterns cover exactly them."""

import fnmatch
import re

from hypothesis import given, strategies as st

from airflow_aws import naming
from airflow_aws.settings import ENVIRONMENT_NAME

environment_names = st.from_regex(ENVIRONMENT_NAME, fullmatch=True)
# S3's rules for a bucket name (general purpose buckets); the provider appends 26 characters to a prefix.
BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")
PROVIDER_SUFFIX = "20261121184700000000000001"


@given(environment_names)
def test_the_bucket_prefix_makes_a_valid_bucket_name_for_any_environment_name(name):
    prefix = naming.bucket_prefix(name)
    assert len(prefix) <= 37
    assert prefix.startswith("airflow-") and prefix.endswith("-")
    bucket = prefix + PROVIDER_SUFFIX
    assert BUCKET_NAME.match(bucket), bucket
    assert "--" not in prefix and not bucket.startswith(("xn--", "sthree-")) and ".." not in bucket


def test_the_bucket_prefix_keeps_the_name_readable():
    assert naming.bucket_prefix("airflow-prod") == "airflow-prod-"
    assert naming.bucket_prefix("Data_Platform") == "airflow-data-platform-"
    assert naming.bucket_prefix("a" + "b" * 79) == "airflow-a" + "b" * 27 + "-"  # cut to 37 characters


@given(environment_names)
def test_log_groups_are_where_mwaa_writes_and_inside_the_iam_pattern(name):
    names = {log_type: naming.log_group_name(name, log_type) for log_type in naming.LOG_TYPES}
    assert names == {"dagProcessing": f"airflow-{name}-DAGProcessing", "scheduler": f"airflow-{name}-Scheduler",
                     "task": f"airflow-{name}-Task", "webserver": f"airflow-{name}-WebServer",
                     "worker": f"airflow-{name}-Worker"}
    assert all(fnmatch.fnmatchcase(group, naming.log_group_pattern(name)) for group in names.values())
    assert all(len(group) <= 512 and re.fullmatch(r"[\w./#-]+", group) for group in names.values())


def test_the_log_group_pattern_does_not_cover_other_environments():
    assert not fnmatch.fnmatchcase("airflow-prod-Task", naming.log_group_pattern("prod-eu"))
    assert not fnmatch.fnmatchcase("airflow-analytics-Task", naming.log_group_pattern("prod"))


def test_each_log_type_names_the_field_of_mwaas_logging_configuration():
    assert {field for field, _ in naming.LOG_TYPES.values()} == {
        "dag_processing_logs", "scheduler_logs", "task_logs", "webserver_logs", "worker_logs"}


def test_arns_of_the_environment_and_its_ui_roles():
    assert naming.environment_arn("aws", "eu-west-1", "111111111111", "prod") == \
        "arn:aws:airflow:eu-west-1:111111111111:environment/prod"
    assert naming.web_login_role_arn("aws-cn", "cn-north-1", "111111111111", "prod", "Viewer") == \
        "arn:aws-cn:airflow:cn-north-1:111111111111:role/prod/Viewer"
    assert naming.AIRFLOW_UI_ROLES == ("Admin", "Op", "User", "Viewer")

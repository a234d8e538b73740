"""MWAA settings: sizing within MWAA's bounds, choices MWAA offers, Airflow options MWAA takes, IAM statements IAM
takes, and a source folder of the project whose requirements can be installed."""

import pytest

from airflow_aws.settings import AIRFLOW_VERSIONS, ENVIRONMENT_CLASSES, LOG_LEVELS, PROJECT

from program import REPOSITORY_ROOT
from tests.harness import setting_errors
from tests.setting_refusals import explains, refusal

NO_NAT = {"network.natGateways": "none"}
REQUIREMENTS_KEY = "mwaa.sourceFolder (requirements.txt)"
EGRESS = {"description": "reporting database", "protocol": "tcp", "fromPort": 5432, "toPort": 5432,
          "cidr": "10.50.0.0/16"}


def test_airflow_version_is_one_mwaa_offers():
    error = refusal({"mwaa.airflowVersion": "2.6.3"}, "mwaa.airflowVersion")
    assert error.value == "2.6.3"
    explains(error, *AIRFLOW_VERSIONS)


def test_environment_class_is_one_mwaa_offers():
    error = refusal({"mwaa.environmentClass": "mw1.tiny"}, "mwaa.environmentClass")
    explains(error, *ENVIRONMENT_CLASSES)


@pytest.mark.parametrize("key, value, bound", [
    ("mwaa.minWorkers", 0, "at least 1"), ("mwaa.maxWorkers", 26, "at most 25"),
    ("mwaa.schedulers", 6, "at most 5"), ("mwaa.maxWebservers", 6, "at most 5"), ("mwaa.minWebservers", 0, "at least 1"),
])
def test_counts_stay_within_mwaa_bounds(key, value, bound):
    error = refusal({key: value}, key)
    assert error.value == value
    explains(error, bound)


def test_minimum_workers_may_not_exceed_the_maximum():
    error = refusal({"mwaa.minWorkers": 5, "mwaa.maxWorkers": 3}, "mwaa.minWorkers")
    explains(error, "maxWorkers")


def test_minimum_web_servers_may_not_exceed_the_maximum():
    error = refusal({"mwaa.minWebservers": 4, "mwaa.maxWebservers": 3}, "mwaa.minWebservers")
    explains(error, "maxWebservers")


@pytest.mark.parametrize("key", ["schedulers", "minWebservers", "maxWebservers"])
def test_larger_classes_need_two_of_each(key):
    error = refusal({"mwaa.environmentClass": "mw1.medium", "mwaa.minWebservers": 2, f"mwaa.{key}": 1}, f"mwaa.{key}")
    explains(error, "2", "mw1.medium")


def test_micro_takes_exactly_one_of_each():
    changes = {"mwaa.environmentClass": "mw1.micro", "mwaa.schedulers": 2, "mwaa.minWebservers": 2,
               "mwaa.maxWebservers": 2}
    for key in ("schedulers", "minWebservers", "maxWebservers"):
        explains(refusal(changes, f"mwaa.{key}"), "must be 1 on mw1.micro")


@pytest.mark.parametrize("window", ["SUN:03:15", "SUNDAY:03:00", "SUN:24:00", "sun:03:00", "SUN 03:00"])
def test_maintenance_window_is_day_hour_and_half_hour(window):
    error = refusal({"mwaa.weeklyMaintenanceWindowStart": window}, "mwaa.weeklyMaintenanceWindowStart")
    assert error.value == window
    explains(error, "MON", "SUN", "00 or 30", "SUN:03:00")


def test_log_levels_are_the_ones_mwaa_knows():
    error = refusal({"mwaa.logLevels": {"task": "VERBOSE"}}, "mwaa.logLevels")
    explains(error, "VERBOSE", *LOG_LEVELS, "DISABLED")


def test_a_misspelt_log_type_is_named_with_a_suggestion():
    error = refusal({"mwaa.logLevels": {"tasks": "INFO"}}, "mwaa.logLevels")
    explains(error, "did you mean `task`", "dagProcessing", "webserver")


def test_disabling_every_log_type_is_refused():
    off = {log_type: "DISABLED" for log_type in ("dagProcessing", "scheduler", "task", "webserver", "worker")}
    error = refusal({"mwaa.logLevels": off}, "mwaa.logLevels")
    explains(error, "task")


def test_log_retention_is_a_period_cloudwatch_accepts():
    error = refusal({"mwaa.logRetentionDays": 10}, "mwaa.logRetentionDays")
    explains(error, "14", "30", "365")


@pytest.mark.parametrize("key, value, allowed", [
    ("mwaa.webserverAccessMode", "PUBLIC", ("PRIVATE_ONLY", "PUBLIC_ONLY", "PUBLIC_AND_PRIVATE")),
    ("mwaa.endpointManagement", "AWS", ("SERVICE", "CUSTOMER")),
    ("mwaa.workerReplacementStrategy", "NOW", ("FORCED", "GRACEFUL")),
    ("network.natGateways", "two", ("none", "single", "perZone")),
])
def test_choices_list_what_is_allowed(key, value, allowed):
    error = refusal({key: value}, key)
    assert error.value == value
    explains(error, *allowed)


@pytest.mark.parametrize("options", [{"timezone": "utc"}, {"Core.Default_Timezone": "utc"}])
def test_airflow_options_are_section_dot_option(options):
    error = refusal({"mwaa.airflowConfigurationOptions": options}, "mwaa.airflowConfigurationOptions")
    explains(error, "section.option", "core.default_timezone")


@pytest.mark.parametrize("statement, problem", [
    ({"Effect": "Allow", "Action": "athena:StartQueryExecution"}, "Resource"),
    ({"Effect": "Permit", "Action": "athena:*", "Resource": "*"}, "Effect"),
    ({"Effect": "Allow", "Action": "*", "Resource": "*"}, "every action"),
])
def test_extra_role_statements_are_complete_and_not_admin(statement, problem):
    error = refusal({"mwaa.executionRolePolicyStatements": [statement]}, "mwaa.executionRolePolicyStatements")
    explains(error, problem)


@pytest.mark.parametrize("arn, words", [
    ("AmazonAthenaFullAccess", ("not IAM policy ARNs", "arn:aws:iam::aws:policy/")),
    ("arn:aws:iam::aws:policy/AdministratorAccess", ("AdministratorAccess", "scoped")),
])
def test_managed_policies_are_arns_and_not_administrator(arn, words):
    explains(refusal({"mwaa.executionRoleManagedPolicyArns": [arn]}, "mwaa.executionRoleManagedPolicyArns"), *words)


@pytest.mark.parametrize("rule, key, problem", [
    ({**EGRESS, "prefixListId": "pl-0123456789abcdef0"}, "mwaa.securityGroupEgress[0]", "exactly one of cidr or prefixListId"),
    ({k: v for k, v in EGRESS.items() if k != "cidr"}, "mwaa.securityGroupEgress[0]", "exactly one of cidr or prefixListId"),
    ({**EGRESS, "fromPort": 5433, "toPort": 5432}, "mwaa.securityGroupEgress[0]", "fromPort above toPort"),
    ({**EGRESS, "cidr": "10.50.0.1/16"}, "mwaa.securityGroupEgress[0].cidr", "host bits"),
    ({**EGRESS, "protocol": "icmp"}, "mwaa.securityGroupEgress[0].protocol", "tcp"),
    ({**EGRESS, "toPort": 70000}, "mwaa.securityGroupEgress[0].toPort", "at most 65535"),
    ({**EGRESS, "cidr": "10.0.0.0/8"}, "mwaa.securityGroupEgress[0].cidr", "10.20.0.0/16"),
    # The field report: EC2 refuses an apostrophe (InvalidParameterValue) halfway through `pulumi up`.
    ({**EGRESS, "description": "Bob's database"}, "mwaa.securityGroupEgress[0].description", "EC2 refuses (\"'\")"),
    ({**EGRESS, "description": "x" * 256}, "mwaa.securityGroupEgress[0].description", "at most 255"),
])
def test_extra_egress_rules_are_well_formed(rule, key, problem):
    explains(refusal({"mwaa.securityGroupEgress": [rule]}, key), problem)


def test_source_folder_must_exist():
    error = refusal({"mwaa.sourceFolder": "tests/fixtures/no-such-folder"}, "mwaa.sourceFolder")
    assert error.value == "tests/fixtures/no-such-folder"
    explains(error, "is not a folder", "create it")
# --- requirements without internet -------------------------------------------------------------

def test_pypi_requirements_without_nat_are_refused():
    error = refusal({**NO_NAT, "mwaa.sourceFolder": "tests/fixtures/pypi_requirements"}, REQUIREMENTS_KEY)
    assert error.value == "tests/fixtures/pypi_requirements/requirements.txt"
    explains(error, "natGateways=none", "--find-links /usr/local/airflow/plugins", "--no-index", "plugins.zip")


def test_wheel_only_requirements_work_without_nat():
    # Other settings may still want something of a stack without NAT; requirements.txt is not one of them.
    errors = setting_errors("sandbox", {**NO_NAT, "mwaa.sourceFolder": "tests/fixtures/wheel_requirements"})
    assert f"{PROJECT}:{REQUIREMENTS_KEY}" not in errors


@pytest.mark.parametrize("nat", ["single", "perZone"])
def test_pypi_requirements_are_fine_with_nat(nat):
    changes = {"network.natGateways": nat, "mwaa.sourceFolder": "tests/fixtures/pypi_requirements"}
    assert setting_errors("sandbox", changes) == {}


def test_the_check_reads_the_folder_the_setting_names(project_tmp_path):
    (project_tmp_path / "requirements.txt").write_text("pandas==2.2.3\n")
    error = refusal({**NO_NAT, "mwaa.sourceFolder": str(project_tmp_path)}, REQUIREMENTS_KEY)
    assert error.value == f"{project_tmp_path}/requirements.txt"




# --- Airflow configuration options MWAA takes ----------------------------------------------------------------

@pytest.mark.parametrize("option, reason", [
    ("core.executor", "MWAA runs only its CeleryExecutor"), ("celery.broker_url", "SQS queue"),
    ("core.fernet_key", "Fernet key"), ("database.sql_alchemy_conn", "metadata database"),
    ("logging.logging_config_class", "CloudWatch"), ("webserver.secret_key", "secret key"),
])
def test_options_mwaa_reserves_are_refused_with_mwaas_reason(option, reason):
    error = refusal({"mwaa.airflowConfigurationOptions": {option: "x"}}, "mwaa.airflowConfigurationOptions")
    explains(error, option, "reserves", reason, f"remove {option}")


@pytest.mark.parametrize("value", [32, True, 1.5, None, ["a"]])
def test_option_values_must_be_quoted_strings(value):
    error = refusal({"mwaa.airflowConfigurationOptions": {"core.parallelism": value}}, "mwaa.airflowConfigurationOptions")
    explains(error, "not strings", "quote")


@pytest.mark.parametrize("options, words", [
    ({"core.default_timezone": "Zürich"}, ("printable ASCII",)), ({"core.default_timezone": "a\nb"}, ("printable ASCII",)),
    ({f"core.{'x' * 60}": "1"}, ("at most 64",)),
])
def test_option_keys_and_values_are_what_mwaas_api_takes(options, words):
    explains(refusal({"mwaa.airflowConfigurationOptions": options}, "mwaa.airflowConfigurationOptions"), *words)


def test_an_empty_option_value_is_refused():
    key = "mwaa.airflowConfigurationOptions.core.default_timezone"
    explains(refusal({"mwaa.airflowConfigurationOptions": {"core.default_timezone": ""}}, key), "is empty")


# --- execution role statements IAM takes --------------------------------------------------------------------

STATEMENT = {"Sid": "AthenaQueries", "Effect": "Allow", "Action": ["athena:StartQueryExecution"],
             "Resource": "arn:aws:athena:eu-west-1:111111111111:workgroup/primary"}


@pytest.mark.parametrize("statement", [
    STATEMENT,
    {**{k: v for k, v in STATEMENT.items() if k != "Action"}, "NotAction": "iam:*", "Effect": "Deny"},
    {**{k: v for k, v in STATEMENT.items() if k != "Resource"}, "NotResource": ["arn:aws:s3:::private/*"]},
    {**STATEMENT, "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}},
], ids=["plain", "not-action", "not-resource", "condition"])
def test_statements_iam_takes_are_accepted(statement):
    assert setting_errors("sandbox", {"mwaa.executionRolePolicyStatements": [statement]}) == {}


@pytest.mark.parametrize("change, words", [
    ({"Effect": "allow"}, ("must be exactly Allow or Deny",)),
    ({"Effect": "ALLOW"}, ("must be exactly Allow or Deny",)),
    ({"Action": 5}, ("Action that is not a string or a list of strings",)),
    ({"Action": []}, ("Action that is not a string or a list of strings",)),
    ({"Resource": ["arn:aws:s3:::a", 7]}, ("Resource that is not a string or a list of strings",)),
    ({"NotAction": "iam:*"}, ("exactly one of Action or NotAction",)),
    ({"NotResource": "*"}, ("exactly one of Resource or NotResource",)),
    ({"Condition": "aws:SecureTransport"}, ("Condition that is not a mapping",)),
    ({"Condition": {"Bool": "true"}}, ("Condition that is not a mapping",)),
    ({"Sid": "athena-queries"}, ("letters and digits",)),
    ({"Actions": ["s3:GetObject"]}, ("did you mean `Action`",)),
    ({"Principal": {"AWS": "*"}}, ("Principal",)),
], ids=lambda value: str(value)[:30])
def test_statements_iam_would_refuse_are_refused_with_iams_rule(change, words):
    error = refusal({"mwaa.executionRolePolicyStatements": [{**STATEMENT, **change}]}, "mwaa.executionRolePolicyStatements")
    explains(error, "statement 0", *words)


# --- the source folder is the project's own --------------------------------------------------------------------

@pytest.mark.parametrize("folder, words", [
    (".", ("project root",)), ("airflow/..", ("project root",)), ("../", ("outside the project",)),
    ("airflow/../../x", ("outside the project",)), ("/tmp", ("outside the project",)), ("", ("is empty",)),
])
def test_the_source_folder_is_inside_the_project_and_not_its_root(folder, words):
    explains(refusal({"mwaa.sourceFolder": folder}, "mwaa.sourceFolder"), *words)


def test_a_symlink_out_of_the_project_is_refused(project_tmp_path, tmp_path):
    (project_tmp_path / "link").symlink_to(tmp_path, target_is_directory=True)
    folder = str((project_tmp_path / "link").relative_to(REPOSITORY_ROOT))
    explains(refusal({"mwaa.sourceFolder": folder}, "mwaa.sourceFolder"), "outside the project", "symlink")


def test_an_absolute_path_inside_the_project_is_accepted():
    assert setting_errors("sandbox", {"mwaa.sourceFolder": str(REPOSITORY_ROOT / "airflow")}) == {}

"""Settings of the whole stack: the stack files and every default are valid; each invalid value is refused with its
key, the bad value, what is allowed and how to fix it, in the user's words, all problems of a file together, before
anything is registered. Sections have their own files (test_settings_<section>.py)."""

import re

import pulumi
import pytest

from airflow_aws.settings import (AIRFLOW_VERSIONS, ENVIRONMENT_CLASSES, LOG_RETENTION_DAYS, PROJECT, InvalidSettings, SettingsModel, StackSettings, parse)
from program.stacks import STACKS, engine_config
from tests.harness import DELETE, plan_failure, setting_errors, stack_config
from tests.setting_refusals import explains, refusal

EGRESS = {"description": "reporting database", "protocol": "tcp", "fromPort": 5432, "toPort": 5432,
          "cidr": "10.50.0.0/16"}


# --- what is valid ----------------------------------------------------------------------------

@pytest.mark.parametrize("stack", STACKS)
def test_every_stack_file_is_valid(stack):
    assert setting_errors(stack) == {}


def test_a_stack_without_project_keys_gets_every_default():
    pins = {k: v for k, v in stack_config("sandbox").items() if k.startswith("aws:")}
    settings = parse("sandbox", engine_config(pins))
    assert settings.project == StackSettings()


def test_the_defaults_are_what_mwaa_accepts():
    defaults = StackSettings()
    assert defaults.mwaa.airflow_version in AIRFLOW_VERSIONS
    assert defaults.mwaa.environment_class in ENVIRONMENT_CLASSES
    assert defaults.mwaa.min_workers <= defaults.mwaa.max_workers
    assert defaults.mwaa.log_retention_days in LOG_RETENTION_DAYS
    assert defaults.network.nat_gateways == "single"


@pytest.mark.parametrize("changes", [
    {"mwaa.airflowVersion": "3.0.6"},
    {"mwaa.environmentClass": "mw1.micro", "mwaa.schedulers": 1, "mwaa.minWebservers": 1, "mwaa.maxWebservers": 1},
    {"mwaa.environmentClass": "mw1.2xlarge", "mwaa.schedulers": 5, "mwaa.maxWebservers": 5, "mwaa.maxWorkers": 25},
    {"mwaa.weeklyMaintenanceWindowStart": "WED:22:30"},
    {"mwaa.logLevels": {"task": "DEBUG"}},
    {"mwaa.kmsKey": "arn:aws:kms:eu-west-1:111111111111:key/0d6d71a3-0177-4fec-8bf0-77bea0b6ede9"},
    {"mwaa.workerReplacementStrategy": "GRACEFUL"},
    {"mwaa.airflowConfigurationOptions": {"core.default_timezone": "utc"}},
    {"mwaa.securityGroupEgress": [EGRESS]},
    {"mwaa.securityGroupEgress": [{**EGRESS, "cidr": "10.20.10.0/24"}]},
    {"mwaa.executionRoleManagedPolicyArns": ["arn:aws:iam::aws:policy/AmazonAthenaFullAccess"]},
    {"network.privateSubnetCidrs": ["10.20.0.0/24", "10.20.1.0/24"]},
], ids=lambda changes: ",".join(changes))
def test_values_mwaa_accepts_are_accepted(changes):
    assert setting_errors("sandbox", changes) == {}


# --- one invalid value each -------------------------------------------------------------------

@pytest.mark.parametrize("name", ["1airflow", "airflow prod", "a" * 81, "air.flow"])
def test_environment_name_follows_the_mwaa_pattern(name):
    error = refusal({"environmentName": name}, "environmentName")
    assert error.value == name
    explains(error, "letter", "digits", "80")




@pytest.mark.parametrize("key, value, wanted", [
    ("protect", "maybe", "true or false"), ("mwaa.uploadDags", "sometimes", "true or false"),
    ("mwaa.minWorkers", "two", "a whole number"), ("tags", ["team"], "an object"), ("mwaa", "small", "an object"),
])
def test_values_of_the_wrong_type_say_which_type(key, value, wanted):
    explains(refusal({key: value}, key), wanted)


# --- unknown keys ----------------------------------------------------------------------------

@pytest.mark.parametrize("changes, key, suggestion", [
    ({"enviromentName": "x"}, "enviromentName", "environmentName"),
    ({"mwaa.minWorker": 2}, "mwaa.minWorker", "minWorkers"),
    ({"network.natGateway": "none"}, "network.natGateway", "natGateways"),
    ({"mwaa.securityGroupEgress": [{**EGRESS, "fromPrt": 1}]}, "mwaa.securityGroupEgress[0].fromPrt", "fromPort"),
], ids=["top-level", "mwaa", "network", "list-entry"])
def test_a_misspelt_key_is_refused_with_the_closest_known_key(changes, key, suggestion):
    explains(refusal(changes, key), "is not a known setting", f"did you mean `{suggestion}`")


def test_an_unknown_key_lists_the_known_ones():
    error = refusal({"network.zzz": 1}, "network.zzz")
    assert "did you mean" not in error.problem
    explains(error, "vpcId", "subnetIds", "cidr", "natGateways")


# --- several problems at once ----------------------------------------------------------------

def test_every_problem_of_a_file_is_reported_together():
    changes = {"environmentName": "1x", "mwaa.minWorkers": 0, "network.natGateways": "two", "mwaa.kmsKye": "create",
               "aws:region": DELETE}
    error, registered = plan_failure("sandbox", changes)
    keys = {e.key for e in error.errors}
    assert keys == {f"{PROJECT}:environmentName", f"{PROJECT}:mwaa.minWorkers", f"{PROJECT}:network.natGateways",
                    f"{PROJECT}:mwaa.kmsKye", "aws:region"}
    assert str(error).startswith("stack 'sandbox' has 5 invalid settings:")
    assert all(e.key in str(error) and e.problem in str(error) and e.fix in str(error) for e in error.errors)
    assert registered == []


def test_cross_setting_problems_are_reported_together():
    changes = {"mwaa.minWorkers": 5, "mwaa.maxWorkers": 3, "mwaa.minWebservers": 3, "mwaa.maxWebservers": 2}
    assert {f"{PROJECT}:mwaa.minWorkers", f"{PROJECT}:mwaa.minWebservers"} <= set(setting_errors("sandbox", changes))


def test_a_refusal_is_a_run_error_that_shows_key_value_problem_and_fix():
    error, registered = plan_failure("sandbox", {"mwaa.maxWorkers": 26})
    assert isinstance(error, pulumi.RunError)  # the CLI prints a RunError's message without a traceback
    assert "airflow-aws:mwaa.maxWorkers = 26\n    problem: must be at most 25\n    fix:" in str(error)
    assert registered == []


@pytest.mark.parametrize("changes", [
    {"mwaa.airflowVersion": "1.10.12"},
    {"mwaa.minWorkers": 5, "mwaa.maxWorkers": 3},
    {"mwaa.minWorker": 1},
    {"aws:allowedAccountIds": DELETE},
    {"network.privateSubnetCidrs": ["10.20.0.0/18", "10.20.0.0/18"]},
    {"network.natGateways": "none", "mwaa.sourceFolder": "tests/fixtures/pypi_requirements"},
], ids=lambda changes: ",".join(changes))
def test_a_refused_stack_registers_nothing(changes):
    _, registered = plan_failure("sandbox", changes)
    assert registered == []


def test_invalid_settings_is_what_parse_raises():
    with pytest.raises(InvalidSettings) as raised:
        parse("sandbox", engine_config(stack_config("sandbox", {"mwaa.minWorkers": 0})))
    assert [e.key for e in raised.value.errors] == [f"{PROJECT}:mwaa.minWorkers"]


def test_a_misspelt_project_namespace_is_refused_not_ignored():
    errors = setting_errors("sandbox", {"airflow-asw:mwaa": {"maxWorkers": 9}})
    assert "did you mean `airflow-aws`" in errors["airflow-asw:mwaa"].problem
    assert errors["airflow-asw:mwaa"].fix == "rename it to airflow-aws:mwaa"


def test_other_namespaces_such_as_the_providers_are_left_alone():
    assert setting_errors("sandbox", {"aws:skipMetadataApiCheck": "true", "pulumi:template": "x"}) == {}


# --- strict types: YAML's booleans, numbers and nulls are not taken for one another ------------------------

@pytest.mark.parametrize("key, value, wanted", [
    ("mwaa.minWorkers", True, "a whole number"), ("mwaa.maxWorkers", 2.5, "a whole number"),
    ("mwaa.uploadDags", 1, "true or false"), ("protect", 0, "true or false"), ("endpoints.enabled", "yes", "true or false"),
    ("fargate.database.minCapacity", True, "a number"), ("mwaa.airflowVersion", 2.1, "is not an allowed value"),
    ("mwaa.environmentClass", True, "is not an allowed value"), ("network.cidr", 10, "a text value"),
])
def test_a_boolean_is_no_number_and_a_number_no_boolean(key, value, wanted):
    error = refusal({key: value}, key)
    assert error.value == value
    explains(error, wanted)


@pytest.mark.parametrize("key", ["environmentName", "platform", "mwaa.sourceFolder", "mwaa.weeklyMaintenanceWindowStart",
                                 "network.cidr", "privateAccess.oidc.clientId", "fargate.imageTag"])
@pytest.mark.parametrize("empty", ["", None], ids=["empty", "null"])
def test_an_empty_or_null_value_is_refused_where_a_value_is_needed(key, empty):
    error = refusal({key: empty}, key)
    explains(error, "is empty", "give it a value")


def test_an_empty_environment_name_does_not_become_the_name_null():
    error = refusal({"environmentName": None}, "environmentName")
    assert error.value is None


def test_a_name_that_looks_like_a_number_stays_a_name():
    assert parse("sandbox", engine_config(stack_config("sandbox", {"environmentName": "a2024"}))).project.environment_name == "a2024"


# --- messages in the user's words ---------------------------------------------------------------------------

def _setting_paths(model, prefix=""):
    """Every settings key of a model, nested groups included (`mwaa.minWorkers`, `fargate.database.instances`)."""
    for name, field in model.model_fields.items():
        path = f"{prefix}{field.alias or name}"
        yield path
        nested = next((a for a in (field.annotation, *getattr(field.annotation, "__args__", ()))
                       if isinstance(a, type) and issubclass(a, SettingsModel)), None)
        if nested is not None:
            yield from _setting_paths(nested, f"{path}.")


WRONG_VALUES = [True, 7, 2.5, "x", "", None, [], [1], {}, {"a": 1}]
SETTINGS_CLASSES = {cls.__name__ for cls in SettingsModel.__subclasses__()} | {"SettingsModel", "BaseModel"}
PYDANTIC_WORDING = re.compile(r"Input should|validation error|pydantic|\b(str|int|bool|dict|float|NoneType|"
                              r"list\[|Literal|Optional)\b|" + "|".join(SETTINGS_CLASSES))


def test_no_message_shows_pydantic_wording_or_python_type_names():
    seen = 0
    for path in _setting_paths(StackSettings):
        for value in WRONG_VALUES:
            for error in setting_errors("sandbox", {"platform": "fargate", path: value}).values():
                seen += 1
                text = f"{error.problem} {error.fix}"
                assert not PYDANTIC_WORDING.search(text), f"{path}={value!r}: {text}"
    assert seen > 500  # the walk did provoke refusals across the settings


# --- tags ---------------------------------------------------------------------------------------------------

def test_tags_within_aws_limits_are_accepted():
    tags = {f"team-{i}": "x" * 256 for i in range(48)} | {"k" * 128: "é:/=+-@ _."}
    assert setting_errors("sandbox", {"tags": tags}) == {}


def test_fifty_tags_are_too_many_with_the_programs_own_name_tag():
    error = refusal({"tags": {f"team-{i}": "x" for i in range(50)}}, "tags")
    explains(error, "51 tags", "Name", "50", "at most 49")


@pytest.mark.parametrize("tags, words", [
    ({"aws:team": "data"}, ("aws:", "without the aws: prefix")),
    ({"AWS:Team": "data"}, ("aws:",)),
    ({"k" * 129: "x"}, ("over 128",)),
    ({"team": "x" * 257}, ("over 256",)),
    ({"team!": "data"}, ("characters AWS refuses", "_ . : / = + - @")),
    ({"team": "data;drop"}, ("characters AWS refuses",)),
], ids=["aws-prefix", "aws-prefix-any-case", "long-key", "long-value", "key-character", "value-character"])
def test_tags_outside_aws_limits_are_refused(tags, words):
    explains(refusal({"tags": tags}, "tags"), *words)


def test_an_empty_tag_value_is_refused_on_mwaa_only():
    explains(refusal({"tags": {"team": ""}}, "tags"), "empty", "MWAA")
    assert setting_errors("sandbox", {"platform": "fargate", "tags": {"team": ""}}) == {}


@pytest.mark.parametrize("group", ["airflow-admins ", " airflow-admins", "\tairflow-admins"])
def test_a_mapped_group_no_sign_in_can_match_is_refused(group):
    # web_login compares groups exactly: a padded name would silently lock its users out.
    error = refusal({"privateAccess.groupRoleMapping": {group: "Admin"}}, "privateAccess.groupRoleMapping")
    explains(error, repr(group), "exactly as your identity provider names it")

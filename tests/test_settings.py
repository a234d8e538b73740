"""Settings: the stack files and every default are valid; each invalid value is refused with its key, the bad
value, what is allowed and how to fix it, all problems of a file together, before anything is registered."""

import pulumi
import pytest

from program.settings import (AIRFLOW_VERSIONS, ENVIRONMENT_CLASSES, LOG_LEVELS, LOG_RETENTION_DAYS, PROJECT,
                              InvalidSettings, StackSettings, parse)
from program.stacks import STACKS, engine_config
from tests.harness import DELETE, plan_failure, setting_errors, stack_config

VPC = "vpc-0123456789abcdef0"
SUBNETS = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
ADOPTED = {"network": {"vpcId": VPC, "subnetIds": SUBNETS}}
NO_NAT = {"network.natGateways": "none"}
REQUIREMENTS_KEY = "mwaa.sourceFolder (requirements.txt)"
EGRESS = {"description": "reporting database", "protocol": "tcp", "fromPort": 5432, "toPort": 5432,
          "cidr": "10.50.0.0/16"}


def refusal(changes: dict, key: str, stack: str = "sandbox"):
    """The error a change provokes under `key` (the project namespace is added unless the key has one)."""
    full_key = key if key.startswith("aws:") else f"{PROJECT}:{key}"
    errors = setting_errors(stack, changes)
    assert full_key in errors, f"{changes} was not refused under {full_key}: {sorted(errors)}"
    error = errors[full_key]
    assert error.problem and error.fix
    return error


def explains(error, *allowed: str) -> None:
    """The message a user reads names every allowed choice."""
    text = f"{error.problem} {error.fix}"
    missing = [word for word in allowed if word not in text]
    assert not missing, f"{error} does not mention {missing}"


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


@pytest.mark.parametrize("key", ["arn:aws:kms:eu-west-1:111111111111:alias/airflow", "my-key"])
def test_kms_key_is_aws_owned_create_or_a_key_arn(key):
    error = refusal({"mwaa.kmsKey": key}, "mwaa.kmsKey")
    explains(error, "aws-owned", "create", "arn:aws:kms:")


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
])
def test_extra_egress_rules_are_well_formed(rule, key, problem):
    explains(refusal({"mwaa.securityGroupEgress": [rule]}, key), problem)


def test_source_folder_must_exist():
    error = refusal({"mwaa.sourceFolder": "tests/fixtures/no-such-folder"}, "mwaa.sourceFolder")
    assert error.value == "tests/fixtures/no-such-folder"
    explains(error, "is not a folder", "create it")


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


@pytest.mark.parametrize("region", [DELETE, "Ireland", "eu-west"])
def test_the_region_is_an_aws_region(region):
    explains(refusal({"aws:region": region}, "aws:region"), "aws:region eu-west-1")


def test_production_settings_cannot_target_another_stacks_account():
    pins = {stack: parse(stack, engine_config(stack_config(stack))).account.allowed_account_ids for stack in STACKS}
    for stack, ids in pins.items():
        assert all(not set(ids) & set(other) for name, other in pins.items() if name != stack)


# --- the network -----------------------------------------------------------------------------

@pytest.mark.parametrize("cidr, problem", [
    ("10.0.0.0/8", "/16 to /24"), ("10.20.0.0/25", "/16 to /24"), ("10.20.0.1/16", "host bits"), ("ten", "IPv4"),
])
def test_vpc_cidr_is_a_network_of_16_to_24_bits(cidr, problem):
    error = refusal({"network.cidr": cidr}, "network.cidr")
    assert error.value == cidr
    explains(error, problem)


@pytest.mark.parametrize("cidrs, problem", [
    (["10.20.0.0/18"], "exactly two"),
    (["10.20.0.0/18", "10.20.64.0/18", "10.20.128.0/18"], "exactly two"),
    (["10.20.0.0/18", "10.20.64.1/18"], "host bits"),
    (["10.20.0.0/18", "10.20.64.0/30"], "/16 to /28"),
])
def test_private_subnet_cidrs_are_two_valid_blocks(cidrs, problem):
    explains(refusal({"network.privateSubnetCidrs": cidrs}, "network.privateSubnetCidrs"), problem)


def test_subnets_lie_inside_the_vpc():
    error = refusal({"network.privateSubnetCidrs": ["10.20.0.0/18", "10.99.0.0/18"]}, "network.privateSubnetCidrs")
    assert error.value == "10.99.0.0/18"
    explains(error, "10.20.0.0/16")


def test_private_subnets_do_not_overlap_each_other():
    error = refusal({"network.privateSubnetCidrs": ["10.20.0.0/18", "10.20.32.0/19"]}, "network.privateSubnetCidrs")
    explains(error, "overlaps 10.20.0.0/18")


def test_public_subnets_do_not_overlap_the_private_ones():
    # The default private subnets are the first two quarters of the VPC block.
    error = refusal({"network.publicSubnetCidrs": ["10.20.0.0/18", "10.20.192.0/18"]}, "network.publicSubnetCidrs")
    explains(error, "overlaps 10.20.0.0/18", "privateSubnetCidrs")


def test_public_subnet_cidrs_without_nat_are_refused_not_ignored():
    errors = setting_errors("sandbox", {**NO_NAT, "network.publicSubnetCidrs": ["10.99.0.0/18", "10.99.64.0/18"]})
    assert "natGateways is none" in errors[f"{PROJECT}:network.publicSubnetCidrs"].problem


def test_an_adopted_vpc_needs_its_subnets():
    error = refusal({"network": {"vpcId": VPC}}, "network.subnetIds")
    explains(error, "two distinct private subnets")


def test_subnets_without_a_vpc_are_refused():
    error = refusal({"network": {"subnetIds": SUBNETS}}, "network.subnetIds")
    explains(error, "without vpcId", "network.vpcId")


@pytest.mark.parametrize("subnets", [SUBNETS[:1], [SUBNETS[0], SUBNETS[0]], [*SUBNETS, "subnet-0123456789abcdef2"]])
def test_an_adopted_vpc_takes_exactly_two_distinct_subnets(subnets):
    error = refusal({"network": {"vpcId": VPC, "subnetIds": subnets}}, "network.subnetIds")
    explains(error, "exactly two distinct")


def test_adopted_ids_look_like_aws_ids():
    errors = setting_errors("sandbox", {"network": {"vpcId": "my-vpc", "subnetIds": ["subnet-a", SUBNETS[1]]}})
    assert errors[f"{PROJECT}:network.vpcId"].value == "my-vpc"
    assert errors[f"{PROJECT}:network.subnetIds"].value == "subnet-a"


@pytest.mark.parametrize("key, value", [("cidr", "10.30.0.0/16"), ("natGateways", "none"),
                                        ("privateSubnetCidrs", ["10.30.0.0/18", "10.30.64.0/18"]),
                                        ("publicSubnetCidrs", ["10.30.128.0/18", "10.30.192.0/18"])])
def test_settings_of_a_created_vpc_conflict_with_an_adopted_one(key, value):
    error = refusal({"network": {**ADOPTED["network"], key: value}}, f"network.{key}")
    assert error.value == value
    explains(error, "only applies when this stack creates the VPC", "remove")


def test_an_adopted_vpc_alone_is_valid():
    assert setting_errors("sandbox", ADOPTED) == {}


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


def test_the_check_reads_the_folder_the_setting_names(tmp_path):
    (tmp_path / "requirements.txt").write_text("pandas==2.2.3\n")
    error = refusal({**NO_NAT, "mwaa.sourceFolder": str(tmp_path)}, REQUIREMENTS_KEY)
    assert error.value == f"{tmp_path}/requirements.txt"


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

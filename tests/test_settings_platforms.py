"""Each platform is checked by its own rules: MWAA's never fire on a Fargate stack nor Fargate's on an MWAA stack,
and a setting only one platform uses is not required on the other. Endpoints in an adopted VPC (seed 000) and the
api-server's worker count are checked on both platforms where they apply."""

import pytest

from airflow_aws.settings import PROJECT, parse
from program.stacks import engine_config
from tests.harness import setting_errors, stack_config
from tests.setting_refusals import accepted, explains, refusal

FARGATE = {"platform": "fargate"}
PLATFORMS = [{}, FARGATE]
VPC = "vpc-0123456789abcdef0"
ADOPTED = {"network": {"vpcId": VPC, "subnetIds": ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]}}


# --- one platform's rules stay off the other ---------------------------------------------------------------------

@pytest.mark.parametrize("platform", PLATFORMS)
def test_the_group_role_mapping_is_required_on_both_platforms_with_private_access(platform):
    # MWAA's login function and Fargate's api-server both sign people in with it.
    explains(refusal({**platform, "privateAccess.groupRoleMapping": {}}, "privateAccess.groupRoleMapping"),
             "nobody can sign in")
    assert accepted({**platform, "privateAccess.enabled": False, "privateAccess.groupRoleMapping": {}})


@pytest.mark.parametrize("changes, key", [
    ({"mwaa.environmentClass": "mw1.micro"}, "mwaa.schedulers"),
    ({"mwaa.minWorkers": 5, "mwaa.maxWorkers": 3}, "mwaa.minWorkers"),
    ({"mwaa.minWebservers": 4, "mwaa.maxWebservers": 3}, "mwaa.minWebservers"),
    ({"mwaa.sourceFolder": "tests/fixtures/no-such-folder"}, "mwaa.sourceFolder"),
    ({"mwaa.webserverAccessMode": "PUBLIC_ONLY"}, "mwaa.webserverAccessMode"),
    ({"mwaa.endpointManagement": "CUSTOMER", "endpoints.enabled": False}, "mwaa.endpointManagement"),
    ({"mwaa.airflowConfigurationOptions": {"webserver.base_url": "https://x"}}, "mwaa.airflowConfigurationOptions"),
], ids=["sizing", "workers", "web-servers", "source-folder", "access-mode", "endpoint-management", "base-url"])
def test_mwaa_rules_fire_on_mwaa_and_not_on_fargate(changes, key):
    assert f"{PROJECT}:{key}" in setting_errors("sandbox", changes)
    assert f"{PROJECT}:{key}" not in setting_errors("sandbox", {**FARGATE, **changes})


@pytest.mark.parametrize("changes, key", [
    ({"network.natGateways": "none", "privateAccess.identityProviderCidrs": ["10.60.0.0/24"]}, "network.natGateways"),
    ({"fargate.minWorkers": 5, "fargate.maxWorkers": 3}, "fargate.minWorkers"),
    ({"fargate.dagsFolder": "tests/fixtures/no-such-folder"}, "fargate.dagsFolder"),
], ids=["nat", "workers", "dags-folder"])
def test_fargate_rules_fire_on_fargate_and_not_on_mwaa(changes, key):
    assert f"{PROJECT}:{key}" in setting_errors("sandbox", {**FARGATE, **changes})
    assert f"{PROJECT}:{key}" not in setting_errors("sandbox", changes)


@pytest.mark.parametrize("folder, words", [
    (".", ("project root",)), ("../", ("outside the project",)), ("/tmp", ("outside the project",)),
    ("", ("is empty",)),
])
def test_the_dags_folder_is_inside_the_project_and_not_its_root(folder, words):
    explains(refusal({**FARGATE, "fargate.dagsFolder": folder}, "fargate.dagsFolder"), *words)


# --- seed 000: endpoints in an adopted VPC answer for every workload -------------------------------------------------

@pytest.mark.parametrize("platform", PLATFORMS, ids=["mwaa", "fargate"])
def test_endpoints_in_an_adopted_vpc_need_allowed_cidrs_chosen(platform):
    error = refusal({**platform, **ADOPTED, "endpoints.enabled": True}, "endpoints.allowedCidrs")
    explains(error, VPC, "private DNS", "every workload", "VPC's CIDR", "[]", "nothing else")


@pytest.mark.parametrize("platform", PLATFORMS, ids=["mwaa", "fargate"])
@pytest.mark.parametrize("cidrs", [[], ["10.0.0.0/16"]], ids=["none", "the-vpc"])
def test_an_explicit_choice_of_allowed_cidrs_is_accepted(platform, cidrs):
    assert accepted({**platform, **ADOPTED, "endpoints.enabled": True, "endpoints.allowedCidrs": cidrs})


@pytest.mark.parametrize("changes", [
    {**ADOPTED, "endpoints.enabled": True, "endpoints.privateDns": False},
    {**ADOPTED, "endpoints.enabled": False, "privateAccess.enabled": False},
    {"endpoints.enabled": True},
], ids=["no-private-dns", "no-endpoints", "created-vpc"])
def test_allowed_cidrs_may_stay_unset_where_no_other_workload_is_captured(changes):
    assert f"{PROJECT}:endpoints.allowedCidrs" not in setting_errors("sandbox", changes)


def test_a_created_vpc_keeps_the_narrow_default():
    assert parse("sandbox", engine_config(stack_config("sandbox"))).project.endpoints.allowed_cidrs == []


# --- fargate.apiWorkers ---------------------------------------------------------------------------------------

def test_api_workers_default_to_null_meaning_one_per_vcpu():
    assert parse("sandbox", engine_config(stack_config("sandbox", FARGATE))).project.fargate.api_workers is None


@pytest.mark.parametrize("changes", [{"fargate.apiWorkers": 2},
                                     {"fargate.apiWorkers": 8, "fargate.taskSizes": {"apiServer": {"cpu": 4096, "memory": 8192}}},
                                     {"fargate.apiWorkers": 1, "fargate.taskSizes": {"apiServer": {"cpu": 256, "memory": 512}}}],
                         ids=["default-size", "four-vcpu", "quarter-vcpu"])
def test_up_to_two_api_workers_per_vcpu_are_accepted(changes):
    assert accepted({**FARGATE, **changes})


@pytest.mark.parametrize("changes, limit", [
    ({"fargate.apiWorkers": 3}, "at most 2"),
    ({"fargate.apiWorkers": 9, "fargate.taskSizes": {"apiServer": {"cpu": 4096, "memory": 8192}}}, "at most 8"),
    ({"fargate.apiWorkers": 2, "fargate.taskSizes": {"apiServer": {"cpu": 256, "memory": 512}}}, "at most 1"),
], ids=["default-size", "four-vcpu", "quarter-vcpu"])
def test_more_than_two_api_workers_per_vcpu_are_refused(changes, limit):
    explains(refusal({**FARGATE, **changes}, "fargate.apiWorkers"), limit, "per vCPU", "taskSizes")


@pytest.mark.parametrize("value, words", [(0, "at least 1"), (True, "a whole number"), ("2", "a whole number")])
def test_api_workers_is_a_whole_number_of_at_least_one(value, words):
    explains(refusal({**FARGATE, "fargate.apiWorkers": value}, "fargate.apiWorkers"), words)

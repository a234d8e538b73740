"""The planned Fargate stack delivers single sign-on to the api-server, and only there: the sign-in
modules and FAB's configuration in its command (written before Airflow starts, so they come with
each deployment whatever the image), this load balancer's ARN and the stack's group mapping in
its environment. The command itself is run by bash in test_fargate_containers.py."""

import json
from pathlib import Path

import pytest

from airflow_aws import airflow_settings as airflow
from airflow_aws import alb_sign_in
from tests.harness import plan_failure, plan_stack

FARGATE = {"platform": "fargate"}
COMPONENTS = Path(airflow.__file__).parent


@pytest.fixture(scope="module")
def sandbox():
    return plan_stack("sandbox", {**FARGATE, "privateAccess.groupsClaim": "custom:groups"})


def containers(plan, process: str) -> dict[str, dict]:
    definition = next(r for r in plan.of_type("aws:ecs/taskDefinition:TaskDefinition") if r.name == f"fargate-{process}")
    return {c["name"]: c for c in json.loads(definition.inputs["containerDefinitions"])}


def environment(container: dict) -> dict[str, str]:
    return {e["name"]: e["value"] for e in container["environment"]}


def test_the_api_server_writes_the_sign_in_modules_and_fabs_configuration_before_it_starts(sandbox):
    command = containers(sandbox, "api-server")["api-server"]["command"]

    assert command[3] == "api-server"  # $0; the files are $1, $2, $3 in path order
    written = dict(zip(sorted(airflow.sign_in_files()), command[4:]))
    assert written == {f"{airflow.SIGN_IN_FOLDER}/alb_identity.py": (COMPONENTS / "alb_identity.py").read_text(),
                       f"{airflow.SIGN_IN_FOLDER}/alb_sign_in.py": (COMPONENTS / "alb_sign_in.py").read_text(),
                       f"{airflow.SIGN_IN_FOLDER}/webserver_config.py": alb_sign_in.WEBSERVER_CONFIG}
    assert command[2].endswith("exec airflow api-server --port 8080")


def test_the_api_server_signs_in_with_this_load_balancer_and_the_stacks_group_mapping(sandbox):
    alb = sandbox.one("aws:lb/loadBalancer:LoadBalancer")
    settings = environment(containers(sandbox, "api-server")["api-server"])

    assert settings["AIRFLOW__FAB__CONFIG_FILE"] == f"{airflow.SIGN_IN_FOLDER}/webserver_config.py"
    assert settings["ALB_ARN"] == alb.state["arn"]
    assert json.loads(settings["GROUP_ROLE_MAPPING"]) == {"airflow-admins": "Admin", "airflow-operators": "Op",
                                                          "airflow-users": "User", "airflow-viewers": "Viewer"}
    assert settings["GROUPS_CLAIM"] == "custom:groups"
    assert settings["AIRFLOW__CORE__AUTH_MANAGER"] == airflow.FAB_AUTH_MANAGER


@pytest.mark.parametrize("process", ["scheduler", "dag-processor", "triggerer", "worker"])
def test_no_other_process_gets_the_sign_in(sandbox, process):
    main = containers(sandbox, process)[process]

    assert not {"AIRFLOW__FAB__CONFIG_FILE", "ALB_ARN", "GROUP_ROLE_MAPPING"} & set(environment(main))
    assert airflow.SIGN_IN_FOLDER not in " ".join(main["command"])


def test_a_fargate_stack_without_a_group_mapping_is_refused_before_anything_is_registered():
    error, registered = plan_failure("sandbox", {**FARGATE, "privateAccess.groupRoleMapping": {}})

    assert "privateAccess.groupRoleMapping" in str(error) and "nobody can sign in" in str(error)
    assert registered == []

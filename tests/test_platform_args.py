"""AirflowPlatform's args: generated from the settings, hosted by the provider, and planning exactly what the
stacks plan. What other languages give as the component's inputs is a stack file's `airflow-aws:` values."""

import json

import pulumi
import pytest
from pulumi.provider.experimental import host
from pulumi.provider.experimental.component import ComponentProvider

from airflow_aws import AirflowPlatform, package
from airflow_aws.airflow_platform import TYPE_TOKEN
from airflow_aws.platform_settings import config_values
from airflow_aws.settings import PROJECT, InvalidSettings, StackSettings, engine_config, parse
from program import REPOSITORY_ROOT, platform_args_source
from tests.harness import plan_document, plan_stack, run_component, stack_config
from program.stacks import fake_world

OBJECT = "aws:s3/bucketObjectv2:BucketObjectv2"
# The stacks and what they cover: private access with OIDC, endpoints, Fargate (database, broker), an adopted network.
VARIANTS = {
    "sandbox": ("sandbox", {}),
    "prod": ("prod", {}),
    "prod-fargate": ("prod", {"platform": "fargate"}),
    "sandbox-adopted-network": ("sandbox", {"network": {"vpcId": "vpc-0a1b2c3d4e5f60718",
                                                        "subnetIds": ["subnet-0a1b2c3d4e5f60718", "subnet-0a1b2c3d4e5f60719"]},
                                            "endpoints.enabled": True, "endpoints.allowedCidrs": ["10.0.0.0/16"]}),
}


def test_the_checked_in_args_module_is_what_the_settings_generate():
    assert (platform_args_source.MODULE.read_text() == platform_args_source.source()), \
        "run `make reference` (python -m program.reference --platform-args) after changing a setting"


def test_the_schema_inputs_are_the_settings_keys_group_by_group():
    schema = package.schema()
    for model in platform_args_source.models():
        token = f"{package.NAME}:index:{platform_args_source.args_name(model)}"
        declared = (schema["resources"][TYPE_TOKEN]["inputProperties"] if model is StackSettings
                    else schema["types"][token]["properties"])
        assert set(declared) == {field.alias or name for name, field in model.model_fields.items()}, token


def aws_config(values: dict) -> dict[str, str]:
    return engine_config({key: value for key, value in values.items() if key.startswith("aws:")})


def construct(variant: str, monkeypatch) -> tuple:
    """A stack's `airflow-aws:` values as AirflowPlatform's inputs, constructed through the provider as the engine
    does for a program in another language, with the stack's `aws:` config; the plan and the component's state."""
    stack, changes = VARIANTS[variant]
    values = stack_config(stack, changes)
    inputs = {key.removeprefix(f"{PROJECT}:"): value for key, value in values.items() if key.startswith(f"{PROJECT}:")}
    provider = ComponentProvider(package.components(), package.NAME, version=package.version())
    monkeypatch.chdir(REPOSITORY_ROOT)  # the folders are the project's, as for the stack program

    def program():
        state = provider.construct("airflow", TYPE_TOKEN, inputs).state
        for name, value in state.items():
            if value is not None:
                pulumi.export(name, value)

    return run_component(program, world=fake_world(values), stack=stack, config=aws_config(values))


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_stacks_settings_as_inputs_plan_exactly_what_the_stack_plans(variant, monkeypatch):
    hosted, stack = construct(variant, monkeypatch), plan_stack(*VARIANTS[variant])
    assert plan_document(hosted)["resources"] == plan_document(stack)["resources"]
    assert ({r.urn: (sorted(r.dependencies), sorted(r.alias_urns)) for r in hosted.registrations}
            == {r.urn: (sorted(r.dependencies), sorted(r.alias_urns)) for r in stack.registrations})
    # Every stack output is a declared output of the component (else the provider would drop it).
    assert hosted.outputs == stack.outputs


def test_outputs_on_one_platform_only_are_optional(stack_plans, fargate_plan):
    outputs = package.schema()["resources"][TYPE_TOKEN]
    on_both = set(stack_plans["sandbox"].outputs) & set(fargate_plan.outputs)
    assert set(outputs["required"]) <= on_both
    assert all(outputs["properties"][name].get("description") for name in outputs["properties"])


def test_args_keys_become_the_settings_keys_and_the_users_own_keys_stay():
    args = {"tags": {"cost_center": "x"}, "mwaa": {"airflow_configuration_options": {"core.dag_concurrency": "4"},
                                                   "security_group_egress": [{"from_port": 5432.0, "to_port": 5432}]},
            "fargate": {"task_sizes": {"worker": {"cpu": 1024.0, "memory": 2048}}}, "private_access": {"enabled": False}}
    # The engine sends numbers as floats; a whole one is the integer the strict settings take (JSON tells 5432.0 apart).
    assert json.dumps(config_values(args, StackSettings)) == json.dumps({
        "tags": {"cost_center": "x"}, "mwaa": {"airflowConfigurationOptions": {"core.dag_concurrency": "4"},
                                               "securityGroupEgress": [{"fromPort": 5432, "toPort": 5432}]},
        "fargate": {"taskSizes": {"worker": {"cpu": 1024, "memory": 2048}}}, "privateAccess": {"enabled": False}})


SANDBOX_AWS = aws_config(stack_config("sandbox"))


def platform_error(args: dict) -> InvalidSettings:
    with pytest.raises(InvalidSettings) as error:
        run_component(lambda: AirflowPlatform("airflow", args), config=SANDBOX_AWS)  # type: ignore[arg-type]
    return error.value


def test_the_args_are_checked_with_the_stack_programs_words(monkeypatch):
    monkeypatch.chdir(REPOSITORY_ROOT)
    error = platform_error({"mwaa": {"min_workers": 3, "max_workers": 2.5, "max_worker": 4}})
    with pytest.raises(InvalidSettings) as expected:
        parse("unit", {**SANDBOX_AWS, f"{PROJECT}:mwaa": '{"minWorkers": 3, "maxWorkers": 2.5, "maxWorker": 4}'},
              REPOSITORY_ROOT)
    assert str(error) == str(expected.value)
    assert {e.key for e in error.errors} >= {f"{PROJECT}:mwaa.maxWorkers", f"{PROJECT}:mwaa.maxWorker"}


def test_an_output_of_another_resource_is_refused_by_its_key(monkeypatch):
    monkeypatch.chdir(REPOSITORY_ROOT)
    error = platform_error({"mwaa": {"kms_key": pulumi.Output.from_input("create")}})
    assert [e.key for e in error.errors] == [f"{PROJECT}:mwaa.kmsKey"]


@pytest.mark.parametrize("args, key", [
    ({}, "mwaa.sourceFolder"),
    ({"mwaa": {"source_folder": "airflow"}}, "mwaa.sourceFolder"),
    ({"platform": "fargate", "fargate": {"dags_folder": "airflow/dags"}}, "fargate.dagsFolder"),
])
def test_inside_the_provider_the_platforms_folder_must_be_absolute(args, key, monkeypatch):
    monkeypatch.setattr(host, "is_hosting", True)
    error = platform_error(args)
    assert [e.key for e in error.errors] == [f"{PROJECT}:{key}"] and "absolute" in error.errors[0].fix


def test_inside_the_provider_an_absolute_folder_is_checked_and_uploaded(monkeypatch):
    monkeypatch.setattr(host, "is_hosting", True)
    missing = platform_error({"mwaa": {"source_folder": str(REPOSITORY_ROOT / "no-such-folder")}})
    assert [e.key for e in missing.errors] == [f"{PROJECT}:mwaa.sourceFolder"]
    assert "does not exist" in missing.errors[0].problem
    dags = REPOSITORY_ROOT / "airflow" / "dags"
    plan = run_component(lambda: AirflowPlatform("airflow", {"platform": "fargate", "fargate": {"dags_folder": str(dags)}}),
                         config=SANDBOX_AWS)
    uploaded = {r.inputs["key"] for r in plan.of_type(OBJECT)}
    assert {f"dags/{p.relative_to(dags)}" for p in dags.rglob("*.py")} <= uploaded

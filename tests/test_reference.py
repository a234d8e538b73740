"""The project layout: Pulumi.yaml is generated from the settings models and says only what the Pulumi CLI
accepts; the program runs in its own virtualenv; __main__.py only hands over to the program package."""

import ast

import pytest
import yaml

from program.reference import pulumi_yaml
from airflow_aws.settings import PROJECT, StackSettings
from program import REPOSITORY_ROOT
from program.stacks import STACKS, stack_values

PULUMI_YAML_TEXT = (REPOSITORY_ROOT / "Pulumi.yaml").read_text()
PULUMI_YAML = yaml.safe_load(PULUMI_YAML_TEXT)
# The project schema of the Pulumi CLI: config types it accepts, and the Python each stands for.
CLI_TYPES = {"string": str, "integer": int, "boolean": bool, "array": list, "object": dict}


def test_pulumi_yaml_is_generated_from_the_settings_models():
    assert PULUMI_YAML_TEXT == pulumi_yaml(), "run `python -m program.reference --pulumi-yaml` (make reference)"


def test_the_program_runs_on_python_in_its_own_virtualenv():
    assert PULUMI_YAML["name"] == PROJECT
    assert PULUMI_YAML["runtime"]["name"] == "python"
    assert PULUMI_YAML["runtime"]["options"]["virtualenv"] == ".venv"
    assert PULUMI_YAML["runtime"]["options"]["toolchain"] == "pip"
    assert PULUMI_YAML["description"]


@pytest.mark.parametrize("key", sorted(PULUMI_YAML.get("config") or {}))
def test_each_declared_key_has_a_type_the_cli_accepts_a_description_and_its_real_default(key):
    declared = PULUMI_YAML["config"][key]
    assert declared["type"] in CLI_TYPES
    if declared["type"] == "array":
        assert declared["items"]["type"] in CLI_TYPES
    assert ":" not in key, "project keys are declared without their namespace"
    field = next(f for name, f in StackSettings.model_fields.items() if (f.alias or name) == key)
    assert declared["description"] == field.description
    if declared["type"] == "object":  # the program fills in a structured setting's defaults, key by key
        assert "default" not in declared
        return
    assert declared["default"] == field.get_default(call_default_factory=True)
    assert isinstance(declared["default"], CLI_TYPES[declared["type"]])


def test_every_top_level_setting_is_declared_to_the_cli():
    assert set(PULUMI_YAML["config"]) == {field.alias or name for name, field in StackSettings.model_fields.items()}


@pytest.mark.parametrize("stack", STACKS)
def test_the_cli_would_accept_each_stack_files_declared_values(stack):
    for full_key, value in stack_values(stack).items():
        namespace, _, key = full_key.partition(":")
        if namespace == PROJECT and key in PULUMI_YAML["config"]:
            assert isinstance(value, CLI_TYPES[PULUMI_YAML["config"][key]["type"]]), full_key


def test_main_only_hands_over_to_the_installable_package():
    tree = ast.parse((REPOSITORY_ROOT / "__main__.py").read_text())
    body = [node for node in tree.body if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))]
    imports = [node for node in body if isinstance(node, (ast.Import, ast.ImportFrom))]
    assert all(isinstance(node, ast.ImportFrom) and node.module == "airflow_aws" for node in imports)
    assert len(body) - len(imports) == 1 and isinstance(body[-1], ast.Expr)

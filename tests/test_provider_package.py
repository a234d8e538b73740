"""The component package other languages add: the checked-in schema is the analyzer's, the provider hosts every
component, and the YAML example's exact inputs construct its components through the provider's construct entry."""

import re
import runpy

import pulumi
import yaml
from pulumi.provider.experimental.component import ComponentProvider

from airflow_aws import package
from program.settings import REPOSITORY_ROOT
from tests.harness import run_component, violations

PROVIDER = REPOSITORY_ROOT / "provider"
REFERENCE = re.compile(r"^\$\{(\w+)\.(\w+)\}$")


def test_the_checked_in_schema_is_what_the_analyzer_infers():
    assert (PROVIDER / "schema.json").read_text() == package.schema_text(), \
        "run `make schema` after changing a component's args or outputs"


def test_the_plugin_runs_the_provider_entry_with_the_python_runtime_and_hosts_every_component():
    plugin = yaml.safe_load((REPOSITORY_ROOT / "PulumiPlugin.yaml").read_text())
    assert (plugin["runtime"]["name"], plugin["main"]) == ("python", "provider")
    entry = runpy.run_path(str(PROVIDER / "__main__.py"), run_name="provider")  # imports only, no server
    assert entry["component_provider_host"].__module__.startswith("pulumi.provider.experimental")
    assert sorted(f"{package.NAME}:index:{c.__name__}" for c in entry["components"]()) == \
        sorted(package.schema()["resources"])


def test_the_yaml_examples_inputs_are_what_the_schema_declares():
    resources, schema = yaml_example()["resources"], package.schema()["resources"]
    for name, resource in resources.items():
        declared = schema[resource["type"]]
        assert set(resource["properties"]) <= set(declared["inputProperties"]), name
        assert set(declared.get("requiredInputs", [])) <= set(resource["properties"]), name


def test_the_yaml_example_constructs_through_the_provider():
    """What the engine does for a YAML program: construct each component by type token, with camelCase inputs."""
    provider = ComponentProvider(package.components(), package.NAME, version=package.version())
    example = yaml_example()

    def program():
        states: dict[str, dict] = {}
        for name, resource in example["resources"].items():
            inputs = {key: resolve(value, states) for key, value in resource["properties"].items()}
            states[name] = provider.construct(name, resource["type"], inputs).state
        for output, reference in example["outputs"].items():
            pulumi.export(output, resolve(reference, states))

    plan = run_component(program)
    assert {"airflow-aws:index:VpcNetwork", "aws:mwaa/environment:Environment"} <= {r.type for r in plan.registrations}
    assert plan.outputs["webserverUrl"] and violations(plan) == []


def yaml_example() -> dict:
    return yaml.safe_load((REPOSITORY_ROOT / "examples" / "yaml" / "Pulumi.yaml").read_text())


def resolve(value, states: dict[str, dict]):
    """A `${resource.output}` reference as Pulumi YAML resolves it; other values as written."""
    match = REFERENCE.match(value) if isinstance(value, str) else None
    return states[match[1]][match[2]] if match else value

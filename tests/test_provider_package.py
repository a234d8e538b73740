"""The component package other languages add: the checked-in schema is the analyzer's, the provider hosts every
component, and the YAML and TypeScript examples' exact inputs and config construct their components through the
provider's construct entry (what the engine does for a program in another language)."""

import json
import re
import runpy

import pulumi
import pytest
import yaml
from pulumi.provider.experimental import host
from pulumi.provider.experimental.component import ComponentProvider

from airflow_aws import mwaa_environment, package
from airflow_aws.settings import engine_config
from program import REPOSITORY_ROOT
from tests.harness import run_component, violations

PROVIDER = REPOSITORY_ROOT / "provider"
REFERENCE = re.compile(r"^\$\{(\w+)\.(\w+)\}$")
EXAMPLES = REPOSITORY_ROOT / "examples"
TS_COMPONENT = re.compile(r'const (\w+) = new airflow\.(\w+)\("([^"]+)", (\{.*?\n\})\);', re.S)
TS_OUTPUT = re.compile(r"export const (\w+) = (\w+)\.(\w+);")


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


def yaml_example(folder: str = "yaml") -> dict:
    return {**yaml.safe_load((EXAMPLES / folder / "Pulumi.yaml").read_text()), "folder": EXAMPLES / folder}


def typescript_example(folder: str = "typescript") -> dict:
    """index.ts's components and exports, in the YAML program's shape (its object literals are plain JSON but for
    unquoted keys, trailing commas, `variable.output` references and `path.join(__dirname, ...)` folders), with
    the project's config."""
    source = (EXAMPLES / folder / "index.ts").read_text()
    names = {variable: name for variable, _, name, _ in TS_COMPONENT.findall(source)}

    def literal(body: str) -> dict:
        body = re.sub(r"^(\s*)(\w+):", r'\1"\2":', body, flags=re.M)
        body = re.sub(r":\s*(\w+)\.(\w+),", lambda m: f': "${{{names[m[1]]}.{m[2]}}}",', body)
        body = re.sub(r'path\.join\(__dirname, "([^"]+)"\)', r'"${pulumi.cwd}/\1"', body)
        return json.loads(re.sub(r",(\s*[}\]])", r"\1", body))

    project = yaml.safe_load((EXAMPLES / folder / "Pulumi.yaml").read_text())
    return {"folder": EXAMPLES / folder, "config": project.get("config", {}),
            "resources": {name: {"type": f"{package.NAME}:index:{component}", "properties": literal(body)}
                          for _, component, name, body in TS_COMPONENT.findall(source)},
            "outputs": {output: f"${{{names[variable]}.{value}}}" for output, variable, value in TS_OUTPUT.findall(source)}}


EXAMPLE_PROGRAMS = {"yaml": yaml_example, "yaml-platform": lambda: yaml_example("yaml-platform"),
                    "typescript": typescript_example, "typescript-platform": lambda: typescript_example("typescript-platform")}


def example_config(example: dict) -> dict[str, str]:
    """The project's `config:` values (`key: {value: ...}` or `key: value`) as the engine passes them."""
    values = {key: item["value"] if isinstance(item, dict) else item for key, item in example.get("config", {}).items()}
    return engine_config(values)


JSON_TYPES = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "array": list, "object": dict}


def schema_problems(value, spec: dict, types: dict, path: str) -> list[str]:
    """Where `value` does not fit the schema's property `spec`, nested types and enums included, as the SDK a
    language generates would refuse it; `${resource.output}` references stand for values of any type."""
    if isinstance(value, str) and REFERENCE.match(value):
        return []
    if "$ref" in spec:
        if spec["$ref"] == "pulumi.json#/Any":
            return []
        declared = types[spec["$ref"].removeprefix("#/types/")]
        if "enum" in declared:
            allowed = [item["value"] for item in declared["enum"]]
            return [] if value in allowed else [f"{path}: {value!r} is not one of {allowed}"]
        return object_problems(value, declared.get("properties", {}), declared.get("required", []), types, path)
    expected = JSON_TYPES[spec["type"]]
    if not isinstance(value, expected) or (spec["type"] == "integer" and isinstance(value, bool)):
        return [f"{path}: {value!r} is not {spec['type']}"]
    if spec["type"] == "array":
        return [p for i, item in enumerate(value) for p in schema_problems(item, spec["items"], types, f"{path}[{i}]")]
    if spec["type"] == "object" and "additionalProperties" in spec:
        return [p for k, item in value.items() for p in schema_problems(item, spec["additionalProperties"], types, f"{path}.{k}")]
    return []


def object_problems(value, properties: dict, required: list, types: dict, path: str) -> list[str]:
    if not isinstance(value, dict):
        return [f"{path}: {value!r} is not an object"]
    problems = [f"{path}.{key}: not in the schema" for key in value if key not in properties]
    problems += [f"{path}.{key}: required" for key in required if key not in value]
    return problems + [p for key, item in value.items() if key in properties
                       for p in schema_problems(item, properties[key], types, f"{path}.{key}")]


@pytest.mark.parametrize("language", EXAMPLE_PROGRAMS)
def test_the_examples_inputs_are_what_the_schema_declares(language):
    resources, schema = EXAMPLE_PROGRAMS[language]()["resources"], package.schema()
    assert resources
    for name, resource in resources.items():
        declared = schema["resources"][resource["type"]]
        assert object_problems(resource["properties"], declared["inputProperties"], declared.get("requiredInputs", []),
                               schema.get("types", {}), name) == []


def test_the_schema_check_of_the_examples_finds_misspelt_mistyped_and_unknown_values():
    schema = package.schema()
    declared = schema["resources"]["airflow-aws:index:AirflowPlatform"]
    problems = object_problems({"mwaa": {"maxWorker": 5, "environmentClass": 2}, "network": {"natGateways": "none"}},
                               declared["inputProperties"], [], schema["types"], "airflow")
    assert problems == ["airflow.mwaa.maxWorker: not in the schema", "airflow.mwaa.environmentClass: 2 is not string"]
    network = schema["resources"]["airflow-aws:index:VpcNetwork"]
    assert object_problems({"cidr": "10.0.0.0/16", "privateSubnetCidrs": ["10.0.0.0/18", 1], "natGateways": "per-zone"},
                           network["inputProperties"], [], schema["types"], "network") == [
        "network.privateSubnetCidrs[1]: 1 is not string",
        "network.natGateways: 'per-zone' is not one of ['none', 'single', 'perZone']"]


def construct_example(example: dict, monkeypatch):
    """What the engine does for the program: construct each component by type token in the provider (which runs
    it away from the program's folder), with camelCase inputs and the stack's config."""
    monkeypatch.setattr(host, "is_hosting", True)
    provider = ComponentProvider(package.components(), package.NAME, version=package.version())

    def program():
        states: dict[str, dict] = {}
        for name, resource in example["resources"].items():
            inputs = {key: resolve(value, states, example["folder"]) for key, value in resource["properties"].items()}
            states[name] = provider.construct(name, resource["type"], inputs).state
        for output, reference in example["outputs"].items():
            pulumi.export(output, resolve(reference, states, example["folder"]))

    return run_component(program, config=example_config(example))


@pytest.mark.parametrize("language", EXAMPLE_PROGRAMS)
def test_the_example_constructs_through_the_provider(language, monkeypatch):
    plan = construct_example(EXAMPLE_PROGRAMS[language](), monkeypatch)
    assert {"airflow-aws:index:VpcNetwork", "aws:mwaa/environment:Environment"} <= {r.type for r in plan.registrations}
    assert plan.outputs["webserverUrl"] and violations(plan) == []


def test_the_yaml_platform_example_plans_mwaa_with_monitoring_as_its_properties_say(monkeypatch):
    plan = construct_example(yaml_example("yaml-platform"), monkeypatch)
    environment = plan.one("aws:mwaa/environment:Environment")
    assert (environment.inputs["name"], environment.inputs["maxWorkers"]) == ("analytics", 5)
    assert {"airflow-aws:index:AirflowPlatform", "airflow-aws:index:AirflowMonitoring",
            "aws:cloudwatch/metricAlarm:MetricAlarm"} <= {r.type for r in plan.registrations}
    # The absolute source folder's requirements.txt is uploaded; uploadDags: false uploads no DAG.
    assert {r.inputs["key"] for r in plan.of_type("aws:s3/bucketObjectv2:BucketObjectv2")} == {"requirements.txt"}
    assert plan.outputs["environmentArn"] == environment.state["arn"]


def test_the_typescript_platform_example_plans_mwaa_without_nat_behind_its_endpoints(monkeypatch):
    plan = construct_example(typescript_example("typescript-platform"), monkeypatch)
    environment = plan.one("aws:mwaa/environment:Environment")
    assert (environment.inputs["environmentClass"], plan.of_type("aws:ec2/natGateway:NatGateway")) == ("mw1.medium", [])
    interfaces = [e for e in plan.of_type("aws:ec2/vpcEndpoint:VpcEndpoint") if e.inputs["vpcEndpointType"] == "Interface"]
    assert interfaces and {e.urn for e in interfaces} <= set(environment.dependencies)
    assert environment.inputs["kmsKey"] == plan.one("aws:kms/key:Key").state["arn"]
    assert {r.inputs["key"] for r in plan.of_type("aws:s3/bucketObjectv2:BucketObjectv2")} == {
        "requirements.txt", "dags/row_count.py"}


def test_the_python_example_composing_the_components_runs(monkeypatch):
    monkeypatch.chdir(EXAMPLES / "python-components")
    plan = run_component(lambda: runpy.run_path("__main__.py", run_name="__main__"))
    assert plan.outputs["endpointIds"] and violations(plan) == []
    environment, endpoints = plan.one("aws:mwaa/environment:Environment"), plan.of_type("aws:ec2/vpcEndpoint:VpcEndpoint")
    assert environment.inputs["webserverAccessMode"] == "PRIVATE_ONLY"
    assert {e.urn for e in endpoints if e.inputs["vpcEndpointType"] == "Interface"} <= set(environment.dependencies)


def resolve(value, states: dict[str, dict], folder):
    """A `${resource.output}` reference as Pulumi YAML resolves it, `${pulumi.cwd}` as the program's folder (values
    in mappings alike); other values as written."""
    if isinstance(value, dict):
        return {key: resolve(item, states, folder) for key, item in value.items()}
    if isinstance(value, str):
        value = value.replace("${pulumi.cwd}", str(folder))
    match = REFERENCE.match(value) if isinstance(value, str) else None
    return states[match[1]][match[2]] if match else value


def test_every_optional_input_names_its_default_and_every_output_is_described():
    schema = package.schema()
    shapes = [(r["inputProperties"], r.get("requiredInputs", [])) for r in schema["resources"].values()]
    shapes += [(t.get("properties", {}), t.get("required", [])) for t in schema.get("types", {}).values()]
    undefaulted = [name for properties, required in shapes for name, prop in properties.items()
                   if name not in required and "default" not in prop.get("description", "").lower()]
    assert undefaulted == []
    assert all(prop.get("description") for r in schema["resources"].values() for prop in r["properties"].values())


def test_inside_the_provider_a_relative_folder_is_refused_and_an_absolute_one_uploads(monkeypatch):
    """A program in another language runs the component in the provider process, which cannot see its folder."""
    monkeypatch.setattr(host, "is_hosting", True)
    provider = ComponentProvider(package.components(), package.NAME, version=package.version())
    base = {"environmentName": "analytics", "vpcId": "vpc-1", "subnetIds": ["subnet-1", "subnet-2"]}

    def construct(folder: str):
        return lambda: provider.construct("airflow", mwaa_environment.TYPE_TOKEN, {**base, "sourceFolder": folder})

    with pytest.raises(Exception, match="source_folder 'airflow' is relative"):
        run_component(construct("airflow"))
    plan = run_component(construct(str(REPOSITORY_ROOT / "airflow")))
    assert {r.inputs["key"] for r in plan.of_type("aws:s3/bucketObjectv2:BucketObjectv2")} >= {"requirements.txt"}


# Every input whose values are a fixed set, and those values (AWS's, MWAA's and the components' own).
ENUMERATED_INPUTS = {
    ("VpcNetwork", "natGateways"): ["none", "single", "perZone"],
    ("MwaaEnvironment", "environmentClass"): ["mw1.micro", "mw1.small", "mw1.medium", "mw1.large", "mw1.xlarge",
                                              "mw1.2xlarge"],
    ("MwaaEnvironment", "webserverAccessMode"): ["PRIVATE_ONLY", "PUBLIC_ONLY", "PUBLIC_AND_PRIVATE"],
    ("MwaaEnvironment", "endpointManagement"): ["SERVICE", "CUSTOMER"],
    ("MwaaEnvironment", "workerReplacementStrategy"): ["FORCED", "GRACEFUL"],
    ("EgressRuleArgs", "protocol"): ["tcp", "udp", "-1"],
    ("AlbTargetArgs", "protocol"): ["HTTPS", "HTTP"],
    ("WebLoginArgs", "airflowMajorVersion"): ["2", "3"],
    ("FargateAirflowCluster", "cpuArchitecture"): ["X86_64", "ARM64"],
    ("BrokerArgs", "engine"): ["valkey", "redis"],
    ("AirflowMonitoring", "platform"): ["mwaa", "fargate"],
}


def shapes(schema: dict) -> dict[str, dict]:
    """Input properties per component and object type, by name."""
    found = {token.split(":")[-1]: r["inputProperties"] for token, r in schema["resources"].items()}
    found.update({token.split(":")[-1]: t["properties"] for token, t in schema["types"].items() if "properties" in t})
    return found


@pytest.mark.parametrize("owner, name", ENUMERATED_INPUTS, ids=lambda part: part)
def test_enumerated_inputs_are_enums_with_their_values(owner, name):
    schema = package.schema()
    prop = shapes(schema)[owner][name]
    enum = schema["types"][prop["$ref"].removeprefix("#/types/")]
    assert (enum["type"], [member["value"] for member in enum["enum"]]) == ("string", ENUMERATED_INPUTS[owner, name])


def test_every_input_output_type_and_enum_value_is_described():
    schema = package.schema()
    undescribed = [f"{owner}.{name}" for owner, properties in shapes(schema).items()
                   for name, prop in properties.items() if not prop.get("description")]
    undescribed += [f"{token}.{name}" for token, resource in schema["resources"].items()
                    for name, prop in resource["properties"].items() if not prop.get("description")]
    undescribed += [token for token, item in {**schema["resources"], **schema["types"]}.items()
                    if not item.get("description")]
    undescribed += [f"{token}.{member['name']}" for token, item in schema["types"].items()
                    for member in item.get("enum", []) if not member.get("description")]
    assert undescribed == []

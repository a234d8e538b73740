"""The offline plan command: a tree with key properties, counts by type and outputs (or JSON) per stack; a stack
with invalid settings prints every problem to stderr and makes the command exit 2."""

import contextlib
import io
import json
import re
import subprocess
import sys
from collections import Counter

import pytest
import yaml

from program import plan as plan_command
from program import stacks
from airflow_aws.settings import PROJECT
from program import REPOSITORY_ROOT

HEADER = re.compile(r"^== stack (\w+): `pulumi up` would create (\d+) resources in (\d+) components ==$", re.M)


@pytest.fixture(scope="module")
def sandbox_json():
    """The JSON plan of the sandbox stack, printed by the command."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert plan_command.main(["sandbox", "--json"]) == 0
    return json.loads(out.getvalue())


@pytest.fixture
def broken_stack(tmp_path, monkeypatch):
    """A stack file `broken` with two invalid settings, next to the real stack files."""
    values = stacks.stack_values("sandbox")
    values[f"{PROJECT}:mwaa"] = {**values[f"{PROJECT}:mwaa"], "minWorkers": 0, "airflowVersion": "1.10.15"}
    (tmp_path / "Pulumi.broken.yaml").write_text(yaml.safe_dump({"config": values}))
    real = stacks.stack_file
    monkeypatch.setattr(stacks, "stack_file", lambda stack: tmp_path / "Pulumi.broken.yaml" if stack == "broken" else real(stack))
    return "broken"


def section(text: str, title: str) -> list[str]:
    """The indented lines under a section title of the text output."""
    lines = text.split(f"\n{title}\n", 1)[1].splitlines()
    return lines[: next((i for i, line in enumerate(lines) if not line.startswith("  ")), len(lines))]


def test_the_json_plan_has_resources_counts_and_outputs(sandbox_json):
    assert sandbox_json["stack"] == "sandbox"
    resources = sandbox_json["resources"]
    assert all({"urn", "type", "name", "parent", "protect", "inputs"} <= set(r) for r in resources)
    assert sandbox_json["counts"] == dict(Counter(r["type"] for r in resources))
    [environment] = [r for r in resources if r["type"] == "aws:mwaa/environment:Environment"]
    assert environment["inputs"]["name"] == "airflow-sandbox"
    assert isinstance(environment["inputs"]["minWorkers"], int)  # shown as written, not as the engine's float
    assert sandbox_json["outputs"]["environmentName"] == "airflow-sandbox"
    assert set(sandbox_json["outputs"]["webUiAccessPolicyArns"]) == {"Admin", "Op", "User", "Viewer"}


def test_the_text_plan_shows_the_tree_counts_and_outputs(capsys, sandbox_json):
    assert plan_command.main(["sandbox"]) == 0
    text = capsys.readouterr().out
    [(stack, resources, components)] = HEADER.findall(text)
    custom = [r for r in sandbox_json["resources"] if not r["type"].startswith(f"{PROJECT}:index:")]
    assert (stack, int(resources), int(components)) == (
        "sandbox", len(custom), len(sandbox_json["resources"]) - len(custom))
    tree = text.split("resources by type:")[0].splitlines()
    assert tree[1] == f"pulumi:pulumi:Stack  {PROJECT}-sandbox"
    assert len([line for line in tree[2:] if line.strip()]) == len(sandbox_json["resources"])
    environment_line = next(line for line in tree if "aws:mwaa/environment:Environment" in line)
    assert "name=airflow-sandbox" in environment_line and "environmentClass=mw1.small" in environment_line
    assert re.search(r"^[│ ]*[├└]─ airflow-aws:index:MwaaEnvironment  mwaa$", text, re.M)
    counts = {typ: int(number) for number, typ in (line.split() for line in section(text, "resources by type:"))}
    assert counts == sandbox_json["counts"]
    outputs = dict(line.strip().split(": ", 1) for line in section(text, "stack outputs:"))
    assert outputs["environmentName"] == "airflow-sandbox"
    assert set(sandbox_json["outputs"]) == set(outputs)


def test_protected_resources_are_flagged_in_the_tree(capsys):
    assert plan_command.main(["prod"]) == 0
    bucket_line = next(line for line in capsys.readouterr().out.splitlines() if "aws:s3/bucket:Bucket  mwaa-source" in line)
    assert "[protected]" in bucket_line


def test_several_stacks_are_planned_in_turn(capsys):
    assert plan_command.main(["test", "prod"]) == 0
    assert [stack for stack, _, _ in HEADER.findall(capsys.readouterr().out)] == ["test", "prod"]


def test_invalid_settings_print_every_problem_to_stderr_and_exit_2(capsys, broken_stack):
    assert plan_command.main([broken_stack]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("stack 'broken' has 2 invalid settings:")
    assert f"{PROJECT}:mwaa.minWorkers = 0\n    problem: must be at least 1" in captured.err
    assert f"{PROJECT}:mwaa.airflowVersion = 1.10.15\n    problem: is not an allowed value" in captured.err
    assert "Traceback" not in captured.err


def test_an_invalid_stack_does_not_stop_the_others_from_being_planned(capsys, broken_stack):
    assert plan_command.main([broken_stack, "test", "--json"]) == 2
    captured = capsys.readouterr()
    assert json.loads(captured.out)["stack"] == "test"
    assert "stack 'broken' has 2 invalid settings" in captured.err


def test_an_unknown_stack_names_the_known_ones():
    with pytest.raises(SystemExit, match="known stacks are sandbox, test, prod"):
        plan_command.main(["staging"])


def test_json_plans_are_byte_identical_from_run_to_run():
    # Resource order and key order follow the SDK's threads; a reviewer diffing two plans must see only real changes.
    runs = [subprocess.run([sys.executable, "-m", "program.plan", "sandbox", "--json"], cwd=REPOSITORY_ROOT,
                           capture_output=True, text=True, check=True).stdout for _ in range(2)]
    assert runs[0] == runs[1]
    assert "object at 0x" not in runs[0] and '"FileAsset": ' in runs[0]

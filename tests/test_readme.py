"""The README is the front door: what it says about commands and settings must be what the code has."""

import re

import pytest

from program.reference import readme_with_reference
from program import REPOSITORY_ROOT

from tests import harness
from tests.harness import run_component, violations

README = (REPOSITORY_ROOT / "README.md").read_text()


def test_settings_reference_is_generated_from_the_settings_models():
    assert README == readme_with_reference(README), "run `make reference` after changing components/airflow_aws/settings/"


def test_the_two_commands_exist_and_ci_runs_the_test_command():
    makefile = (REPOSITORY_ROOT / "Makefile").read_text()
    for target in ("plan", "test"):
        assert f"make {target}" in README
        assert re.search(rf"^{target}:", makefile, re.M)
    assert "make test" in (REPOSITORY_ROOT / ".ci" / "run").read_text()


def test_every_component_module_the_readme_names_exists():
    for path in re.findall(r"\(((?:components|functions|program)/[\w/.-]+)\)", README):
        assert (REPOSITORY_ROOT / path).exists(), path



PYTHON_BLOCKS = re.findall(r"```python\n(.*?)```", README, re.S)
PROGRAMS = [block for block in PYTHON_BLOCKS if "import pulumi\n" in block]


@pytest.mark.parametrize("block", PROGRAMS, ids=[f"program{i}" for i in range(len(PROGRAMS))])
def test_the_readmes_programs_run_as_pasted(block, monkeypatch):
    """Each block importing pulumi is a whole program: it runs under the mock engine, exports, and AWS's API model accepts it."""
    monkeypatch.chdir(REPOSITORY_ROOT)  # where a program of this project runs, for its relative folders
    plan = run_component(lambda: exec(compile(block, "README.md", "exec"), {"__name__": "__main__"}))
    assert plan.outputs and all(plan.outputs.values())
    assert violations(plan) == []


def test_the_readmes_test_snippets_pass_with_the_harness():
    """The other blocks show the test harness: they run as tests, with only its names imported."""
    snippets = [block for block in PYTHON_BLOCKS if block not in PROGRAMS]
    assert snippets
    for block in snippets:
        exec(compile(block, "README.md", "exec"), {name: getattr(harness, name) for name in harness.__all__})

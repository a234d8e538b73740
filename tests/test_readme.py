"""The README is the front door: what it says about commands and settings must be what the code has."""

import re

from program.reference import readme_with_reference
from program.settings import REPOSITORY_ROOT

README = (REPOSITORY_ROOT / "README.md").read_text()


def test_settings_reference_is_generated_from_the_settings_models():
    assert README == readme_with_reference(README), "run `make reference` after changing program/settings/"


def test_the_two_commands_exist_and_ci_runs_the_test_command():
    makefile = (REPOSITORY_ROOT / "Makefile").read_text()
    for target in ("plan", "test"):
        assert f"make {target}" in README
        assert re.search(rf"^{target}:", makefile, re.M)
    assert "make test" in (REPOSITORY_ROOT / ".ci" / "run").read_text()


def test_every_component_module_the_readme_names_exists():
    for path in re.findall(r"\(((?:components|functions|program)/[\w/.-]+)\)", README):
        assert (REPOSITORY_ROOT / path).exists(), path

"""`python -m airflow_aws.mwaa_requirements check`: a requirements.txt against what MWAA installs, with pip's resolver.

Tests marked `pypi` ask the real index (pip's cache keeps a second run to seconds); each resolves one or two
small packages."""

from pathlib import Path

import pytest

from airflow_aws.mwaa_requirements.__main__ import main as requirements_command
from airflow_aws.mwaa_requirements.check import Finding, check_requirements
from airflow_aws.mwaa_requirements.image import mwaa_image, downloaded_constraints
from airflow_aws.mwaa_requirements.versions import airflow_version
from program import REPOSITORY_ROOT

IMAGE = mwaa_image("2.10.3")
CONSTRAINT = '--constraint "https://raw.githubusercontent.com/apache/airflow/constraints-2.10.3/constraints-3.11.txt"'


def check(tmp_path: Path, *lines: str) -> dict[str, list[Finding]]:
    """Findings on a requirements.txt of these lines for MWAA's Airflow 2.10.3, by level."""
    (tmp_path / "requirements.txt").write_text("\n".join(lines) + "\n")
    found: dict[str, list[Finding]] = {"PASS": [], "WARN": [], "FAIL": []}
    for finding in check_requirements(tmp_path, IMAGE):
        found[finding.level].append(finding)
    return found


@pytest.mark.pypi
def test_a_package_needing_another_sqlalchemy_than_mwaas_is_refused_naming_both(tmp_path):
    found = check(tmp_path, CONSTRAINT, "sqlmodel==0.0.22")
    [conflict] = found["FAIL"]
    assert conflict.subject == "sqlmodel, sqlalchemy"
    assert "sqlalchemy==1.4.54" in conflict.fix
    assert not found["PASS"]


@pytest.mark.pypi
def test_a_clean_requirements_file_passes_and_says_what_it_installs(tmp_path):
    found = check(tmp_path, CONSTRAINT, "boltons==24.1.0")
    assert not found["FAIL"] and not found["WARN"]
    assert "boltons==24.1.0" in found["PASS"][0].problem


@pytest.mark.pypi
def test_a_package_that_only_ships_source_is_refused_by_name(tmp_path):
    [refused] = check(tmp_path, CONSTRAINT, "docopt==0.6.2")["FAIL"]
    assert refused.subject == "docopt==0.6.2"
    assert "no wheel for MWAA's platform" in refused.problem


@pytest.mark.pypi
def test_a_missing_constraint_line_is_a_warning_with_the_line_to_add(tmp_path):
    [warning] = check(tmp_path, "boltons==24.1.0")["WARN"]
    assert warning.subject == "constraint line"
    assert IMAGE.version.constraints_url in warning.fix


def test_the_constraints_of_another_airflow_version_are_refused(tmp_path):
    other = '--constraint "https://raw.githubusercontent.com/apache/airflow/constraints-2.9.2/constraints-3.11.txt"'
    [refused] = check(tmp_path, other, "boltons==24.1.0")["FAIL"]
    assert "Airflow 2.9.2" in refused.problem and CONSTRAINT.split(" ", 1)[1] in refused.fix


def test_packages_mwaa_already_installs_are_warned_about(tmp_path):
    warnings = check(tmp_path, CONSTRAINT, "apache-airflow-providers-amazon", "SQLAlchemy==1.4.54")["WARN"]
    assert [w.subject for w in warnings] == ["apache-airflow-providers-amazon", "sqlalchemy"]
    assert "pinned to 1.4.54" in warnings[1].problem


def test_an_older_versions_constraints_are_downloaded_once_and_cached(tmp_path):
    urls = []
    fetch = lambda url: urls.append(url) or b"apache-airflow-providers-amazon==8.10.0\n"  # noqa: E731
    for _ in range(2):
        path = downloaded_constraints(airflow_version("2.7.2"), tmp_path, fetch)
    assert urls == ["https://raw.githubusercontent.com/apache/airflow/constraints-2.7.2/constraints-3.11.txt"]
    assert path.read_text() == "apache-airflow-providers-amazon==8.10.0\n"


@pytest.mark.pypi
def test_packages_the_startup_script_installs_are_resolved_apart_from_the_requirements(tmp_path):
    # Seed 001: two packages that cannot be installed together, one in each install.
    (tmp_path / "startup-requirements.txt").write_text(f"{CONSTRAINT}\nboltons==23.1.1\n")
    found = check(tmp_path, CONSTRAINT, "boltons==24.1.0")
    assert not found["FAIL"] and not found["WARN"]
    assert [(f.subject, "boltons==" in f.problem) for f in found["PASS"]] == [
        ("requirements.txt", True), ("startup-requirements.txt", True)]
    assert "boltons==23.1.1" in found["PASS"][1].problem


@pytest.mark.pypi
def test_a_conflict_in_the_startup_scripts_packages_is_refused(tmp_path):
    (tmp_path / "startup-requirements.txt").write_text(f"{CONSTRAINT}\nsqlmodel==0.0.22\n")
    [conflict] = check(tmp_path, CONSTRAINT, "boltons==24.1.0")["FAIL"]
    assert conflict.subject == "sqlmodel, sqlalchemy"


EXAMPLE_PROJECT = REPOSITORY_ROOT / "examples" / "python"


def test_the_command_reads_the_stack_file_and_folder_of_the_project_it_is_given(capsys):
    assert requirements_command(["check", "dev", "--project", str(EXAMPLE_PROJECT)]) == 0
    assert "PASS  requirements.txt  resolves for MWAA's Airflow 2.10.3" in capsys.readouterr().out


def test_the_command_names_the_folder_without_the_stack_file():
    with pytest.raises(SystemExit, match=r"no stack file Pulumi\.prod\.yaml in .*examples/python"):
        requirements_command(["check", "prod", "--project", str(EXAMPLE_PROJECT)])

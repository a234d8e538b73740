"""What a user who installs the package relies on: its version and tag, license, changelog and type information."""

import re
from importlib import metadata
from pathlib import Path

import airflow_aws
from program import REPOSITORY_ROOT

VERSION = metadata.version("airflow-aws")


def test_the_documented_install_line_names_the_tag_of_the_current_version():
    [tag] = re.findall(r'pip install "airflow-aws @ git\+https://github\.com/<org>/airflow-aws@([^"]+)"',
                       (REPOSITORY_ROOT / "docs" / "using-the-package.md").read_text())
    assert tag == f"v{VERSION}"


def test_the_changelog_has_an_entry_for_the_current_version():
    assert re.search(rf"^## {re.escape(VERSION)}$", (REPOSITORY_ROOT / "CHANGELOG.md").read_text(), re.M)


def test_the_package_declares_its_license_and_ships_its_type_information():
    assert metadata.metadata("airflow-aws")["License-Expression"] == "Apache-2.0"
    assert (REPOSITORY_ROOT / "LICENSE").read_text().lstrip().startswith("Apache License")
    assert (Path(airflow_aws.__file__).parent / "py.typed").is_file()
    assert any(r.startswith("typing_extensions") for r in metadata.requires("airflow-aws"))

"""`python -m airflow_aws.mwaa_requirements package`: plugins.zip with MWAA-platform wheels for a stack without internet."""

import zipfile
from pathlib import Path

import pytest

from program.plan import _line
from airflow_aws.mwaa_requirements.image import mwaa_image
from airflow_aws.mwaa_requirements.package import PackagingError, build_zip, package, uncovered_requirements
from airflow_aws.mwaa_requirements.pip_resolver import resolve
from airflow_aws.settings import PROJECT
from tests.harness import plan_stack, setting_errors

IMAGE = mwaa_image("2.10.3")
NO_NAT = {"network.natGateways": "none", "endpoints.enabled": True, "privateAccess.identityProviderCidrs": ["10.0.0.0/8"]}
PLUGINS_KEY = f"{PROJECT}:mwaa.sourceFolder (plugins.zip)"


def source_folder(tmp_path: Path, *requirements: str) -> Path:
    folder = tmp_path / "airflow"
    (folder / "plugins").mkdir(parents=True)
    (folder / "plugins" / "team_operators.py").write_text("VALUE = 1\n")
    (folder / "requirements.txt").write_text("\n".join(requirements) + "\n")
    return folder


@pytest.mark.pypi
def test_the_zip_is_the_same_bytes_every_build_carries_only_what_the_image_lacks_and_installs_offline(tmp_path):
    folder = source_folder(tmp_path, "boltons==24.1.0", "pendulum")  # MWAA's image has pendulum
    offline_runs = []

    def recording(*args, **kwargs):
        resolution = resolve(*args, **kwargs)
        if "--no-index" in kwargs.get("options", ()):
            offline_runs.append(resolution)
        return resolution

    first = package(folder, IMAGE, cache_root=tmp_path / "wheels", resolver=recording)
    first_bytes = first.zip_path.read_bytes()
    second = package(folder, IMAGE, cache_root=tmp_path / "wheels", resolver=recording)
    assert second.zip_path.read_bytes() == first_bytes and first.sha256 == second.sha256
    assert first.wheels == ("boltons-24.1.0-py3-none-any.whl",)
    with zipfile.ZipFile(first.zip_path) as archive:
        assert sorted(archive.namelist()) == ["boltons-24.1.0-py3-none-any.whl", "constraints.txt", "team_operators.py"]
    assert [[p.name for p in r.packages] for r in offline_runs] == [["boltons"], ["boltons"]]
    assert (folder / "requirements.txt").read_text().splitlines()[1:] == [
        "--find-links /usr/local/airflow/plugins", "--no-index",
        "--constraint /usr/local/airflow/plugins/constraints.txt", "boltons==24.1.0", "pendulum"]


@pytest.mark.pypi
def test_a_source_only_package_is_refused_by_name(tmp_path):
    folder = source_folder(tmp_path, "docopt==0.6.2")
    with pytest.raises(PackagingError, match=r"docopt==0\.6\.2: no wheel for MWAA's platform"):
        package(folder, IMAGE, cache_root=tmp_path / "wheels")
    assert not (folder / "plugins.zip").exists()


@pytest.mark.pypi
def test_packages_the_startup_script_installs_ship_apart_and_startup_sh_installs_them(tmp_path):
    # Seed 001: two versions that cannot be installed together, one for requirements.txt, one for startup.sh.
    folder = source_folder(tmp_path, "boltons==24.1.0")
    (folder / "startup-requirements.txt").write_text("boltons==23.1.1\n")
    (folder / "startup.sh").write_text("#!/bin/sh\nexport TEAM=data\n")
    offline = []

    def recording(*args, **kwargs):
        resolution = resolve(*args, **kwargs)
        if "--no-index" in kwargs.get("options", ()):
            offline.append([f"{p.name}=={p.version}" for p in resolution.packages])
        return resolution

    for _ in range(2):  # the startup line is written once
        built = package(folder, IMAGE, cache_root=tmp_path / "wheels", resolver=recording)
    assert built.wheels == ("boltons-23.1.1-py2.py3-none-any.whl", "boltons-24.1.0-py3-none-any.whl")
    assert offline[:2] == [["boltons==24.1.0"], ["boltons==23.1.1"]]
    with zipfile.ZipFile(built.zip_path) as archive:
        shipped = archive.read("startup-requirements.txt").decode().splitlines()
    assert shipped[1:] == ["--find-links /usr/local/airflow/plugins", "--no-index",
                           "--constraint /usr/local/airflow/plugins/constraints.txt", "boltons==23.1.1"]
    script = (folder / "startup.sh").read_text()
    assert script.startswith("#!/bin/sh\nexport TEAM=data\n")
    assert script.count("pip3 install --user -r /usr/local/airflow/plugins/startup-requirements.txt") == 1


def test_a_startup_package_plugins_zip_lacks_counts_as_uncovered(tmp_path):
    folder = source_folder(tmp_path, "boltons==24.1.0")
    (folder / "startup-requirements.txt").write_text("docopt-ng==0.9.0\n")
    (folder / "plugins.zip").write_bytes(build_zip({"boltons-24.1.0-py3-none-any.whl": b""}))
    assert uncovered_requirements(folder, frozenset()) == ["docopt-ng==0.9.0"]


def test_a_private_stack_whose_plugins_zip_carries_its_wheels_passes_the_settings_check():
    errors = setting_errors("sandbox", {**NO_NAT, "mwaa.sourceFolder": "tests/fixtures/wheel_requirements"})
    assert PLUGINS_KEY not in errors


def test_a_private_stack_whose_plugins_zip_lacks_a_wheel_is_refused_naming_it():
    error = setting_errors("sandbox", {**NO_NAT, "mwaa.sourceFolder": "tests/fixtures/uncovered_wheels"})[PLUGINS_KEY]
    assert "boltons==24.1.0" in error.problem
    assert "python -m airflow_aws.mwaa_requirements package" in error.fix


def test_the_plan_lists_the_wheels_plugins_zip_carries():
    plan = plan_stack("sandbox", {**NO_NAT, "mwaa.sourceFolder": "tests/fixtures/wheel_requirements"})
    [upload] = [r for r in plan.of_type("aws:s3/bucketObjectv2:BucketObjectv2") if r.inputs["key"] == "plugins.zip"]
    assert "wheels=boltons-24.1.0-py3-none-any.whl" in _line(upload)

"""Lambda deployment archives: the pip command for the Lambda platform, the install cache, and one
real archive of the sign-in function built from PyPI (installed once into the user cache)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pulumi
import pytest

from airflow_aws import alb_identity, lambda_packages
from airflow_aws.lambda_packages import (LambdaPackagingError, install_command, installed_dependencies,
                                         pip_install_command)


def test_pip_installs_binary_wheels_for_the_lambda_python_and_platform_without_local_byte_code():
    command = pip_install_command(Path("/f/requirements.txt"), Path("/cache/x"), python="/venv/bin/python")

    assert command[:4] == ["/venv/bin/python", "-m", "pip", "install"]
    for option, value in (("--target", "/cache/x"), ("--platform", "manylinux2014_x86_64"),
                          ("--implementation", "cp"), ("--python-version", "3.12"), ("-r", "/f/requirements.txt")):
        assert command[command.index(option) + 1] == value
    assert {"--only-binary=:all:", "--no-compile"} <= set(command)
    assert (lambda_packages.LAMBDA_RUNTIME, lambda_packages.LAMBDA_ARCHITECTURE) == ("python3.12", "x86_64")


def test_without_pip_uv_installs_for_the_same_platform_and_without_pip_or_uv_the_error_says_so(monkeypatch):
    requirements, target = Path("/f/requirements.txt"), Path("/cache/x")
    assert install_command(requirements, target, has_pip=True, uv="/bin/uv")[1:4] == ["-m", "pip", "install"]
    command = install_command(requirements, target, has_pip=False, uv="/bin/uv")
    assert command[:3] == ["/bin/uv", "pip", "install"]
    for option, value in (("--target", "/cache/x"), ("--python-platform", "x86_64-manylinux2014"),
                          ("--python-version", "3.12"), ("--only-binary", ":all:"), ("-r", "/f/requirements.txt")):
        assert command[command.index(option) + 1] == value
    monkeypatch.setattr(lambda_packages.shutil, "which", lambda name: None)
    with pytest.raises(LambdaPackagingError, match="needs pip in this Python .* or uv on the PATH"):
        install_command(requirements, target, has_pip=False)


def test_uv_builds_the_sign_in_functions_dependencies_for_the_lambda_platform(tmp_path):
    """A real install with the uv the test extra ships, as a virtual environment made by uv (no pip) would run it."""
    uv = Path(lambda_packages.sys.executable).parent / "uv"
    requirements = lambda_packages.function_folder("web_login") / "requirements.txt"
    subprocess.run(install_command(requirements, tmp_path, has_pip=False, uv=str(uv)), check=True)
    assert list(tmp_path.glob("cryptography/hazmat/bindings/_rust.abi3.so")) and list(tmp_path.glob("_cffi_backend.cpython-312-x86_64*.so"))
    assert not list(tmp_path.rglob("*.pyc"))


def test_the_cache_key_follows_the_requirements_exactly():
    assert lambda_packages.cache_key(b"PyJWT==2.15.1\n") == lambda_packages.cache_key(b"PyJWT==2.15.1\n")
    assert lambda_packages.cache_key(b"PyJWT==2.15.1\n") != lambda_packages.cache_key(b"PyJWT==2.15.0\n")


class Pip:
    """Stands in for pip: records each install and writes a module into its --target."""

    def __init__(self, returncode: int = 0, before_finishing=None):
        self.installs: list[list[str]] = []
        self.returncode, self.before_finishing = returncode, before_finishing

    def __call__(self, command, **kwargs):
        self.installs.append(command)
        target = Path(command[command.index("--target") + 1])
        (target / "dependency.py").write_text("VALUE = 'ours'\n")
        if self.before_finishing:
            self.before_finishing()
        return subprocess.CompletedProcess(command, self.returncode, "", "ERROR: No matching distribution found")


@pytest.fixture
def requirements(tmp_path) -> Path:
    path = tmp_path / "function" / "requirements.txt"
    path.parent.mkdir()
    path.write_text("dependency==1.0\n")
    return path


def test_an_install_is_reused_while_the_requirements_stay_the_same(requirements, tmp_path):
    pip, cache = Pip(), tmp_path / "cache"

    first = installed_dependencies(requirements, cache, run=pip)
    second = installed_dependencies(requirements, cache, run=pip)
    requirements.write_text("dependency==2.0\n")
    third = installed_dependencies(requirements, cache, run=pip)

    assert first == second != third
    assert len(pip.installs) == 2
    assert (first / "dependency.py").is_file()
    assert sorted(entry.name for entry in cache.iterdir()) == sorted([first.name, third.name])


def test_a_failed_install_leaves_nothing_in_the_cache_and_says_what_failed(requirements, tmp_path):
    cache = tmp_path / "cache"

    with pytest.raises(LambdaPackagingError, match="No matching distribution") as failure:
        installed_dependencies(requirements, cache, run=Pip(returncode=1))

    assert "--platform manylinux2014_x86_64" in str(failure.value)
    assert list(cache.iterdir()) == []
    assert (installed_dependencies(requirements, cache, run=Pip()) / "dependency.py").is_file()


def test_when_another_plan_finishes_the_same_install_first_its_copy_is_used(requirements, tmp_path):
    cache = tmp_path / "cache"
    final = cache / lambda_packages.cache_key(requirements.read_bytes())

    def other_plan_finishes():
        final.mkdir()
        (final / "dependency.py").write_text("VALUE = 'theirs'\n")

    installed = installed_dependencies(requirements, cache, run=Pip(before_finishing=other_plan_finishes))

    assert installed == final
    assert (final / "dependency.py").read_text() == "VALUE = 'theirs'\n"
    assert [entry.name for entry in cache.iterdir()] == [final.name]


def test_the_sign_in_archive_holds_its_code_and_dependencies_built_for_the_lambda_platform():
    archive = lambda_packages.function_archive("web_login")

    assets = archive.assets
    assert isinstance(archive, pulumi.AssetArchive)
    assert isinstance(assets["app.py"], pulumi.FileAsset)
    assert Path(assets["alb_identity.py"].path) == Path(alb_identity.__file__)
    assert Path(assets["app.py"].path) == lambda_packages.function_folder("web_login") / "app.py"
    assert "requirements.txt" not in assets and "bin" not in assets
    jwt = Path(assets["jwt"].path)
    assert isinstance(assets["jwt"], pulumi.FileArchive) and (jwt / "api_jws.py").is_file()
    assert "_cffi_backend.cpython-312-x86_64-linux-gnu.so" in assets
    cryptography = next(name for name in assets if name.startswith("cryptography-") and name.endswith(".dist-info"))
    wheel = Path(assets[cryptography].path) / "WHEEL"
    assert "manylinux2014_x86_64" in wheel.read_text()
    assert not list(jwt.rglob("*.pyc"))


def test_the_sign_in_function_imports_its_shared_module_from_the_archive_root_as_the_lambda_runtime_does(tmp_path):
    archive = lambda_packages.function_archive("web_login")
    for name in ("app.py", "alb_identity.py"):
        (tmp_path / name).write_text(Path(archive.assets[name].path).read_text())
    site = Path(archive.assets["jwt"].path).parent

    # The runtime puts the archive root (and nothing of this checkout) on the path and imports `app`;
    # -B: the dependencies are the shared install cache, which must stay free of local byte code.
    result = subprocess.run(
        [sys.executable, "-I", "-B", "-c", "import sys; sys.path[:0] = sys.argv[1:]; import app; "
                                     "print(app.identify.__module__, app.handler.__module__)",
         str(tmp_path), str(site)],
        cwd=tmp_path, capture_output=True, text=True, check=False)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["alb_identity", "app"]

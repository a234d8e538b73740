"""Lambda deployment archives: a function's code plus its dependencies built for the Lambda runtime.

Dependencies are installed with pip (or, in a virtual environment without pip, uv) for the runtime's
platform (never the machine running Pulumi), once per distinct requirements file, into a cache under the user's cache directory
(`$XDG_CACHE_HOME/airflow-aws/lambda`, by default `~/.cache/airflow-aws/lambda`). That place
works when this package is installed read-only in site-packages, is shared by every checkout,
stack and test run on the machine, and is one folder for CI to keep between runs. An install
goes into a temporary folder that is renamed into place when complete, so two plans running at
once never see half an install; the loser of that race discards its own copy.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable, Optional

import pulumi

from .disk_cache import cache_dir, staged_folder

LAMBDA_RUNTIME = "python3.12"
LAMBDA_ARCHITECTURE = "x86_64"
# pip's view of that runtime: manylinux2014 wheels run on the runtime's Amazon Linux 2023.
PLATFORM_OPTIONS = ("--platform", "manylinux2014_x86_64", "--implementation", "cp", "--python-version", "3.12",
                    "--only-binary=:all:")
# uv's spelling of the same platform (uv compiles no byte code unless asked).
UV_PLATFORM_OPTIONS = ("--python-platform", "x86_64-manylinux2014", "--python-version", "3.12",
                       "--only-binary", ":all:")
REQUIREMENTS = "requirements.txt"
# Modules of this package a function imports as top-level modules beside its app.py: code the
# function shares with other parts of the stack lives once, here, and ships in each archive.
SHARED_MODULES: dict[str, tuple[str, ...]] = {"web_login": ("alb_identity.py",)}
# Installed alongside packages but useless to a function: console scripts.
_NOT_SHIPPED = {"bin", "__pycache__"}


class LambdaPackagingError(RuntimeError):
    """A function's dependencies could not be installed for the Lambda runtime."""


def pip_install_command(requirements: Path, target: Path, python: str = sys.executable) -> list[str]:
    """The pip command that installs a requirements file into `target` for the Lambda runtime.

    `--no-compile`: byte code compiled by the local interpreter would be for its version, not 3.12.
    """
    return [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-compile",
            "--target", str(target), *PLATFORM_OPTIONS, "-r", str(requirements)]


def uv_install_command(requirements: Path, target: Path, uv: str) -> list[str]:
    """The uv command that installs like pip_install_command: for environments made by uv, which have no pip."""
    return [uv, "pip", "install", "--quiet", "--target", str(target), *UV_PLATFORM_OPTIONS, "-r", str(requirements)]


def install_command(requirements: Path, target: Path, has_pip: Optional[bool] = None,
                    uv: Optional[str] = None) -> list[str]:
    """pip's command when this interpreter has pip, else uv's when uv is on the PATH (both looked up unless given)."""
    if has_pip if has_pip is not None else importlib.util.find_spec("pip") is not None:
        return pip_install_command(requirements, target)
    uv = uv or shutil.which("uv")
    if not uv:
        raise LambdaPackagingError(f"installing {requirements} for the Lambda runtime needs pip in this Python "
                                   f"({sys.executable}) or uv on the PATH; install either")
    return uv_install_command(requirements, target, uv)


def cache_key(requirements_text: bytes) -> str:
    """Names an install: changes when the requirements or the target platform change."""
    digest = hashlib.sha256(requirements_text)
    digest.update("\0".join(PLATFORM_OPTIONS).encode())
    return digest.hexdigest()[:32]


def default_cache_root() -> Path:
    return cache_dir("lambda")


def function_folder(name: str) -> Path:
    """The folder of a function shipped in `airflow_aws.functions`, wherever the package is installed."""
    folder = importlib.resources.files("airflow_aws.functions") / name
    if not isinstance(folder, Path) or not folder.is_dir():
        raise LambdaPackagingError(f"no function folder {name!r} in airflow_aws.functions ({folder}); "
                                   "install airflow-aws from a directory or wheel, not a zip")
    return folder


def installed_dependencies(requirements: Path, cache_root: Path,
                           run: Callable[..., subprocess.CompletedProcess] = subprocess.run) -> Path:
    """The folder holding `requirements` installed for the Lambda runtime; installs on first use.

    `run` is `subprocess.run` (a parameter so the caching can be checked without pip).
    """
    installed = cache_root / cache_key(requirements.read_bytes())
    if installed.is_dir():
        return installed
    # Another process may finish the same install first: then its folder is used.
    with staged_folder(installed) as staging:
        command = install_command(requirements, staging)
        result = run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise LambdaPackagingError(
                f"installing {requirements} for the Lambda runtime failed:\n  {' '.join(command)}\n"
                f"{(result.stderr or result.stdout).strip()[-2000:]}\n"
                "pip or uv needs to reach PyPI (or your index via PIP_INDEX_URL or UV_INDEX_URL); a prepared cache folder "
                f"{installed} is used as is.")
    return installed


def function_archive(name: str, cache_root: Optional[Path] = None) -> pulumi.Archive:
    """The deployment package of function `name`: its code files and SHARED_MODULES, plus its
    dependencies when it has a requirements.txt, laid out at the archive root as the Lambda
    runtime imports them."""
    folder = function_folder(name)
    assets: dict[str, pulumi.Asset | pulumi.Archive] = {
        path.name: pulumi.FileAsset(str(path)) for path in sorted(folder.glob("*.py"))}
    for module in SHARED_MODULES.get(name, ()):
        assets[module] = pulumi.FileAsset(str(Path(__file__).with_name(module)))
    requirements = folder / REQUIREMENTS
    if requirements.is_file():
        site = installed_dependencies(requirements, cache_root or default_cache_root())
        for entry in sorted(site.iterdir()):
            if entry.name in _NOT_SHIPPED:
                continue
            if entry.name in assets:
                raise LambdaPackagingError(f"{folder / entry.name} has the name of a dependency of {name}; rename it")
            assets[entry.name] = pulumi.FileArchive(str(entry)) if entry.is_dir() else pulumi.FileAsset(str(entry))
    return pulumi.AssetArchive(assets)

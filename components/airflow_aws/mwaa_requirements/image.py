"""What MWAA's image installs for an Airflow version: the Airflow constraints, MWAA's essential pins and the
packages the image installs itself.

The data of the versions in mwaa_images/ ships with this package. For an older version only the upstream
constraints file is known: it is downloaded once by its URL pattern and cached under the user's cache
directory (`$XDG_CACHE_HOME/airflow-aws/constraints`, by default `~/.cache/airflow-aws/constraints`).
"""

import os
import re
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from airflow_aws.disk_cache import cache_dir

from .versions import AirflowVersion, airflow_version

# The image script lists its packages inside `REQUIRED_PACKAGES=( ... )`, quoted or not, with extras and pins.
_PACKAGE_LIST = re.compile(r"REQUIRED_PACKAGES=\((.*?)\)", re.S)
_PACKAGE_NAME = re.compile(r"^[\"']?([A-Za-z0-9][A-Za-z0-9._-]*)")


class ImageDataError(RuntimeError):
    """MWAA's constraints for a version could not be had."""


@dataclass(frozen=True)
class MwaaImage:
    """One Airflow version's MWAA image, as far as its Python packages go."""

    version: AirflowVersion
    """The row of the versions table."""
    constraints: Path
    """The Apache Airflow constraints file MWAA installs with (shipped, or downloaded and cached)."""
    essential: Optional[Path]
    """MWAA's essential pins, which a user's requirements cannot override; None where MWAA's repository has none."""
    pins: dict[str, str]
    """Canonical package name -> the version the constraints and essential pins fix (essential pins win)."""
    provided: frozenset[str]
    """Canonical names of the packages the image installs itself (a user's requirements need not list them)."""

    @property
    def constraint_files(self) -> list[Path]:
        return [self.constraints, *([self.essential] if self.essential else [])]


def pinned_versions(text: str) -> dict[str, str]:
    """`name==version` lines of a constraints file, by canonical name (comments and other lines are skipped)."""
    pins: dict[str, str] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        try:
            requirement = Requirement(line)
        except InvalidRequirement:
            continue
        exact = [s.version for s in requirement.specifier if s.operator == "=="]
        if exact:
            pins[canonicalize_name(requirement.name)] = exact[0]
    return pins


def image_packages(script_text: str) -> set[str]:
    """Canonical names of the packages in the image's install script."""
    found = _PACKAGE_LIST.search(script_text)
    entries = found.group(1).split() if found else []
    return {canonicalize_name(m.group(1)) for m in map(_PACKAGE_NAME.match, entries) if m}


def default_cache_root() -> Path:
    return cache_dir("constraints")


def _download(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (a fixed https URL pattern)
        return response.read()


def downloaded_constraints(version: AirflowVersion, cache_root: Path, fetch: Callable[[str], bytes]) -> Path:
    """The upstream constraints file of a version without image data, downloaded on first use."""
    cached = cache_root / f"constraints-{version.airflow}-python{version.python}.txt"
    if cached.is_file():
        return cached
    try:
        body = fetch(version.constraints_url)
    except OSError as error:
        raise ImageDataError(f"could not download the Airflow {version.airflow} constraints from "
                             f"{version.constraints_url} ({error}); download it yourself and save it as {cached}") from error
    cache_root.mkdir(parents=True, exist_ok=True)
    staging = cached.with_suffix(f".{os.getpid()}.tmp")
    staging.write_bytes(body)
    staging.replace(cached)  # atomic: a concurrent check never reads half a file
    return cached


def mwaa_image(airflow: str, cache_root: Optional[Path] = None, fetch: Callable[[str], bytes] = _download) -> MwaaImage:
    """The image of an Airflow version of the versions table."""
    version = airflow_version(airflow)
    folder = version.image_folder
    if not version.has_image_data:
        constraints = downloaded_constraints(version, cache_root or default_cache_root(), fetch)
        return MwaaImage(version, constraints, None, pinned_versions(constraints.read_text()),
                         frozenset({"apache-airflow"}))
    essential = folder / "mwaa_essential_constraints.txt"
    constraints = folder / "airflow_constraints.txt"
    pins = {**pinned_versions(constraints.read_text()), **pinned_versions(essential.read_text())}
    provided = image_packages((folder / "image_packages.txt").read_text()) | set(pinned_versions(essential.read_text()))
    return MwaaImage(version, constraints, essential, pins, frozenset(provided))

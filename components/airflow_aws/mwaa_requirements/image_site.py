"""An empty Python environment that holds, as far as pip can tell, exactly what MWAA's image has installed.

Each package of mwaa_images/<version>/installed_packages.json becomes a metadata-only `.dist-info` folder in a
virtual environment without pip. pip run with `--python` on that environment then resolves a user's
requirements the way MWAA's `pip install` in the image does: what the image has satisfies a requirement as
installed (no wheel needed, even where the image built it from source), and only what is missing or must
change is fetched. The environment is made once per image data and cached like the constraints files.
"""

import hashlib
import json
import venv
from pathlib import Path
from typing import Optional

from packaging.utils import canonicalize_name

from airflow_aws.disk_cache import staged_folder

from .image import MwaaImage, default_cache_root
from .versions import AirflowVersion

INSTALLED = "installed_packages.json"


def installed_packages(version: AirflowVersion) -> Optional[dict[str, dict]]:
    """Name -> {version, requires_dist} of what the image installs; None for a version without that data."""
    path = version.image_folder / INSTALLED
    return json.loads(path.read_text()) if path.is_file() else None


def installed_names(version: AirflowVersion) -> frozenset[str]:
    """Canonical names of what the image installs (just Airflow for a version without installed data)."""
    packages = installed_packages(version)
    return frozenset(map(canonicalize_name, packages)) if packages is not None else frozenset({"apache-airflow"})


def _metadata(name: str, version: str, requires_dist: list[str]) -> str:
    lines = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}",
             *(f"Requires-Dist: {requirement}" for requirement in requires_dist)]
    return "\n".join(lines) + "\n"


def _site_packages(environment: Path) -> Path:
    return next(environment.glob("lib/python3*/site-packages"))


def image_python(image: MwaaImage, cache_root: Optional[Path] = None) -> Optional[Path]:
    """The interpreter of a cached environment mirroring the image's packages; None without installed data."""
    packages = installed_packages(image.version)
    if packages is None:
        return None
    digest = hashlib.sha256(json.dumps(packages, sort_keys=True).encode()).hexdigest()[:16]
    root = (cache_root or default_cache_root().parent / "mwaa-site")
    environment = root / f"{image.version.airflow}-{digest}"
    python = environment / "bin" / "python"
    if python.exists():
        return python
    with staged_folder(environment) as staging:
        venv.EnvBuilder(with_pip=False, symlinks=True).create(staging)
        site = _site_packages(staging)
        for name, package in packages.items():
            info = site / f"{canonicalize_name(name).replace('-', '_')}-{package['version']}.dist-info"
            info.mkdir()
            (info / "METADATA").write_text(_metadata(name, package["version"], package["requires_dist"]))
            (info / "INSTALLER").write_text("mwaa-image\n")
    return python

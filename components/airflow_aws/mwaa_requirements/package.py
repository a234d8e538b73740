"""Build plugins.zip for an MWAA environment without internet: the user's plugins plus a wheel for every
package the requirements need that MWAA's image does not already have, for exactly MWAA's platform.

The zip is byte-for-byte reproducible (entries sorted, fixed dates and permissions), so the same inputs give
the same S3 object and no environment update. requirements.txt keeps the user's requirement lines; `package`
rewrites only its option lines so that MWAA installs from the zip: `--find-links /usr/local/airflow/plugins`,
`--no-index` and the copy of the Airflow constraints the zip carries. Before it writes anything, an offline
`pip install --dry-run` from the built zip must resolve for MWAA's platform against the image's packages.
"""

import hashlib
import io
import os
import tempfile
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from packaging.utils import canonicalize_name, parse_wheel_filename

from .check import PLUGINS_FOLDER, STARTUP_REQUIREMENTS, read_requirements, requirement_name
from .image import MwaaImage, default_cache_root
from .image_site import image_python
from .pip_resolver import Resolution, Resolved, resolve

SHIPPED_CONSTRAINTS = "constraints.txt"
OPTION_LINES = (f"--find-links {PLUGINS_FOLDER}", "--no-index", f"--constraint {PLUGINS_FOLDER}/{SHIPPED_CONSTRAINTS}")
# The line startup.sh needs for packages the user declared in startup-requirements.txt (seed 001): the zip carries
# that file with the same offline options as requirements.txt.
STARTUP_INSTALL = f"pip3 install --user -r {PLUGINS_FOLDER}/{STARTUP_REQUIREMENTS}"
HEADER = "# Options written by `python -m airflow_aws.mwaa_requirements package`; edit only the requirement lines.\n"
# 1980-01-01, the earliest date a zip entry can hold: every build writes the same bytes.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


class PackagingError(RuntimeError):
    """plugins.zip cannot be built; the message names the package and what to do."""


@dataclass(frozen=True)
class Package:
    """What `package` built."""

    zip_path: Path
    wheels: tuple[str, ...]
    """File names of the wheels in the zip."""
    sha256: str
    """Of the zip's bytes."""


def _download(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 (the wheel URL pip chose)
        return response.read()


def wheel_file(package: Resolved, cache_root: Path, fetch: Callable[[str], bytes] = _download) -> Path:
    """The wheel pip chose, downloaded once into the cache and checked against the index's hash."""
    name = package.url.rsplit("/", 1)[-1].split("#", 1)[0]
    cached = cache_root / name
    if not cached.is_file():
        body = fetch(package.url)
        if package.sha256 and hashlib.sha256(body).hexdigest() != package.sha256:
            raise PackagingError(f"{name} downloaded from {package.url} does not match the index's SHA-256; try again")
        cache_root.mkdir(parents=True, exist_ok=True)
        staging = cached.with_suffix(f".{os.getpid()}.tmp")
        staging.write_bytes(body)
        staging.replace(cached)
    return cached


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def build_zip(files: dict[str, bytes]) -> bytes:
    """A zip of `{name: bytes}` whose bytes depend on nothing but the names and contents."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            archive.writestr(_entry(name), files[name], compresslevel=9)
    return buffer.getvalue()


def user_plugins(folder: Path) -> dict[str, bytes]:
    """The user's own plugins: every file under `folder`/plugins, by its path inside that folder."""
    plugins = folder / "plugins"
    if not plugins.is_dir():
        return {}
    return {path.relative_to(plugins).as_posix(): path.read_bytes() for path in plugins.rglob("*")
            if path.is_file() and "__pycache__" not in path.parts}


def private_requirements(requirement_lines: tuple[str, ...]) -> str:
    """requirements.txt that installs only from the zip MWAA unpacks into its plugins folder."""
    return HEADER + "".join(f"{line}\n" for line in (*OPTION_LINES, *requirement_lines))


def _refuse(resolution: Resolution, image: MwaaImage, when: str) -> None:
    if resolution.ok:
        return
    missing = [requirement for requirement, _ in resolution.unavailable]
    if missing:
        raise PackagingError(f"{', '.join(missing)}: no wheel for MWAA's platform (x86_64 manylinux, CPython "
                             f"{image.version.python}) {when}; a package that only ships a source distribution "
                             "cannot go into plugins.zip: choose a version or package with such a wheel")
    raise PackagingError(f"the requirements do not resolve {when}: " + "; ".join(resolution.conflict or (resolution.output,))
                         + "\nrun `python -m airflow_aws.mwaa_requirements check STACK` for what to change")


def _installs(folder: Path) -> dict[str, tuple[str, ...]]:
    """File name -> requirement lines of each separate install: requirements.txt, and the startup script's when
    the user declared them in startup-requirements.txt."""
    files = ("requirements.txt", STARTUP_REQUIREMENTS)
    return {name: read_requirements((folder / name).read_text()).requirements for name in files
            if name == "requirements.txt" or (folder / name).is_file()}


def _add_startup_install(folder: Path) -> None:
    """Append the install line to startup.sh (created when missing) unless it is there."""
    script = folder / "startup.sh"
    text = script.read_text() if script.is_file() else "#!/bin/sh\n"
    if STARTUP_INSTALL not in text:
        script.write_text(text + ("" if text.endswith("\n") else "\n") +
                          f"# Written by `python -m airflow_aws.mwaa_requirements package`: the packages of {STARTUP_REQUIREMENTS}.\n"
                          f"{STARTUP_INSTALL}\n")


def package(folder: Path, image: MwaaImage, cache_root: Optional[Path] = None,
            resolver: Callable[..., Resolution] = resolve) -> Package:
    """Build `folder`/plugins.zip and rewrite `folder`/requirements.txt's options to install from it; with a
    startup-requirements.txt, the zip carries its wheels and its offline copy too, and startup.sh installs it."""
    installs = _installs(folder)
    constraints = [image.constraints, *([image.essential] if image.essential else [])]
    installed = image_python(image)
    wheels: dict[str, Path] = {}
    for name, requirements in installs.items():
        # Each install resolves on its own: their packages may not go together (seed 001).
        resolution = resolver(requirements, constraints, image.version.python, installed=installed)
        _refuse(resolution, image, f"from the index ({name})")
        wheels.update({p.url.rsplit("/", 1)[-1]: wheel_file(p, cache_root or default_cache_root().parent / "wheels")
                       for p in resolution.packages})
    files = {**user_plugins(folder), SHIPPED_CONSTRAINTS: image.constraints.read_bytes(),
             **{name: path.read_bytes() for name, path in wheels.items()}}
    if STARTUP_REQUIREMENTS in installs:
        files[STARTUP_REQUIREMENTS] = private_requirements(installs[STARTUP_REQUIREMENTS]).encode()
    body = build_zip(files)
    with tempfile.TemporaryDirectory(prefix="airflow-aws-plugins-") as work:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            archive.extractall(work)
        for name, requirements in installs.items():
            offline = resolver(requirements, [Path(work) / SHIPPED_CONSTRAINTS, *constraints[1:]], image.version.python,
                               installed=installed, options=["--no-index", "--find-links", work])
            _refuse(offline, image, f"offline from the built plugins.zip ({name})")
    zip_path = folder / "plugins.zip"
    zip_path.write_bytes(body)
    (folder / "requirements.txt").write_text(private_requirements(installs["requirements.txt"]))
    if STARTUP_REQUIREMENTS in installs:
        _add_startup_install(folder)
    return Package(zip_path, tuple(sorted(wheels)), hashlib.sha256(body).hexdigest())


def zip_wheels(zip_path: Path) -> list[str]:
    """File names of the wheels a plugins.zip carries (empty when there is no such file)."""
    if not zip_path.is_file():
        return []
    with zipfile.ZipFile(zip_path) as archive:
        return sorted(name for name in archive.namelist() if name.endswith(".whl"))


def uncovered_requirements(folder: Path, installed: frozenset[str]) -> list[str]:
    """Requirement lines of `folder`/requirements.txt and startup-requirements.txt that neither a wheel in
    `folder`/plugins.zip nor the image's `installed` packages (canonical names) provide. Reads files only: the settings check runs it offline."""
    shipped = {canonicalize_name(parse_wheel_filename(name)[0]) for name in zip_wheels(folder / "plugins.zip")}
    return [line for requirements in _installs(folder).values() for line in requirements
            if requirement_name(line) not in shipped | installed]

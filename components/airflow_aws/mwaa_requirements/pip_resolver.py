"""pip's own resolver, run for MWAA's platform: `pip install --dry-run --report` with the target's tags.

Nothing is installed. pip answers with the packages it would install (its JSON report) or with why it cannot
(ResolutionImpossible and its "conflict is caused by" lines, or a requirement no wheel satisfies). pip's HTTP
cache keeps a second run with the same requirements to seconds.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional, Sequence

# MWAA runs on Amazon Linux 2023 (glibc 2.34) on x86_64. pip does not widen a given manylinux tag to older
# glibc versions, so every tag such a system accepts is listed, newest first.
MWAA_PLATFORMS = (*(f"manylinux_2_{glibc}_x86_64" for glibc in range(34, 16, -1)),
                  "manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64")
_CONFLICT = re.compile(r"The conflict is caused by:\n(.*?)\n\s*\n", re.S)
_REQUESTED = re.compile(r"^The user requested (\(constraint\) )?")
_NO_VERSION = re.compile(r"Could not find a version that satisfies the requirement (\S+)(?: \(from [^)]*\))* "
                         r"\(from versions: ([^)]*)\)")


def platform_options(python: str) -> list[str]:
    """pip options that make it choose wheels for MWAA's image with CPython `python` (major.minor)."""
    options = [option for tag in MWAA_PLATFORMS for option in ("--platform", tag)]
    return [*options, "--implementation", "cp", "--python-version", python, "--only-binary=:all:"]


@dataclass(frozen=True)
class Resolved:
    """One package pip would install."""

    name: str
    """Its name as the package's metadata spells it."""
    version: str
    requested: bool
    """True when the requirements named it; False for a dependency pip added."""
    url: str
    """The wheel pip chose."""
    sha256: str
    """The wheel's SHA-256 as the index published it (empty when the index gave none)."""


@dataclass(frozen=True)
class Resolution:
    """pip's answer."""

    packages: tuple[Resolved, ...]
    """What pip would install; empty when it could not resolve."""
    conflict: tuple[str, ...]
    """pip's lines naming what conflicts ("X 1.0 depends on Y>=2", "The user requested (constraint) Y==1.4")."""
    unavailable: tuple[tuple[str, str], ...]
    """(requirement, versions pip found) for requirements no wheel for the platform satisfies."""
    output: str
    """The end of pip's output, for anything else that went wrong."""

    @property
    def ok(self) -> bool:
        return not self.conflict and not self.unavailable and not self.output


def pip_environment() -> dict[str, str]:
    """The environment pip runs in: the user's index settings (PIP_INDEX_URL...) count, but no pip configuration
    file does, since a machine-wide constraint or find-links there would change what MWAA would install."""
    return {**os.environ, "PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def resolve(requirement_lines: Sequence[str], constraints: Sequence[Path], python: str, *,
            installed: Optional[Path] = None, options: Sequence[str] = (),
            run: Callable[..., subprocess.CompletedProcess] = subprocess.run) -> Resolution:
    """Resolve requirements under constraints for MWAA's platform with CPython `python`.

    `installed` is the interpreter of an environment whose packages count as installed (image_site); without
    it nothing is. `options` are further pip options (`--no-index`, `--find-links DIR`); `run` is
    `subprocess.run`."""
    with tempfile.TemporaryDirectory(prefix="airflow-aws-resolve-") as work:
        folder = Path(work)
        requirements = folder / "requirements.txt"
        requirements.write_text("".join(f"{line}\n" for line in requirement_lines))
        report = folder / "report.json"
        where = ["--python", str(installed)] if installed else []
        fresh = [] if installed else ["--ignore-installed", "--target", str(folder / "target")]
        command = [sys.executable, "-m", "pip", *where, "install", "--dry-run", *fresh, "--no-color",
                   "--report", str(report), *platform_options(python),
                   *options, "-r", str(requirements), *(arg for path in constraints for arg in ("-c", str(path)))]
        result = run(command, capture_output=True, text=True, check=False, env=pip_environment())
        output = f"{result.stdout}\n{result.stderr}"
        if result.returncode == 0 and report.is_file():
            installs = json.loads(report.read_text())["install"]
            return Resolution(tuple(Resolved(i["metadata"]["name"], i["metadata"]["version"], i["requested"],
                                             i["download_info"]["url"],
                                             i["download_info"].get("archive_info", {}).get("hashes", {}).get("sha256", ""))
                                    for i in installs), (), (), "")
    found = _CONFLICT.search(output)
    conflict = tuple(line.strip() for line in found.group(1).splitlines() if line.strip()) if found else ()
    unavailable = _NO_VERSION.findall(output)
    # pip words "no wheel of the one version every line allows" as a conflict of identical requests.
    if conflict and len({_REQUESTED.sub("", line) for line in conflict}) == 1 and _REQUESTED.match(conflict[0]):
        unavailable, conflict = [(_REQUESTED.sub("", conflict[0]), "none")], ()
    return Resolution((), conflict, tuple(unavailable),
                      "" if conflict or unavailable else output.strip()[-2000:])

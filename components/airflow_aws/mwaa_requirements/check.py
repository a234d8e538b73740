"""Check an MWAA requirements.txt against what MWAA installs for the stack's Airflow version.

pip resolves the requirements for MWAA's platform and CPython under the constraints MWAA applies: the Airflow
constraints file (the one the file names, else the one MWAA adds itself) and MWAA's essential pins, which win
over anything a user writes. Each finding says what to change.
"""

import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from ..findings import Finding
from .image import MwaaImage
from .image_site import image_python
from .pip_resolver import Resolution, resolve

# Where MWAA unpacks plugins.zip: a constraints file shipped there is the copy `package` writes of the image's.
PLUGINS_FOLDER = "/usr/local/airflow/plugins"
# Packages the startup script installs (`pip3 install --user -r ...` in startup.sh), declared by the user so that
# check and package treat them as a second, separate install (seed 001).
STARTUP_REQUIREMENTS = "startup-requirements.txt"
_AIRFLOW_CONSTRAINTS = re.compile(r"constraints-(\d+(?:\.\d+)+)/constraints-(\d+\.\d+)\.txt$")
_CONFLICT_NAME = re.compile(r"^(?:The user requested (?:\(constraint\) )?)?([A-Za-z0-9][A-Za-z0-9._-]*)")


@dataclass(frozen=True)
class RequirementsFile:
    """A requirements.txt split the way pip reads it (one option or requirement per line)."""

    requirements: tuple[str, ...]
    """Requirement lines as written, without comments."""
    constraints: tuple[str, ...]
    """Targets of `-c` / `--constraint` lines."""
    options: tuple[str, ...]
    """Every other option line (`--find-links ...`, `--no-index`)."""


def read_requirements(text: str) -> RequirementsFile:
    requirements, constraints, options = [], [], []
    for raw in text.splitlines():
        line = re.sub(r"(^|\s)#.*$", "", raw).strip()
        if not line:
            continue
        if not line.startswith("-"):
            requirements.append(line)
            continue
        words = shlex.split(line.replace("=", " ", 1) if line.startswith("--") else line)
        if words[0] in ("-c", "--constraint") and len(words) > 1:
            constraints.append(words[1])
        else:
            options.append(line)
    return RequirementsFile(tuple(requirements), tuple(constraints), tuple(options))


def requirement_name(line: str) -> Optional[str]:
    try:
        return canonicalize_name(Requirement(line).name)
    except InvalidRequirement:
        return None


def _constraint_findings(declared: tuple[str, ...], image: MwaaImage, folder: Path) -> tuple[list[Finding], list[Path]]:
    """Findings on the file's constraint lines and the constraint files pip must use besides MWAA's essential pins."""
    version = image.version
    line = f"--constraint \"{version.constraints_url}\""
    if not declared:
        return [Finding("WARN", "constraint line", "requirements.txt has no --constraint line, so MWAA adds the "
                        f"Airflow {version.airflow} constraints itself", f"add `{line}` as its first line, so pip "
                        "here and MWAA resolve the same way")], [image.constraints]
    findings: list[Finding] = []
    files: list[Path] = []
    for target in declared:
        named = _AIRFLOW_CONSTRAINTS.search(target)
        if target == version.constraints_url or target == f"{PLUGINS_FOLDER}/constraints.txt":
            files.append(image.constraints)
        elif named:
            findings.append(Finding("FAIL", "constraint line", f"{target} are the constraints of Airflow {named.group(1)} "
                                    f"on Python {named.group(2)}, but the stack runs Airflow {version.airflow} on "
                                    f"Python {version.python}", f"replace it with `{line}`"))
        elif "://" in target:
            findings.append(Finding("FAIL", "constraint line", f"{target} is not a file this check can read offline",
                                    f"use `{line}` or a file in the source folder"))
        else:
            files.append(folder / target)
    return findings, files


def _conflict_finding(resolution: Resolution, image: MwaaImage) -> list[Finding]:
    findings = []
    if resolution.conflict:
        names = list(dict.fromkeys(canonicalize_name(m.group(1)) for m in map(_CONFLICT_NAME.match, resolution.conflict) if m))
        pinned = [f"{name}=={image.pins[name]}" for name in names if name in image.pins]
        fix = (f"keep what MWAA installs ({', '.join(pinned)}) and choose versions of the others that accept it"
               if pinned else "choose versions that accept each other")
        findings.append(Finding("FAIL", ", ".join(names), "cannot be installed together on MWAA's Airflow "
                                f"{image.version.airflow}: " + "; ".join(resolution.conflict), fix))
    for requirement, versions in resolution.unavailable:
        findings.append(Finding("FAIL", requirement, f"has no wheel for MWAA's platform (x86_64 manylinux, CPython "
                                f"{image.version.python}); versions with one: {versions}",
                                "choose a version with such a wheel, or a package that publishes one "
                                "(a source-only package cannot be checked or shipped in plugins.zip)"))
    if resolution.output:
        findings.append(Finding("FAIL", "requirements.txt", f"pip could not resolve it: {resolution.output}",
                                "fix the line pip names above (pip needs PyPI, or your index through PIP_INDEX_URL)"))
    return findings


def _check_file(path: Path, image: MwaaImage, resolver: Callable[..., Resolution]) -> list[Finding]:
    """Findings on one requirements file, resolved on its own against MWAA's image; a PASS line when it resolves."""
    parsed = read_requirements(path.read_text())
    findings, constraint_files = _constraint_findings(parsed.constraints, image, path.parent)
    for line in parsed.requirements:
        name = requirement_name(line)
        if name is None:
            findings.append(Finding("FAIL", line, "is not a requirement pip understands", "write it like name==1.2.3"))
        elif name in image.provided:
            pin = f" (pinned to {image.pins[name]})" if name in image.pins else ""
            findings.append(Finding("WARN", name, f"is already installed by MWAA's image{pin}",
                                    f"remove it from {path.name}: fewer requirements, faster and safer updates"))
    if any(f.level == "FAIL" for f in findings):
        return findings
    # Against the index even in private mode: what plugins.zip must carry is `package`'s question.
    resolution = resolver(parsed.requirements, [*constraint_files, *([image.essential] if image.essential else [])],
                          image.version.python, installed=image_python(image))
    findings.extend(_conflict_finding(resolution, image))
    if resolution.ok:
        findings.append(Finding("PASS", path.name, f"resolves for MWAA's Airflow {image.version.airflow} "
                                f"(CPython {image.version.python}, x86_64): " +
                                ", ".join(f"{p.name}=={p.version}" for p in resolution.packages), ""))
    return findings


def check_requirements(folder: Path, image: MwaaImage, resolver: Callable[..., Resolution] = resolve) -> list[Finding]:
    """Findings on `folder`/requirements.txt and, when the user declares packages the startup script installs,
    `folder`/startup-requirements.txt. Each is resolved on its own (seed 001: two packages that cannot be
    installed together, one in each); MWAA's image is the base of both."""
    path = folder / "requirements.txt"
    findings = (_check_file(path, image, resolver) if path.is_file() else
                [Finding("PASS", "requirements.txt", f"{path} does not exist: MWAA installs nothing more", "")])
    startup = folder / STARTUP_REQUIREMENTS
    return findings + (_check_file(startup, image, resolver) if startup.is_file() else [])

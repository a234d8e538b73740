"""Maintainers' step when MWAA adds an Airflow version: record which packages its image ends up with.

    python -m airflow_aws.mwaa_requirements.image_data 3.0.6 [--python /path/to/python3.12]

MWAA's install script names only the image's top-level packages; pip resolves them (under the Airflow
constraints and MWAA's essential pins) into the full set the image holds. That resolution is done here once,
with an interpreter of the image's Python version, and kept as mwaa_images/<version>/installed_packages.json:
name, version and dependencies of each package. It runs pip without a target platform because several pinned
packages of the image only publish source distributions (built inside the image), whose metadata pip prepares
locally. psycopg2 and pycurl need PostgreSQL and curl headers for that and depend on nothing: they are recorded
from their pins where the constraints pin them.
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from .image import image_packages, mwaa_image
from .image_site import INSTALLED
from .pip_resolver import pip_environment

# Image packages whose metadata needs system headers to build; neither has dependencies.
BUILT_WITH_SYSTEM_LIBRARIES = ("psycopg2", "pycurl")


def image_roots(script_text: str, airflow: str) -> list[str]:
    """The install script's package list as pip requirements (the shell variable filled in)."""
    block = script_text.split("REQUIRED_PACKAGES=(", 1)[1].split(")", 1)[0]
    entries = [word.strip("\"'").replace("${AIRFLOW_VERSION}", airflow) for word in block.split()]
    return [entry for entry in entries if entry.split("[")[0] not in BUILT_WITH_SYSTEM_LIBRARIES]


def record_installed(airflow: str, python: str) -> Path:
    image = mwaa_image(airflow)
    folder = image.version.image_folder
    roots = image_roots((folder / "image_packages.txt").read_text(), airflow)
    with tempfile.TemporaryDirectory() as work:
        requirements, report = Path(work) / "roots.txt", Path(work) / "report.json"
        requirements.write_text("\n".join(roots) + "\n")
        command = [python, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet", "--report", str(report),
                   "-r", str(requirements), *(a for path in image.constraint_files for a in ("-c", str(path)))]
        subprocess.run(command, check=True, env=pip_environment())
        installed = {i["metadata"]["name"]: {"version": i["metadata"]["version"],
                                              "requires_dist": i["metadata"].get("requires_dist", [])}
                     for i in json.loads(report.read_text())["install"]}
    for name in BUILT_WITH_SYSTEM_LIBRARIES:
        # Unpinned ones (psycopg2 is not in Airflow's constraints) are left out: no version can be claimed.
        if name in image_packages((folder / "image_packages.txt").read_text()) and name in image.pins:
            installed[name] = {"version": image.pins[name], "requires_dist": []}
    target = folder / INSTALLED
    target.write_text(json.dumps(dict(sorted(installed.items(), key=lambda kv: kv[0].lower())), indent=1) + "\n")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("airflow")
    parser.add_argument("--python", default=sys.executable, help="an interpreter of the image's Python major.minor")
    args = parser.parse_args()
    print(record_installed(args.airflow, args.python))


if __name__ == "__main__":
    main()

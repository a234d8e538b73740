"""python -m airflow_aws.mwaa_requirements check STACK [--json] [--project DIR]
python -m airflow_aws.mwaa_requirements package STACK [--project DIR]

check: checks the stack's MWAA requirements.txt (and startup-requirements.txt, packages startup.sh installs) against
MWAA's image for the stack's Airflow version and prints one line per finding (PASS, WARN, FAIL) with what to change.
Exits 1 on a FAIL, 2 on invalid settings.
package: builds the source folder's plugins.zip with wheels for MWAA's platform (for a stack without internet)
and points requirements.txt (and startup.sh) at it; exits 1 when a package cannot be shipped.
Both read Pulumi.STACK.yaml in the Pulumi project's folder (DIR, default the working folder).
"""

import argparse
import sys
from pathlib import Path
from typing import Optional

from ..findings import exit_status, render
from ..settings import PROJECT, InvalidSettings, MwaaSettings, engine_config, parse, stack_file_values
from .check import check_requirements
from .image import ImageDataError, mwaa_image
from .package import PackagingError, package


# What `package` exists to fix: a stack without internet whose plugins.zip does not carry its requirements yet.
_PACKAGED_FILES = ("(requirements.txt)", "(plugins.zip)")


def stack_source(project_root: Path, stack: str) -> tuple[Path, str]:
    """The stack's MWAA source folder and Airflow version, from its validated settings."""
    path = project_root / f"Pulumi.{stack}.yaml"
    if not path.is_file():
        raise SystemExit(f"no stack file {path.name} in {project_root}: run this in your Pulumi project's folder "
                         "(or give --project) and name one of its stacks")
    values = stack_file_values(path)
    try:
        project = parse(stack, engine_config(values), project_root).project
    except InvalidSettings as error:
        if not all(e.key.endswith(_PACKAGED_FILES) for e in error.errors):
            raise
        # Every other setting is valid; the MWAA group itself validated too, or it would have an error.
        mwaa = MwaaSettings.model_validate(values.get(f"{PROJECT}:mwaa", {}))
        return project_root / mwaa.source_folder, mwaa.airflow_version
    if project.platform != "mwaa":
        raise SystemExit(f"stack {stack!r} runs Airflow on {project.platform}: its dependencies go into its image")
    return project_root / project.mwaa.source_folder, project.mwaa.airflow_version


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m airflow_aws.mwaa_requirements",
                                     description=(__doc__ or "").split("\n\n")[1])
    parser.add_argument("command", choices=["check", "package"])
    parser.add_argument("stack")
    parser.add_argument("--project", type=Path, default=Path.cwd(), help="the Pulumi project's folder")
    parser.add_argument("--json", action="store_true", help="print the findings as JSON")
    args = parser.parse_args(argv)
    try:
        folder, airflow = stack_source(args.project.resolve(), args.stack)
        image = mwaa_image(airflow)
        if args.command == "package":
            built = package(folder, image)
            print(f"{built.zip_path} (sha256 {built.sha256}): {len(built.wheels)} wheels\n  " + "\n  ".join(built.wheels))
            return 0
        findings = check_requirements(folder, image)
    except (InvalidSettings, ImageDataError) as error:
        print(error, file=sys.stderr)
        return 2
    except PackagingError as error:
        print(error, file=sys.stderr)
        return 1
    print(render(findings, args.json))
    return exit_status(findings)


if __name__ == "__main__":
    sys.exit(main())

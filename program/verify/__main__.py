"""python -m program.verify STACK [--after] [--json]

Read-only checks with the deploying credentials (the usual AWS_PROFILE / AWS_REGION): before deploy by default,
or of the deployed environment with --after. Prints PASS / WARN / FAIL with a fix per line; exits 1 on a FAIL.
"""

import argparse
import sys
from typing import Optional

import boto3

from airflow_aws.findings import Finding, exit_status, render
from airflow_aws.settings import InvalidSettings, Settings

from ..stacks import stack_settings
from . import after_deploy, before_deploy


def run_checks(session: boto3.Session, settings: Settings, after: bool) -> list[Finding]:
    """Every check of one phase that applies to the stack, in order. Before deploy, a wrong account or Region
    ends the run: every further answer would describe another place than the one the stack deploys to."""
    if after:
        return [line for check in after_deploy.CHECKS if (line := check(session, settings)) is not None]
    first = before_deploy.account_and_region(session, settings)
    if first.level == "FAIL":
        return [first]
    return [first, *(line for check in before_deploy.CHECKS[1:] if (line := check(session, settings)) is not None)]


def main(argv: Optional[list[str]] = None, session: Optional[boto3.Session] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m program.verify", description=__doc__.split("\n\n")[1])
    parser.add_argument("stack")
    parser.add_argument("--after", action="store_true", help="check the deployed environment instead")
    parser.add_argument("--json", action="store_true", help="print the lines as JSON")
    args = parser.parse_args(argv)
    try:
        settings = stack_settings(args.stack)
        lines = run_checks(session or boto3.Session(), settings, args.after)
    except InvalidSettings as error:
        print(error, file=sys.stderr)
        return 2
    print(render(lines, args.json))
    return exit_status(lines)


if __name__ == "__main__":
    sys.exit(main())

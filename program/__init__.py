"""This repository's own tooling around the airflow_aws package: the offline plan and the checks a pull request runs.

The stack program itself is `__main__.py` (settings -> AirflowPlatform -> outputs, all from `airflow_aws`).

offline.py     the SDK's mock engine with fake AWS answers (plan, tests, benchmarks)
plan.py        `python -m program.plan STACK`: what `pulumi up` would create, offline, checked
api_model/     every planned input against AWS's API model (botocore) and documented limits
changes/       the change preview against a base plan (`--base`)
cost/          the monthly cost of a plan
verify/        `python -m program.verify STACK [--after]`: checks against the real account
reference.py   Pulumi.yaml and the settings reference, generated from airflow_aws.settings
stacks.py      the stack files on disk, as the engine would pass them
"""

from pathlib import Path

# The project folder: stack files, the Airflow source folder, README.
REPOSITORY_ROOT = Path(__file__).resolve().parent.parent

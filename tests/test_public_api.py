"""The package's public API: every exported name resolves, and programs load only the components they build."""

import subprocess
import sys

import airflow_aws
from program import REPOSITORY_ROOT


def test_every_exported_name_resolves_to_its_definition():
    for name in airflow_aws.__all__:
        value = getattr(airflow_aws, name)
        assert value.__name__ == name and value.__module__.startswith("airflow_aws.")


def test_planning_an_mwaa_stack_never_imports_the_fargate_cluster():
    # A fresh interpreter: in this one, other tests have imported every component already.
    probe = ("import sys; from program.plan import plan_stack; plan_stack('sandbox'); "
             "print('airflow_aws.fargate_airflow_cluster' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPOSITORY_ROOT, capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip().splitlines()[-1] == "False"

"""What a user gets from `pip install airflow-aws` in a fresh virtual environment: the installed package (not this
checkout) runs both Python examples in their own folders, the whole platform from stack settings included."""

import json
import shutil
import subprocess
import venv
from pathlib import Path

import pytest

from program import REPOSITORY_ROOT

EXAMPLES = REPOSITORY_ROOT / "examples"
# Local environments, caches and build output: never part of a clean clone.
UNSHIPPED = (".git", ".venv", ".helpers", ".integration", "node_modules", "build", "dist", "*.egg-info", "__pycache__",
             ".hypothesis", ".pytest_cache")
# Runs an example's __main__.py under the offline engine with its stack file's settings, in the example's folder,
# and reports where airflow_aws came from. This checkout only lends the offline engine (program/), which is not
# part of the package; airflow_aws comes from the environment.
RUNNER = """
import json, runpy, sys
from pathlib import Path
import airflow_aws
from airflow_aws.settings import engine_config, stack_file_values
from program import offline

folder, stack = Path.cwd(), sys.argv[1]
stack_file = folder / f"Pulumi.{stack}.yaml"
values = stack_file_values(stack_file) if stack_file.is_file() else {}
plan = offline.run(lambda: runpy.run_path("__main__.py", run_name="__main__"), project=folder.name, stack=stack,
                   config=engine_config(values), root_directory=folder)
print(json.dumps({"package": airflow_aws.__file__, "outputs": sorted(plan.outputs),
                  "types": sorted({r.type for r in plan.registrations}),
                  "uploads": sorted(r.inputs.get("key") for r in plan.of_type("aws:s3/bucketObjectv2:BucketObjectv2"))}))
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtual environment with the package pip-installed from a clean copy of this tree (not editable):
    its declared dependencies, resolved by pip, are all it has. pip's cache makes this take ~45 s."""
    source = tmp_path_factory.mktemp("source") / "airflow-aws"
    shutil.copytree(REPOSITORY_ROOT, source, ignore=shutil.ignore_patterns(*UNSHIPPED))
    environment = tmp_path_factory.mktemp("venv")
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(source)],
                   check=True, capture_output=True)
    return python


def run_example(python: Path, name: str, stack: str = "dev") -> dict:
    result = subprocess.run([str(python), "-c", RUNNER, stack], cwd=EXAMPLES / name, capture_output=True, text=True,
                            env={"PYTHONPATH": str(REPOSITORY_ROOT), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1])


def site_packages(python: Path) -> Path:
    return Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               check=True, capture_output=True, text=True).stdout.strip())


def test_the_installed_package_carries_the_platform_its_settings_functions_and_mwaas_image_data(installed):
    package = site_packages(installed) / "airflow_aws"
    assert (package / "airflow_platform.py").is_file() and (package / "settings" / "stack.py").is_file()
    assert (package / "functions" / "web_login" / "app.py").is_file()
    assert (package / "mwaa_requirements" / "mwaa_images" / "2.10.3" / "installed_packages.json").is_file()


def test_the_platform_example_builds_mwaa_from_its_own_stack_settings_and_folder(installed):
    result = run_example(installed, "python")
    assert result["package"].startswith(str(site_packages(installed)))
    assert {"airflow-aws:index:AirflowPlatform", "aws:mwaa/environment:Environment"} <= set(result["types"])
    assert result["outputs"] == ["environmentArn", "webserverUrl"]
    assert result["uploads"] == ["dags/daily_report.py", "requirements.txt"]  # the example's airflow/, not this repository's


def test_the_components_example_runs_from_the_installed_package(installed):
    result = run_example(installed, "python-components")
    assert result["package"].startswith(str(site_packages(installed)))
    assert "aws:ec2/vpcEndpoint:VpcEndpoint" in result["types"] and "endpointIds" in result["outputs"]

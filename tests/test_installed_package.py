"""What a user gets from `pip install airflow-aws`: the built wheel alone (not this checkout) runs both Python
examples outside the repository, the whole platform from stack settings included."""

import json
import shutil
import subprocess
import sys
import zipfile

import pytest

from program import REPOSITORY_ROOT

EXAMPLES = REPOSITORY_ROOT / "examples"
# Local environments, caches and build output: never part of a clean clone.
UNSHIPPED = (".git", ".venv", ".helpers", ".integration", "node_modules", "build", "dist", "*.egg-info", "__pycache__",
             ".hypothesis", ".pytest_cache")
# Runs an example's __main__.py under the offline engine with its stack file's settings, in the example's folder,
# and reports where airflow_aws came from. The wheel comes first on PYTHONPATH; this checkout only lends the
# offline engine (program/), which is not part of the package.
RUNNER = """
import json, runpy, sys
from pathlib import Path
import yaml
import airflow_aws
from program import offline
from program.stacks import engine_config

folder, stack = Path.cwd(), sys.argv[1]
stack_file = folder / f"Pulumi.{stack}.yaml"
values = yaml.safe_load(stack_file.read_text())["config"] if stack_file.is_file() else {}
plan = offline.run(lambda: runpy.run_path("__main__.py", run_name="__main__"), project=folder.name, stack=stack,
                   config=engine_config(values), root_directory=folder)
print(json.dumps({"package": airflow_aws.__file__, "outputs": sorted(plan.outputs),
                  "types": sorted({r.type for r in plan.registrations}),
                  "uploads": sorted(r.inputs.get("key") for r in plan.of_type("aws:s3/bucketObjectv2:BucketObjectv2"))}))
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The package as pip would install it: the wheel built from this checkout, unpacked."""
    # Built from a copy: setuptools keeps a build/ folder in the source tree, whose leftovers (a module since
    # removed) would end up in the wheel.
    source = tmp_path_factory.mktemp("source") / "airflow-aws"
    shutil.copytree(REPOSITORY_ROOT, source, ignore=shutil.ignore_patterns(*UNSHIPPED))
    build = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(build), str(source)],
                   check=True, capture_output=True)
    [wheel] = build.glob("airflow_aws-*.whl")
    site = tmp_path_factory.mktemp("site")
    zipfile.ZipFile(wheel).extractall(site)
    return site


def run_example(site, name: str, stack: str = "dev") -> dict:
    result = subprocess.run([sys.executable, "-c", RUNNER, stack], cwd=EXAMPLES / name, capture_output=True, text=True,
                            env={"PYTHONPATH": f"{site}:{REPOSITORY_ROOT}", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1])


def test_the_wheel_carries_the_platform_its_settings_functions_and_mwaas_image_data(installed):
    package = installed / "airflow_aws"
    assert (package / "airflow_platform.py").is_file() and (package / "settings" / "stack.py").is_file()
    assert (package / "functions" / "web_login" / "app.py").is_file()
    assert (package / "mwaa_requirements" / "mwaa_images" / "2.10.3" / "installed_packages.json").is_file()


def test_the_platform_example_builds_mwaa_from_its_own_stack_settings_and_folder(installed):
    result = run_example(installed, "python")
    assert result["package"].startswith(str(installed))
    assert {"airflow-aws:index:AirflowPlatform", "aws:mwaa/environment:Environment"} <= set(result["types"])
    assert result["outputs"] == ["environmentArn", "webserverUrl"]
    assert result["uploads"] == ["dags/hello.py", "requirements.txt"]  # the example's airflow/, not this repository's


def test_the_components_example_runs_from_the_wheel(installed):
    result = run_example(installed, "python-components")
    assert result["package"].startswith(str(installed))
    assert "aws:ec2/vpcEndpoint:VpcEndpoint" in result["types"] and "endpointIds" in result["outputs"]

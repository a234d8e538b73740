"""airflow_aws._lazy_aws: pulumi_aws service packages load per name and bind exactly what their __init__ binds.

Every check runs in a fresh interpreter: which modules are imported is process-wide state, and a
package imported as shipped in one process must not be mistaken for the lazy one in another.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from program import REPOSITORY_ROOT

LOADER = REPOSITORY_ROOT / "components" / "airflow_aws" / "_lazy_aws.py"
PROVIDER_ROOT = Path(importlib.util.find_spec("pulumi_aws").submodule_search_locations[0])


def _services_the_project_uses() -> list[str]:
    """`aws.<service>.` and `pulumi_aws.<service>` in the components and the program."""
    sources = [*(REPOSITORY_ROOT / "components" / "airflow_aws").glob("*.py"),
               *(REPOSITORY_ROOT / "program").glob("*.py")]
    found = {name for path in sources
             for name in re.findall(r"\b(?:aws|pulumi_aws)\.([a-z0-9_]+)\b", path.read_text())}
    return sorted(name for name in found if (PROVIDER_ROOT / name / "__init__.py").is_file())


SERVICES = _services_the_project_uses()

DESCRIBE = """
import types
def describe(value):
    if isinstance(value, types.ModuleType):
        return f"module {value.__name__}"
    if isinstance(value, (type, types.FunctionType)):
        return f"{type(value).__name__} {value.__module__}.{value.__qualname__}"
    return f"{type(value).__name__} {value!r}"[:300]
"""
# The loader on its own (not through airflow_aws, whose components import a dozen services first).
STANDALONE_LOADER = f"""
import importlib.util, sys
_spec = importlib.util.spec_from_file_location("lazy_aws", {str(LOADER)!r})
lazy_aws = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lazy_aws)
"""


def python(code: str, *, eager: bool = False, stdin: str = "") -> str:
    env = {k: v for k, v in os.environ.items() if k != "AIRFLOW_AWS_EAGER_IMPORTS"}
    if eager:
        env["AIRFLOW_AWS_EAGER_IMPORTS"] = "1"
    env["PYTHONPATH"] = os.pathsep.join([str(REPOSITORY_ROOT), str(REPOSITORY_ROOT / "components")])
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=REPOSITORY_ROOT, env=env, input=stdin,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def describe_shipped(services: list[str]) -> dict[str, dict[str, str]]:
    """Every public name each service package binds when its __init__ runs as shipped, described."""
    return json.loads(python(DESCRIBE + """
import importlib, json
result = {}
for service in %r:
    package = importlib.import_module(f"pulumi_aws.{service}")
    hasattr(package, "__all__")  # the first attribute read runs the __init__ (pulumi's own lazy import)
    result[service] = {name: describe(value) for name, value in vars(package).items() if not name.startswith("__")}
print(json.dumps(result))
""" % (services,), eager=True))


def resolve_lazily(shipped: dict[str, dict[str, str]]) -> dict[str, dict]:
    """The same names read through the lazy packages, then compared with a scratch run of the real __init__."""
    return json.loads(python(DESCRIBE + """
import importlib, json, sys, types
import airflow_aws  # activates the loader as every program does
from airflow_aws import _lazy_aws
expected = json.load(sys.stdin)
report = {}
for service, names in expected.items():
    package = importlib.import_module(f"pulumi_aws.{service}")
    values = {name: getattr(package, name) for name in names}
    # The real __init__ into a scratch module object: it binds submodules from sys.modules, so
    # every value the lazy package gave must be the very object it binds.
    scratch = types.ModuleType(package.__name__)
    scratch.__dict__.update(__package__=package.__name__, __path__=package.__path__, __spec__=package.__spec__,
                            __file__=package.__file__)
    exec(compile(open(package.__file__).read(), package.__file__, "exec"), scratch.__dict__)
    bound = {name: value for name, value in vars(scratch).items() if not name.startswith("__")}
    # The import system binds each submodule on the package in sys.modules, not on the scratch.
    prefix = package.__name__ + "."
    bound = {**{module[len(prefix):]: sys.modules[module] for module in list(sys.modules)
                if module.startswith(prefix) and "." not in module[len(prefix):]}, **bound}
    report[service] = {
        "described": {name: describe(value) for name, value in values.items()},
        "never_ran_init": _lazy_aws.is_deferred(package),
        "not_identical": sorted(name for name in names if bound.get(name) is not values[name]),
        "scratch_names": sorted(bound),
    }
print(json.dumps(report))
""", stdin=json.dumps({service: sorted(names) for service, names in shipped.items()})))


@pytest.fixture(scope="module")
def shipped_names() -> dict[str, dict[str, str]]:
    return describe_shipped(SERVICES)


@pytest.fixture(scope="module")
def lazy_resolution(shipped_names) -> dict[str, dict]:
    return resolve_lazily(shipped_names)


def test_the_project_uses_pulumi_aws_services():
    assert {"ec2", "s3", "iam", "mwaa"} <= set(SERVICES)


@pytest.mark.parametrize("service", SERVICES)
def test_every_name_resolves_to_the_object_the_shipped_package_binds(service, shipped_names, lazy_resolution):
    resolved = lazy_resolution[service]
    assert resolved["described"] == shipped_names[service]
    assert resolved["not_identical"] == []
    assert resolved["scratch_names"] == sorted(shipped_names[service])


@pytest.mark.parametrize("service", SERVICES)
def test_reading_every_name_never_runs_the_package_init(service, lazy_resolution):
    assert lazy_resolution[service]["never_ran_init"] is True


PLAN_EVERY_STACK = """
import json, sys
from program.plan import as_json, plan_stack
from program.stacks import STACKS
from airflow_aws import _lazy_aws
plans = {stack: as_json(plan_stack(stack)) for stack in STACKS}
for plan in plans.values():
    # Registration order follows the SDK's RPC threads, not the program.
    plan["resources"].sort(key=lambda resource: resource["urn"])
print(json.dumps({"plans": plans, "ec2_deferred": _lazy_aws.is_deferred("pulumi_aws.ec2"),
                  "ec2_modules": sum(1 for name in sys.modules if name.startswith("pulumi_aws.ec2."))},
                 sort_keys=True, default=str))
"""


def plan_every_stack(*, eager: bool) -> dict:
    # Assets print as their repr, which holds a memory address.
    return json.loads(re.sub(r" at 0x[0-9a-f]+", "", python(PLAN_EVERY_STACK, eager=eager)))


@pytest.fixture(scope="module")
def lazy_plans() -> dict:
    return plan_every_stack(eager=False)


def test_every_stack_plans_identically_with_and_without_the_loader(lazy_plans):
    eager = plan_every_stack(eager=True)["plans"]
    lazy = lazy_plans["plans"]
    assert lazy.keys() == eager.keys() and all(plan["resources"] for plan in lazy.values())
    for stack in lazy:
        assert lazy[stack] == eager[stack], stack


def test_planning_every_stack_imports_a_fraction_of_ec2(lazy_plans):
    init = (PROVIDER_ROOT / "ec2" / "__init__.py").read_text()
    shipped = len(re.findall(r"^from \.\w+ import \*$", init, re.MULTILINE))
    assert lazy_plans["ec2_deferred"] is True
    assert lazy_plans["ec2_modules"] < shipped / 4


def test_star_import_and_dir_see_every_name_the_shipped_package_binds(shipped_names):
    seen = json.loads(python(STANDALONE_LOADER + """
import json
lazy_aws.install()
import pulumi_aws
namespace = {}
exec("from pulumi_aws.kms import *", namespace)
print(json.dumps({"star": sorted(name for name in namespace if name != "__builtins__"),
                  "dir": sorted(name for name in dir(pulumi_aws.mwaa) if not name.startswith("__"))}))
"""))
    assert seen["star"] == sorted(name for name in shipped_names["kms"] if not name.startswith("_"))
    assert seen["dir"] == sorted(shipped_names["mwaa"])


def test_importing_a_submodule_keeps_the_function_it_shadows():
    """`ec2.get_subnet` is the function the __init__ star-imports, even after get_subnet.py is imported by name."""
    assert python(STANDALONE_LOADER + """
lazy_aws.install()
import pulumi_aws.ec2.get_subnet
import pulumi_aws
print(pulumi_aws.ec2.get_subnet is sys.modules["pulumi_aws.ec2.get_subnet"].get_subnet,
      pulumi_aws.ec2.get_subnet_output is sys.modules["pulumi_aws.ec2.get_subnet"].get_subnet_output)
""").split() == ["True", "True"]


def test_a_package_referenced_before_install_is_the_one_made_lazy():
    assert python(STANDALONE_LOADER + """
import pulumi_aws
from pulumi_aws import ec2
pulumi_aws.mwaa.Environment  # already run as shipped: left alone
lazy_aws.install()
from pulumi_aws.ec2.vpc import Vpc
print(ec2 is sys.modules["pulumi_aws.ec2"], lazy_aws.is_deferred(ec2), ec2.Vpc is Vpc,
      lazy_aws.is_deferred("pulumi_aws.mwaa"), pulumi_aws.mwaa.Environment.__module__)
""").split() == ["True", "True", "True", "False", "pulumi_aws.mwaa.environment"]


def test_unknown_names_raise_attribute_error_without_running_the_init():
    assert python(STANDALONE_LOADER + """
lazy_aws.install()
import pulumi_aws
print(hasattr(pulumi_aws.ec2, "NoSuchResource"), lazy_aws.is_deferred("pulumi_aws.ec2"))
""").split() == ["False", "True"]


def test_the_variable_leaves_pulumi_aws_as_shipped():
    assert python(STANDALONE_LOADER + """
print(lazy_aws.install())
import pulumi_aws
print(type(sys.modules["pulumi_aws.ec2"]).__name__)
""", eager=True).split() == ["0", "_LazyModule"]


def test_a_package_whose_init_does_more_than_import_runs_it_as_shipped():
    """pulumi_aws.config's __init__ swaps the module's class; the loader cannot replay that and must not try."""
    assert python(STANDALONE_LOADER + """
lazy_aws.install()
import pulumi_aws
print(lazy_aws.is_deferred("pulumi_aws.config"), hasattr(pulumi_aws.config, "region"),
      type(pulumi_aws.config).__name__, lazy_aws.is_deferred("pulumi_aws.config"))
""").split() == ["True", "True", "_ExportableConfig", "False"]

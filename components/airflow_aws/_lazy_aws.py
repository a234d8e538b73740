"""Import only the pulumi_aws modules a program uses, with the package behaving exactly as before.

pulumi_aws defers each service package (`pulumi_aws.ec2`, ...) until its first attribute is read,
and then runs the package's `__init__`, which star-imports every module of the service: the 181
ec2 modules and their 57,000 lines of input and output types take about 1.6 s to get `aws.ec2.Vpc`.
`install()` turns each service package that is still deferred into a `_ServicePackage`: the same
module object (so every reference to it stays valid), whose missing attributes are resolved one
at a time. Reading the `__init__` once tells which module each name comes from (`from .vpc import
*` and the `__all__` of vpc.py give `Vpc -> vpc`), so `aws.ec2.Vpc` imports vpc.py (and the types
it imports itself), and the name is bound to the very object the full `__init__` would bind.

Anything the table cannot answer faithfully runs the real `__init__` into the same module object,
as pulumi_aws itself would: `from pulumi_aws.ec2 import *`, `dir(aws.ec2)`, and any package whose
`__init__` holds more than the import statements understood here. A package whose
`__init__` has already run is left alone. AIRFLOW_AWS_EAGER_IMPORTS=1 disables all this.
"""

from __future__ import annotations

import ast
import importlib
import os
import re
import sys
import threading
import types
from pathlib import Path
from typing import Optional, Union

EAGER_IMPORTS_VARIABLE = "AIRFLOW_AWS_EAGER_IMPORTS"
PROVIDER_PACKAGE = "pulumi_aws"

# The attribute is the submodule of that name itself (`outputs`, `vpc`), not a name it exports.
_SUBMODULE = "<submodule>"
_ALL_LIST = re.compile(r"^__all__ = \[(.*?)\]", re.MULTILINE | re.DOTALL)
_QUOTED_NAME = re.compile(r"""['"]([A-Za-z_][A-Za-z0-9_]*)['"]""")
# Read a module's head in steps until its `__all__` list is closed; most lists end in the first step.
_HEAD_STEP = 8192

# Per package name: attribute -> `_SUBMODULE` or the submodule exporting it; None when the
# package's __init__ is more than understood here. Filled on first use, kept for the process.
_tables: dict[str, Optional[dict[str, str]]] = {}
_lock = threading.Lock()


class _NotUnderstood(Exception):
    """The package's __init__ does something other than the import statements handled here."""


class _ServicePackage(types.ModuleType):
    """A pulumi_aws service package whose names are imported when first read."""

    def __getattr__(self, name: str):
        table = _table(self)
        if table is None or name == "__all__":
            # `import *` asks for __all__ and then copies __dict__: it must see every name.
            _run_init(self)
            return getattr(self, name)  # no longer a _ServicePackage: an ordinary lookup
        if name in self.__dict__:  # bound by the __init__'s own plain imports while the table was built
            return self.__dict__[name]
        source = table.get(name)
        if source is None:
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")
        if source == _SUBMODULE:
            return importlib.import_module(f"{self.__name__}.{name}")
        value = getattr(importlib.import_module(f"{self.__name__}.{source}"), name)
        self.__dict__[name] = value
        return value

    def __setattr__(self, name: str, value) -> None:
        # Importing a submodule binds it on its package. When the package's __init__ star-imports
        # a name that shadows the submodule (`get_subnet` the function over get_subnet.py), the
        # name wins; leave it unbound so `__getattr__` returns what the __init__ would have bound.
        if isinstance(value, types.ModuleType) and value.__name__ == f"{self.__name__}.{name}":
            table = _table(self)
            if table is not None and table.get(name, _SUBMODULE) != _SUBMODULE:
                return
        super().__setattr__(name, value)

    def __dir__(self):
        _run_init(self)
        return sorted(self.__dict__)


def install() -> int:
    """Make every service package of pulumi_aws that is still deferred load per name. Returns how many."""
    if os.environ.get(EAGER_IMPORTS_VARIABLE, "") not in ("", "0"):
        return 0
    deferred_types = _deferred_module_types()
    if not deferred_types:
        return 0
    provider = importlib.import_module(PROVIDER_PACKAGE)
    converted = 0
    with _lock:
        for attribute, package in list(vars(provider).items()):
            expected_name = f"{PROVIDER_PACKAGE}.{attribute}"
            if type(package) not in deferred_types or not _is_service_package(package, expected_name):
                continue
            # Same object, other class: references already taken to the package keep working.
            package.__class__ = _ServicePackage
            converted += 1
    return converted


def _deferred_module_types() -> tuple[type, ...]:
    """The module classes pulumi's and importlib's lazy imports give a module not yet run."""
    found: list[type] = []
    try:
        from pulumi._utils import _LazyModule  # what pulumi_aws._utilities.lazy_import uses
        found.append(_LazyModule)
    except ImportError:
        pass
    import importlib.util
    standard = getattr(importlib.util, "_LazyModule", None)
    if isinstance(standard, type):
        found.append(standard)
    return tuple(found)


def _is_service_package(package: types.ModuleType, expected_name: str) -> bool:
    spec = package.__spec__  # introspection attributes do not make a deferred module run
    return (spec is not None and spec.name == expected_name and package.__name__ == expected_name
            and bool(spec.submodule_search_locations) and hasattr(spec.loader, "exec_module")
            and str(spec.origin or "").endswith("__init__.py"))


def _table(package: types.ModuleType) -> Optional[dict[str, str]]:
    name = package.__name__
    if name not in _tables:
        # No lock around the build: it imports, and a lock held across imports can deadlock with
        # the import system's own. Two threads racing here build the same table.
        _tables.setdefault(name, _build_table(package))
    return _tables[name]


def _build_table(package: types.ModuleType) -> Optional[dict[str, str]]:
    """Replay the __init__'s import statements on paper; run the plain ones (builtins, typing, _utilities)."""
    spec = package.__spec__
    assert spec is not None and spec.origin is not None  # _is_service_package admitted only such packages
    init = Path(spec.origin)
    try:
        tree = ast.parse(init.read_text(encoding="utf-8"), filename=str(init))
        table: dict[str, str] = {}
        plain: list[ast.stmt] = []
        for statement in tree.body:
            if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
                continue  # a docstring
            if isinstance(statement, ast.ImportFrom) and statement.level == 1:
                _replay_relative_import(statement, init.parent, table)
            elif isinstance(statement, ast.Import) or (isinstance(statement, ast.ImportFrom) and statement.level != 1):
                plain.append(statement)
            else:
                raise _NotUnderstood(ast.dump(statement)[:80])
        if _plain_import_names(plain) & table.keys():
            raise _NotUnderstood("a plain import and a star import bind the same name")
    except (OSError, SyntaxError, _NotUnderstood):
        return None
    exec(compile(ast.Module(body=plain, type_ignores=[]), str(init), "exec"), package.__dict__)
    return table


def _replay_relative_import(statement: ast.ImportFrom, folder: Path, table: dict[str, str]) -> None:
    if statement.module is None:  # from . import outputs
        for alias in statement.names:
            if alias.asname not in (None, alias.name) or not (folder / f"{alias.name}.py").is_file():
                raise _NotUnderstood(alias.name)
            table[alias.name] = _SUBMODULE
        return
    if "." in statement.module or [alias.name for alias in statement.names] != ["*"]:
        raise _NotUnderstood(statement.module)
    # Importing the submodule binds it on the package, then its exported names are bound over it.
    table[statement.module] = _SUBMODULE
    for exported in _module_all(folder / f"{statement.module}.py"):
        table[exported] = statement.module


def _module_all(path: Path) -> list[str]:
    """The literal `__all__` list at the head of a generated module, without importing it."""
    with path.open(encoding="utf-8") as source:
        head = ""
        while True:
            step = source.read(_HEAD_STEP)
            head += step
            match = _ALL_LIST.search(head)
            if match:
                body = match.group(1)
                names = _QUOTED_NAME.findall(body)
                if _QUOTED_NAME.sub("", body).strip(" \n,"):
                    raise _NotUnderstood(f"__all__ of {path.name}")
                return names
            if not step:
                raise _NotUnderstood(f"no __all__ in {path.name}")


def _plain_import_names(statements: list[ast.stmt]) -> set[str]:
    names: set[str] = set()
    for statement in statements:
        for alias in statement.names:  # type: ignore[attr-defined]
            if alias.name == "*":
                raise _NotUnderstood("star import of another package")
            names.add(alias.asname or alias.name.split(".")[0])
    return names


def _run_init(package: types.ModuleType) -> None:
    """Run the package's real __init__ into this module object, as pulumi_aws's own lazy import does."""
    with _lock:
        if not is_deferred(package):
            return
        package.__class__ = types.ModuleType
    spec = package.__spec__
    assert spec is not None and spec.loader is not None  # _is_service_package admitted only such packages
    spec.loader.exec_module(package)


def is_deferred(package: Union[str, types.ModuleType]) -> bool:
    """Whether a service package still resolves names one by one (its full __init__ has not run)."""
    module = sys.modules.get(package) if isinstance(package, str) else package
    return type(module) is _ServicePackage

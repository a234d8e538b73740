"""Check a value against AWS's own service model: botocore's shapes, as the SDKs and the CLI validate them.

botocore's client-side validation (`botocore.validate`) checks types, required members and minimums only;
the service enforces the rest. This walks the same shapes and also enforces enums, maximum lengths and
ranges, and the patterns the model carries, and treats an unknown member as an error (the provider drops
keys it does not know, so a misspelt key is silently lost). Values come as the Pulumi engine holds them:
numbers may be floats, timestamps strings.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any, Optional

from botocore.model import ListShape, MapShape, ServiceModel, Shape, StructureShape

from .problems import Problem

if TYPE_CHECKING:
    import botocore.session

_NUMBER_TYPES = {"integer", "long", "double", "float"}


@functools.lru_cache(maxsize=None)
def service_model(service: str) -> ServiceModel:
    return _session().get_service_model(service)


@functools.lru_cache(maxsize=1)
def _session() -> botocore.session.Session:
    import botocore.session  # 0.1 s of imports, needed only when shape_cache misses

    return botocore.session.get_session()


def shape(service: str, name: str) -> Shape:
    """A named shape of a service's model (raises botocore's NoShapeFoundError for a wrong name)."""
    from .shape_cache import shape as cached  # parses the service model only when the cache misses

    return cached(service, name)


@functools.lru_cache(maxsize=None)
def _pattern(text: str) -> Optional[re.Pattern[str]]:
    # The models' patterns are Java regexes; the few Python cannot compile are skipped, not guessed at.
    try:
        return re.compile(text)
    except re.error:
        return None


def check(model: Shape, value: Any, path: str = "") -> list[Problem]:
    """Every way `value` breaks `model`; an empty list when AWS's model accepts it."""
    problems: list[Problem] = []
    _check(model, value, path, problems)
    return problems


def check_members(model: StructureShape, members: dict[str, Any], path: str = "") -> list[Problem]:
    """Check some members of a structure (the ones a resource sets), without requiring the others."""
    problems: list[Problem] = []
    for name, value in members.items():
        if name not in model.members:
            problems.append(Problem(_join(path, name), value, f"is not a member of {model.name}{_close(name, model.members)}"))
        elif value is not None:
            _check(model.members[name], value, _join(path, name), problems)
    return problems


def _join(path: str, member: str) -> str:
    return f"{path}.{member}" if path else member


def _close(name: str, known: Any) -> str:
    import difflib

    match = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" (did you mean `{match[0]}`?)" if match else ""


def _check(model: Shape, value: Any, path: str, problems: list[Problem]) -> None:
    kind = model.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            problems.append(Problem(path, value, f"must be an object ({model.name})"))
            return
        assert isinstance(model, StructureShape)
        for required in model.required_members:
            if value.get(required) is None:
                problems.append(Problem(_join(path, required), None, f"is required by {model.name}"))
        problems.extend(check_members(model, value, path))
        return
    if kind == "list":
        if not isinstance(value, (list, tuple)):
            problems.append(Problem(path, value, "must be a list"))
            return
        assert isinstance(model, ListShape)
        _size(model, len(value), path, value, "items", problems)
        for index, item in enumerate(value):
            _check(model.member, item, f"{path}[{index}]", problems)
        return
    if kind == "map":
        if not isinstance(value, dict):
            problems.append(Problem(path, value, "must be an object (a map)"))
            return
        assert isinstance(model, MapShape)
        _size(model, len(value), path, value, "entries", problems)
        for key, item in value.items():
            _check(model.key, key, f"{path}[{key!r}]", problems)
            _check(model.value, item, f"{path}[{key!r}]", problems)
        return
    if kind == "string":
        _string(model, value, path, problems)
    elif kind in _NUMBER_TYPES:
        _number(model, value, path, problems)
    elif kind == "boolean":
        if not isinstance(value, bool):
            problems.append(Problem(path, value, "must be true or false"))
    elif kind == "timestamp":
        if not isinstance(value, (str, int, float)):
            problems.append(Problem(path, value, "must be a timestamp"))
    elif kind == "blob":
        if not isinstance(value, (str, bytes)):
            problems.append(Problem(path, value, "must be binary data or a string"))


def _size(model: Shape, size: int, path: str, value: Any, unit: str, problems: list[Problem]) -> None:
    low, high = model.metadata.get("min"), model.metadata.get("max")
    if low is not None and size < low:
        problems.append(Problem(path, value, f"has {size} {unit}, {model.name} needs at least {low}"))
    if high is not None and size > high:
        problems.append(Problem(path, value, f"has {size} {unit}, {model.name} allows at most {high}"))


def _string(model: Shape, value: Any, path: str, problems: list[Problem]) -> None:
    if not isinstance(value, str):
        problems.append(Problem(path, value, f"must be a string ({model.name})"))
        return
    enum = model.enum
    if enum and value not in enum:
        problems.append(Problem(path, value, f"is not one of {model.name}'s values: {', '.join(enum)}"))
        return
    _size(model, len(value), path, value, "characters", problems)
    pattern = model.metadata.get("pattern")
    compiled = _pattern(pattern) if pattern else None
    if compiled is not None and not compiled.fullmatch(value):
        problems.append(Problem(path, value, f"does not match {model.name}'s pattern {pattern}"))


def _number(model: Shape, value: Any, path: str, problems: list[Problem]) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        problems.append(Problem(path, value, f"must be a number ({model.name})"))
        return
    if model.type_name in ("integer", "long") and not float(value).is_integer():
        problems.append(Problem(path, value, f"must be a whole number ({model.name})"))
    low, high = model.metadata.get("min"), model.metadata.get("max")
    if low is not None and value < low:
        problems.append(Problem(path, value, f"is below {model.name}'s minimum {low}"))
    if high is not None and value > high:
        problems.append(Problem(path, value, f"is above {model.name}'s maximum {high}"))

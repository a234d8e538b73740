"""Problems found in a stack's configuration, and pydantic's findings said in the user's words.

Every pydantic error type a stack file can provoke is given our wording here (what is allowed and how to fix
it); none of pydantic's own messages or Python type names reach the user.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pulumi
from pydantic_core import ErrorDetails

from .base import PROJECT, SettingsModel, did_you_mean


@dataclass(frozen=True)
class SettingError:
    key: str
    value: Any
    problem: str
    fix: str

    def render(self) -> str:
        shown = json.dumps(self.value) if not isinstance(self.value, str) else self.value
        if len(shown) > 120:
            shown = shown[:117] + "..."
        return f"  {self.key} = {shown}\n    problem: {self.problem}\n    fix:     {self.fix}"


class InvalidSettings(pulumi.RunError):
    """Raised with every problem of a stack's configuration; the CLI prints it without a traceback."""

    def __init__(self, stack: str, errors: list[SettingError]):
        self.errors = errors
        header = f"stack '{stack}' has {len(errors)} invalid setting{'s' if len(errors) != 1 else ''}:"
        super().__init__("\n".join([header, *(e.render() for e in errors)]))


def project_key(path: str) -> str:
    return f"{PROJECT}:{path}"


_SENTINEL = object()


def _lookup(data: Any, loc: tuple) -> Any:
    for part in loc:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return _SENTINEL
    return data


def _model_at(root: type[SettingsModel], loc: tuple) -> type[SettingsModel]:
    model: Any = root
    for part in loc:
        if isinstance(part, int):
            continue
        field = next((f for n, f in model.model_fields.items() if f.alias == part or n == part), None)
        if field is None:
            break
        inner = field.annotation
        for candidate in getattr(inner, "__args__", ()) or (inner,):
            if isinstance(candidate, type) and issubclass(candidate, SettingsModel):
                model = candidate
                break
    return model


def _key(loc: tuple) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else part)
    return project_key(path)


# What a value of each kind must be and how to write it, in the user's words (pydantic error type prefix -> words).
_EXPECTED = {
    "int": ("a whole number", "write a number without quotes, e.g. 2 (not true or false)"),
    "float": ("a number", "write a number without quotes, e.g. 1.5 (not true or false)"),
    "bool": ("true or false", "write true or false without quotes"),
    "string": ("a text value", 'write it in quotes, e.g. "value"'),
    "list": ("a list", "write a YAML list, e.g. [a, b]"),
    "dict": ("an object (a YAML mapping)", "write a YAML mapping, e.g. {key: value}"),
    "model": ("an object (a YAML mapping)", "write a YAML mapping, e.g. {key: value}"),
}
_EMPTY = "give it a value, or remove the key to keep the default"


def _wording(kind: str, ctx: dict, value: Any) -> tuple[str, str]:
    """(problem, fix) for a pydantic error type, without pydantic's message."""
    if kind == "literal_error":
        return "is not an allowed value", f"use one of {ctx['expected']}"
    if kind in ("greater_than_equal", "less_than_equal"):
        words, limit = ("at least", ctx["ge"]) if kind == "greater_than_equal" else ("at most", ctx["le"])
        number = "a whole number" if isinstance(limit, int) else "a number"
        return f"must be {words} {limit}", f"set {number} {words} {limit}"
    if value is None:
        return "is empty (null), but this setting needs a value", _EMPTY
    if kind == "string_too_short":  # every string setting takes at least one character
        return "is empty, but this setting needs a value", _EMPTY
    found = next((words for prefix, words in _EXPECTED.items() if kind.startswith(prefix)), None)
    if found is None:
        return "is not a value this setting takes", "see the setting's description in the settings reference (docs/settings.md)"
    return f"must be {found[0]}", found[1]


def translate(error: ErrorDetails, raw: dict, root: type[SettingsModel]) -> SettingError:
    """One pydantic error about the project settings (`raw`, validated as `root`), as a SettingError."""
    loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and (p.startswith("literal[") or p == "[key]")))
    value = _lookup(raw, loc)
    value = error.get("input") if value is _SENTINEL else value
    kind, ctx = error["type"], error.get("ctx") or {}
    key = _key(loc)
    if kind == "setting":
        return SettingError(key, value, ctx["problem"], ctx["fix"])
    if kind == "extra_forbidden":
        known = [f.alias or name for name, f in _model_at(root, loc[:-1]).model_fields.items()]
        return SettingError(key, value, f"is not a known setting{did_you_mean(str(loc[-1]), known)}",
                            f"remove it or use one of: {', '.join(known)}")
    if kind == "missing":
        return SettingError(key, "(missing)", "is required", "add it to the stack file")
    problem, fix = _wording(kind, ctx, value)
    return SettingError(key, value, problem, fix)

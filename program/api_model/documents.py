"""Reading a payload input as the document AWS receives: JSON text (or the parsed value) and its parts."""

import difflib
import functools
import json
from typing import Any, Callable, Optional, TypeVar

from .problems import Problem


def parse(value: Any) -> tuple[Any, list[Problem]]:
    """The document a payload input holds: JSON text is parsed, an already parsed value is taken as is."""
    if not isinstance(value, str):
        return value, []
    try:
        return json.loads(value), []
    except json.JSONDecodeError as error:
        return None, [Problem("", value, f"is not valid JSON ({error.msg} at character {error.pos})")]


def json_text(value: Any) -> list[Problem]:
    """A payload that only has to be JSON (a Lambda function's event)."""
    return parse(value)[1]


def as_list(value: Any) -> list[Any]:
    """AWS documents take a single item where they take a list ("Action": "s3:GetObject")."""
    return list(value) if isinstance(value, list) else [value]


def join(path: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def unknown_keys(value: dict[str, Any], known: Any, path: str, what: str) -> list[Problem]:
    """Keys AWS does not define for `what` (refused, or silently dropped by the provider)."""
    return [Problem(join(path, key), value[key], f"is not a key of {what}{did_you_mean(key, known)}")
            for key in value if key not in known]


def did_you_mean(name: Any, known: Any) -> str:
    close = difflib.get_close_matches(str(name), list(known), n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


def whole_number(value: Any) -> Optional[int]:
    """The engine sends numbers as floats; None when `value` is not a whole number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not float(value).is_integer():
        return None
    return int(value)


Checked = TypeVar("Checked")


def guarded(check: Callable[[Checked], list[Problem]]) -> Callable[[Checked], list[Problem]]:
    """A check that reports a value it cannot read as a problem instead of failing the plan with a traceback.

    The checks read values as the provider types them (objects, lists, numbers); JSON documents are
    read only once their shape is right. A value of another type is still wrong, so it is reported.
    """
    @functools.wraps(check)
    def run(value: Checked) -> list[Problem]:
        try:
            return check(value)
        except (TypeError, AttributeError, KeyError, ValueError, IndexError) as error:
            return [Problem("", value, f"has a value of a type AWS does not take here ({check.__name__} could not "
                                       f"read it: {type(error).__name__}: {error})")]
    return run

"""What the settings tests ask of a refusal: it is filed under the right key, and its words name what is allowed."""

from airflow_aws.settings import PROJECT
from tests.harness import setting_errors


def refusal(changes: dict, key: str, stack: str = "sandbox"):
    """The error a change provokes under `key` (the project namespace is added unless the key has one)."""
    full_key = key if key.startswith("aws:") else f"{PROJECT}:{key}"
    errors = setting_errors(stack, changes)
    assert full_key in errors, f"{changes} was not refused under {full_key}: {sorted(errors)}"
    error = errors[full_key]
    assert error.problem and error.fix
    return error


def explains(error, *allowed: str) -> None:
    """The message a user reads names every allowed choice."""
    text = f"{error.problem} {error.fix}"
    missing = [word for word in allowed if word not in text]
    assert not missing, f"{error} does not mention {missing}"


def accepted(changes: dict, stack: str = "sandbox") -> bool:
    return setting_errors(stack, changes) == {}

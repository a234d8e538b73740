"""A stack file read as the Pulumi CLI hands it to a program, for the commands that run outside `pulumi up`
(the MWAA requirements check, this repository's offline plan): parse() takes what engine_config() makes."""

import json
from pathlib import Path
from typing import Any

import yaml


def stack_file_values(path: Path) -> dict[str, Any]:
    """The `config:` of a stack file, as written."""
    return (yaml.safe_load(path.read_text()) or {}).get("config", {})


def engine_config(values: dict[str, Any]) -> dict[str, str]:
    """Config as the CLI passes it: every value a string, structured values as JSON."""
    return {key: value if isinstance(value, str) else json.dumps(value) for key, value in values.items()}


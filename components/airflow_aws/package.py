"""The components as a Pulumi component package: what `provider/__main__.py` hosts for other languages, and its schema.

The schema is what the SDK's analyzer infers from the components' type annotations (the same call the provider
makes when the CLI asks it for its schema); `python -m airflow_aws.package > provider/schema.json` regenerates
the checked-in copy, which a test compares with this.
"""

import inspect
import json
from importlib import metadata

import pulumi

import airflow_aws

NAME = "airflow-aws"


def version() -> str:
    """The installed package's version: a git tag `v<version>` publishes the package at that version."""
    return metadata.version(NAME)


def components() -> list[type[pulumi.ComponentResource]]:
    """Every exported component other languages can use, in name order (the schema lists them the same way each time)."""
    found = (getattr(airflow_aws, name) for name in airflow_aws.__all__)
    return [item for item in found if inspect.isclass(item) and issubclass(item, pulumi.ComponentResource)]


def schema() -> dict:
    """The package schema the analyzer infers."""
    from pulumi.provider.experimental.component import ComponentProvider

    text = ComponentProvider(components(), NAME, version=version()).schema
    if text is None:
        raise RuntimeError("the SDK's analyzer inferred no schema")
    return json.loads(text)


def schema_text() -> str:
    """The schema as checked in: stable key order, one trailing newline."""
    return json.dumps(schema(), indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    print(schema_text(), end="")

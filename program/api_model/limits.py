"""Documented AWS limits botocore's service models do not carry, per Pulumi resource type.

LIMITS maps a Pulumi type token to checks; each takes the resource's inputs (Pulumi's camelCase names,
as registered) and returns the problems, with paths in those names.
"""

from __future__ import annotations

from typing import Any, Callable

from .problems import Problem

LIMITS: dict[str, list[Callable[[dict[str, Any]], list[Problem]]]] = {}

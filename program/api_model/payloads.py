"""Inputs that are literal API payloads (JSON documents), validated as the payloads AWS receives.

PAYLOADS maps a Pulumi type token to {input name: check}; each check takes the input's value as
registered (usually a JSON string) and returns the problems, with paths inside the document.
"""

from __future__ import annotations

from typing import Any, Callable

from .problems import Problem

PAYLOADS: dict[str, dict[str, Callable[[Any], list[Problem]]]] = {}

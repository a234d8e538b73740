"""botocore shapes without parsing whole service models on every plan.

A service model is megabytes of JSON (EC2's alone takes 0.15 s to load); a plan needs a few hundred of its
shapes. The first lookup of a shape loads its model once and keeps the shape with everything it refers
to in a small file per botocore version; later plans read only that file. A new botocore version starts
a new file, so a cached shape is always the installed model's.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import botocore
from botocore.model import Shape, ShapeResolver

from airflow_aws.disk_cache import cache_dir, write_json


def cache_file() -> Path:
    return cache_dir(f"botocore-{botocore.__version__}-shapes.json")


@functools.lru_cache(maxsize=1)
def _definitions() -> dict[str, dict[str, Any]]:
    """Service -> shape name -> definition, as cached so far (empty when there is no readable cache)."""
    try:
        return json.loads(cache_file().read_text())
    except (OSError, ValueError):
        return {}


@functools.lru_cache(maxsize=None)
def _resolver(service: str) -> ShapeResolver:
    return ShapeResolver(_definitions().setdefault(service, {}))


def shape(service: str, name: str) -> Shape:
    """A named shape of a service's model, from the cache, filling the cache on a miss."""
    known = _definitions().setdefault(service, {})
    if name not in known:
        _learn(service, name, known)
    return _resolver(service).get_shape_by_name(name)


def _learn(service: str, name: str, known: dict[str, Any]) -> None:
    from .shapes import service_model  # the full model: only on a cache miss

    every = service_model(service)._shape_resolver._shape_map  # botocore keeps the raw definitions here
    if name not in every:
        service_model(service).shape_for(name)  # raises botocore's NoShapeFoundError naming the shape
    pending = [name]
    while pending:
        current = pending.pop()
        if current in known:
            continue
        definition = _without_documentation(every[current])
        known[current] = definition
        pending.extend(ref["shape"] for key in ("member", "key", "value") if (ref := definition.get(key)))
        pending.extend(member["shape"] for member in definition.get("members", {}).values())
    _save()


def _without_documentation(definition: dict[str, Any]) -> dict[str, Any]:
    """The constraints of a shape; its documentation is most of a model's size and no check reads it."""
    kept = {key: value for key, value in definition.items() if key != "documentation"}
    if "members" in kept:
        kept["members"] = {name: {k: v for k, v in member.items() if k != "documentation"}
                           for name, member in kept["members"].items()}
    return kept


def _save() -> None:
    """Write the cache atomically; a read-only home only costs the next plan the full load again."""
    write_json(cache_file(), _definitions(), separators=(",", ":"))

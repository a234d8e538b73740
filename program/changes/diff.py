"""Compare two plan documents (`python -m program.plan STACK --json`) resource by resource, as `pulumi up` would.

A resource is matched by URN. It is created, deleted, updated (the changed inputs) or replaced (the inputs the
provider cannot update, from replacement.py). Replacing a resource gives it a new ID and ARN, so every input of
another resource that refers to them changes too: those changes are followed until nothing more changes, the way
a subnet's replacement reaches the MWAA environment that runs in it.
"""

import re
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

from .replacement import forcing_inputs

CREATE, UPDATE, REPLACE, DELETE = "create", "update", "replace", "delete"
# An input whose new value is only known once a replaced resource exists again.
KNOWN_AFTER_REPLACE = "(known after replacement)"


@dataclass
class Change:
    """What happens to one resource."""

    action: str  # create, update, replace or delete
    urn: str
    type: str
    name: str
    protect: bool
    changed: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # input path -> (old, new); updates, replaces
    forced_by: list[str] = field(default_factory=list)  # the changed inputs that force a replacement
    inputs: dict[str, Any] = field(default_factory=dict)  # the new inputs (the old ones for a delete)


def _leaves(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Input paths with their values: mappings are walked, lists and scalars are leaves (the provider diffs lists whole)."""
    if isinstance(value, dict) and value:
        for key in sorted(value):
            yield from _leaves(value[key], f"{path}.{key}" if path else key)
    else:
        yield path, value


def changed_inputs(old: dict[str, Any], new: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Input path -> (old, new) for every leaf that differs. Asset leaves carry the content hash, so an edited file
    changes even when its path does not."""
    before, after = dict(_leaves(old)), dict(_leaves(new))
    # A base plan made before plans hashed their uploads has no hash to compare: its uploads compare by path only.
    unhashed = {path for path in after if path.endswith(".sha256") and path not in before}
    return {path: (before.get(path), after.get(path)) for path in sorted((before.keys() | after.keys()) - unhashed)
            if not _same(path, before.get(path), after.get(path))}


def _same(path: str, old: Any, new: Any) -> bool:
    """Equal values; and the same uploaded file, whose path a plan writes relative to its checkout (an older
    plan wrote it absolute), so the base branch checked out in another folder names the same file."""
    if path.endswith((".FileAsset", ".FileArchive")) and isinstance(old, str) and isinstance(new, str):
        return old == new or old.endswith("/" + new)
    return old == new


def _identities(resource: dict[str, Any]) -> list[str]:
    """The ID and ARN a replacement changes. One built from a name the program chose (an MWAA environment's ID and
    ARN end with its `name`) stays the same on the new resource, so references to it do not change."""
    chosen = {value for _, value in _leaves(resource["inputs"]) if isinstance(value, str) and value}
    return [value for value in (resource.get("id"), resource.get("arn")) if isinstance(value, str) and value
            and not any(value == name or value.endswith(("/" + name, ":" + name)) for name in chosen)]


def _refers_to(value: Any, identities: list[str]) -> bool:
    text = value if isinstance(value, str) else repr(value)
    # The identity must end where the reference ends: `vpc-1` is not a reference to `vpc-12`.
    return any(re.search(re.escape(identity) + r"(?![\w-])", text) for identity in identities)


def diff(base: dict[str, Any], head: dict[str, Any]) -> list[Change]:
    """The changes that take a stack from the base plan document to the head one, in URN order."""
    old = {r["urn"]: r for r in base["resources"]}
    new = {r["urn"]: r for r in head["resources"]}
    changes: dict[str, Change] = {}
    for urn in sorted(old.keys() | new.keys()):
        if urn not in new:
            r = old[urn]
            changes[urn] = Change(DELETE, urn, r["type"], r["name"], r["protect"], inputs=r["inputs"])
        elif urn not in old:
            r = new[urn]
            changes[urn] = Change(CREATE, urn, r["type"], r["name"], r["protect"], inputs=r["inputs"])
        elif _is_resource(new[urn]):
            changed = changed_inputs(old[urn]["inputs"], new[urn]["inputs"])
            if changed:
                changes[urn] = _classify(old[urn], new[urn], changed)
    _follow_replacements(old, new, changes)
    return [changes[urn] for urn in sorted(changes) if _is_resource(new.get(urn) or old[urn])]


def _is_resource(resource: dict[str, Any]) -> bool:
    """Components only group resources: `pulumi up` creates and deletes them, but never updates anything for them."""
    return resource["type"].split(":")[0] != "airflow-aws" and not resource["type"].startswith("pulumi:")


def _classify(old: dict[str, Any], new: dict[str, Any], changed: dict[str, tuple[Any, Any]]) -> Change:
    forced = forcing_inputs(new["type"], changed)
    return Change(REPLACE if forced else UPDATE, new["urn"], new["type"], new["name"], new["protect"],
                  changed=changed, forced_by=forced, inputs=new["inputs"])


def _follow_replacements(old: dict[str, Any], new: dict[str, Any], changes: dict[str, Change]) -> None:
    """Mark inputs that refer to a replaced resource's ID or ARN as changed, until no new replacement appears."""
    done: set[str] = set()
    while True:
        replaced = [urn for urn, change in changes.items() if change.action == REPLACE and urn not in done]
        if not replaced:
            return
        done.update(replaced)
        identities = [identity for urn in replaced for identity in _identities(old[urn])]
        for urn, resource in new.items():
            if urn not in old or not _is_resource(resource) or (urn in changes and changes[urn].action == REPLACE):
                continue
            referring = {path: (value, KNOWN_AFTER_REPLACE) for path, value in _leaves(resource["inputs"])
                         if _refers_to(value, identities)}
            if referring:
                current: Optional[Change] = changes.get(urn)
                changed = {**(current.changed if current else {}), **referring}
                changes[urn] = _classify(old[urn], resource, changed)

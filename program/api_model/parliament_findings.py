"""Identity policy statements through parliament (duo-labs), with its findings sorted into errors and noise.

Errors are the findings that mean a statement names something that does not exist or can never match, so
IAM refuses it or it silently grants nothing: unknown service prefix or action, unknown condition operator,
a condition key none of the actions supports, a condition value of the wrong type, an invalid ARN, and an
Allow statement naming an action (without wildcards) none of whose resource types matches its resources.
Ignored, with why: RESOURCE_STAR / RESOURCE_EFFECTIVELY_STAR and MISMATCHED_TYPE_BUT_USABLE are style advice
AWS accepts; RESOURCE_MISMATCH of wildcard actions (`s3:List*` expands to every List action and AWS grants
those that apply) and of Deny statements (a Deny that matches nothing is harmless; AWS's own MWAA
execution role sample denies s3:ListAllMyBuckets on the bucket ARNs); EXCEPTION (parliament failing on a
policy is a defect of the validator, not of the policy); MALFORMED, NO_VERSION, INVALID_VERSION,
INVALID_SID and DUPLICATE_SID, because policy_documents checks that grammar itself.

Importing parliament reads its 10 MB action database (about 0.4 s), a quarter of a stack's plan. The
findings per statement are therefore kept on disk, per parliament version, next to the Lambda package
cache (`$XDG_CACHE_HOME/airflow-aws/parliament`): a plan whose statements were all seen before never
imports parliament.
"""

import functools
import hashlib
import importlib.metadata
import json
import os
import tempfile
from pathlib import Path
from typing import Any

Finding = tuple[str, str]

_ERRORS = {
    "UNKNOWN_PREFIX": "names a service prefix IAM does not know",
    "UNKNOWN_ACTION": "names an action its service does not have",
    "UNKNOWN_OPERATOR": "uses an unknown condition operator",
    "UNKNOWN_CONDITION_FOR_ACTION": "uses a condition key none of its actions supports",
    "MISMATCHED_TYPE": "compares a condition key with an operator of another type",
    "MISMATCHED_TYPE_OPERATION_TO_NULL": "has a Null condition that is not true or false",
    "INVALID_ARN": "has an invalid ARN",
    "RESOURCE_MISMATCH": "allows an action on resources it can never apply to",
}


def statement_errors(statement: dict[str, Any]) -> list[str]:
    """Parliament's error findings for one identity policy statement, as sentences."""
    text = json.dumps(statement, sort_keys=True)
    return [f"{_ERRORS[issue]} (parliament): {detail}" for issue, detail in _findings(text)]


@functools.lru_cache(maxsize=None)
def _findings(statement_json: str) -> tuple[Finding, ...]:
    cache = _disk_cache()
    key = hashlib.sha256(statement_json.encode()).hexdigest()
    if key not in cache:
        cache[key] = _analyze(json.loads(statement_json))
        _save(cache)
    return tuple(tuple(finding) for finding in cache[key])  # type: ignore[misc]


def _analyze(statement: dict[str, Any]) -> list[Finding]:
    from parliament import analyze_policy_string  # only when a statement is new: it loads every service's actions

    policy = analyze_policy_string(json.dumps({"Version": "2012-10-17", "Statement": [statement]}))
    actions = statement.get("Action", [])
    named = {a for a in (actions if isinstance(actions, list) else [actions]) if isinstance(a, str) and not set(a) & set("*?")}
    found: list[Finding] = []
    for finding in policy.findings:
        if finding.issue == "RESOURCE_MISMATCH":
            explicit = [d for d in finding.detail if d["action"] in named]
            if explicit and statement.get("Effect") == "Allow":
                found.append((finding.issue, "; ".join(f"{d['action']} needs a resource like {d['required_format']}"
                                                       for d in explicit)))
        elif finding.issue in _ERRORS:
            detail = finding.detail if isinstance(finding.detail, str) else json.dumps(finding.detail, default=str)
            found.append((finding.issue, detail))
    return found


def cache_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "airflow-aws" / "parliament" / f"findings-{importlib.metadata.version('parliament')}.json"


@functools.lru_cache(maxsize=1)
def _disk_cache() -> dict[str, list[Finding]]:
    try:
        return json.loads(cache_file().read_text())
    except (OSError, ValueError):
        return {}


def _save(cache: dict[str, list[Finding]]) -> None:
    path = cache_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp") as file:
            json.dump(cache, file)
        os.replace(file.name, path)
    except OSError:
        pass  # a read-only home only costs the next plan the parliament import

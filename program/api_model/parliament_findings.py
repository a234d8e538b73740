"""Identity policy statements through parliament (duo-labs), with its findings sorted into errors and noise.

Errors are the findings that mean a statement names something that does not exist or can never match, so
IAM refuses it or it silently grants nothing: unknown service prefix or action, unknown condition operator,
a Null condition that is not true or false, an invalid ARN, and a statement naming an action (without
wildcards) none of whose resource types matches its resources.
Ignored, with why: RESOURCE_STAR / RESOURCE_EFFECTIVELY_STAR and MISMATCHED_TYPE_BUT_USABLE are style advice
AWS accepts; MISMATCHED_TYPE, because AWS compares ARN and Boolean keys with String operators too (its own
examples use StringEquals on aws:SourceArn); UNKNOWN_CONDITION_FOR_ACTION, because parliament's list of
global condition keys lags AWS's (aws:SourceOrgID and aws:VpceAccount are flagged); RESOURCE_MISMATCH of wildcard actions (`s3:List*` expands to every List action and AWS grants
those that apply; parliament does not check Deny statements, so AWS's own MWAA execution role sample,
which denies s3:ListAllMyBuckets on the bucket ARNs, passes); EXCEPTION (parliament failing on a
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
from pathlib import Path
from typing import Any

from airflow_aws.disk_cache import cache_dir, write_json

_ERRORS = {
    "UNKNOWN_PREFIX": "names a service prefix IAM does not know",
    "UNKNOWN_ACTION": "names an action its service does not have",
    "UNKNOWN_OPERATOR": "uses an unknown condition operator",
    "MISMATCHED_TYPE_OPERATION_TO_NULL": "has a Null condition that is not true or false",
    "INVALID_ARN": "has an invalid ARN",
    "RESOURCE_MISMATCH": "allows an action on resources it can never apply to",
}


def statement_errors(statement: dict[str, Any]) -> list[str]:
    """Parliament's error findings for one identity policy statement, as sentences."""
    # An action parliament found through a wildcard is not named as such in the statement.
    actions = statement.get("Action", [])
    named = set(actions if isinstance(actions, list) else [actions])
    errors = []
    for issue, detail in _findings(json.dumps(statement, sort_keys=True)):
        if issue == "RESOURCE_MISMATCH":
            explicit = [d for d in detail if d["action"] in named]
            if explicit:
                errors.append(f"{_ERRORS[issue]} (parliament): " + "; ".join(
                    f"{d['action']} needs a resource like {d['required_format']}" for d in explicit))
        elif issue in _ERRORS:
            errors.append(f"{_ERRORS[issue]} (parliament): {detail if isinstance(detail, str) else json.dumps(detail)}")
    return errors


@functools.lru_cache(maxsize=None)
def _findings(statement_json: str) -> tuple[tuple[str, Any], ...]:
    """Every finding of parliament for a statement, unfiltered: the disk cache depends on parliament alone."""
    cache = _disk_cache()
    key = hashlib.sha256(statement_json.encode()).hexdigest()
    if key not in cache:
        cache[key] = _analyze(statement_json)
        _save(cache)
    return tuple((issue, detail) for issue, detail in cache[key])


def _analyze(statement_json: str) -> list[tuple[str, Any]]:
    from parliament import analyze_policy_string  # only when a statement is new: it loads every service's actions

    policy = analyze_policy_string(f'{{"Version": "2012-10-17", "Statement": [{statement_json}]}}')
    return [(finding.issue, json.loads(json.dumps(finding.detail, default=str))) for finding in policy.findings]


def cache_file() -> Path:
    return cache_dir("parliament", f"findings-{importlib.metadata.version('parliament')}.json")


@functools.lru_cache(maxsize=1)
def _disk_cache() -> dict[str, list[tuple[str, Any]]]:
    try:
        return json.loads(cache_file().read_text())
    except (OSError, ValueError):
        return {}


def _save(cache: dict[str, list[tuple[str, Any]]]) -> None:
    write_json(cache_file(), cache)  # a read-only home only costs the next plan the parliament import

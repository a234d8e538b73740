"""Load balancer listener actions and listener rule conditions: the rules Elastic Load Balancing documents.

The provider's blocks (type, order, forward, redirect, fixedResponse, authenticateOidc, authenticateCognito;
hostHeader, httpHeader, httpRequestMethod, pathPattern, queryStrings, sourceIp) are mapped onto the API's
Action and RuleCondition members by the other checker; these are the limits the model does not carry:
https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html#rule-action-types
https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html
"""

import ipaddress
import re
from typing import Any

from .documents import join, whole_number
from .problems import Problem

AUTHENTICATE = ("authenticate-oidc", "authenticate-cognito")
TERMINAL = ("forward", "redirect", "fixed-response")
# The block each action type needs; forward takes targetGroupArn or a forward block.
_BLOCK = {"redirect": "redirect", "fixed-response": "fixedResponse", "authenticate-oidc": "authenticateOidc",
          "authenticate-cognito": "authenticateCognito"}
_CONTENT_TYPES = ("text/plain", "text/css", "text/html", "application/javascript", "application/json")
_MAX_SESSION_TIMEOUT = 604800  # seven days
# Conditions: "up to one of each of host-header, http-request-method, path-pattern and source-ip ... one or
# more of each of http-header and query-string"; "up to three match evaluations per condition" and "up to
# five match evaluations per rule".
_SINGLE_CONDITIONS = ("hostHeader", "httpRequestMethod", "pathPattern", "sourceIp")
_CONDITIONS = (*_SINGLE_CONDITIONS, "httpHeader", "queryStrings")
MAX_VALUES_PER_CONDITION = 3
MAX_VALUES_PER_RULE = 5
_HOST = re.compile(r"[A-Za-z0-9.*?-]{1,128}")
_PATH = re.compile(r"[A-Za-z0-9_.$/~\"'@:+&*?-]{1,128}")
_METHOD = re.compile(r"[A-Z_-]{1,40}")


def check_actions(actions: Any) -> list[Problem]:
    """A listener's defaultActions or a rule's actions: each well formed, authenticate first, one terminal action last."""
    if not isinstance(actions, list) or not actions:
        return [Problem("", actions, "needs at least one action")]
    problems = []
    # Without `order` the provider orders the actions as listed.
    ordered = []
    for index, action in enumerate(actions):
        path = f"[{index}]"
        order = action.get("order")
        if order is not None and not (whole_number(order) is not None and 1 <= order <= 50000):
            problems.append(Problem(join(path, "order"), order, "must be a whole number 1 to 50000"))
        ordered.append((order if order is not None else index + 1, index, action))
        problems += _action(action, path)
    orders = [order for order, _, _ in ordered]
    for order, index, _ in ordered:
        if orders.count(order) > 1:
            problems.append(Problem(f"[{index}].order", order, "must be unique among the actions"))
    kinds = [(index, action.get("type")) for _, index, action in sorted(ordered, key=lambda item: item[0])]
    terminal = [(index, kind) for index, kind in kinds if kind in TERMINAL]
    if len(terminal) != 1:
        problems.append(Problem("", [kind for _, kind in kinds],
                                "needs exactly one forward, redirect or fixed-response action"))
    elif kinds[-1][1] not in TERMINAL:
        problems.append(Problem(f"[{terminal[0][0]}].type", terminal[0][1],
                                "must be the last action: authenticate actions come before it"))
    return problems


def _action(action: dict[str, Any], path: str) -> list[Problem]:
    kind = action.get("type")
    if kind not in (*TERMINAL, *AUTHENTICATE):
        return [Problem(join(path, "type"), kind, f"must be one of {', '.join((*AUTHENTICATE, *TERMINAL))}")]
    if kind == "forward":
        return _forward(action, path)
    block = action.get(_BLOCK[kind])
    if not isinstance(block, dict):
        return [Problem(join(path, _BLOCK[kind]), block, f"is required by a {kind} action")]
    at = join(path, _BLOCK[kind])
    return {"redirect": _redirect, "fixed-response": _fixed_response, "authenticate-oidc": _oidc,
            "authenticate-cognito": _cognito}[kind](block, at)


def _forward(action: dict[str, Any], path: str) -> list[Problem]:
    forward = action.get("forward")
    if not action.get("targetGroupArn") and not forward:
        return [Problem(join(path, "targetGroupArn"), None, "a forward action needs targetGroupArn or a forward block")]
    problems = []
    if isinstance(forward, dict):
        groups = forward.get("targetGroups") or []
        if not 1 <= len(groups) <= 5:
            problems.append(Problem(join(path, "forward.targetGroups"), groups, "forwards to 1 to 5 target groups"))
        for index, group in enumerate(groups):
            weight = group.get("weight")
            if weight is not None and not 0 <= weight <= 999:
                problems.append(Problem(f"{join(path, 'forward.targetGroups')}[{index}].weight", weight, "must be 0 to 999"))
        duration = (forward.get("stickiness") or {}).get("duration")
        if duration is not None and not 1 <= duration <= _MAX_SESSION_TIMEOUT:
            problems.append(Problem(join(path, "forward.stickiness.duration"), duration, "must be 1 to 604800 seconds"))
    return problems


def _redirect(redirect: dict[str, Any], path: str) -> list[Problem]:
    problems = []
    if redirect.get("statusCode") not in ("HTTP_301", "HTTP_302"):
        problems.append(Problem(join(path, "statusCode"), redirect.get("statusCode"), "is required: HTTP_301 or HTTP_302"))
    if redirect.get("protocol") not in (None, "HTTP", "HTTPS", "#{protocol}"):
        problems.append(Problem(join(path, "protocol"), redirect["protocol"], "must be HTTP, HTTPS or #{protocol}"))
    port = redirect.get("port")
    if port is not None and port != "#{port}" and not (str(port).isdigit() and 1 <= int(port) <= 65535):
        problems.append(Problem(join(path, "port"), port, "must be a port 1 to 65535 or #{port}"))
    for key, low in (("host", 1), ("path", 1), ("query", 0)):
        value = redirect.get(key)
        if value is not None and not low <= len(value) <= 128:
            problems.append(Problem(join(path, key), value, f"must have {low} to 128 characters"))
    if redirect.get("path") is not None and not str(redirect["path"]).startswith("/"):
        problems.append(Problem(join(path, "path"), redirect["path"], "must start with /"))
    # "To avoid a redirect loop, you must modify at least one of: protocol, port, hostname or path."
    if all(redirect.get(key) in (None, default) for key, default in
           (("protocol", "#{protocol}"), ("port", "#{port}"), ("host", "#{host}"), ("path", "/#{path}"))):
        problems.append(Problem(path, redirect, "redirects to itself: change the protocol, port, host or path"))
    return problems


def _fixed_response(response: dict[str, Any], path: str) -> list[Problem]:
    problems = []
    if response.get("contentType") not in _CONTENT_TYPES:
        problems.append(Problem(join(path, "contentType"), response.get("contentType"),
                                f"is required: one of {', '.join(_CONTENT_TYPES)}"))
    if len(response.get("messageBody") or "") > 1024:
        problems.append(Problem(join(path, "messageBody"), response["messageBody"], "may have at most 1024 characters"))
    status = str(response.get("statusCode", ""))
    if not re.fullmatch(r"[245]\d\d", status):
        problems.append(Problem(join(path, "statusCode"), response.get("statusCode"), "must be a 2XX, 4XX or 5XX code"))
    return problems


def _authenticate(block: dict[str, Any], path: str, required: tuple[str, ...]) -> list[Problem]:
    problems = [Problem(join(path, key), None, "is required") for key in required if not block.get(key)]
    if block.get("onUnauthenticatedRequest") not in (None, "deny", "allow", "authenticate"):
        problems.append(Problem(join(path, "onUnauthenticatedRequest"), block["onUnauthenticatedRequest"],
                                "must be deny, allow or authenticate"))
    timeout = block.get("sessionTimeout")
    if timeout is not None and not 1 <= timeout <= _MAX_SESSION_TIMEOUT:
        problems.append(Problem(join(path, "sessionTimeout"), timeout, "must be 1 to 604800 seconds (7 days)"))
    if len(block.get("authenticationRequestExtraParams") or {}) > 10:
        problems.append(Problem(join(path, "authenticationRequestExtraParams"), block["authenticationRequestExtraParams"],
                                "may hold at most 10 parameters"))
    return problems


def _oidc(block: dict[str, Any], path: str) -> list[Problem]:
    endpoints = ("issuer", "authorizationEndpoint", "tokenEndpoint", "userInfoEndpoint")
    problems = _authenticate(block, path, (*endpoints, "clientId"))
    for key in endpoints:
        if block.get(key) and not str(block[key]).startswith("https://"):
            problems.append(Problem(join(path, key), block[key], "must be an https:// URL"))
    if not block.get("clientSecret") and not block.get("useExistingClientSecret"):
        problems.append(Problem(join(path, "clientSecret"), None, "is required when the rule is created"))
    return problems


def _cognito(block: dict[str, Any], path: str) -> list[Problem]:
    problems = _authenticate(block, path, ("userPoolArn", "userPoolClientId", "userPoolDomain"))
    if block.get("userPoolArn") and not re.fullmatch(r"arn:aws[a-z-]*:cognito-idp:[a-z0-9-]+:\d{12}:userpool/.+",
                                                     str(block["userPoolArn"])):
        problems.append(Problem(join(path, "userPoolArn"), block["userPoolArn"], "must be a Cognito user pool ARN"))
    return problems


def check_conditions(conditions: Any) -> list[Problem]:
    """A listener rule's conditions: one kind per block, single-use kinds once, at most 3 values each and 5 in all."""
    if not isinstance(conditions, list) or not conditions:
        return [Problem("", conditions, "a listener rule needs at least one condition")]
    problems, total, kinds = [], 0, []
    for index, condition in enumerate(conditions):
        path = f"[{index}]"
        present = [key for key in _CONDITIONS if condition.get(key)]
        if len(present) != 1:
            problems.append(Problem(path, condition, f"must set exactly one of {', '.join(_CONDITIONS)}"))
            continue
        kind = present[0]
        if kind in _SINGLE_CONDITIONS and kind in kinds:
            problems.append(Problem(join(path, kind), condition[kind], f"a rule may have one {kind} condition"))
        kinds.append(kind)
        values, found = _condition_values(kind, condition[kind], join(path, kind))
        problems += found
        if len(values) > MAX_VALUES_PER_CONDITION:
            problems.append(Problem(join(path, kind), values, f"has {len(values)} values, a condition takes at most "
                                                              f"{MAX_VALUES_PER_CONDITION}"))
        total += len(values)
    if total > MAX_VALUES_PER_RULE:
        problems.append(Problem("", f"{total} values", f"a rule's conditions take at most {MAX_VALUES_PER_RULE} "
                                                       "values in all"))
    return problems


def _condition_values(kind: str, block: Any, path: str) -> tuple[list[Any], list[Problem]]:
    if kind == "queryStrings":
        problems = []
        for index, pair in enumerate(block):
            if not pair.get("value"):
                problems.append(Problem(f"{path}[{index}].value", pair.get("value"), "is required"))
            for key in ("key", "value"):
                if len(pair.get(key) or "") > 128:
                    problems.append(Problem(f"{path}[{index}].{key}", pair[key], "may have at most 128 characters"))
        return list(block), problems
    values = list(block.get("values") or []) + list(block.get("regexValues") or [])
    problems = []
    if kind == "httpHeader" and not 1 <= len(block.get("httpHeaderName") or "") <= 40:
        problems.append(Problem(join(path, "httpHeaderName"), block.get("httpHeaderName"), "must have 1 to 40 characters"))
    pattern = {"hostHeader": _HOST, "pathPattern": _PATH, "httpRequestMethod": _METHOD}.get(kind)
    for index, value in enumerate(block.get("values") or []):
        at = f"{join(path, 'values')}[{index}]"
        if pattern is not None and not pattern.fullmatch(str(value)):
            problems.append(Problem(at, value, f"is not a valid {kind} value (at most 128 characters of the allowed set)"))
        elif kind == "httpHeader" and len(str(value)) > 128:
            problems.append(Problem(at, value, "may have at most 128 characters"))
        elif kind == "sourceIp":
            try:
                ipaddress.ip_network(str(value), strict=False)
            except ValueError:
                problems.append(Problem(at, value, "must be a CIDR block"))
    return values, problems

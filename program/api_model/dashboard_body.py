"""A CloudWatch dashboard body as PutDashboard validates it (the model only says "a JSON string").

Structure and limits: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
(PutDashboard refuses keys the structure does not define: "Should NOT have additional properties").
"""

import re
from typing import Any

from .documents import join, parse, unknown_keys, whole_number
from .problems import Problem

GRID_COLUMNS = 24
MAX_WIDGETS = 500
MAX_HEIGHT = 1000
MAX_ALARMS = 100
_TOP_KEYS = ("widgets", "start", "end", "periodOverride", "variables")
_WIDGET_KEYS = ("type", "x", "y", "width", "height", "properties")
_PROPERTIES = {
    "metric": ("accountId", "annotations", "end", "insightRule", "labels", "legend", "liveData", "metrics", "period",
               "region", "setPeriodToTimeRange", "singleValueFullPrecision", "sparkline", "stacked", "start", "stat",
               "table", "thresholds", "timezone", "title", "trend", "view", "yAxis"),
    "text": ("markdown", "background"),
    "alarm": ("alarms", "sortBy", "states", "title"),
    "log": ("accountId", "query", "queryBy", "queryLanguage", "region", "stacked", "title", "view", "logGroupPrefixes"),
}
_REQUIRED = {"metric": ("metrics", "region"), "text": ("markdown",), "alarm": ("alarms",), "log": ("query", "region")}
_WIDGET_TYPES = ("metric", "text", "alarm", "log", "explorer", "custom")
_METRIC_OPTIONS = ("accountId", "color", "expression", "id", "label", "period", "region", "stat", "visible", "yAxis")
_VIEWS = ("timeSeries", "singleValue", "gauge", "bar", "pie", "table")
_ALARM_STATES = ("ALARM", "INSUFFICIENT_DATA", "OK")
_STAT = re.compile(r"SampleCount|Average|Sum|Minimum|Maximum|IQM|(p|tm|wm|tc|ts)\d{1,2}(\.\d{1,10})?|"
                   r"(TM|WM|TC|TS|PR)\([^)]*\)")
_REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d")
_METRIC_ID = re.compile(r"[a-z][a-zA-Z0-9_]*")
_ALARM_ARN = re.compile(r"arn:aws[a-z-]*:cloudwatch:[a-z0-9-]+:\d{12}:alarm:.+")
_HORIZONTAL_KEYS = ("value", "label", "color", "fill", "visible", "yAxis")
_VERTICAL_KEYS = ("value", "label", "color", "fill", "visible")


def check_dashboard_body(value: Any) -> list[Problem]:
    """Every problem of a dashboard body (JSON text) PutDashboard would refuse."""
    body, problems = parse(value)
    if problems:
        return problems
    if not isinstance(body, dict):
        return [Problem("", body, "must be a JSON object with a widgets list")]
    problems += unknown_keys(body, _TOP_KEYS, "", "a dashboard body")
    widgets = body.get("widgets")
    if not isinstance(widgets, list):
        return problems + [Problem("widgets", widgets, "is required: a list of widgets (may be empty)")]
    if len(widgets) > MAX_WIDGETS:
        problems.append(Problem("widgets", f"{len(widgets)} widgets", f"a dashboard holds at most {MAX_WIDGETS} widgets"))
    if body.get("periodOverride") not in (None, "auto", "inherit"):
        problems.append(Problem("periodOverride", body["periodOverride"], "must be auto or inherit"))
    for index, widget in enumerate(widgets):
        problems += _widget(widget, f"widgets[{index}]")
    return problems


def _widget(widget: Any, path: str) -> list[Problem]:
    if not isinstance(widget, dict):
        return [Problem(path, widget, "must be a widget object")]
    problems = unknown_keys(widget, _WIDGET_KEYS, path, "a widget")
    kind = widget.get("type")
    if kind not in _WIDGET_TYPES:
        problems.append(Problem(join(path, "type"), kind, f"must be one of {', '.join(_WIDGET_TYPES)}"))
    problems += _placement(widget, path)
    properties = widget.get("properties")
    if not isinstance(properties, dict):
        return problems + [Problem(join(path, "properties"), properties, "is required: an object")]
    at = join(path, "properties")
    if kind in _PROPERTIES:
        problems += unknown_keys(properties, _PROPERTIES[kind], at, f"a {kind} widget's properties")
        problems += [Problem(join(at, key), None, f"is required in a {kind} widget")
                     for key in _REQUIRED[kind] if properties.get(key) in (None, "", [])]
    if kind == "metric":
        problems += _metric_properties(properties, at)
    elif kind == "alarm":
        problems += _alarm_properties(properties, at)
    elif kind == "text" and properties.get("background") not in (None, "solid", "transparent"):
        problems.append(Problem(join(at, "background"), properties["background"], "must be solid or transparent"))
    return problems


def _placement(widget: dict[str, Any], path: str) -> list[Problem]:
    """The grid is 24 columns wide; a widget defaults to 6 by 6 and must fit inside it."""
    problems = []
    x, width = widget.get("x"), widget.get("width", 6)
    for key, value, low, high in (("x", x, 0, GRID_COLUMNS - 1), ("y", widget.get("y"), 0, None),
                                  ("width", width, 1, GRID_COLUMNS), ("height", widget.get("height", 6), 1, MAX_HEIGHT)):
        if value is None:
            continue
        number = whole_number(value)
        if number is None or number < low or (high is not None and number > high):
            problems.append(Problem(join(path, key), value, f"must be a whole number {low} to {high}" if high is not None
                                    else f"must be a whole number of at least {low}"))
    if whole_number(x) is not None and whole_number(width) is not None and x + width > GRID_COLUMNS:
        problems.append(Problem(join(path, "width"), width, f"x {x} + width {width} runs past the grid's {GRID_COLUMNS} columns"))
    return problems


def _period(value: Any, path: str) -> list[Problem]:
    # "Valid Values: 1, 5, 10, 30, 60, and any multiple of 60" (below 60 only for high-resolution metrics).
    number = whole_number(value)
    if number is None or not (number in (1, 5, 10, 30) or (number > 0 and number % 60 == 0)):
        return [Problem(path, value, "must be 1, 5, 10, 30 or a multiple of 60 seconds")]
    return []


def _stat(value: Any, path: str) -> list[Problem]:
    if isinstance(value, str) and _STAT.fullmatch(value):
        return []
    return [Problem(path, value, "is not a CloudWatch statistic (Average, Sum, p99, ...)")]


def _metric_properties(properties: dict[str, Any], path: str) -> list[Problem]:
    problems = []
    if "period" in properties:
        problems += _period(properties["period"], join(path, "period"))
    if "stat" in properties:
        problems += _stat(properties["stat"], join(path, "stat"))
    if "region" in properties and not (isinstance(properties["region"], str) and _REGION.fullmatch(properties["region"])):
        problems.append(Problem(join(path, "region"), properties["region"], "must be a Region code such as eu-west-1"))
    if properties.get("view", "timeSeries") not in _VIEWS:
        problems.append(Problem(join(path, "view"), properties["view"], f"must be one of {', '.join(_VIEWS)}"))
    legend = properties.get("legend")
    if legend is not None and (not isinstance(legend, dict) or legend.get("position") not in ("bottom", "right", "hidden")):
        problems.append(Problem(join(path, "legend"), legend, "must be {\"position\": bottom, right or hidden}"))
    metrics = properties.get("metrics")
    if isinstance(metrics, list):
        ids = set()
        for index, metric in enumerate(metrics):
            problems += _metric(metric, f"{join(path, 'metrics')}[{index}]", ids)
    elif metrics is not None:
        problems.append(Problem(join(path, "metrics"), metrics, "must be a list of metric arrays"))
    for key, keys, inner in (("annotations", ("horizontal", "vertical"), _annotations),
                             ("yAxis", ("left", "right"), _y_axis)):
        value = properties.get(key)
        if value is None:
            continue
        if not isinstance(value, dict):
            problems.append(Problem(join(path, key), value, f"must be an object with {' and/or '.join(keys)}"))
            continue
        problems += unknown_keys(value, keys, join(path, key), key) + inner(value, join(path, key))
    return problems


def _metric(metric: Any, path: str, ids: set[str]) -> list[Problem]:
    """[namespace, name, dimension, value, ..., {options}] (`.` repeats the metric above), or [{expression}]."""
    if not isinstance(metric, list) or not metric:
        return [Problem(path, metric, "must be a metric array: [namespace, name, dimension, value, ..., {options}]")]
    *names, options = metric if isinstance(metric[-1], dict) else (*metric, {})
    problems = []
    if any(not isinstance(name, str) for name in names):
        problems.append(Problem(path, metric, "may hold strings and, last, one options object"))
    elif names and (len(names) < 2 or len(names) % 2):
        problems.append(Problem(path, metric, "needs namespace and metric name, then dimension name and value pairs"))
    elif not names and "expression" not in options:
        problems.append(Problem(path, metric, "an options-only entry needs an expression"))
    problems += unknown_keys(options, _METRIC_OPTIONS, path + "[-1]", "a metric's options")
    if "id" in options:
        if not (isinstance(options["id"], str) and _METRIC_ID.fullmatch(options["id"])):
            problems.append(Problem(path + "[-1].id", options["id"], "must start with a lowercase letter, then letters, digits or _"))
        elif options["id"] in ids:
            problems.append(Problem(path + "[-1].id", options["id"], "must be unique within the widget"))
        ids.add(options["id"])
    if "period" in options:
        problems += _period(options["period"], path + "[-1].period")
    if "stat" in options:
        problems += _stat(options["stat"], path + "[-1].stat")
    if options.get("yAxis", "left") not in ("left", "right"):
        problems.append(Problem(path + "[-1].yAxis", options["yAxis"], "must be left or right"))
    return problems


def _annotations(annotations: dict[str, Any], path: str) -> list[Problem]:
    problems = []
    for kind, keys in (("horizontal", _HORIZONTAL_KEYS), ("vertical", _VERTICAL_KEYS)):
        for index, item in enumerate(annotations.get(kind) or []):
            at = f"{join(path, kind)}[{index}]"
            # A band is a pair of annotations: [{from}, {to}].
            for part in (item if isinstance(item, list) else [item]):
                if not isinstance(part, dict):
                    problems.append(Problem(at, part, "must be an annotation object"))
                    continue
                problems += unknown_keys(part, keys, at, f"a {kind} annotation")
                value = part.get("value")
                if kind == "horizontal" and (isinstance(value, bool) or not isinstance(value, (int, float))):
                    problems.append(Problem(join(at, "value"), value, "is required: the number to draw the line at"))
                if kind == "vertical" and not isinstance(value, str):
                    problems.append(Problem(join(at, "value"), value, "is required: an ISO 8601 time"))
    return problems


def _y_axis(axis: dict[str, Any], path: str) -> list[Problem]:
    problems = []
    for side in ("left", "right"):
        if isinstance(axis.get(side), dict):
            problems += unknown_keys(axis[side], ("min", "max", "label", "showUnits"), join(path, side), "a y axis")
            low, high = axis[side].get("min"), axis[side].get("max")
            if isinstance(low, (int, float)) and isinstance(high, (int, float)) and low >= high:
                problems.append(Problem(join(join(path, side), "max"), high, f"must be above min ({low})"))
    return problems


def _alarm_properties(properties: dict[str, Any], path: str) -> list[Problem]:
    problems = []
    alarms = properties.get("alarms") or []
    if len(alarms) > MAX_ALARMS:
        problems.append(Problem(join(path, "alarms"), f"{len(alarms)} alarms", f"an alarm widget shows at most {MAX_ALARMS}"))
    for index, arn in enumerate(alarms):
        if not (isinstance(arn, str) and _ALARM_ARN.fullmatch(arn)):
            problems.append(Problem(f"{join(path, 'alarms')}[{index}]", arn,
                                    "must be an alarm ARN arn:aws:cloudwatch:region:account:alarm:name"))
    if properties.get("sortBy", "default") not in ("default", "stateUpdatedTimestamp", "timestamp"):
        problems.append(Problem(join(path, "sortBy"), properties["sortBy"], "must be default, stateUpdatedTimestamp or timestamp"))
    for index, state in enumerate(properties.get("states") or []):
        if state not in _ALARM_STATES:
            problems.append(Problem(f"{join(path, 'states')}[{index}]", state, f"must be one of {', '.join(_ALARM_STATES)}"))
    return problems

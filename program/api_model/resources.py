"""Every registered resource checked against the API operation the provider calls with its inputs.

RULES (rules.py) says, per Pulumi type, which operation's input shape the provider fills and which API
member each Pulumi input becomes; `check_plan` checks every registration of a plan against it, together
with the documented limits (limits.LIMITS) and the literal payloads (payloads.PAYLOADS), and reports what
it could not check, so the coverage is visible next to the result.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterator, Optional

from botocore.model import ListShape, Shape, StructureShape

from . import limits, payloads
from .problems import InvalidResources, Problem, Violation
from .rules import RULES, UNCHECKED, Block, Convert, Mapping, Rule
from .shapes import check, shape

if TYPE_CHECKING:  # the plan's own module; the check only reads what it registered
    from program.offline import Plan, Registration

__all__ = ["RULES", "UNCHECKED", "Report", "check_plan", "require_valid", "member_shape", "mapped_members"]

# The component a resource belongs to is the nearest parent that is not itself a cloud resource.
_COMPONENT_TYPE_PREFIX = "airflow-aws:index:"


@dataclass(frozen=True)
class Report:
    """What the check of one plan found, and what it could not check."""

    violations: list[Violation]
    checked_types: list[str]
    """Types with at least one rule, limit or payload check."""
    unchecked_types: dict[str, str]
    """Types registered with no check at all -> why."""
    unchecked_properties: dict[str, dict[str, str]]
    """Checked types -> their registered inputs that no check covers -> why."""

    def as_json(self) -> dict[str, Any]:
        return {"violations": [v.render() for v in self.violations], "checkedTypes": self.checked_types,
                "uncheckedTypes": self.unchecked_types, "uncheckedProperties": self.unchecked_properties}


def check_plan(plan: Plan, rules: Optional[dict[str, Rule]] = None, unchecked: Optional[dict[str, str]] = None) -> Report:
    """Check every custom resource `plan` registered against RULES, LIMITS and PAYLOADS (or the given tables)."""
    rules = RULES if rules is None else rules
    unchecked = UNCHECKED if unchecked is None else unchecked
    by_urn = {r.urn: r for r in plan.registrations}
    violations: list[Violation] = []
    checked: set[str] = set()
    unchecked_types: dict[str, str] = {}
    unchecked_properties: dict[str, dict[str, str]] = {}
    for registration in plan.registrations:
        if not registration.custom:
            continue
        typ = registration.type
        rule, type_limits, type_payloads = rules.get(typ), limits.LIMITS.get(typ, []), payloads.PAYLOADS.get(typ, {})
        if rule is None and not type_limits and not type_payloads:
            unchecked_types[typ] = unchecked.get(typ, "no rule maps its inputs to an API operation yet")
            continue
        checked.add(typ)
        problems, skipped = _check_registration(registration, rule, type_limits, type_payloads)
        if skipped:
            unchecked_properties.setdefault(typ, {}).update(skipped)
        component = _component(registration, by_urn)
        violations.extend(Violation(component, registration.name, typ, problem) for problem in problems)
    return Report(violations, sorted(checked), dict(sorted(unchecked_types.items())),
                  {typ: dict(sorted(props.items())) for typ, props in sorted(unchecked_properties.items())})


def require_valid(plan: Plan) -> Report:
    """The check's report of a plan AWS would accept; raises InvalidResources naming every violation otherwise."""
    report = check_plan(plan)
    if report.violations:
        raise InvalidResources(plan.stack, report.violations)
    return report


def _check_registration(registration: Registration, rule: Optional[Rule],
                        type_limits: list[Callable[[dict[str, Any]], list[Problem]]],
                        type_payloads: dict[str, Callable[[Any], list[Problem]]]) -> tuple[list[Problem], dict[str, str]]:
    inputs = registration.inputs
    problems: list[Problem] = []
    skipped: dict[str, str] = {}
    for name, value in inputs.items():
        if name in type_payloads:
            # A payload is checked as the document AWS receives, not again as a plain string.
            problems.extend(p.under(name) for p in type_payloads[name](value))
        elif rule is None:
            skipped[name] = "no rule maps this type's inputs to an API operation"
        elif name in rule.members:
            _check_input(rule, rule.members[name], value, name, "", problems, skipped)
        else:
            skipped[name] = rule.unmapped.get(name, f"not mapped to a member of {rule.shape}")
    for check_limit in type_limits:
        problems.extend(check_limit(inputs))
    return problems, skipped


def _check_input(rule: Rule, mapping: Mapping, value: Any, path: str, base: str, problems: list[Problem],
                 skipped: dict[str, str]) -> None:
    if value is None:
        return
    if isinstance(mapping, str):
        problems.extend(check(member_shape(rule.service, rule.shape, _join(base, mapping)), value, path))
        return
    if isinstance(mapping, Convert):
        try:
            converted = mapping.convert(value)
        except ValueError as error:
            problems.append(Problem(path, value, str(error)))
            return
        if converted is not None:
            found = check(member_shape(rule.service, rule.shape, _join(base, mapping.member)), converted)
            if mapping.locate is None:
                problems.extend(p.under(path) for p in found)
            else:
                problems.extend(Problem(path + mapping.locate(value, p.path), p.value, p.constraint) for p in found)
        return
    items = value if isinstance(value, list) else [value]
    for index, item in enumerate(items):
        item_path = f"{path}[{index}]" if isinstance(value, list) else path
        if not isinstance(item, dict):
            problems.append(Problem(item_path, item, f"must be an object (it becomes {mapping.member})"))
            continue
        for key, inner in item.items():
            inner_path = f"{item_path}.{key}"
            if key in mapping.members:
                _check_input(rule, mapping.members[key], inner, inner_path, _join(base, mapping.member), problems, skipped)
            else:
                skipped[_generic(inner_path)] = mapping.unmapped.get(key, f"not mapped to a member of {mapping.member}")


def mapped_members(members: dict[str, Mapping], base: str = "") -> Iterator[tuple[str, str]]:
    """(Pulumi key path, API member path) of every leaf of a rule's or block's members, through nested blocks."""
    for key, mapping in members.items():
        if isinstance(mapping, Block):
            yield from ((f"{key}.{inner}", path) for inner, path in mapped_members(mapping.members,
                                                                                  _join(base, mapping.member)))
        else:
            yield key, _join(base, mapping.member if isinstance(mapping, Convert) else mapping)


def _join(base: str, member: str) -> str:
    """A block's member path below its own (a block may map to the structure that holds it: member "")."""
    if not base or not member:
        return base or member
    return f"{base}{member}" if base.endswith(":") else f"{base}.{member}"


def _generic(path: str) -> str:
    """`rules[0].expiration` and `rules[1].expiration` are one unchecked property."""
    return re.sub(r"\[\d+\]", "[]", path)


@functools.lru_cache(maxsize=None)
def member_shape(service: str, shape_name: str, member_path: str) -> Shape:
    """The shape of a dotted member path inside an input shape, stepping through lists.

    `Other:Path` starts at the service's shape `Other` instead (an operation the provider calls after
    create). Raises KeyError naming the path when a member does not exist, so a typo in the table is found.
    """
    if ":" in member_path:
        shape_name, member_path = member_path.split(":", 1)
    current: Shape = shape(service, shape_name)
    for member in filter(None, member_path.split(".")):
        while isinstance(current, ListShape):
            current = current.member
        if not isinstance(current, StructureShape) or member not in current.members:
            raise KeyError(f"{service} {shape_name} has no member path {member_path} (at {member})")
        current = current.members[member]
    return current


def _component(registration: Registration, by_urn: dict[str, Registration]) -> str:
    parent = by_urn.get(registration.parent)
    while parent is not None and parent.custom:
        parent = by_urn.get(parent.parent)
    if parent is None:
        return "stack"
    kind = parent.type[len(_COMPONENT_TYPE_PREFIX):] if parent.type.startswith(_COMPONENT_TYPE_PREFIX) else parent.type
    return f"{kind} {parent.name}"

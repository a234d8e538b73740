"""The estimate as lines for the plan, a delta for the change preview, and the README's cost table."""

from typing import Any

from .estimate import Estimate
from .prices import PRICES


def money(low: float, high: float) -> str:
    return f"${low:,.2f}" if low == high else f"${low:,.2f} – ${high:,.2f}"


def _signed(value: float) -> str:
    return f"{'+' if value >= 0 else '-'}${abs(value):,.2f}"


def headline(estimate: Estimate) -> str:
    if estimate.table is None:
        return (f"monthly estimate: no price table for Region {estimate.region} (prices are kept for "
                f"{', '.join(sorted(PRICES))}); not estimated")
    return f"monthly estimate ({estimate.region}, prices of {estimate.table.as_of}): {money(estimate.low, estimate.high)}"


def as_lines(estimate: Estimate) -> list[str]:
    """The estimate with its line items, the unpriced items and the source of the prices."""
    lines = [headline(estimate)]
    if estimate.table is None:
        return lines
    lines.extend(f"  {money(i.low, i.high):>22}  {i.label}{' *' if i.assumed else ''}" for i in estimate.items)
    if estimate.unpriced:
        lines.append(f"  not priced (missing from the {estimate.region} table): {', '.join(sorted(set(estimate.unpriced)))}")
    lines.append("  * usage-priced: the figure rests on the assumed monthly use shown")
    lines.append(f"  prices: {estimate.table.source}")
    return lines


def delta(base: Estimate, head: Estimate) -> dict[str, Any]:
    """Totals before and after, their difference, and the line items that differ."""
    before = {i.name: i for i in base.items}
    after = {i.name: i for i in head.items}
    removed = [i for name, i in before.items() if after.get(name) != i]
    added = [i for name, i in after.items() if before.get(name) != i]
    return {"region": head.region, "priced": head.table is not None,
            "before": (base.low, base.high), "after": (head.low, head.high),
            "change": (round(head.low - base.low, 2), round(head.high - base.high, 2)),
            "removed": removed, "added": added}


def delta_lines(change: dict[str, Any], markdown: bool = False) -> list[str]:
    if not change["priced"]:
        return [f"Monthly cost: not estimated, no price table for Region {change['region']}."]
    low, high = change["change"]
    summary = (f"Monthly cost: {money(*change['before'])} → {money(*change['after'])} "
               f"({_signed(low)}{'' if low == high else ' / ' + _signed(high)} a month)")
    bullet = "- " if markdown else "    "
    lines = [f"**{summary}**" if markdown else summary]
    lines.extend(f"{bullet}− {i.label}: {money(i.low, i.high)}" for i in change["removed"])
    lines.extend(f"{bullet}+ {i.label}: {money(i.low, i.high)}" for i in change["added"])
    return lines


def delta_json(change: dict[str, Any]) -> dict[str, Any]:
    item = lambda i: {**vars(i), "label": i.label}  # noqa: E731
    return {**change, "removed": [item(i) for i in change["removed"]], "added": [item(i) for i in change["added"]]}


def readme_table(estimates: dict[str, Estimate]) -> str:
    """Stacks side by side: every line item, low – high a month, and the totals."""
    names: list[str] = []
    for estimate in estimates.values():
        names += [i.name for i in estimate.items if i.name not in names]
    lines = ["| monthly, USD | " + " | ".join(f"`{stack}`" for stack in estimates) + " |",
             "|---" * (len(estimates) + 1) + "|"]
    for name in names:
        cells = [next((f"{money(i.low, i.high)} ({i.detail})" for i in e.items if i.name == name), "")
                 for e in estimates.values()]
        lines.append(f"| {name}{' *' if _assumed(estimates, name) else ''} | " + " | ".join(cells) + " |")
    lines.append("| **total** | " + " | ".join(f"**{money(e.low, e.high)}**" for e in estimates.values()) + " |")
    sources = {e.table.source for e in estimates.values() if e.table}
    return "\n".join(lines) + "\n\n" + "".join(f"Prices: {source}.\n" for source in sorted(sources))


def _assumed(estimates: dict[str, Estimate], name: str) -> bool:
    return any(i.assumed for e in estimates.values() for i in e.items if i.name == name)

"""Compare two evaluation runs of the same set, item by item: which questions a change turned right
or wrong, and whether that is more than chance.

On an eval set of 50-100 questions a change that moves a figure by two items is usually noise. The
two runs are paired (the same questions), so the test is McNemar's exact test: under "the change
makes no difference" each question that flipped was as likely to flip either way, and the p-value
is the two-sided binomial probability of a split at least this uneven.

    from qa.evaluation.compare import compare_reports
    for row in compare_reports("reports/before.json", "reports/after.json").checks:
        print(row.check, row.before, row.after, row.p_value)
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa.errors import ConfigError

Item = dict[str, Any]


def _first_citation(item: Item) -> bool:
    citations = item.get("citations") or []
    return bool(citations) and bool(citations[0].get("gold"))


# check -> (label, which items it applies to, whether an item passes it)
CHECKS: dict[str, tuple[str, Callable[[Item], bool], Callable[[Item], bool]]] = {
    "first_citation": ("first citation in gold", lambda i: i["kind"] == "answerable", _first_citation),
    "hit1": ("retrieval hit@1", lambda i: i["kind"] == "answerable", lambda i: i.get("gold_rank") == 1),
    "facts_complete": (
        "all facts found",
        lambda i: i["kind"] == "answerable" and bool(i.get("facts_found")),
        lambda i: all(i["facts_found"]),
    ),
    "answered": ("answerable, answered", lambda i: i["kind"] == "answerable", lambda i: not i["abstained"]),
    "abstention": (
        "abstention on unanswerable",
        lambda i: i["kind"] != "answerable",
        lambda i: bool(i["abstained"]),
    ),
}


@dataclass(frozen=True)
class Flip:
    id: str
    question: str


@dataclass(frozen=True)
class CheckComparison:
    """One check over the items both runs have: how many pass before and after, which flipped, and
    McNemar's exact two-sided p-value for the flips (1.0 when nothing flipped)."""

    check: str
    label: str
    n: int
    before: int
    after: int
    gained: tuple[Flip, ...]  # wrong before, right after
    lost: tuple[Flip, ...]  # right before, wrong after
    p_value: float


@dataclass(frozen=True)
class Comparison:
    """Two runs compared: one row per check, the questions whose answer changed (its text, whether
    it abstained, or its citations), and the question ids only one run has (not compared)."""

    checks: tuple[CheckComparison, ...]
    only_before: tuple[str, ...]
    only_after: tuple[str, ...]
    changed_answers: tuple[Flip, ...] = ()

    def check(self, name: str) -> CheckComparison:
        return next(row for row in self.checks if row.check == name)


def load_report(path: str | Path) -> dict[str, Item]:
    """The items of a `qa eval` JSON report, by id."""
    where = Path(path)
    try:
        data = json.loads(where.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"eval report {where}: no such file; pass a reports/eval-*.json file that `qa eval` wrote"
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ConfigError(
            f"eval report {where}: not a JSON file; pass the .json report `qa eval` wrote, not the .md"
        ) from None
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, list) or not all(
        isinstance(i, dict) and "id" in i and "kind" in i for i in items
    ):
        raise ConfigError(
            f"eval report {where}: no `items` list of evaluated questions; pass a report `qa eval` wrote"
        )
    return {str(item["id"]): item for item in items}


def _answer(item: Item) -> tuple[Any, ...]:
    """What a reader sees of an item's answer: its text, whether it abstained, its citations."""
    citations = tuple(
        (c.get("section"), c.get("quote"), c.get("article")) for c in item.get("citations") or []
    )
    return item.get("answer_text"), item.get("abstained"), citations


def mcnemar_p(gained: int, lost: int) -> float:
    """McNemar's exact test: two-sided binomial p-value of `gained` against `lost` flips."""
    if gained + lost == 0:
        return 1.0
    from scipy.stats import binomtest  # imported here: only a comparison needs it

    return float(binomtest(gained, gained + lost, 0.5).pvalue)


def compare_reports(before: str | Path, after: str | Path) -> Comparison:
    """Every check of CHECKS over the items the two reports share (matched by id)."""
    old, new = load_report(before), load_report(after)
    shared = [key for key in old if key in new]
    if not shared:
        raise ConfigError(
            f"eval reports {before} and {after} have no question id in common: "
            "compare two runs of the same set"
        )
    rows = []
    for check, (label, applies, passes) in CHECKS.items():
        pairs = [
            (key, passes(old[key]), passes(new[key]))
            for key in shared
            if applies(old[key]) and applies(new[key])
        ]
        gained = tuple(
            Flip(key, str(new[key].get("question", ""))) for key, was, now in pairs if now and not was
        )
        lost = tuple(
            Flip(key, str(new[key].get("question", ""))) for key, was, now in pairs if was and not now
        )
        rows.append(
            CheckComparison(
                check,
                label,
                len(pairs),
                sum(was for _, was, _ in pairs),
                sum(now for _, _, now in pairs),
                gained,
                lost,
                mcnemar_p(len(gained), len(lost)),
            )
        )
    changed = tuple(
        Flip(key, str(new[key].get("question", "")))
        for key in shared
        if _answer(old[key]) != _answer(new[key])
    )
    return Comparison(
        tuple(rows), tuple(k for k in old if k not in new), tuple(k for k in new if k not in old), changed
    )


def print_comparison(comparison: Comparison, console: Any | None = None) -> None:
    """A table of the checks, then each question that flipped (rich)."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    table = Table(title="qa compare: before -> after, the same questions", title_justify="left")
    for header, justify in (("check", "left"), ("n", "right"), ("before", "right"), ("after", "right"),
                            ("gained", "right"), ("lost", "right"), ("p (McNemar)", "right")):
        table.add_column(header, justify=justify)  # type: ignore[arg-type]
    for row in comparison.checks:
        table.add_row(row.label, str(row.n), str(row.before), str(row.after), f"+{len(row.gained)}",
                      f"-{len(row.lost)}", f"{row.p_value:.3f}", style="bold" if row.p_value < 0.05 else None)
    console.print(table)
    for row in comparison.checks:
        for sign, flips in (("+", row.gained), ("-", row.lost)):
            for flip in flips:
                console.print(
                    f"{sign} {row.check}: {flip.id}  {flip.question}", markup=False, highlight=False
                )
    console.print(f"answers changed: {len(comparison.changed_answers)} of the questions both runs have",
                  markup=False, highlight=False)
    for flip in comparison.changed_answers:
        console.print(f"~ answer: {flip.id}  {flip.question}", markup=False, highlight=False)
    if comparison.only_before or comparison.only_after:
        console.print(f"not compared: {len(comparison.only_before)} question(s) only before, "
                      f"{len(comparison.only_after)} only after")
    console.print("p < 0.05 (bold) is unlikely to be chance; a larger p says the flips could be noise.")

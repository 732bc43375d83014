"""Show and keep an EvalReport: a rich table for the terminal, JSON and Markdown files, thresholds."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from qa.errors import ConfigError
from qa.evaluation.runner import EvalReport, ItemResult, Metric

# `qa eval` flag -> (metric key, comparison). "min" passes at or above, "max" at or below.
THRESHOLDS: dict[str, tuple[str, str]] = {
    "min_hit1": ("hit1", "min"),
    "min_hit3": ("hit3", "min"),
    "min_mrr": ("mrr", "min"),
    "min_fact_recall": ("fact_recall", "min"),
    "min_citation_precision": ("citation_precision", "min"),
    "min_citation_recall": ("citation_recall", "min"),
    "min_first_citation": ("first_citation", "min"),
    "min_quote_validity": ("quote_validity", "min"),
    "min_real_heading": ("real_heading", "min"),
    "min_abstention": ("abstention", "min"),
    "min_abstention_ooa": ("abstention_ooa", "min"),
    "max_over_refusal": ("over_refusal", "max"),
    "min_language_match": ("language_match", "min"),
    "min_faithfulness": ("faithfulness", "min"),
    "min_correctness": ("correctness", "min"),
}
PAIR_COLUMNS = {"hit1": "hit@1", "hit3": "hit@3", "mrr": "MRR", "fact_recall": "fact recall",
                "language_match": "language match"}


@contextmanager
def progress(total: int, every: int = 10) -> Iterator[Callable[[int, int, str], None]]:
    """A progress callback for run_eval on stderr: a rich bar on a terminal, else a line every
    `every` items (and at the end), which reads well in CI logs."""
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        with Progress(TextColumn("eval"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      TextColumn("{task.description}"), console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task("", total=total)
            yield lambda done, _total, item_id: bar.update(task, completed=done, description=item_id)
        return

    def line(done: int, total: int, item_id: str) -> None:
        if done % every == 0 or done == total:
            print(f"qa: eval: {done}/{total} items", file=sys.stderr, flush=True)

    yield line


def flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def check_thresholds(report: EvalReport, limits: Mapping[str, float | None]) -> list[str]:
    """One line per threshold the report misses; `limits` maps THRESHOLDS names to values (None = unset)."""
    failed = []
    for name, limit in limits.items():
        if limit is None:
            continue
        key, kind = THRESHOLDS[name]
        try:
            metric = report.metric(key)
        except KeyError:
            metric = None
        if metric is None or metric.value is None:
            if key in ("faithfulness", "correctness") and not report.judge_model:
                why = "needs an LLM judge: set QA_LLM_BASE_URL and QA_LLM_MODEL"
            else:
                why = "nothing to measure: no item or answer it applies to"
            failed.append(f"{key} was not measured ({why}); required {flag(name)} {limit:g}")
            continue
        if (kind == "min" and metric.value < limit) or (kind == "max" and metric.value > limit):
            sign = "<" if kind == "min" else ">"
            failed.append(f"{metric.label} {metric.value:.3f} {sign} {limit:g} ({flag(name)})")
    return failed


def fmt(metric: Metric) -> str:
    if metric.value is None:
        return "n/a"
    if metric.unit == "items":
        return f"{metric.value:.0f}"
    return f"{metric.value:.1f} ms" if metric.unit == "ms" else f"{metric.value:.3f}"


def fmt_interval(metric: Metric) -> str:
    """The 95% interval of a share as "0.69-0.90", or "" when it has none."""
    return f"{metric.interval[0]:.2f}–{metric.interval[1]:.2f}" if metric.interval else ""


def _got(item: ItemResult) -> str:
    if item.abstained:
        return "abstained"
    return ", ".join(item.cited_sections) or "(no citations)"


def print_report(
    report: EvalReport, console: Any | None = None, limits: Mapping[str, float | None] | None = None
) -> None:
    """A readable summary on the terminal (rich)."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    wanted = {
        THRESHOLDS[name][0]: (THRESHOLDS[name][1], v) for name, v in (limits or {}).items() if v is not None
    }
    table = Table(title=f"qa eval: {len(report.items)} items, mode {report.mode}", title_justify="left")
    table.add_column("metric")
    table.add_column("value", justify="right")
    table.add_column("95% interval", justify="right")
    table.add_column("n", justify="right")
    table.add_column("threshold", justify="right")
    for metric in report.metrics:
        limit = ""
        style = None
        if metric.key in wanted:
            kind, value = wanted[metric.key]
            limit = f"{'≥' if kind == 'min' else '≤'} {value:g}"
            ok = metric.value is not None and (
                metric.value >= value if kind == "min" else metric.value <= value
            )
            style = "green" if ok else "bold red"
        table.add_row(metric.label, fmt(metric), fmt_interval(metric), str(metric.n), limit, style=style)
    console.print(table)

    pairs = Table(title="by language pair (question→article)", title_justify="left")
    pairs.add_column("pair")
    for header in PAIR_COLUMNS.values():
        pairs.add_column(header, justify="right")
    pairs.add_column("items", justify="right")
    for pair in report.by_pair:
        pairs.add_row(pair, *(fmt(report.metric(k, pair)) for k in PAIR_COLUMNS),
                      str(sum(1 for i in report.items if i.pair == pair)))
    console.print(pairs)
    if report.judge_model:
        console.print(f"LLM-judged metrics by [bold]{report.judge_model}[/bold]"
                      f" ({report.judge_errors} judge errors)")
    if report.answer_modes.get("extractive") and report.mode == "llm":
        console.print(f"[yellow]{report.answer_modes['extractive']} answers fell back to extractive[/yellow]")
    failures = report.failures
    console.print(f"{len(failures)} of {len(report.items)} items have at least one failed check"
                  + (" (listed in the Markdown report)" if failures else ""))


def to_markdown(report: EvalReport) -> str:
    """The report as Markdown: figures, the split by language pair, then every failing item."""
    lines = [
        f"# qa evaluation — {report.created}",
        "",
        f"- set: `{report.set_path}` ({len(report.items)} items)",
        f"- answer mode: {report.mode} (answers by mode: "
        + ", ".join(f"{k} {v}" for k, v in sorted(report.answer_modes.items())) + ")",
        f"- embedding model: {report.settings.get('embedding_model')}, top_k {report.settings.get('top_k')}, "
        f"min_evidence {report.settings.get('min_evidence')}",
    ]
    if report.judge_model:
        lines.append(f"- LLM judge: {report.judge_model} ({report.judge_errors} judge errors)")
    lines += ["", "| metric | value | 95% interval | n |", "|---|---:|---:|---:|"]
    lines += [
        f"| {metric.label} | {fmt(metric)} | {fmt_interval(metric)} | {metric.n} |"
        for metric in report.metrics
    ]
    lines += ["", "## By language pair (question→article)", "",
              "| pair | " + " | ".join(PAIR_COLUMNS.values()) + " | items |",
              "|---|" + "---:|" * (len(PAIR_COLUMNS) + 1)]
    for pair in report.by_pair:
        lines.append(f"| {pair} | " + " | ".join(fmt(report.metric(k, pair)) for k in PAIR_COLUMNS)
                     + f" | {sum(1 for i in report.items if i.pair == pair)} |")
    failures = report.failures
    lines += ["", f"## Failures ({len(failures)} items)", ""]
    if not failures:
        lines.append("None.")
    for item in failures:
        lines += [
            f"### `{item.id}` ({item.kind}, {item.language})",
            "",
            f"- question: {item.question}",
            f"- expected sections: {', '.join(item.gold_sections) or '(none: should abstain)'}",
            f"- got: {_got(item)}; retrieved: {', '.join(item.ranked_sections[:3])}",
            *(f"- {why}" for why in item.failures),
            "",
        ]
    return "\n".join(lines) + "\n"


def check_out_dir(out_dir: str | Path) -> Path:
    """The reports folder, refused before any work if a file stands in its place."""
    out = Path(out_dir)
    for part in (out, *out.parents):
        if part.exists() and not part.is_dir():
            raise ConfigError(
                f"reports folder {out}: {part} is a file; pass --out a folder (it is created if missing)"
            )
    return out


def write_reports(report: EvalReport, out_dir: str | Path) -> tuple[Path, Path]:
    """Write `eval-<mode>-<UTC time>.json` and `.md` into out_dir (created if needed)."""
    out = check_out_dir(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = f"eval-{report.mode}-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}"
    json_path, md_path = out / f"{stem}.json", out / f"{stem}.md"
    json_path.write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    md_path.write_text(to_markdown(report), encoding="utf-8")
    return json_path, md_path

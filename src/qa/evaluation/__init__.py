"""Evaluate qa against a hand-written question set: retrieval, facts, citations, abstention,
answer language, latency, and (with a chat model) LLM-judged faithfulness and correctness.

    from qa import Assistant
    from qa.evaluation import load_items, run_eval
    report = run_eval(Assistant(), load_items("eval/questions.jsonl"))

`qa eval` is the command-line front end, `qa compare` sets two runs side by side. Modules: `items`
(the set), `metrics` (pure scoring rules), `judge` (LLM-judged metrics), `runner` (asks and scores),
`report` (table, JSON, Markdown, thresholds), `compare` (two runs, question by question).
"""

from qa.evaluation.compare import Comparison, compare_reports
from qa.evaluation.items import EvalItem, load_items
from qa.evaluation.report import (
    THRESHOLDS,
    check_thresholds,
    print_report,
    to_markdown,
    write_reports,
)
from qa.evaluation.runner import CitationCheck, EvalReport, ItemResult, Metric, run_eval

__all__ = [
    "THRESHOLDS",
    "CitationCheck",
    "Comparison",
    "EvalItem",
    "EvalReport",
    "ItemResult",
    "Metric",
    "check_thresholds",
    "compare_reports",
    "load_items",
    "print_report",
    "run_eval",
    "to_markdown",
    "write_reports",
]

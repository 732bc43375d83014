"""qa.evaluation.compare and `qa compare`: two runs of the real eval set, one of them changed by
hand, compared question by question."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa.cli import main
from qa.evaluation import load_items, run_eval, write_reports
from qa.evaluation.compare import compare_reports, mcnemar_p
from tests.conftest import REPO


@pytest.fixture(scope="module")
def before(shared_assistant, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real `qa eval` JSON report of eval/questions.jsonl."""
    eval_set = REPO / "eval" / "questions.jsonl"
    report = run_eval(shared_assistant, load_items(eval_set), set_path=str(eval_set))
    json_path, _ = write_reports(report, tmp_path_factory.mktemp("reports"))
    return json_path


def changed(before: Path, tmp_path: Path, lose: int, gain: int) -> tuple[Path, list[str], list[str]]:
    """A copy of the report where `lose` right first citations turn wrong and `gain` wrong ones right."""
    data = json.loads(before.read_text(encoding="utf-8"))
    answerable = [i for i in data["items"] if i["kind"] == "answerable" and i["citations"]]
    right = [i for i in answerable if i["citations"][0]["gold"]][:lose]
    wrong = [i for i in answerable if not i["citations"][0]["gold"]][:gain]
    for item in right:
        item["citations"][0]["gold"] = False
    for item in wrong:
        item["citations"][0]["gold"] = True
    path = tmp_path / "after.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path, [i["id"] for i in right], [i["id"] for i in wrong]


@pytest.mark.parametrize(
    ("gained", "lost", "p"), [(0, 0, 1.0), (0, 2, 0.5), (0, 6, 0.03125), (1, 1, 1.0), (2, 8, 0.109375)]
)
def test_mcnemar_exact_p(gained: int, lost: int, p: float) -> None:
    assert mcnemar_p(gained, lost) == pytest.approx(p)  # 2 * P(X <= min) for X ~ Binomial(n, 1/2)


@pytest.mark.slow
def test_a_run_compared_with_itself_has_no_flips(before: Path) -> None:
    comparison = compare_reports(before, before)
    assert all(not row.gained and not row.lost and row.p_value == 1.0 for row in comparison.checks)
    first = comparison.check("first_citation")
    assert first.n == 86 and first.before == first.after
    assert comparison.only_before == comparison.only_after == ()
    assert comparison.changed_answers == ()


@pytest.mark.slow
def test_a_changed_answer_is_named_even_when_no_check_flips(before: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(before.read_text(encoding="utf-8"))
    reworded, requoted = data["items"][3], data["items"][5]
    reworded["answer_text"] += " (reworded)"
    requoted["citations"] = [{**c, "quote": c["quote"][:-1]} for c in requoted["citations"]] or [
        {"quote": "x"}
    ]
    after = tmp_path / "after.json"
    after.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    comparison = compare_reports(before, after)
    assert [f.id for f in comparison.changed_answers] == [reworded["id"], requoted["id"]]
    assert all(not row.gained and not row.lost for row in comparison.checks)
    assert main(["compare", str(before), str(after)]) == 0
    out = capsys.readouterr().out
    assert "answers changed: 2" in out and f"~ answer: {reworded['id']}" in out


@pytest.mark.slow
def test_flipped_questions_are_named_and_tested(before: Path, tmp_path: Path) -> None:
    after, lost, gained = changed(before, tmp_path, lose=6, gain=1)
    row = compare_reports(before, after).check("first_citation")
    assert [f.id for f in row.lost] == lost and [f.id for f in row.gained] == gained
    assert row.after == row.before - 5
    assert row.p_value == pytest.approx(mcnemar_p(1, 6)) and row.p_value < 0.13


@pytest.mark.slow
def test_qa_compare_prints_the_table_and_json(
    before: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    after, lost, _ = changed(before, tmp_path, lose=2, gain=0)
    assert main(["compare", str(before), str(after)]) == 0
    out = capsys.readouterr().out
    assert "first citation in gold" in out and all(f"- first_citation: {key}" in out for key in lost)
    assert main(["compare", str(before), str(after), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    first = next(row for row in data["checks"] if row["check"] == "first_citation")
    assert [f["id"] for f in first["lost"]] == lost and first["p_value"] == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no such file"),
        ("# a Markdown report\n", "not a JSON file"),
        ('{"metrics": []}', "no `items` list"),
    ],
)
def test_a_bad_report_is_one_clean_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        content: str | None, expected: str) -> None:
    bad = tmp_path / "report.json"
    if content is not None:
        bad.write_text(content, encoding="utf-8")
    assert main(["compare", str(bad), str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"qa: error: eval report {bad}: {expected}") and "Traceback" not in err


def test_reports_of_different_sets_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    one, other = tmp_path / "a.json", tmp_path / "b.json"
    one.write_text(json.dumps({"items": [{"id": "a", "kind": "answerable"}]}), encoding="utf-8")
    other.write_text(json.dumps({"items": [{"id": "b", "kind": "answerable"}]}), encoding="utf-8")
    assert main(["compare", str(one), str(other)]) == 2
    assert "no question id in common" in capsys.readouterr().err

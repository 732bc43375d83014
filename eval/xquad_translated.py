"""XQuAD with English translations: each of XQuAD's 48 Arabic articles as `NAME.md` (one section per
paragraph) with XQuAD's English paragraphs beside it as `NAME.en.md`, indexed and asked through the
public API. Measured:

- retrieval: R@1, R@5 and MRR of the Arabic original's section for the English and the Arabic
  questions (the English ones are matched against the translation too);
- English passages never returned as articles of their own (every passage is an Arabic one);
- answers: how often the first citation's `translation` holds XQuAD's English answer;
- alignment: each question's English and Arabic answer spans give a gold pair of sentences (the
  Arabic sentence holding the Arabic answer, the English one holding the English answer); right
  when the alignment puts them in one group;
- ingest time from an empty index, with the translations and without (`--no-ingest-times` skips it).

    python eval/xquad_translated.py [--every N] [--no-ingest-times] [--json PATH]

Data: eval/data/xquad (CC BY-SA 4.0, see SOURCE.md). Figures: docs/evaluation.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_xquad import DATA, PASSAGES, REPO, WORK, article_id, distinct, load, score, write_articles  # noqa: E402

ARTICLES = WORK / "articles-translated"
INDEX = WORK / "index-translated"


def write(folder: Path) -> list[Path]:
    """NAME.md and NAME.en.md for each XQuAD article (rewritten only on change); the Arabic files."""
    arabic = json.loads((DATA / "xquad.ar.json").read_text(encoding="utf-8"))["data"]
    english = json.loads((DATA / "xquad.en.json").read_text(encoding="utf-8"))["data"]
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i, (ar, en) in enumerate(zip(arabic, english, strict=True)):
        for suffix, article in (("", ar), (".en", en)):
            lines = [f"# {article_id(i)}", ""]
            for j, paragraph in enumerate(article["paragraphs"], start=1):
                lines += [f"## ¶{j}", paragraph["context"].strip(), ""]
            path, text = folder / f"{article_id(i)}{suffix}.md", "\n".join(lines)
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
        out.append(folder / f"{article_id(i)}.md")
    return out


def gold_spans() -> dict[str, tuple[int, int, int, str]]:
    """Question id -> (paragraph index, Arabic answer offset, English answer offset, English answer),
    offsets in the stripped paragraph texts."""
    arabic = json.loads((DATA / "xquad.ar.json").read_text(encoding="utf-8"))["data"]
    english = json.loads((DATA / "xquad.en.json").read_text(encoding="utf-8"))["data"]
    out = {}
    for ar_art, en_art in zip(arabic, english, strict=True):
        for j, (ar, en) in enumerate(zip(ar_art["paragraphs"], en_art["paragraphs"], strict=True)):
            ar_shift = len(ar["context"]) - len(ar["context"].lstrip())
            en_shift = len(en["context"]) - len(en["context"].lstrip())
            for q_ar, q_en in zip(ar["qas"], en["qas"], strict=True):
                a, e = q_ar["answers"][0], q_en["answers"][0]
                out[q_ar["id"]] = (j, a["answer_start"] - ar_shift, e["answer_start"] - en_shift, e["text"])
    return out


def alignment_accuracy(assistant: Any, questions: list[Any]) -> dict[str, float]:
    """The share of gold sentence pairs that the index's alignment puts in one group."""
    index = assistant.index()
    english = index.translations["en"]
    articles = {a.id: a for a in assistant.articles()}
    spans = gold_spans()
    right = total = 0
    for q in questions:
        paragraph, ar_offset, en_offset, _ = spans[q.id]
        article = articles[q.gold[0]]
        at = article.sections[paragraph].start + ar_offset
        sentence = next((n for n, s in enumerate(index.sentences)
                         if index.chunks[s.chunk].article_id == article.id and s.start <= at < s.end), None)
        translation = article.translation("en")
        if sentence is None or translation is None:
            continue
        total += 1
        en_at = translation.sections[paragraph].start + en_offset
        group = int(english.group_of[sentence])
        right += group >= 0 and english.spans[group][0] == article.id and \
            english.spans[group][1] <= en_at < english.spans[group][2]
    return {"pairs": total, "accuracy": round(right / max(1, total), 4)}


def ingest_seconds(paths: list[Path], embeddings: Any) -> float:
    """Seconds to index `paths` into an empty index (and an empty embedding cache)."""
    from qa import Assistant, Settings

    with tempfile.TemporaryDirectory(prefix="qa-xquad-") as folder:
        began = time.perf_counter()
        Assistant(Settings(articles=paths, index_dir=Path(folder) / "idx"), embeddings=embeddings).ingest()
        return round(time.perf_counter() - began, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--every", type=int, default=1, help="use every N-th question (quick runs)")
    parser.add_argument("--no-ingest-times", action="store_true", help="skip the two ingests from empty")
    parser.add_argument("--json", type=Path, default=REPO / "reports" / "xquad-translated.json")
    args = parser.parse_args(argv)

    from qa import Assistant, Settings
    from qa.evaluation.metrics import normalize
    from qa.store.embeddings import USEM3Embeddings

    originals, questions = load()
    questions = questions[:: max(1, args.every)]
    paths = write(ARTICLES)
    embeddings = USEM3Embeddings(threads=max(1, min(2, os.cpu_count() or 1)))
    assistant = Assistant(Settings(articles=[ARTICLES], index_dir=INDEX), embeddings=embeddings)
    assistant.ingest(progress=print)
    arabic_ids = {p.stem for p in paths}
    answers = {q_id: span[3] for q_id, span in gold_spans().items()}
    results: dict[str, Any] = {"questions_per_direction": len(questions)}
    foreign = 0
    for lang in ("en", "ar"):
        rankings = []
        for q in questions:
            passages = assistant.retrieve(q.en if lang == "en" else q.ar, PASSAGES)
            foreign += sum(p.article_id not in arabic_ids for p in passages)
            rankings.append(distinct([(p.article_id, p.section_index) for p in passages]))
        results[f"{lang}->ar"] = score(rankings, questions)
        print(f"{lang}->ar: {results[f'{lang}->ar']}")
    results["passages_from_a_translation"] = foreign
    held = refused = 0
    for q in questions:
        answer = assistant.ask(q.en)
        refused += answer.abstained
        first = answer.citations[0] if answer.citations else None
        held += bool(first and first.translation and normalize(answers[q.id]) in normalize(first.translation))
    results["first_translation_holds_answer"] = {"right": held, "of": len(questions),
                                                 "share": round(held / len(questions), 4), "refused": refused}
    results["alignment"] = alignment_accuracy(assistant, questions)
    print(f"first citation's translation holds the English answer: {held}/{len(questions)}; "
          f"alignment: {results['alignment']}; passages from a translation: {foreign}")
    if not args.no_ingest_times:  # twice each, alternating, the faster kept: the first ingest warms up
        times: dict[str, list[float]] = {"with_translations": [], "without_translations": []}
        for _ in range(2):
            times["with_translations"].append(ingest_seconds([ARTICLES], embeddings))
            # the same Arabic files in a folder of their own: no translation beside them
            times["without_translations"].append(ingest_seconds(write_articles(originals, WORK / "articles"),
                                                                embeddings))
        results["ingest_seconds"] = {key: min(values) for key, values in times.items()}
        print(f"ingest from empty: {results['ingest_seconds']}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

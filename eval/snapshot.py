"""Every answer qa gives on the eval sets and on XQuAD, written down, so that a change meant to
change no behaviour (a refactor, a speed-up) can be checked to the character.

    python eval/snapshot.py --out reports/snapshot-before.jsonl
    ... change the code ...
    python eval/snapshot.py --out reports/snapshot-after.jsonl --diff reports/snapshot-before.jsonl

One JSON line per question: the answer as `qa ask --json` gives it, with each citation's span, the
passages the answer lists (section and score), and the sections `retrieve` ranks first. The eval
sets are asked of the seed (with their histories); XQuAD's 2,380 questions of its Arabic articles,
indexed as eval/bench_xquad.py indexes them (in the same folder, so a second run embeds nothing).
Only the public API is used. `--diff` prints each question whose line differs and exits 1 if any.
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
from bench_xquad import REPO, WORK, load, write_articles  # noqa: E402

SETS = ("questions", "dev", "dev2", "dev3", "heldout2", "heldout3")
RETRIEVE_K = 10
SCORE_TOLERANCE = 1e-4


def record(assistant: Any, key: str, question: str, history: list[dict[str, str]] | None) -> dict[str, Any]:
    answer = assistant.ask(question, history)
    ranked = assistant.retrieve(question, k=RETRIEVE_K)
    return {
        "key": key,
        "answer": answer.to_dict(),
        "spans": [[c.start, c.end] for c in answer.citations],
        "passages": [[p.section, p.chunk_id, round(p.score, 5)] for p in answer.passages],
        "retrieved": [[p.section, p.chunk_id, round(p.score, 5)] for p in ranked],
    }


def same(a: Any, b: Any) -> bool:
    """Equal, but for scores within SCORE_TOLERANCE: the encoder's float sums differ by ~1e-7
    between a text embedded alone and in a batch."""
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= SCORE_TOLERANCE
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="JSONL file to write")
    parser.add_argument("--diff", type=Path, help="an earlier snapshot to compare with")
    parser.add_argument("--xquad-index", type=Path, default=WORK / "index", help="index of XQuAD's articles")
    parser.add_argument("--no-xquad", action="store_true", help="the eval sets only")
    args = parser.parse_args(argv)

    from qa import Assistant, Settings

    began = time.perf_counter()
    lines = []
    with tempfile.TemporaryDirectory(prefix="qa-snapshot-") as folder:
        seed = Assistant(Settings(index_dir=Path(folder) / "index"))
        seed.ingest()
        for name in SETS:
            for raw in (REPO / "eval" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
                if raw.strip():
                    item = json.loads(raw)
                    lines.append(
                        record(seed, f"{name}/{item['id']}", item["question"], item.get("history") or None)
                    )
        if not args.no_xquad:
            articles, questions = load()
            paths = write_articles(articles, WORK / "articles")
            xquad = Assistant(
                Settings(articles=paths, index_dir=args.xquad_index), embeddings=seed.embeddings
            )
            xquad.ingest()
            for q in questions:
                lines.append(record(xquad, f"xquad/en/{q.id}", q.en, None))
                lines.append(record(xquad, f"xquad/ar/{q.id}", q.ar, None))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("".join(json.dumps(x, ensure_ascii=False, sort_keys=True) + "\n" for x in lines),
                        encoding="utf-8")
    print(f"{len(lines)} questions in {time.perf_counter() - began:.0f}s -> {args.out}")
    if args.diff is None:
        return 0
    before = {x["key"]: x for x in map(json.loads, args.diff.read_text(encoding="utf-8").splitlines())}
    changed = [x["key"] for x in lines if not same(before.get(x["key"]), x)]
    missing = [key for key in before if key not in {x["key"] for x in lines}]
    for key in changed:
        print(f"changed: {key}")
    print(f"{len(changed)} of {len(lines)} changed; {len(missing)} only in {args.diff}")
    return 1 if changed or missing else 0


if __name__ == "__main__":
    raise SystemExit(main())

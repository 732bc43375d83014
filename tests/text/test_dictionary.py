"""qa.text.dictionary: the bundled English-Arabic word list (FreeDict eng-ara), its dictd parser, and its
use beside the word bridge."""

from __future__ import annotations

import gzip
from pathlib import Path

from qa import Assistant, Settings
from qa.text.dictionary import _B64, build, parse_dictd, senses
from tests.conftest import terms_of


def test_the_shipped_table_translates_english_words() -> None:
    assert senses("wounded") == ("مصاب",)
    assert senses("Warnings") == ("التحذيرات",)  # any case
    assert "الجنود" in senses("soldiers")
    assert senses("qwertyuiop") == ()


def dictd_number(value: int) -> str:
    digits = ""
    while True:
        value, rest = divmod(value, 64)
        digits = _B64[rest] + digits
        if not value:
            return digits


def write_dictd(folder: Path, entries: list[str]) -> Path:
    """A dictd pair (.index, .dict.dz) holding the given entry texts, as dictfmt writes them."""
    text, index = "", []
    for entry in entries:
        head = entry.split(" /")[0].replace(" ", "")  # the index drops spaces, as dictfmt's does
        start = len(text.encode("utf-8"))
        text += entry
        index.append(f"{head}\t{dictd_number(start)}\t{dictd_number(len(entry.encode('utf-8')))}")
    base = folder / "eng-ara"
    base.with_name("eng-ara.index").write_text("\n".join(index) + "\n", encoding="utf-8")
    base.with_name("eng-ara.dict.dz").write_bytes(gzip.compress(text.encode("utf-8")))
    return base


ENTRIES = [
    "warning /wˈɔːnɪŋ/\nالتحذير\n",
    "attack /ɐtˈæk/\n1. الهجوم\n2. هاجم\n",
    "a-line /ɐ lˈaɪn/\nحرف يسبق الكلمة ويعني في إتجاه كذا وكذا\n",  # an explanation, not a translation
    "line at a time /lˈaɪn/\nالخطّ في وقت\n",
]


def test_parse_dictd_reads_numbered_senses_and_drops_explanations(tmp_path: Path) -> None:
    base = write_dictd(tmp_path, ENTRIES)
    got = parse_dictd(base.with_name("eng-ara.index").read_text(encoding="utf-8"),
                      gzip.decompress(base.with_name("eng-ara.dict.dz").read_bytes()).decode("utf-8"))
    assert got == {"warning": ["التحذير"], "attack": ["الهجوم", "هاجم"], "line at a time": ["الخطّ في وقت"]}


def test_build_writes_the_same_bytes_each_time(tmp_path: Path) -> None:
    base = write_dictd(tmp_path, ENTRIES)
    one, two = tmp_path / "one.tsv.gz", tmp_path / "two.tsv.gz"
    assert build(base, one) == build(base, two) == 3
    assert one.read_bytes() == two.read_bytes()
    assert gzip.decompress(one.read_bytes()).decode("utf-8").splitlines()[0] == "attack\tالهجوم\tهاجم"


def test_dictionary_senses_join_the_bridge_and_can_be_turned_off(seed_index_dir: Path, use_m3) -> None:
    on = Assistant(Settings(index_dir=seed_index_dir), embeddings=use_m3).index()
    off = Assistant(Settings(index_dir=seed_index_dir, word_dictionary=False), embeddings=use_m3).index()
    assert on.vocabulary.dictionary_tokens("warnings") == ["تحذير"]  # the article's «التحذيرات»
    assert on.vocabulary.dictionary_tokens("wounded") == []  # مصاب: not in the article
    question = "Were there warnings?"
    assert any("تحذير" in t.tokens for t in terms_of(on, question))
    assert not any("تحذير" in t.tokens for t in terms_of(off, question))  # the encoder alone says كشف

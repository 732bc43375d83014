"""An English-Arabic word list beside the encoder's word bridge: FreeDict's English-Arabic
dictionary (Arabeyes, GPL-2.0-or-later), as Debian packages it (`dict-freedict-eng-ara`).

The encoder's nearest Arabic word for an English one is often a near-synonym from elsewhere or a
word that sits near everything ("warnings" -> كشف, "wounded" -> صارخ); a dictionary says what the
word means (التحذيرات, مصاب). A question word's dictionary senses that the article has are added to
its term (qa.retrieval.terms), at the bridge's confidence. Measured on XQuAD (eval/bench_xquad.py, 1,190
English questions over the Arabic paragraphs): hybrid R@1 en->ar 0.787 -> 0.814, first quotes
holding the answer 684 -> 724; the seed's tuning sets and XQuAD questions asked of the seed
unchanged.

The shipped table (`qa/data/freedict-eng-ara.tsv.gz`: an English headword, then its senses of at
most MAX_SENSE_WORDS words, tab-separated) is built from the Debian package's dictd files:

    apt-get download dict-freedict-eng-ara && dpkg-deb -x dict-freedict-eng-ara_*.deb deb
    python -m qa.text.dictionary deb/usr/share/dictd/freedict-eng-ara
"""

from __future__ import annotations

import gzip
import re
import sys
from array import array
from bisect import bisect_left
from functools import cache
from pathlib import Path

from qa.resources import data_file

TABLE = data_file("freedict-eng-ara.tsv.gz")
MAX_SENSE_WORDS = 6  # longer senses are explanations ("حرف يسبق الكلمة ويعني ..."), not translations
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"  # dictd's number digits
_ARABIC = re.compile(r"[\u0621-\u064a]")
_NUMBERED = re.compile(r"^\s*\d+\.\s*")
_PRONUNCIATION = re.compile(r"\s*/[^/]*/?\s*$")  # "warning /wˈɔːnɪŋ/"


@cache
def _table() -> tuple[bytes, array[int]]:
    """The table's bytes and where each line starts. Lines are sorted by headword, so a lookup is a
    binary search (17 steps for 87k lines): as a dict the table cost 30 MB of every process's memory."""
    if not TABLE.is_file():
        return b"", array("I")
    data = gzip.decompress(TABLE.read_bytes())
    starts = array("I", [0])
    starts.extend(match.end() for match in re.finditer(b"\n", data[:-1]))
    return data, starts


def senses(word: str) -> tuple[str, ...]:
    """The Arabic senses the dictionary gives an English word (any case), or () when it has none."""
    data, starts = _table()
    key = word.lower().encode("utf-8") + b"\t"

    def head(line: int) -> bytes:  # the line's headword and its tab: "warning" sorts before "warnings"
        return data[starts[line]:data.index(b"\t", starts[line]) + 1]

    line = bisect_left(range(len(starts)), key, key=head)
    if line == len(starts) or head(line) != key:
        return ()
    end = data.find(b"\n", starts[line])
    return tuple(data[starts[line] + len(key):None if end < 0 else end].decode("utf-8").split("\t"))


def _dictd_number(text: str) -> int:
    value = 0
    for char in text:
        value = value * 64 + _B64.index(char)
    return value


def parse_dictd(index: str, text: str) -> dict[str, list[str]]:
    """{headword: Arabic senses} from a dictd index and its uncompressed text. An entry is its
    headword line (with a pronunciation), then one sense per line, numbered when there are several."""
    out: dict[str, list[str]] = {}
    data = text.encode("utf-8")
    for line in index.splitlines():
        head, offset, length = line.split("\t")
        if head.startswith("00database") or _ARABIC.search(head):
            continue
        start = _dictd_number(offset)
        first, *entry = data[start:start + _dictd_number(length)].decode("utf-8").splitlines()
        found = [_NUMBERED.sub("", sense).strip() for sense in entry]
        found = [s for s in found if _ARABIC.search(s) and len(s.split()) <= MAX_SENSE_WORDS]
        if found:  # the headword as the entry spells it (the index drops spaces: "lineatatime")
            senses_of = out.setdefault(_PRONUNCIATION.sub("", first).strip().lower(), [])
            senses_of += [s for s in found if s not in senses_of]
    return out


def build(dictd: str | Path, table: Path = TABLE) -> int:
    """Write the table from `<dictd>.index` and `<dictd>.dict.dz`; returns the number of headwords."""
    base = Path(dictd)
    index = base.with_name(base.name + ".index").read_text(encoding="utf-8")
    with gzip.open(base.with_name(base.name + ".dict.dz"), "rt", encoding="utf-8") as dz:  # dictzip is gzip
        entries = parse_dictd(index, dz.read())
    table.parent.mkdir(parents=True, exist_ok=True)
    lines = "".join("\t".join([head, *found]) + "\n" for head, found in sorted(entries.items()))
    # the same bytes each build
    table.write_bytes(gzip.compress(lines.encode("utf-8"), compresslevel=9, mtime=0))
    return len(entries)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(
            "usage: python -m qa.text.dictionary PATH/freedict-eng-ara   "
            "(the dictd files without .index/.dict.dz)"
        )
    print(f"wrote {TABLE} ({build(sys.argv[1]):,} headwords)")

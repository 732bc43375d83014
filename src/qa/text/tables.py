"""The two-column tables bundled with qa (data/aliases.tsv, data/levantine.tsv): a word, a tab,
what it stands for; `#` comments and blank lines skipped."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from qa.errors import ConfigError


def rows(lines: Iterable[str], source: str) -> Iterator[tuple[str, str]]:
    """(word, meaning) for each line; a line that is not two tab-separated fields is named."""
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = [part.strip() for part in line.split("\t")]
        if len(parts) != 2 or not all(parts):
            raise ConfigError(f"{source} line {number}: expected a word, a tab and its meaning, got {line!r}; "
                              "fix or remove the line")
        yield parts[0], parts[1]

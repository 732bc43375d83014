"""The configuration table in docs/configuration.md stays true to the Settings object."""

import re

from qa.settings import Settings
from tests.conftest import REPO

CONFIGURATION = REPO / "docs" / "configuration.md"


def test_every_setting_has_a_row_and_every_row_a_setting() -> None:
    doc = CONFIGURATION.read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `QA_([A-Z0-9_]+)` \|", doc, flags=re.MULTILINE))
    fields = {name.upper() for name in Settings.model_fields}
    assert rows == fields, f"missing rows: {sorted(fields - rows)}; stale rows: {sorted(rows - fields)}"


def test_documented_defaults_match_the_code() -> None:
    doc = CONFIGURATION.read_text(encoding="utf-8")
    for name, field in Settings.model_fields.items():
        if field.default_factory is None and field.default is not None:
            row = re.search(rf"^\| `QA_{name.upper()}` \| ([^|]*) \|", doc, flags=re.MULTILINE)
            assert row is not None
            assert f"`{field.default}`" in row.group(1), (
                f"QA_{name.upper()}: docs/configuration.md says {row.group(1)!r}")

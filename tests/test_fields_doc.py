"""docs/fields.md names every column of every table the command line writes."""

import re

import pytest
from conftest import ROOT, SAMPLE

import threadlib

DOC = (ROOT / "docs" / "fields.md").read_text(encoding="utf-8")


def _documented(section: str) -> set[str]:
    """The column names in the table under a section heading (``## troops ...``)."""
    part = DOC.split(f"\n## {section}", 1)[1].split("\n## ", 1)[0]
    names = set()
    for row in re.findall(r"^\| ([^|]+) \|", part, re.MULTILINE):
        names |= {name.strip() for name in row.split(",")}
    return names


@pytest.fixture(scope="module")
def tables():
    thread = threadlib.load_thread(SAMPLE)
    positions = threadlib.positions(thread)
    return {"posts": thread.posts, "troops": threadlib.troops(thread, parse=False),
            "attacks": threadlib.attacks(thread, parse=False), "positions": positions,
            "shifts": threadlib.shifts(positions)}


@pytest.mark.parametrize("kind", ["posts", "troops", "attacks", "positions", "shifts"])
def test_every_column_is_documented(tables, kind):
    documented = _documented(kind)
    if kind in ("attacks", "positions"):  # their shared provenance columns are written once
        documented |= {"post_id", "published", "sentence", "text", "field", "start", "end"}
    assert set(tables[kind].columns) <= documented, set(tables[kind].columns) - documented

"""Shared fixtures: paths of the sample thread, the gold files and the fixture threads."""

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE = ROOT / "data" / "threads" / "iraq.txt"


def report_key(path) -> str:
    """The folder of a thread's reports: its thread id, as in `threadlib extract`."""
    from threadlib.corpora import thread_id_of

    return thread_id_of(path)
EMPTY_THREAD = "CHAT\n\nann\nPosts: 3\n\nRe: CHAT\n\nPost by ann »\n\nHello all, nothing to see here.\n"  # no figures
FIXTURE_THREADS = sorted((FIXTURES / "threads").glob("*.txt"))


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def gold():
    """The hand-checked gold records of the sample thread, by kind."""
    return lambda kind: read_jsonl(FIXTURES / "gold" / f"{kind}.jsonl")

"""Many threads in one call: the same records as thread by thread, in processes, on Dask, from the cache."""

import json
import os
import shutil
import subprocess
import sys

import pandas as pd
import pytest
from conftest import FIXTURE_THREADS, ROOT, SAMPLE

import threadlib
from threadlib import corpora
from threadlib.cli import main
from threadlib.corpora import Settings, corpus, extract_thread, find_threads
from threadlib.thread import StreamedThread, load_thread

PRACTICE = ROOT / "data" / "threads" / "practice_sahel.txt"
KINDS = ("posts", "troops", "attacks", "positions", "shifts")
APPENDED_POST = """
ann
Posts: 12

Re: IRAQ

Post by ann » Sat Feb 03, 2024 9:00 am

U.S. troops in Iraq have been attacked at least 170 times since Oct. 17, officials said.
"""


def _alone(path, kind: str) -> pd.DataFrame:
    thread = load_thread(path)
    if kind == "posts":
        return thread.posts
    if kind == "shifts":
        return threadlib.shifts(threadlib.positions(thread))
    return getattr(threadlib, kind)(thread)


def _part(table: pd.DataFrame, thread: str) -> pd.DataFrame:
    return table[table["thread"] == thread].drop(columns="thread").reset_index(drop=True)


@pytest.fixture(scope="module")
def threads(tmp_path_factory):
    """The sample, the practice thread and the parser's fixture threads, in one folder and below it."""
    folder = tmp_path_factory.mktemp("forum")
    (folder / "more").mkdir()
    shutil.copy(SAMPLE, folder / "iraq.txt")
    shutil.copy(PRACTICE, folder / "more" / "sahel.txt")
    for path in FIXTURE_THREADS:
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture(scope="module")
def in_one_process(threads):
    return corpus([threads], KINDS, jobs=1, log=lambda line: None)


def test_a_corpus_has_the_records_of_each_thread_extracted_alone(threads, in_one_process):
    result = in_one_process
    assert result.failed == {}
    assert len(result.threads) == 2 + len(FIXTURE_THREADS)
    assert result["troops"]["thread"].nunique() >= 2  # the sample and the practice thread have troops
    for path, thread in zip(result.threads["path"], result.threads["thread"]):
        for kind in KINDS:
            pd.testing.assert_frame_equal(_part(result[kind], thread), _alone(path, kind), check_dtype=True)
    assert list(result["troops"].columns[:2]) == ["thread", "post_id"]


def test_thread_ids_are_stable_when_a_thread_moves_or_grows_and_differ_between_threads(tmp_path, in_one_process):
    ids = in_one_process.threads["thread"]
    assert ids.is_unique
    sample_id = ids[in_one_process.threads["path"].str.endswith("iraq.txt")].item()
    moved = tmp_path / "elsewhere" / "renamed.txt"
    moved.parent.mkdir()
    moved.write_text(SAMPLE.read_text(encoding="utf-8") + APPENDED_POST, encoding="utf-8")
    again = extract_thread(moved, Settings(kinds=("troops",)))
    assert again.error is None and again.thread == sample_id


def test_processes_give_the_same_tables_over_threads_and_over_the_batches_of_one_thread(threads, in_one_process,
                                                                                         monkeypatch):
    spread = corpus([threads], KINDS, jobs=2, log=lambda line: None)
    for kind in KINDS:
        pd.testing.assert_frame_equal(spread[kind], in_one_process[kind])
    monkeypatch.setattr(corpora, "BATCH_POSTS", 3)  # the sample's 10 posts in 4 batches over 2 processes
    one = corpus([threads / "iraq.txt"], ("troops", "attacks", "positions"), jobs=2, log=lambda line: None)
    sample_id = one["troops"]["thread"].iloc[0]
    for kind in ("troops", "attacks", "positions"):
        pd.testing.assert_frame_equal(one[kind], in_one_process[kind][in_one_process[kind]["thread"] == sample_id]
                                      .reset_index(drop=True))


def test_a_dask_local_cluster_gives_the_same_tables(threads, in_one_process):
    pytest.importorskip("distributed")
    on_dask = corpus([threads], KINDS, jobs=2, scheduler="local", log=lambda line: None)
    for kind in KINDS:
        pd.testing.assert_frame_equal(on_dask[kind], in_one_process[kind])


def test_a_local_cluster_runs_its_workers_without_the_profiler_or_dasks_trim_threshold():
    pytest.importorskip("distributed")
    from distributed import Client

    def worker_settings():
        import dask

        return (os.environ.get("MALLOC_TRIM_THRESHOLD_"), os.environ.get("MALLOC_ARENA_MAX"),
                dask.config.get("distributed.worker.profile.enabled"))

    with corpora.local_cluster(1) as cluster, Client(cluster) as client:
        assert list(client.run(worker_settings).values()) == [(None, "1", False)]


def test_records_made_batch_by_batch_are_the_tables_made_at_once(threads, in_one_process, monkeypatch):
    sample = load_thread(SAMPLE)
    whole = {kind: getattr(threadlib, kind)(sample) for kind in ("troops", "attacks")}
    for kind in whole:  # the sample's 10 posts in 5 batches, each batch's records a frame of its own
        monkeypatch.setattr(sys.modules[f"threadlib.{kind}"], "CHUNK_POSTS", 2)
        pd.testing.assert_frame_equal(getattr(threadlib, kind)(sample), whole[kind])
    monkeypatch.setattr(corpora, "BATCH_POSTS", 2)
    batched = corpus([threads], KINDS, jobs=1, log=lambda line: None)
    for kind in KINDS:
        pd.testing.assert_frame_equal(batched[kind], in_one_process[kind])


def test_one_unreadable_thread_among_three_is_reported_and_skipped(tmp_path, capsys):
    shutil.copy(SAMPLE, tmp_path / "a.txt")
    shutil.copy(PRACTICE, tmp_path / "c.txt")
    (tmp_path / "b.txt").write_bytes(b"\x00\x01binary\xff" * 50)
    lines = []
    result = corpus([tmp_path], ("troops",), jobs=1, log=lines.append)
    assert list(result.failed.values()) == [result.threads["error"][1]]
    assert "b.txt" in result.threads["error"][1] and "binary" in result.threads["error"][1]
    assert result["troops"]["thread"].nunique() == 2
    assert sum("skipped" in line and "b.txt" in line for line in lines) == 1
    # the command line writes the others, says which one failed, and exits 2
    out = tmp_path / "troops.jsonl"
    assert main(["extract", "troops", str(tmp_path), "-o", str(out), "--jobs", "1"]) == 2
    assert "1 of 3 threads failed and were left out" in capsys.readouterr().err
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) == len(result["troops"]) and {r["thread"] for r in records} == set(result["troops"]["thread"])


def test_a_thread_that_fails_inside_an_extractor_does_not_stop_the_others(tmp_path, monkeypatch):
    shutil.copy(SAMPLE, tmp_path / "a.txt")
    shutil.copy(PRACTICE, tmp_path / "b.txt")
    real = corpora.extract_posts

    def failing(posts, kinds, host, settings):
        if any("SAHEL" in (post.subject or "") for post in posts):
            raise RuntimeError("a bug")
        return real(posts, kinds, host, settings)

    monkeypatch.setattr(corpora, "extract_posts", failing)
    result = corpus([tmp_path], ("troops",), jobs=1, log=lambda line: None)
    assert len(result.failed) == 1 and "RuntimeError: a bug" in next(iter(result.failed.values()))
    assert len(result["troops"]) == 17  # the sample's, which the other thread's failure did not touch


def test_an_appended_post_is_the_only_one_extracted_again(tmp_path):
    thread = tmp_path / "iraq.txt"
    shutil.copy(SAMPLE, thread)
    cache = tmp_path / "cache"
    kinds = ("troops", "attacks", "positions", "shifts")
    first = corpus([thread], kinds, jobs=1, cache=cache, log=lambda line: None)
    assert first.threads["extracted"][0] == 10
    unchanged = corpus([thread], kinds, jobs=1, cache=cache, log=lambda line: None)
    assert unchanged.threads["extracted"][0] == 0
    for kind in kinds:
        pd.testing.assert_frame_equal(unchanged[kind], first[kind])
    with thread.open("a", encoding="utf-8") as handle:
        handle.write(APPENDED_POST)
    grown = corpus([thread], kinds, jobs=1, cache=cache, log=lambda line: None)
    assert grown.threads["posts"][0] == 11 and grown.threads["extracted"][0] == 1
    fresh = corpus([thread], kinds, jobs=1, log=lambda line: None)
    for kind in kinds:
        pd.testing.assert_frame_equal(grown[kind], fresh[kind])
    assert 170 in set(grown["attacks"]["count"]) and 170 not in set(first["attacks"]["count"])


def test_threads_from_the_cache_and_threads_read_again_make_the_same_tables_as_a_fresh_run(threads, tmp_path):
    folder = tmp_path / "forum"
    shutil.copytree(threads, folder)
    cache = tmp_path / "cache"
    corpus([folder], KINDS[1:], jobs=1, cache=cache, log=lambda line: None)
    with (folder / "iraq.txt").open("a", encoding="utf-8") as handle:  # one grown thread among unchanged ones
        handle.write(APPENDED_POST)
    mixed = corpus([folder], KINDS[1:], jobs=1, cache=cache, log=lambda line: None)
    assert sorted(mixed.threads["extracted"])[-2:] == [0, 1]  # the unchanged threads came whole from the cache
    fresh = corpus([folder], KINDS[1:], jobs=1, log=lambda line: None)
    for kind in KINDS[1:]:
        pd.testing.assert_frame_equal(mixed[kind], fresh[kind])


def test_a_change_of_lexicon_or_options_extracts_every_post_again(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    corpus([SAMPLE], ("troops",), jobs=1, cache=cache, log=lambda line: None)
    again = corpus([SAMPLE], ("troops",), jobs=1, cache=cache, parse=False, log=lambda line: None)
    assert again.threads["extracted"][0] == 10
    monkeypatch.setattr("threadlib.fingerprint.code_fingerprint", lambda: "other lexicons")
    changed = corpus([SAMPLE], ("troops",), jobs=1, cache=cache, parse=False, log=lambda line: None)
    assert changed.threads["extracted"][0] == 10


def test_a_corpus_dataset_reads_as_one_table_in_pandas_and_duckdb(threads, in_one_process, tmp_path):
    out = tmp_path / "tables"
    assert main(["extract", "--kinds", "troops,attacks,shifts", str(threads), "-o", f"{out}/", "--jobs", "1"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["attacks", "shifts", "threads.parquet", "troops"]
    expected = in_one_process["troops"]
    back = pd.read_parquet(out / "troops")
    assert len(back) == len(expected) and set(back["thread"].astype(str)) == set(expected["thread"])
    assert back.sort_values(["thread", "post_id", "start"])["value"].tolist() == \
        expected.sort_values(["thread", "post_id", "start"])["value"].tolist()
    duckdb = pytest.importorskip("duckdb")
    counts = dict(duckdb.sql(f"SELECT thread, count(*) FROM read_parquet('{out}/troops/*/*.parquet', "
                             "hive_partitioning = true) GROUP BY thread").fetchall())
    assert counts == expected["thread"].value_counts().to_dict()
    threads_table = pd.read_parquet(out / "threads.parquet")
    assert threads_table["error"].isna().all() and len(threads_table) == 2 + len(FIXTURE_THREADS)


def test_a_dataset_of_many_threads_has_a_file_a_thread(tmp_path):  # more than pyarrow's 1,024 partitions
    from threadlib.output import write_folder

    table = pd.DataFrame({"thread": pd.array([f"t-{i:04d}" for i in range(1500) for _ in range(2)], dtype="string"),
                          "value": pd.array(range(3000), dtype="Int64")})
    write_folder({"troops": table}, "parquet", tmp_path)
    back = pd.read_parquet(tmp_path / "troops")
    assert len(back) == 3000 and back["thread"].nunique() == 1500
    assert all(len(list(folder.iterdir())) == 1 for folder in (tmp_path / "troops").glob("thread=*"))  # a file a thread


def test_a_dataset_is_written_a_slice_at_a_time_and_keeps_each_threads_rows_together(tmp_path, monkeypatch):
    from threadlib import output

    monkeypatch.setattr(output, "DATASET_SLICE_ROWS", 2)  # a thread's 3 rows in two writes
    table = pd.DataFrame({"thread": pd.array(["b", "a", "b", "a", "b", "a"], dtype="string"),  # not thread by thread
                          "value": pd.array([1, 2, 3, None, 5, 6], dtype="Int64"),
                          "location": [None, None, ["Iraq"], None, ["Iraq", "Syria"], None]})
    output.write_folder({"troops": table}, "parquet", tmp_path)
    back = pd.read_parquet(tmp_path / "troops")
    rows = {(str(t), None if pd.isna(v) else int(v), None if loc is None else tuple(loc))
            for t, v, loc in zip(back["thread"], back["value"], back["location"])}
    assert rows == {("b", 1, None), ("a", 2, None), ("b", 3, ("Iraq",)), ("a", None, None),
                    ("b", 5, ("Iraq", "Syria")), ("a", 6, None)}
    assert sorted(p.name for p in (tmp_path / "troops").glob("thread=*")) == ["thread=a", "thread=b"]


def test_if_changed_leaves_an_unchanged_output_alone_and_redoes_a_changed_one(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("THREADLIB_CACHE", str(tmp_path / "cache"))
    thread = tmp_path / "iraq.txt"
    shutil.copy(SAMPLE, thread)
    out = tmp_path / "attacks.csv"
    command = ["extract", "attacks", str(thread), "-o", str(out), "--if-changed", "--jobs", "1"]
    assert main(command) == 0
    written = out.stat().st_mtime_ns, out.read_text()
    assert main(command) == 0
    assert "unchanged" in capsys.readouterr().err
    assert (out.stat().st_mtime_ns, out.read_text()) == written
    with thread.open("a", encoding="utf-8") as handle:
        handle.write(APPENDED_POST)
    assert main(command) == 0
    assert "10 from the cache" in capsys.readouterr().err
    assert "170" in out.read_text() and out.read_text() != written[1]
    out.write_text("edited by hand\n")  # an output that is not as written is written again
    assert main(command) == 0 and "170" in out.read_text()


def test_a_thread_saved_twice_gets_a_second_id(tmp_path):
    shutil.copy(SAMPLE, tmp_path / "a.txt")
    (tmp_path / "b.txt").write_text(SAMPLE.read_text(encoding="utf-8") + APPENDED_POST, encoding="utf-8")
    result = corpus([tmp_path], ("troops",), jobs=1, log=lambda line: None)
    first, second = result.threads["thread"]
    assert second == f"{first}~2" and set(result["troops"]["thread"]) == {first, second}


def test_finding_threads_in_folders_and_patterns(tmp_path):
    (tmp_path / "a").mkdir()
    for name in ("a/one.txt", "a/two.txt", "three.txt", "notes.md"):
        (tmp_path / name).write_text("x")
    found = find_threads([tmp_path / "a", str(tmp_path / "*.txt"), tmp_path / "a" / "one.txt"])
    assert [p.name for p in found] == ["one.txt", "two.txt", "three.txt"]  # named twice, read once
    with pytest.raises(threadlib.ThreadFormatError, match="no file matches"):
        find_threads([str(tmp_path / "*.csv")])
    (tmp_path / "empty").mkdir()
    with pytest.raises(threadlib.ThreadFormatError, match="no .txt threads"):
        find_threads([tmp_path / "empty"])


@pytest.mark.parametrize("argv, message", [
    (["extract", "troops,attacks", "x.txt"], "give a folder"),
    (["extract", "tropps", "x.txt"], "not a kind"),
    (["extract", "--kinds", "troops,nonsense", "x.txt", "-o", "out/"], "unknown kind nonsense"),
    (["extract", "troops", "x.txt", "--if-changed"], "give one with -o"),
])
def test_corpus_command_lines_that_cannot_work_say_why(argv, message, capsys):
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_a_streamed_thread_reads_the_same_posts_on_every_pass():
    streamed = StreamedThread(SAMPLE)
    loaded = load_thread(SAMPLE)
    assert streamed.title == loaded.title
    for _ in range(2):
        assert [p.to_record() for p in streamed] == [p.to_record() for p in loaded]
    for kind in ("troops", "attacks"):
        pd.testing.assert_frame_equal(getattr(threadlib, kind)(streamed, parse=False),
                                      getattr(threadlib, kind)(loaded, parse=False))


@pytest.mark.parametrize("command", [
    "import threadlib.cli",
    "from threadlib.cli import main; main(['--help'])",
    f"from threadlib.cli import main; main(['extract', 'posts', {str(SAMPLE)!r}])",
])
def test_the_command_line_starts_without_pandas_altair_or_spacy(command):
    code = (f"import sys\ntry:\n    {command}\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('pandas', 'altair', 'spacy', 'numpy') if m in sys.modules), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "[]"


def test_the_library_functions_stay_functions_when_their_modules_are_imported():
    import threadlib.positions  # noqa: F401  (the import system sets the module on the package)
    import threadlib.troops  # noqa: F401

    assert callable(threadlib.troops) and callable(threadlib.positions) and callable(threadlib.corpus)
    assert threadlib.troops.__module__ == "threadlib.troops"

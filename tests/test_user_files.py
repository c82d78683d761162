"""Nothing of the user's is replaced or deleted: folders and files threadlib did not make are
refused, an output that is an input is refused, only threadlib's own leftovers are cleaned, and
--if-changed never records a thread that changed while it was read (issue 25: D1, D2, D11, D12)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLE, report_key

from threadlib import ownership
from threadlib.cli import main
from threadlib.errors import ForeignPathError
from threadlib.output import write_folder
from threadlib.report import _check_ownership, _locked

THREAD = SAMPLE.read_text(encoding="utf-8")


def dead_pid_work(parent: Path, label: str) -> Path:
    """A work folder made by a process that has ended (as a killed run leaves it)."""
    code = f"from pathlib import Path; from threadlib.ownership import work_dir; print(work_dir(Path({str(parent)!r}), {label!r}))"
    made = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return Path(made.stdout.strip())


# D1: a report never replaces a folder (or page) it did not make -------------------------------------

def test_a_users_folder_named_like_the_thread_is_refused_and_kept(tmp_path, capsys):
    mine = tmp_path / report_key(SAMPLE)  # a folder of the user's that happens to have the thread's id
    mine.mkdir()
    (mine / "letter.odt").write_text("mine")
    shutil.copy(SAMPLE, tmp_path / "mydocs.txt")
    status = main(["report", str(tmp_path / "mydocs.txt"), "--out", str(tmp_path)])
    error = capsys.readouterr().err
    assert status == 2 and f"{mine.name}: a folder that threadlib did not make is in the way" in error
    assert error.count("\n") == 1 and "Traceback" not in error
    assert (mine / "letter.odt").read_text() == "mine"
    assert not (tmp_path / "index.html").exists()  # refused before anything was written


def test_a_users_index_page_in_the_reports_folder_is_refused(tmp_path):
    (tmp_path / "index.html").write_text("<p>my homepage</p>")
    with pytest.raises(ForeignPathError, match="index.html: a file that threadlib did not make"):
        _check_ownership(tmp_path, ["iraq"], {"threads": {}}, [SAMPLE])
    assert (tmp_path / "index.html").read_text() == "<p>my homepage</p>"


def test_a_manifest_that_is_not_threadlibs_is_refused(tmp_path):
    (tmp_path / "manifest.json").write_text('{"name": "my web app"}')
    with pytest.raises(ForeignPathError, match="manifest.json"):
        _check_ownership(tmp_path, ["iraq"], {"threads": {}}, [SAMPLE])


def test_report_folders_threadlib_made_are_replaced(tmp_path):
    marked, old = tmp_path / "iraq", tmp_path / "kobani"
    marked.mkdir()
    ownership.mark(marked, "report")
    old.mkdir()  # made by an earlier version: listed in the manifest, only report pages in it
    (old / "00_overview.html").write_text("old")
    (tmp_path / "manifest.json").write_text('{"threads": {"kobani": {}}, "threadlib_version": "0.1.0"}')
    _check_ownership(tmp_path, ["iraq", "kobani"], {"threads": {"kobani": {}}}, [SAMPLE])
    (old / "notes.txt").write_text("the user's")  # no longer only report pages: not replaced
    with pytest.raises(ForeignPathError, match="kobani"):
        _check_ownership(tmp_path, ["kobani"], {"threads": {"kobani": {}}}, [SAMPLE])


def test_hidden_folders_of_the_user_survive_and_leftovers_of_killed_runs_go(tmp_path):
    for name in (".photos.old-2019", ".drafts.new-1", f"{ownership.WORK_PREFIX}not-a-run"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "keep.txt").write_text("mine")
    leftover = dead_pid_work(tmp_path, "iraq")
    alive = ownership.work_dir(tmp_path, "this-run")  # this process's own work is not a leftover
    with _locked(tmp_path, lambda message: None):
        pass
    assert not leftover.exists() and alive.exists()
    for name in (".photos.old-2019", ".drafts.new-1", f"{ownership.WORK_PREFIX}not-a-run"):
        assert (tmp_path / name / "keep.txt").read_text() == "mine"


def test_a_work_folder_of_a_dead_run_without_the_marker_is_not_removed(tmp_path):
    leftover = dead_pid_work(tmp_path, "iraq")
    (leftover / ownership.MARKER).unlink()
    assert ownership.remove_leftovers(tmp_path) == [] and leftover.exists()


def test_created_files_and_folders_follow_the_umask(tmp_path):
    previous = os.umask(0o027)
    try:
        work = ownership.work_dir(tmp_path, "x")
        assert oct(work.stat().st_mode & 0o777) == oct(0o750)
        assert oct((work / ownership.MARKER).stat().st_mode & 0o777) == oct(0o640)
    finally:
        os.umask(previous)


# D2: a kind's folder or table that threadlib did not make is refused --------------------------------

def test_extract_into_a_folder_refuses_a_users_kind_folder(tmp_path, capsys):
    out = tmp_path / "u"
    (out / "troops").mkdir(parents=True)
    (out / "troops" / "budget.xlsx").write_text("mine")
    status = main(["extract", "--kinds", "troops", str(SAMPLE), "-o", f"{out}/", "--jobs", "1"])
    error = capsys.readouterr().err
    assert status == 2 and "troops: a folder that threadlib did not make is in the way" in error
    assert (out / "troops" / "budget.xlsx").read_text() == "mine"
    assert not (out / "threads.parquet").exists()  # nothing written before the refusal


def test_extract_into_a_folder_twice_replaces_its_own_dataset(tmp_path):
    out = tmp_path / "u"
    command = ["extract", "--kinds", "troops", str(SAMPLE), "-o", f"{out}/", "--jobs", "1"]
    assert main(command) == 0
    assert ownership.is_marked(out / "troops")
    assert main(command) == 0
    assert sorted(p.name for p in out.iterdir()) == ["threads.parquet", "troops"]


@pytest.mark.parametrize("name, content", [
    ("threads.parquet", b"PAR1 my own table"),
    ("troops.csv", b"date,unit,strength\n"),
])
def test_a_users_table_file_in_the_output_folder_is_refused(tmp_path, name, content):
    import pandas as pd

    (tmp_path / name).write_bytes(content)
    fmt = name.rsplit(".", 1)[1]
    table = pd.DataFrame({"thread": ["a"], "value": [1]})
    with pytest.raises(ForeignPathError, match=name):
        write_folder({"troops": table, "threads": table}, fmt, tmp_path)
    assert (tmp_path / name).read_bytes() == content


def test_a_dataset_of_an_earlier_version_is_replaced(tmp_path):
    import pandas as pd

    (tmp_path / "troops" / "thread=a").mkdir(parents=True)
    pd.DataFrame({"value": [1]}).to_parquet(tmp_path / "troops" / "thread=a" / "part-0.parquet")
    write_folder({"troops": pd.DataFrame({"thread": ["b"], "value": [2]})}, "parquet", tmp_path)
    assert [p.name for p in (tmp_path / "troops").iterdir() if not p.name.startswith(".")] == ["thread=b"]


# D12: the output is never one of the inputs ----------------------------------------------------------

@pytest.mark.parametrize("spelling", ["same", "dotted", "symlink", "hardlink"])
def test_an_output_that_is_the_input_is_refused(tmp_path, capsys, spelling):
    thread = tmp_path / "s.txt"
    thread.write_text(THREAD, encoding="utf-8")
    output = {"same": thread, "dotted": tmp_path / "." / "s.txt", "symlink": tmp_path / "link.txt",
              "hardlink": tmp_path / "hard.txt"}[spelling]
    if spelling == "symlink":
        output.symlink_to(thread)
    if spelling == "hardlink":
        os.link(thread, output)
    status = main(["extract", "troops", str(thread), "-o", str(output)])
    error = capsys.readouterr().err
    assert status == 2 and "this is the input" in error
    assert thread.read_text(encoding="utf-8") == THREAD


def test_a_table_of_an_output_folder_that_is_an_input_is_refused(tmp_path, capsys):
    (tmp_path / "troops.jsonl").write_text(THREAD, encoding="utf-8")
    status = main(["extract", "--kinds", "troops", str(tmp_path / "troops.jsonl"), "-o", f"{tmp_path}/",
                   "--format", "jsonl", "--jobs", "1"])
    assert status == 2 and "this is the input" in capsys.readouterr().err
    assert (tmp_path / "troops.jsonl").read_text(encoding="utf-8") == THREAD


# D11: --if-changed records only what was read ----------------------------------------------------------

APPENDED = "\nann\nPosts: 3\n\nRe: IRAQ\n\nPost by ann » Mon Jan 01, 2024 10:00 am\n\nSome 40 more troops arrived.\n"


def test_a_thread_replaced_while_it_is_read_is_extracted_again_next_time(tmp_path, monkeypatch, capsys):
    from threadlib import thread as thread_module

    monkeypatch.setenv("THREADLIB_CACHE", str(tmp_path / "cache"))
    thread = tmp_path / "iraq.txt"
    thread.write_text(THREAD, encoding="utf-8")
    original = thread_module._PostReader.__iter__
    changed = []

    def iterate_and_replace(self):
        for number, post in enumerate(original(self)):
            if number == 3 and not changed and self.roles is None:
                thread.write_text(THREAD + APPENDED, encoding="utf-8")  # a new copy saved over it mid-run
                changed.append(True)
            yield post

    monkeypatch.setattr(thread_module._PostReader, "__iter__", iterate_and_replace)
    command = ["extract", "troops", str(thread), "-o", str(tmp_path / "t.csv"), "--if-changed", "--jobs", "1"]
    assert main(command) == 0 and changed
    assert "changed while being read" in capsys.readouterr().err
    monkeypatch.setattr(thread_module._PostReader, "__iter__", original)
    assert main(command) == 0
    assert "unchanged" not in capsys.readouterr().err  # extracted again, from the file as it is now
    assert main(command) == 0
    assert "unchanged" in capsys.readouterr().err

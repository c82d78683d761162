"""The README's examples run as written (issue 21): every line of its ``sh`` blocks and every
``python`` block, in a scratch folder that holds the files they name (the sample as
``data/threads/iraq.txt``, a thread of the user's as ``my_thread.txt``, a ``forum/`` and an
``archive/`` of threads, two annotated threads as ``my_gold/thread1`` and ``thread2``, a
``my_lexicons/`` folder), with ``threadlib`` and ``.venv/bin/threadlib`` being this installation.
The block with ``make`` (the two commands) is what CI itself runs."""

import os
import re
import shlex
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT, SAMPLE

BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def readme_blocks(language: str) -> list[str]:
    return [body for lang, body in BLOCK.findall((ROOT / "README.md").read_text(encoding="utf-8")) if lang == language]


def shell_lines() -> list[str]:
    lines = []
    for block in readme_blocks("sh"):
        for line in block.splitlines():
            command = line.split("  #")[0].strip()  # the comment after the command
            if command and not command.startswith("make "):
                lines.append(command)
    return lines


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("readme")
    threads = ROOT / "data" / "threads"
    shutil.copytree(threads, folder / "data" / "threads")
    shutil.copy(threads / "practice_sahel.txt", folder / "my_thread.txt")
    for name in ("forum", "archive"):
        shutil.copytree(threads, folder / name)
    (folder / "tests" / "fixtures").mkdir(parents=True)
    shutil.copytree(ROOT / "tests" / "fixtures" / "gold", folder / "tests" / "fixtures" / "gold")
    for number, name in enumerate(("sahel", "caucasus"), start=1):
        shutil.copytree(ROOT / "tests" / "fixtures" / "annotated" / name, folder / "my_gold" / f"thread{number}")
    (folder / "my_lexicons").mkdir()
    (folder / "my_lexicons" / "troop_nouns.csv").write_text("noun,size_only,class\ngendarmes,no,\n", encoding="utf-8")
    bin_folder = folder / ".venv" / "bin"
    bin_folder.mkdir(parents=True)
    launcher = bin_folder / "threadlib"
    launcher.write_text(f"#!/bin/sh\nexec {shlex.quote(sys.executable)} -m threadlib \"$@\"\n", encoding="utf-8")
    launcher.chmod(0o755)
    return folder


def test_the_readme_has_examples_to_run():
    assert len(shell_lines()) >= 10 and len(readme_blocks("python")) >= 2


@pytest.mark.parametrize("command", shell_lines())
def test_each_shell_example_runs_as_written(scratch, command):
    env = {**os.environ, "PATH": f"{scratch / '.venv' / 'bin'}{os.pathsep}{os.environ['PATH']}",
           "THREADLIB_CACHE": str(scratch / "cache")}
    result = subprocess.run(command, shell=True, cwd=scratch, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{command}\n{result.stderr[-2000:]}"
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("number", range(len(readme_blocks("python"))))
def test_each_python_example_runs_as_written(scratch, number):
    code = readme_blocks("python")[number]
    if "tables/troops" in code and not (scratch / "tables" / "troops").exists():  # made by a shell example
        subprocess.run([sys.executable, "-m", "threadlib", "extract", "--kinds", "troops,attacks", str(SAMPLE),
                        "-o", str(scratch / "tables") + "/"], check=True, capture_output=True)
    result = subprocess.run([sys.executable, "-c", code], cwd=scratch, capture_output=True, text=True, timeout=600,
                            env={**os.environ, "THREADLIB_CACHE": str(scratch / "cache")})
    assert result.returncode == 0, f"{code}\n{result.stderr[-2000:]}"

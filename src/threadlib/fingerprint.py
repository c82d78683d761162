"""Fingerprints that tell whether a result made earlier is still the one the inputs would give now."""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path


def file_sha256(paths: list[Path]) -> str:
    """The SHA-256 of the files' bytes, one after the other."""
    digest = hashlib.sha256()
    for path in paths:
        with Path(path).open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def code_and_lexicons() -> list[Path]:
    """The files whose change can change a result: the package's code, the lexicons in use (the
    package's and those of ``THREADLIB_LEXICONS`` or `lexicon.add_lexicon_dir`) and the stance
    model in use (``THREADLIB_MODEL`` or the package's)."""
    from . import lexicon

    from .stance_model import model_path

    package = Path(__file__).resolve().parent
    files = sorted(package.glob("*.py")) + sorted((package / "lexicon").glob("*.csv"))
    for folder in lexicon._user_dirs():
        files += sorted(Path(folder).glob("*.csv"))
    model = Path(model_path())
    return files + ([model] if model.is_file() else [])


def code_fingerprint() -> str:
    """The SHA-256 of the code, the lexicons in use and the language model's name and version."""
    digest = hashlib.sha256(file_sha256(code_and_lexicons()).encode())
    digest.update(_model_version().encode())
    return digest.hexdigest()


@functools.cache
def _model_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    from .nlp import DEFAULT_MODELS, ENV_VAR

    names = [os.environ[ENV_VAR]] if os.environ.get(ENV_VAR) else DEFAULT_MODELS
    found = []
    for name in names:
        try:
            found.append(f"{name} {version(name)}")
        except (PackageNotFoundError, ValueError):
            found.append(name)
    return "; ".join(found)

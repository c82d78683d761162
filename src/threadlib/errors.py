"""The one error threadlib raises for a user's bad input."""


class ThreadFormatError(ValueError):
    """A thread file (or text) that threadlib cannot read, with a message that says why and what to do.

    The message is one line that names the source and, where it helps, the line:

    >>> str(ThreadFormatError("notes.txt: the file is empty", line=None))
    'notes.txt: the file is empty'
    """

    def __init__(self, message: str, *, line: int | None = None):
        super().__init__(message)
        self.line = line


class LexiconError(ValueError):
    """A lexicon file (the package's or a user's) that cannot be read, named in the message."""


class ModelError(RuntimeError):
    """The spaCy pipeline that the parse needs is not installed; the message says how to install it."""


class ReportError(Exception):
    """A report that could not be made (a notebook failed); the message names notebook and cell.
    ``exit_status``: 1 for a notebook that failed, 2 when a kernel died under it (killed, out of memory)."""

    def __init__(self, message: str, *, exit_status: int = 1):
        super().__init__(message)
        self.exit_status = exit_status


class OutputError(OSError):
    """An output path that cannot be written, named in the message."""


class ForeignPathError(OutputError):
    """A file or folder that threadlib did not make is where an output would go; it is left alone."""

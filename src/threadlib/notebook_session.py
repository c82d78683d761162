"""Notebooks run one after another in one kernel: started once, its namespace cleared between them.

A report run executes four notebooks a thread; a kernel of its own for each would start Python and
import pandas, Altair and threadlib again every time (seconds a notebook). A `NotebookSession` keeps
one kernel for all of them. Before each notebook, the namespace is emptied, so no notebook can see
another's variables; the imported modules stay, which is the time saved (``warm_up`` imports
them while the caller does something else). The
parameters are injected as papermill does (`papermill.parameterize.parameterize_notebook`), and
cells run with nbclient. A kernel that dies is started again for the next notebook.
"""

from __future__ import annotations

import asyncio
import os

from .errors import ReportError

KERNEL_STOPPED = "its kernel stopped"  # in the message of a notebook whose kernel died
# The namespace emptied of what a notebook made (not with %reset, whose garbage collection of the
# whole heap takes a tenth of a second a time); the modules stay imported.
_RESET = """
_ip = get_ipython()
for _name in [n for n in _ip.user_ns if n not in _ip.user_ns_hidden
              and (not n.startswith("_") or n.lstrip("_i").isdigit())]:
    del _ip.user_ns[_name]
Out.clear()
_ = __ = ___ = None
del _ip
"""


class NotebookSession:
    """One kernel (of ``kernel_manager_class``, started in ``cwd`` with ``env``) for many notebooks.

    >>> with NotebookSession("notebooks") as session:                    # doctest: +SKIP
    ...     executed = session.run("notebooks/00_overview.ipynb", {"thread": "data/threads/iraq.txt"})
    """

    def __init__(self, cwd: str | os.PathLike, *, env: dict[str, str] | None = None, kernel_manager_class=None):
        from jupyter_client.manager import AsyncKernelManager

        self.cwd = os.fspath(cwd)
        self.env = env
        self.manager_class = kernel_manager_class or AsyncKernelManager
        self.loop = asyncio.new_event_loop()
        self.km = None
        self.kc = None

    def __enter__(self) -> NotebookSession:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def warm_up(self, code: str) -> None:
        """Start the kernel and send it ``code`` to run (imports) without waiting for it: the first
        notebook waits, while the caller goes on meanwhile. A kernel that does not start is left for
        the first notebook to report."""
        try:
            self.loop.run_until_complete(self._send(code))
        except Exception:  # noqa: BLE001 (said by `run`, with the notebook's name)
            pass

    async def _send(self, code: str) -> None:
        await self._ensure_started()
        sent = self.kc.execute(code, silent=True, store_history=False)
        while True:  # until the kernel has it: the message leaves only while the loop runs
            message = await self.kc.get_iopub_msg(timeout=60)
            if (message["parent_header"].get("msg_id") == sent and message["msg_type"] == "status"
                    and message["content"].get("execution_state") == "busy"):
                return

    def run(self, notebook: str | os.PathLike, parameters: dict):
        """Execute ``notebook`` with ``parameters`` injected; the executed notebook (an nbformat
        node). Raises `ReportError`: a cell that fails (exit status 1) or a kernel that dies (2)."""
        return self.loop.run_until_complete(self._run(os.fspath(notebook), parameters))

    def close(self) -> None:
        """Shut the kernel down and close the session's event loop."""
        if not self.loop.is_closed():
            self.loop.run_until_complete(self._stop())
            self.loop.close()

    async def _start(self) -> None:
        self.km = self.manager_class(kernel_name="python3")
        await self.km.start_kernel(cwd=self.cwd, **({"env": self.env} if self.env is not None else {}))
        self.kc = self.km.client()
        self.kc.start_channels()
        await self.kc.wait_for_ready(timeout=120)
        self.kc.allow_stdin = False

    async def _ensure_started(self) -> None:
        if self.km is None or not await self.km.is_alive():
            await self._stop()
            await self._start()

    async def _stop(self) -> None:
        if self.kc is not None:
            self.kc.stop_channels()
        if self.km is not None:
            try:
                await self.km.shutdown_kernel(now=True)
            except Exception:  # noqa: BLE001 (a kernel that is already gone)
                pass
        self.km = self.kc = None

    async def _run(self, path: str, parameters: dict):
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError, DeadKernelError
        from papermill.iorw import load_notebook_node
        from papermill.parameterize import parameterize_notebook

        import nbformat

        name = os.path.basename(path)
        notebook = parameterize_notebook(load_notebook_node(path), parameters)
        try:
            await self._ensure_started()
            reset = NotebookClient(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(_RESET)]), km=self.km)
            client = NotebookClient(notebook, km=self.km, resources={"metadata": {"path": self.cwd}})
            for one in (reset, client):
                one.kc = self.kc
                await one.async_execute(cleanup_kc=False)
        except CellExecutionError as exc:
            failed = next((cell for cell in notebook.cells if any(
                output.get("output_type") == "error" for output in cell.get("outputs", []))), None)
            where = failed.get("execution_count") if failed is not None else "?"
            value = (str(exc.evalue).splitlines() or [""])[0]
            raise ReportError(f"{name} failed at cell {where} ({exc.ename}: {value})") from None
        except (KeyboardInterrupt, SystemExit):
            raise
        except Exception as exc:  # the kernel died or could not start (DeadKernelError, a timeout ...)
            await self._stop()  # the next notebook starts a new kernel
            first_line = (str(exc).splitlines() or [""])[0][:200]
            kind = "DeadKernelError" if isinstance(exc, DeadKernelError) else type(exc).__name__
            raise ReportError(f"{name} did not finish: {KERNEL_STOPPED} ({kind}: {first_line})",
                              exit_status=2) from None
        return notebook

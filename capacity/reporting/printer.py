"""One report from the command line: WeasyPrint loads in a second process while this one builds the report.

``capacity report profile`` in a new process spent about half its time importing
WeasyPrint, loading the report fonts and laying out its first page, and the other
half importing pandas and matplotlib, scoring and drawing the charts, one after
the other on an idle second core. ``Printer`` forks a process at the start of the
command that does the first half while the command does the second, then turns
the report's HTML into the PDF.

Fork, not spawn: the printer inherits the app's configuration and imports for
free. It is forked before the command opens the database, and it never uses
the database, so no connection is shared. When anything goes wrong in it (it
died, it raised), the command prints the report itself, as it did before: the
printer can make a report faster, never fail one.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
from multiprocessing.connection import Connection

from capacity.reporting import batch

logger = logging.getLogger(__name__)

# Laid out once while the command is busy: Pango's first use of each font and script costs as much
# as a small report. Both families, both weights, both scripts the reports print.
_WARM_UP_HTML = ("<html lang='ka'><body><h1>Capacity ₾ 1.5</h1><p>ორგანიზაციული შესაძლებლობების შეფასება "
                 "<b>Organisational capacity ორგანიზაცია</b></p><table><tr><th>ა</th><td>1,5</td></tr></table>"
                 "</body></html>")


class Printer:
    """A process, forked now, that loads WeasyPrint and waits for one report to print.

    On one core, or in a process with other threads (forking copies only the calling
    thread: a lock another one holds would stay locked in the printer for ever), there
    is no printer and ``print`` renders here.
    """

    def __init__(self) -> None:
        self._connection = self._process = None
        if batch.cores() < 2 or not batch.may_fork():
            return
        context = multiprocessing.get_context("fork")
        self._connection, theirs = context.Pipe()
        self._process = context.Process(target=_serve, args=(theirs,), name="capacity-printer", daemon=True)
        self._process.start()
        theirs.close()

    def print(self, html: str, charts: dict[str, bytes]) -> bytes:
        """The PDF of ``html``, printed by the printer, or here when the printer cannot."""
        if self._process is None:
            from capacity.reporting.pdf import write_pdf

            return write_pdf(html, charts)
        try:
            self._connection.send((html, charts))
            outcome, payload = self._connection.recv()
        except (EOFError, OSError) as error:
            logger.warning("the report printer stopped (%s): printing here", error)
            outcome, payload = "failed", None
        finally:
            self.close()
        if outcome == "pdf":
            return payload
        if outcome == "error":
            logger.warning("the report printer failed (%s): printing here", payload)
        from capacity.reporting.pdf import write_pdf

        return write_pdf(html, charts)  # the same error, if any, now raised where the command reports it

    def close(self) -> None:
        """Let the printer go (also when the command ends early: it exits when its pipe closes)."""
        if self._process is None or self._connection.closed:
            return
        self._connection.close()
        self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()

    def __enter__(self) -> Printer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _serve(connection: Connection) -> None:
    batch.die_with_parent()
    from capacity.reporting import pdf  # WeasyPrint: the slow import, now in parallel with the command's

    pdf.write_pdf(_WARM_UP_HTML, {})
    try:
        html, charts = connection.recv()
    except (EOFError, OSError):
        return  # the command ended without a report (a wrong code, a closed round): nothing to print
    try:
        connection.send(("pdf", pdf.write_pdf(html, charts)))
    except Exception as error:  # noqa: BLE001 - reported to the command, which prints the report itself
        connection.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        connection.close()
        os._exit(0)  # nothing of the parent's to clean up here: its finalizers are its own

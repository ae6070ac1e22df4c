"""A Recorder that runs another Recorder's calls in order on one background thread.

The countdown hands a call over and goes on at once: opening the store, a slow disk, or another coach process
holding the database for a moment never delays the shown second. Calls keep their order (start, checkpoints,
finish), and `close` waits for the last one, so quitting never loses the final write.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from datetime import datetime

from coach.engine.recording import Checkpoint, Recorder, SessionStart, Status

_STOP = object()


class ThreadedRecorder:
    """Queue in front of a Recorder that `factory` opens on the writer thread; writes happen in the order asked."""

    def __init__(self, factory: Callable[[], Recorder], on_problem: Callable[[str], None] | None = None) -> None:
        self.on_problem = on_problem
        self._factory = factory
        self._calls: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._saved = True
        """False once a write failed or the recorder reported not saving."""
        self._thread = threading.Thread(target=self._work, name="coach-recorder", daemon=True)
        """Started by `open` or the first write, so opening the store never competes with the run screen's first
        frame."""

    def open(self) -> None:
        """Open the recorder now, on its thread, before the first write: the app calls this once the run screen's
        first frame is out, so that the session's start (Enter) finds the store open instead of opening it while
        the first second is drawn. Does nothing once open."""
        if self._thread.ident is None:
            self._thread.start()

    def start(self, session: SessionStart) -> None:
        self._put(lambda recorder: recorder.start(session))

    def checkpoint(self, session_id: str, checkpoint: Checkpoint) -> None:
        self._put(lambda recorder: recorder.checkpoint(session_id, checkpoint))

    def finish(self, session_id: str, status: Status, ended_at: datetime, checkpoint: Checkpoint) -> None:
        self._put(lambda recorder: recorder.finish(session_id, status, ended_at, checkpoint))

    def discard(self, session_id: str) -> None:
        self._put(lambda recorder: recorder.discard(session_id))

    def _put(self, call: Callable[[Recorder], None]) -> None:
        self._calls.put(call)
        self.open()

    def close(self, timeout: float = 10.0) -> bool:
        """Wait until every queued write is done (at most `timeout` seconds); True when all were written."""
        if self._thread.is_alive():
            self._calls.put(_STOP)
            self._thread.join(timeout)
        return not self._thread.is_alive() and self._saved

    def _work(self) -> None:
        try:
            recorder = self._factory()
        except Exception as error:  # the store promises not to raise; if it does, tell, and drop the writes
            self._tell(error)
            recorder = None
        while True:
            call = self._calls.get()
            if call is _STOP:
                if recorder is not None:  # the store's recorder holds a connection and locks
                    try:
                        self._saved = recorder.close() and self._saved
                    except Exception as error:
                        self._tell(error)
                return
            if recorder is None:
                continue
            try:
                call(recorder)  # type: ignore[operator]
            except Exception as error:
                self._tell(error)

    def _tell(self, error: Exception) -> None:
        self._saved = False
        if self.on_problem is not None:
            self.on_problem(f"History is not being saved: {error}")
            self.on_problem = None  # once is enough

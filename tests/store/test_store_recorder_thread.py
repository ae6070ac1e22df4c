"""The recorder thread in front of the store: it opens the store on its own thread (before the first write when
asked), writes in the order asked, and `close` waits for the last write."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

from coach.engine.recording import Checkpoint, SessionStart, Status
from coach.store.recorder_thread import ThreadedRecorder

STARTED = datetime(2024, 5, 20, 7, 30, tzinfo=timezone(timedelta(hours=2)))
START = SessionStart("id-1", "toe-exercises", "Toe exercises", "morning", STARTED)


class Written:
    """A recorder that notes each call and the thread it came on."""

    def __init__(self, log: list[tuple[str, str]]) -> None:
        self.log = log

    def start(self, session: SessionStart) -> None:
        self.log.append(("start", threading.current_thread().name))

    def checkpoint(self, session_id: str, checkpoint: Checkpoint) -> None:
        self.log.append((f"checkpoint {checkpoint.cycles_done}", threading.current_thread().name))

    def finish(self, session_id: str, status: Status, ended_at: datetime, checkpoint: Checkpoint) -> None:
        self.log.append((f"finish {status}", threading.current_thread().name))

    def discard(self, session_id: str) -> None:
        self.log.append(("discard", threading.current_thread().name))

    def close(self) -> bool:
        self.log.append(("close", threading.current_thread().name))
        return True


def test_open_opens_the_store_on_its_thread_before_any_write() -> None:
    log: list[tuple[str, str]] = []
    opened = threading.Event()

    def factory() -> Written:
        log.append(("open", threading.current_thread().name))
        opened.set()
        return Written(log)

    recorder = ThreadedRecorder(factory)
    assert log == []  # nothing is opened by making it (the run screen's first frame comes first)
    recorder.open()
    assert opened.wait(5)
    assert log == [("open", "coach-recorder")]
    recorder.open()  # once open, again is nothing
    recorder.start(START)
    recorder.checkpoint("id-1", Checkpoint("Heels up", 30.0, 3))
    recorder.finish("id-1", Status.COMPLETED, STARTED + timedelta(minutes=12), Checkpoint("end", 720.0, 60))
    assert recorder.close()
    assert [what for what, _ in log] == ["open", "start", "checkpoint 3", "finish completed", "close"]
    assert {thread for _, thread in log} == {"coach-recorder"}


def test_the_first_write_opens_it_when_nobody_asked_before() -> None:
    log: list[tuple[str, str]] = []
    recorder = ThreadedRecorder(lambda: Written(log))
    recorder.start(START)
    assert recorder.close()
    assert [what for what, _ in log] == ["start", "close"]


def test_a_store_that_cannot_be_opened_is_said_once_and_close_says_not_saved() -> None:
    said: list[str] = []

    def factory() -> Written:
        raise OSError("disk gone")

    recorder = ThreadedRecorder(factory, said.append)
    recorder.open()
    recorder.start(START)
    recorder.checkpoint("id-1", Checkpoint("Heels up", 30.0, 3))
    assert not recorder.close()
    assert said == ["History is not being saved: disk gone"]

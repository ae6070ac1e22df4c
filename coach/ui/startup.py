"""The full-screen app starts without the cyclic garbage collector, which resumes once the first frame is out.

Importing Textual and building the first screen makes some 200,000 objects and almost no garbage, yet the collector
ran ~90 times over them before the first frame (14 ms of a 250 ms start). Paused, then resumed after the frame is
drawn: the start-up heap is frozen out of later collections, which so stay small for the 20 minutes a session runs.
It is frozen without a full collection first: that collection found some 1,400 objects (tens of KiB) and took 25-40
ms between the first frame and the complete screen (the plan, the footer's keys).
"""

from __future__ import annotations

import gc

_paused = False


def pause_collector() -> None:
    """Stop cyclic collections until `resume_collector` (called by the app after its first frame)."""
    global _paused
    _paused = gc.isenabled()
    gc.disable()


def resume_collector() -> None:
    """Freeze the start-up heap and collect as usual from now on; does nothing unless paused here."""
    global _paused
    if not _paused:
        return
    _paused = False
    gc.freeze()
    gc.enable()

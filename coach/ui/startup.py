"""The full-screen app starts without the cyclic garbage collector, which resumes once the first frame is out.

Importing Textual and building the first screen makes some 200,000 objects and almost no garbage, yet the collector
ran ~90 times over them before the first frame (14 ms of a 250 ms start). Paused, then resumed with one full
collection after the frame is drawn; what survives it (the app itself) is frozen out of later collections, which so
stay small for the 20 minutes a session runs.
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
    """Collect once, freeze what is left, and collect as usual from now on; does nothing unless paused here."""
    global _paused
    if not _paused:
        return
    _paused = False
    gc.collect()
    gc.freeze()
    gc.enable()

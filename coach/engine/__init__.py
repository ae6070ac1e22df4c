"""The session engine: plain Python (never textual or rich) that runs a routine against a clock it is given.

`SessionEngine(routine, clock)` starts a session; each call returns an `Update` (a frozen `Snapshot` and the
events since the previous call). See docs/engine.md for the rules in the user's words.
"""

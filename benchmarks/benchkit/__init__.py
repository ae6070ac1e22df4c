"""Helpers for coach's benchmark suite: statistics and tables, shown-second traces, tmux and /proc measurements.

`stats` and `trace` are pure logic (tested in tests/test_benchmark_tools.py); `terminal` drives tmux.
"""

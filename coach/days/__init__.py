"""Coach days and streaks: which day a session counts for, and the streak rules over kept days. Pure functions."""

"""coach: a terminal coach for the leg-cramp prevention program, with an honest record of every session."""

__version__ = "0.1.0"

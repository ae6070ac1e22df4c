"""The cramp diary: entries (what a logged cramp is), insights (cramps set against sessions kept) and the
article's causes. Plain Python: no files, no database, no textual."""

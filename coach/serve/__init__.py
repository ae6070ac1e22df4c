"""`coach serve`: the same Textual app in a browser (textual-serve), behind a secret token; headless (no textual)."""

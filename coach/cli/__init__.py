"""Subcommands of `coach`. Each module registers its parser cheaply and imports its real work lazily."""

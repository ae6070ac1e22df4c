"""The user's settings (settings.toml): read with located problems and defaults, written only when the user saves."""

"""Plain helpers every layer may use: where files live, located problems, TOML reading, text made safe to print."""

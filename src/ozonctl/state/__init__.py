"""Local files: atomic TOML writes, corrupt-file recovery, the state lock, journals."""

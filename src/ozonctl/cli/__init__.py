"""The command-line interface: the root app, the application context and output."""

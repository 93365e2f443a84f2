"""ozonctl: the daily jobs of an Ozon shop in one fast, safe, scriptable command."""

__version__ = "0.1.0"

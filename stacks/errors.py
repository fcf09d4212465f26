"""Errors the commands report to users as a message (exit code 2), not a traceback."""


class ConfigError(ValueError):
    """An environment's configuration is invalid; the message says which value and why."""

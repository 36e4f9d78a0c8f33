"""The package's exceptions: each message names what failed (file, parameter) and why, in one line."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


class AnalysisError(Exception):
    """Base class of every error this package raises on purpose."""


class AnalysisWarning(UserWarning):
    """Base class of the package's warnings (filter them with ``warnings.filterwarnings(..., AnalysisWarning)``)."""


class InputError(AnalysisError):
    """A source file that cannot be used: carries the path and the reason."""

    def __init__(self, path: str | Path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class ManifestError(InputError):
    """A manifest row or column that cannot be used."""


class ResourceError(AnalysisError):
    """A lexicon, catalogue or taxonomy file that cannot be read."""

    def __init__(self, path: str | Path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class ParameterError(AnalysisError, ValueError):
    """A parameter value that does not fit: names the parameter and the valid values."""

    def __init__(self, name: str, value: object, valid: Iterable[object] | str | None = None, reason: str | None = None):
        self.name = name
        self.value = value
        if valid is not None and not isinstance(valid, str):
            valid = ", ".join(str(v) for v in valid) or "(none)"
        self.valid = valid
        msg = f"parameter {name}={value!r}: {reason or 'not a valid value'}"
        if valid is not None:
            msg += f"; valid values: {valid}"
        super().__init__(msg)


class StorageError(AnalysisError):
    """A file the package writes (cache, manifest, output) that cannot be written: carries the path and what to do."""

    def __init__(self, path: str | Path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")

    @classmethod
    def from_os_error(cls, exc: OSError, path: str | Path | None = None) -> StorageError:
        """One line from an ``OSError`` (path, what happened, what to do)."""
        from .files import display_path, os_error_message

        where = path if path is not None else exc.filename if exc.filename is not None else "(unknown path)"
        message = os_error_message(exc, where)
        return cls(display_path(where), message.split(": ", 1)[1] if ": " in message else message)

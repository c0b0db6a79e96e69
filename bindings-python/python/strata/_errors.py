"""Exceptions raised by Strata.

Every error of the engine is a :class:`StrataError`; the subclasses tell what went wrong.
Each class carries a stable ``code`` (the same string the Node binding puts on its errors).
The message holds the whole Rust cause chain (``failed to read ...: No such file ...``).
"""

from __future__ import annotations


class StrataError(Exception):
    """Base class of every Strata error."""

    code: str = "ERR_STRATA"


class ImageError(StrataError):
    """The image could not be read: not an image, corrupt archive or layer, digest
    mismatch, unknown target, or a platform that is not in the index."""

    code = "ERR_STRATA_IMAGE"


class ImageNotFoundError(ImageError, FileNotFoundError):
    """The image (file or directory) does not exist. Also a :class:`FileNotFoundError`
    (``errno`` is ``ENOENT``)."""

    code = "ENOENT"


class DatabaseError(StrataError):
    """The vulnerability database could not be opened."""

    code = "ERR_STRATA_DATABASE"


class LimitExceeded(StrataError):
    """A configured limit tripped (``limits={"max_entries": ...}``): the image is larger
    than allowed, or a bomb."""

    code = "ERR_STRATA_LIMIT"


class Cancelled(StrataError):
    """The scan was cancelled through a :class:`strata.CancelToken`."""

    code = "ERR_STRATA_CANCELLED"


class ConfigError(StrataError, ValueError):
    """An invalid argument or configuration (unknown limit, scanner, format or platform
    string, unreadable secret rules). Also a :class:`ValueError`."""

    code = "ERR_STRATA_CONFIG"


__all__ = [
    "Cancelled",
    "ConfigError",
    "DatabaseError",
    "ImageError",
    "ImageNotFoundError",
    "LimitExceeded",
    "StrataError",
]

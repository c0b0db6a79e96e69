"""Strata: a container-image security scanner.

Scan OCI layouts, ``docker save`` archives and root-filesystem directories for installed
packages, vulnerabilities, secrets, malware and misconfigurations::

    import strata

    scanner = strata.Scanner()
    report = scanner.scan("oci:image.oci")
    for pkg in report.packages:
        print(pkg.name, pkg.version)

Scans release the GIL (scan from several threads at once), report progress through a
callback, stop through a :class:`CancelToken` or Ctrl-C, and raise a subclass of
:class:`StrataError` on failure.
"""

from __future__ import annotations

import os
from typing import Any, Callable, Mapping, Sequence, Union

from . import _native
from ._errors import (
    Cancelled,
    ConfigError,
    DatabaseError,
    ImageError,
    ImageNotFoundError,
    LimitExceeded,
    StrataError,
)
from ._native import CancelToken
from ._report import (
    BaseImage,
    Compliance,
    Cvss,
    Diagnostic,
    FileSummary,
    ImageSection,
    IndexReport,
    LargeFile,
    LayerFiles,
    LayerInfo,
    Malware,
    Misconfiguration,
    OsSummary,
    Package,
    Platform,
    Report,
    ScanStats,
    Secret,
    Severity,
    Summary,
    Vulnerability,
    from_native,
)

__version__: str = _native.__version__

#: A path argument: ``str`` or ``os.PathLike``.
PathArg = Union[str, "os.PathLike[str]"]

#: A progress callback: receives one event dict per step, e.g.
#: ``{"event": "layer_started", "index": 0, "digest": "sha256:...", "size": 1234}``.
#: Events: ``image_started``, ``layer_started``, ``layer_bytes``, ``layer_finished``,
#: ``analyzing``, ``image_finished``.
ProgressCallback = Callable[[dict[str, Any]], object]


def formats() -> list[str]:
    """Format names accepted by :meth:`Report.to_format` (``json``, ``table``, ...)."""
    return _native.formats()


def scanner_groups() -> list[str]:
    """Scanner group names accepted by ``Scanner(scanners=...)`` (``os``, ``lang``, ...)."""
    return _native.scanners()


class Scanner:
    """A configured scanner: the engine with the default detectors, built once and reused.

    Thread-safe: one scanner may run several scans at once from different threads, each
    with the GIL released.

    :param db: vulnerability database file; ``None`` for the embedded database, ``False``
        to skip vulnerability matching.
    :param cache_dir: layer cache directory (default ``$XDG_CACHE_HOME/strata`` or
        ``~/.cache/strata``).
    :param scanners: scanner groups to run (see :func:`scanner_groups`); all by default.
    :param limits: caps over the defaults, by name: ``{"max_entries": 10_000}``. Names:
        ``max_file_bytes``, ``max_layer_bytes``, ``max_entries`` (per image layer),
        ``max_dir_entries`` (a ``dir:`` target), ``max_path_depth``,
        ``max_symlink_hops``, ``max_archive_depth``, ``max_archive_bytes``,
        ``max_metadata_bytes``, ``max_index_depth``, ``max_layers``.
    :param threads: threads for layer analysis (0 = one per CPU).
    :param secret_config: a secret rule configuration file (YAML or TOML).
    :param no_cache: do not read or write the layer cache.
    :raises ConfigError: an unknown scanner group or limit, unreadable secret rules.
    :raises DatabaseError: the database cannot be opened.
    """

    def __init__(
        self,
        db: PathArg | bool | None = None,
        cache_dir: PathArg | None = None,
        scanners: Sequence[str] | None = None,
        limits: Mapping[str, int] | None = None,
        threads: int = 0,
        secret_config: PathArg | None = None,
        no_cache: bool = False,
    ) -> None:
        self._inner = _native.Scanner(
            db=db,
            cache_dir=cache_dir,
            scanners=None if scanners is None else list(scanners),
            limits=None if limits is None else dict(limits),
            threads=threads,
            secret_config=secret_config,
            no_cache=no_cache,
        )

    @property
    def scanners(self) -> list[str] | None:
        """The scanner groups this scanner runs (``None``: all)."""
        return self._inner.scanners

    def scan(
        self,
        target: PathArg,
        platform: str | None = None,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> Report | IndexReport:
        """Scans an image and returns its report.

        The GIL is released for the whole scan; Ctrl-C cancels it.

        :param target: ``oci:DIR[:REF]``, ``oci-archive:FILE[:REF]``,
            ``docker-archive:FILE``, ``dir:DIR``, or a bare path (detected by content).
        :param platform: only this platform of an index (``linux/amd64``, ``linux/arm/v7``).
        :param progress: called (with the GIL, from engine threads) with each progress
            event; if it raises, the scan is cancelled and the exception re-raised.
        :param cancel: a token; ``cancel.cancel()`` from any thread stops the scan.
        :returns: a :class:`Report`, or an :class:`IndexReport` for a multi-platform index.
        :raises ImageNotFoundError: the target does not exist (a ``FileNotFoundError``).
        :raises ImageError: unreadable or invalid image, platform not in the index.
        :raises LimitExceeded: a limit tripped.
        :raises Cancelled: ``cancel`` was cancelled.
        :raises ConfigError: an invalid platform string.
        """
        native = self._inner.scan(target, platform=platform, progress=progress, cancel=cancel)
        return from_native(native)

    def __repr__(self) -> str:
        return f"strata.Scanner(scanners={self.scanners!r})"


__all__ = [
    "BaseImage",
    "CancelToken",
    "Cancelled",
    "Compliance",
    "ConfigError",
    "Cvss",
    "DatabaseError",
    "Diagnostic",
    "FileSummary",
    "ImageError",
    "ImageNotFoundError",
    "ImageSection",
    "IndexReport",
    "LargeFile",
    "LayerFiles",
    "LayerInfo",
    "LimitExceeded",
    "Malware",
    "Misconfiguration",
    "OsSummary",
    "Package",
    "PathArg",
    "Platform",
    "ProgressCallback",
    "Report",
    "ScanStats",
    "Scanner",
    "Secret",
    "Severity",
    "StrataError",
    "Summary",
    "Vulnerability",
    "formats",
    "scanner_groups",
]

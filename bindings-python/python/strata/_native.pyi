"""Native part of the ``strata`` package (use ``strata`` instead). Hand-kept stubs."""

import os
from typing import Any, Callable, Mapping, Union

__version__: str

_Path = Union[str, os.PathLike[str]]

class CancelToken:
    """A cancellation token: pass it to ``Scanner.scan`` and call ``cancel()`` from any
    thread."""

    def __init__(self) -> None:
        """A token that is not cancelled."""
    def cancel(self) -> None:
        """Requests cancellation: every scan given this token stops at its next check and
        raises ``strata.Cancelled``."""
    @property
    def cancelled(self) -> bool:
        """Whether ``cancel()`` was called."""

class ScanResult:
    """What a scan returned: one image report, or an index with one report per platform."""

    @property
    def is_index(self) -> bool:
        """Whether this is an image index (several platforms)."""
    @property
    def platform_count(self) -> int:
        """Number of platform reports of an index (0 for a single image)."""
    def platform(self, index: int) -> ScanResult:
        """The report of the ``index``-th platform of an index."""
    def to_dict(self) -> dict[str, Any]:
        """The report as plain Python values: exactly the JSON report, parsed."""
    def to_json(self, indent: int | None = None) -> str:
        """The JSON report; compact unless ``indent`` is given."""
    def to_format(self, name: str) -> str:
        """The report rendered in a format of ``formats()``."""

class Scanner:
    """A configured scanner (the engine with the default detectors)."""

    def __init__(
        self,
        db: _Path | bool | None = None,
        cache_dir: _Path | None = None,
        scanners: list[str] | None = None,
        limits: Mapping[str, int] | None = None,
        threads: int = 0,
        secret_config: _Path | None = None,
        no_cache: bool = False,
    ) -> None:
        """Builds a scanner. See ``strata.Scanner`` for the arguments."""
    def scan(
        self,
        target: _Path,
        platform: str | None = None,
        progress: Callable[[dict[str, Any]], object] | None = None,
        cancel: CancelToken | None = None,
    ) -> ScanResult:
        """Scans a target; see ``strata.Scanner.scan``."""
    @property
    def scanners(self) -> list[str] | None:
        """Scanner groups this scanner runs (``None``: all)."""

def formats() -> list[str]:
    """Names accepted by ``Report.to_format``."""

def scanners() -> list[str]:
    """Scanner group names accepted by ``Scanner(scanners=...)``."""

def _panic_on_scan_thread() -> None:
    """Panics on a scan thread (for the binding's tests)."""

"""Typed report objects.

Each class mirrors one object of the JSON report (``schema_version`` 1) with the same field
names; reports are built from the report's serde form, so they always agree with
``to_json()`` and with the CLI's ``-f json``. Keys this version does not know (a newer
engine) are kept in ``extra`` instead of being dropped. Objects are frozen dataclasses.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, Callable, Mapping, TypeVar, cast

if TYPE_CHECKING:
    from ._native import ScanResult

_T = TypeVar("_T")

_ORDER = ("unknown", "low", "medium", "high", "critical")


class Severity(str, enum.Enum):
    """Severity of a finding, ordered: ``Severity.HIGH > Severity.MEDIUM``. Compares equal
    to its JSON spelling (``Severity.HIGH == "high"``)."""

    UNKNOWN = "unknown"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """Position in the order, ``UNKNOWN`` = 0 to ``CRITICAL`` = 4."""
        return _ORDER.index(self.value)

    @classmethod
    def parse(cls, value: str) -> Severity:
        """The severity named ``value`` (case-insensitive); ``UNKNOWN`` for anything else."""
        try:
            return cls(value.lower())
        except ValueError:
            return cls.UNKNOWN

    @staticmethod
    def _rank_of(other: str) -> int:
        return other.rank if isinstance(other, Severity) else Severity.parse(other).rank

    def __lt__(self, other: str) -> bool:
        if not isinstance(other, str):
            return NotImplemented
        return self.rank < Severity._rank_of(other)

    def __le__(self, other: str) -> bool:
        if not isinstance(other, str):
            return NotImplemented
        return self.rank <= Severity._rank_of(other)

    def __gt__(self, other: str) -> bool:
        if not isinstance(other, str):
            return NotImplemented
        return self.rank > Severity._rank_of(other)

    def __ge__(self, other: str) -> bool:
        if not isinstance(other, str):
            return NotImplemented
        return self.rank >= Severity._rank_of(other)

    def __str__(self) -> str:
        return self.value


def _build(cls: type[_T], data: Mapping[str, Any], nested: Mapping[str, Callable[[Any], Any]] | None = None) -> _T:
    """``cls(**data)``, converting the ``nested`` fields and keeping unknown keys in ``extra``."""
    names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    kwargs: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in data.items():
        if key in names and key != "extra":
            if nested is not None and key in nested and value is not None:
                value = nested[key](value)
            kwargs[key] = value
        else:
            extra[key] = value
    return cast(_T, cast(Any, cls)(**kwargs, extra=extra))


def _list(conv: Callable[[Any], _T]) -> Callable[[Any], list[_T]]:
    return lambda items: [conv(x) for x in items]


@dataclass(frozen=True)
class Platform:
    """An image platform (``linux/amd64``)."""

    os: str = ""
    architecture: str = ""
    variant: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    def __str__(self) -> str:
        base = f"{self.os}/{self.architecture}"
        return f"{base}/{self.variant}" if self.variant else base

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Platform:
        """Builds it from its JSON form."""
        return _build(cls, data)


@dataclass(frozen=True)
class LayerInfo:
    """One layer of the image, bottom = index 0."""

    index: int = 0
    digest: str = ""
    diff_id: str = ""
    size: int = 0
    media_type: str = ""
    created_by: str = ""
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LayerInfo:
        """Builds it from its JSON form."""
        return _build(cls, data)


@dataclass(frozen=True)
class OsSummary:
    """The operating system of the image."""

    family: str = ""
    name: str = ""
    version: str = ""
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OsSummary:
        """Builds it from its JSON form."""
        return _build(cls, data)


@dataclass(frozen=True)
class ImageSection:
    """Facts about the image: digests, tags, platform, OS and layers."""

    digest: str | None = None
    config_digest: str | None = None
    repo_tags: list[str] = field(default_factory=list)
    platform: Platform | None = None
    os: OsSummary | None = None
    layers: list[LayerInfo] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ImageSection:
        """Builds it from its JSON form."""
        return _build(
            cls,
            data,
            {"platform": Platform.from_dict, "os": OsSummary.from_dict, "layers": _list(LayerInfo.from_dict)},
        )


@dataclass(frozen=True)
class Package:
    """An installed package (OS or application). ``path`` and the ``layer`` fields say where
    it was found."""

    name: str = ""
    version: str = ""
    ecosystem: str = ""
    purl: str | None = None
    cpe: str | None = None
    arch: str | None = None
    source_name: str | None = None
    source_version: str | None = None
    licenses: list[str] = field(default_factory=list)
    vendor: str | None = None
    evidence: str | None = None
    os_package: str | None = None
    direct: bool | None = None
    properties: dict[str, str] = field(default_factory=dict)
    path: str = ""
    real_path: str | None = None
    layer: str | None = None
    layer_index: int | None = None
    removed_in_layer: int | None = None
    detector: str = ""
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Package:
        """Builds it from its JSON form."""
        return _build(cls, data)


@dataclass(frozen=True)
class Cvss:
    """A CVSS rating."""

    source: str = ""
    vector: str = ""
    score: float | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Cvss:
        """Builds it from its JSON form."""
        return _build(cls, data)


@dataclass(frozen=True)
class Vulnerability:
    """A vulnerability matched to an installed package."""

    id: str = ""
    aliases: list[str] = field(default_factory=list)
    package: str = ""
    version: str = ""
    ecosystem: str = ""
    purl: str | None = None
    fixed_version: str | None = None
    status: str = ""
    severity: Severity = Severity.UNKNOWN
    cvss: list[Cvss] = field(default_factory=list)
    title: str = ""
    description: str = ""
    references: list[str] = field(default_factory=list)
    solution: str | None = None
    known_exploited: bool = False
    data_source: str = ""
    path: str = ""
    real_path: str | None = None
    layer: str | None = None
    layer_index: int | None = None
    removed_in_layer: int | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Vulnerability:
        """Builds it from its JSON form."""
        return _build(cls, data, {"severity": Severity.parse, "cvss": _list(Cvss.from_dict)})


@dataclass(frozen=True)
class Secret:
    """A secret found in a file or in the image config. Holds a redacted preview, never the
    value."""

    rule_id: str = ""
    category: str = ""
    title: str = ""
    severity: Severity = Severity.UNKNOWN
    line: int | None = None
    redacted: str = ""
    fingerprint: str = ""
    path: str = ""
    real_path: str | None = None
    layer: str | None = None
    layer_index: int | None = None
    removed_in_layer: int | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Secret:
        """Builds it from its JSON form."""
        return _build(cls, data, {"severity": Severity.parse})


@dataclass(frozen=True)
class Malware:
    """A malicious or known-bad file."""

    name: str = ""
    engine: str = ""
    severity: Severity = Severity.UNKNOWN
    sha256: str = ""
    size: int = 0
    description: str = ""
    path: str = ""
    real_path: str | None = None
    layer: str | None = None
    layer_index: int | None = None
    removed_in_layer: int | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Malware:
        """Builds it from its JSON form."""
        return _build(cls, data, {"severity": Severity.parse})


@dataclass(frozen=True)
class Misconfiguration:
    """An unsafe setting (sshd, passwords, image config, ...)."""

    id: str = ""
    category: str = ""
    title: str = ""
    severity: Severity = Severity.UNKNOWN
    message: str = ""
    resolution: str = ""
    path: str = ""
    real_path: str | None = None
    layer: str | None = None
    layer_index: int | None = None
    removed_in_layer: int | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Misconfiguration:
        """Builds it from its JSON form."""
        return _build(cls, data, {"severity": Severity.parse})


@dataclass(frozen=True)
class Compliance:
    """A software-compliance finding (a forbidden tool present in the image)."""

    id: str = ""
    title: str = ""
    severity: Severity = Severity.UNKNOWN
    package: str | None = None
    path: str = ""
    real_path: str | None = None
    layer: str | None = None
    layer_index: int | None = None
    removed_in_layer: int | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Compliance:
        """Builds it from its JSON form."""
        return _build(cls, data, {"severity": Severity.parse})


@dataclass(frozen=True)
class Diagnostic:
    """Something skipped or odd during the scan (``level`` info, warning or error)."""

    level: str = ""
    code: str = ""
    message: str = ""
    layer: str | None = None
    layer_index: int | None = None
    path: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Diagnostic:
        """Builds it from its JSON form."""
        return _build(cls, data)


@dataclass(frozen=True)
class LargeFile:
    """One of the largest files of the merged filesystem."""

    path: str = ""
    size: int = 0
    layer_index: int = 0
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LargeFile:
        """Builds it from its JSON form."""
        return _build(cls, data)


@dataclass(frozen=True)
class LayerFiles:
    """File figures of one layer."""

    index: int = 0
    files: int = 0
    size: int = 0
    whiteouts: int = 0
    visible_files: int = 0
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LayerFiles:
        """Builds it from its JSON form."""
        return _build(cls, data)


@dataclass(frozen=True)
class FileSummary:
    """File information of the merged filesystem."""

    count: int = 0
    total_size: int = 0
    directories: int = 0
    symlinks: int = 0
    largest: list[LargeFile] = field(default_factory=list)
    layers: list[LayerFiles] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FileSummary:
        """Builds it from its JSON form."""
        return _build(cls, data, {"largest": _list(LargeFile.from_dict), "layers": _list(LayerFiles.from_dict)})


@dataclass(frozen=True)
class BaseImage:
    """The base image the image was built on."""

    name: str = ""
    version: str = ""
    layers: int = 0
    evidence: str = ""
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BaseImage:
        """Builds it from its JSON form."""
        return _build(cls, data)


@dataclass(frozen=True)
class ScanStats:
    """Figures about the scan itself (layers read or cached, bytes, time)."""

    layers_read: int = 0
    layers_cached: int = 0
    bytes_read: int = 0
    bytes_uncompressed: int = 0
    entries: int = 0
    bodies_read: int = 0
    duration_ms: int = 0
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ScanStats:
        """Builds it from its JSON form."""
        return _build(cls, data)


@dataclass(frozen=True)
class Summary:
    """Combined figures of a multi-platform scan."""

    platforms: int = 0
    packages: int = 0
    vulnerabilities: int = 0
    secrets: int = 0
    malware: int = 0
    misconfigurations: int = 0
    compliance: int = 0
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Summary:
        """Builds it from its JSON form."""
        return _build(cls, data)


class _Rendered:
    """``to_dict``/``to_json``/``to_format`` through the native result a report came from."""

    _native: ScanResult | None

    def _result(self) -> ScanResult:
        if self._native is None:
            raise ValueError("this report was not produced by a scan")
        return self._native

    def to_dict(self) -> dict[str, Any]:
        """The report as plain Python values: exactly the JSON report, parsed."""
        return self._result().to_dict()

    def to_json(self, indent: int | None = None) -> str:
        """The JSON report (``schema_version`` 1); compact unless ``indent`` is given."""
        return self._result().to_json(indent)

    def to_format(self, name: str) -> str:
        """The report rendered in one of :func:`strata.formats` (``json``, ``table``, ...).

        Raises :class:`strata.ConfigError` for an unknown format name.
        """
        return self._result().to_format(name)


@dataclass(frozen=True)
class Report(_Rendered):
    """The report of one image (one platform): findings by kind, image facts, file
    information, diagnostics and scan figures."""

    schema_version: int = 1
    target: str = ""
    image: ImageSection = field(default_factory=ImageSection)
    packages: list[Package] = field(default_factory=list)
    vulnerabilities: list[Vulnerability] = field(default_factory=list)
    secrets: list[Secret] = field(default_factory=list)
    malware: list[Malware] = field(default_factory=list)
    misconfigurations: list[Misconfiguration] = field(default_factory=list)
    compliance: list[Compliance] = field(default_factory=list)
    files: FileSummary | None = None
    base_image: BaseImage | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    stats: ScanStats = field(default_factory=ScanStats)
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    _native: ScanResult | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Report:
        """Builds it from its JSON form (the result has no ``to_json``/``to_format``)."""
        return _build(
            cls,
            data,
            {
                "image": ImageSection.from_dict,
                "packages": _list(Package.from_dict),
                "vulnerabilities": _list(Vulnerability.from_dict),
                "secrets": _list(Secret.from_dict),
                "malware": _list(Malware.from_dict),
                "misconfigurations": _list(Misconfiguration.from_dict),
                "compliance": _list(Compliance.from_dict),
                "files": FileSummary.from_dict,
                "base_image": BaseImage.from_dict,
                "diagnostics": _list(Diagnostic.from_dict),
                "stats": ScanStats.from_dict,
            },
        )

    @classmethod
    def _from_native(cls, native: ScanResult) -> Report:
        report = cls.from_dict(native.to_dict())
        object.__setattr__(report, "_native", native)
        return report

    def reports(self) -> list[Report]:
        """``[self]``: lets code treat single images and indexes alike."""
        return [self]

    def max_severity(self) -> Severity | None:
        """The highest severity among vulnerabilities (except ``not_affected``), secrets,
        malware, misconfigurations and compliance findings; ``None`` without findings."""
        sevs = [s for s in self._severities()]
        return max(sevs, key=lambda s: s.rank) if sevs else None

    def count_at_least(self, threshold: Severity | str) -> int:
        """Number of findings (as in :meth:`max_severity`) at or above ``threshold``."""
        limit = threshold if isinstance(threshold, Severity) else Severity.parse(threshold)
        return sum(1 for s in self._severities() if s.rank >= limit.rank)

    def _severities(self) -> list[Severity]:
        out = [v.severity for v in self.vulnerabilities if v.status != "not_affected"]
        out += [x.severity for x in self.secrets]
        out += [x.severity for x in self.malware]
        out += [x.severity for x in self.misconfigurations]
        out += [x.severity for x in self.compliance]
        return out


@dataclass(frozen=True)
class IndexReport(_Rendered):
    """The report of an image index: one :class:`Report` per platform and a summary."""

    schema_version: int = 1
    target: str = ""
    digest: str | None = None
    platforms: list[Report] = field(default_factory=list)
    summary: Summary = field(default_factory=Summary)
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    _native: ScanResult | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> IndexReport:
        """Builds it from its JSON form (the result has no ``to_json``/``to_format``)."""
        return _build(cls, data, {"platforms": _list(Report.from_dict), "summary": Summary.from_dict})

    @classmethod
    def _from_native(cls, native: ScanResult) -> IndexReport:
        data = native.to_dict()
        platforms = [Report._from_native(native.platform(i)) for i in range(native.platform_count)]
        index = _build(cls, {k: v for k, v in data.items() if k != "platforms"}, {"summary": Summary.from_dict})
        object.__setattr__(index, "platforms", platforms)
        object.__setattr__(index, "_native", native)
        return index

    def reports(self) -> list[Report]:
        """The platform reports."""
        return list(self.platforms)

    def max_severity(self) -> Severity | None:
        """The highest severity over every platform; ``None`` without findings."""
        sevs = [s for r in self.platforms if (s := r.max_severity()) is not None]
        return max(sevs, key=lambda s: s.rank) if sevs else None


def from_native(native: ScanResult) -> Report | IndexReport:
    """Wraps a native scan result."""
    if native.is_index:
        return IndexReport._from_native(native)
    return Report._from_native(native)

"""Shared fixtures: the real test images and the CLI's JSON reports to compare with."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any, Callable

import pytest

import strata

REPO = Path(__file__).resolve().parents[2]
IMAGES = Path(os.environ.get("STRATA_IMAGES", Path.home() / ".cache" / "strata-images"))
TARGET_DIR = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))


def image(name: str) -> str:
    """The path of a test image, skipping the test when it was not built."""
    path = IMAGES / name
    if not path.exists():
        pytest.skip(f"{path} missing: run scripts/build-test-images.sh")
    return str(path)


def strip_volatile(report: dict[str, Any]) -> dict[str, Any]:
    """A JSON report without the figures that depend on the run (time, cache hits)."""
    if "platforms" in report:
        return {**report, "platforms": [strip_volatile(r) for r in report["platforms"]]}
    return {k: v for k, v in report.items() if k != "stats"}


@pytest.fixture(scope="session")
def cli() -> Path:
    """The release CLI (`$STRATA_CLI`, or built into `$CARGO_TARGET_DIR`)."""
    explicit = os.environ.get("STRATA_CLI")
    if explicit:
        return Path(explicit)
    binary = TARGET_DIR / "release" / "strata"
    if not binary.exists():
        subprocess.run(
            ["cargo", "build", "--release", "-p", "strata-cli", "--manifest-path", str(REPO / "Cargo.toml")],
            check=True,
        )
    return binary


@pytest.fixture(scope="session")
def cli_json(cli: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[..., dict[str, Any]]:
    """Runs `strata scan TARGET -f json ARGS...` and parses its report (memoised)."""
    cache = tmp_path_factory.mktemp("cli-cache")
    seen: dict[tuple[str, ...], dict[str, Any]] = {}

    def run(target: str, *args: str) -> dict[str, Any]:
        key = (target, *args)
        if key not in seen:
            out = subprocess.run(
                [str(cli), "scan", target, "-f", "json", "-q", "--cache-dir", str(cache), *args],
                check=True,
                capture_output=True,
            )
            seen[key] = json.loads(out.stdout)
        return seen[key]

    return run


@pytest.fixture(scope="session")
def scanner(tmp_path_factory: pytest.TempPathFactory) -> strata.Scanner:
    """A scanner with its own layer cache, shared by the tests."""
    return strata.Scanner(cache_dir=tmp_path_factory.mktemp("py-cache"))


@pytest.fixture(scope="session")
def uncached() -> strata.Scanner:
    """A scanner without cache: every layer is read (for progress and cancellation)."""
    return strata.Scanner(no_cache=True)

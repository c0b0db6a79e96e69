"""Scans of the real test images, compared with the CLI's JSON and the images' expectations."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any, Callable

import pytest

import strata
from conftest import IMAGES, image, strip_volatile

CliJson = Callable[..., dict[str, Any]]

SINGLE = ["oci:{}/minbase.oci", "oci:{}/layered.oci", "docker-archive:{}/layered.tar"]


def target(pattern: str, name: str) -> str:
    image(name)
    return pattern.format(IMAGES)


@pytest.mark.parametrize(
    "pattern,name",
    [("oci:{}/minbase.oci", "minbase.oci"), ("oci:{}/layered.oci", "layered.oci"), ("docker-archive:{}/layered.tar", "layered.tar")],
)
def test_single_image_report_equals_cli_json(scanner: strata.Scanner, cli_json: CliJson, pattern: str, name: str) -> None:
    t = target(pattern, name)
    report = scanner.scan(t)
    assert isinstance(report, strata.Report)
    expected = cli_json(t)
    assert strip_volatile(report.to_dict()) == strip_volatile(expected)
    assert json.loads(report.to_json()) == report.to_dict()
    assert strip_volatile(json.loads(report.to_format("json"))) == strip_volatile(expected)
    # The typed objects carry the same values as the JSON.
    assert [(p.name, p.version, p.ecosystem, p.path, p.layer_index) for p in report.packages] == [
        (p["name"], p["version"], p["ecosystem"], p["path"], p.get("layer_index")) for p in expected["packages"]
    ]
    assert [(s.rule_id, s.path, s.severity.value, s.removed_in_layer) for s in report.secrets] == [
        (s["rule_id"], s["path"], s["severity"], s.get("removed_in_layer")) for s in expected["secrets"]
    ]
    assert [(d.code, d.path) for d in report.diagnostics] == [(d["code"], d.get("path")) for d in expected["diagnostics"]]
    assert [layer.diff_id for layer in report.image.layers] == [layer["diff_id"] for layer in expected["image"]["layers"]]
    assert report.target == t
    assert report.schema_version == expected["schema_version"] == 1


def test_minbase_packages_are_dpkgs_own_list(scanner: strata.Scanner) -> None:
    report = scanner.scan(target("oci:{}/minbase.oci", "minbase.oci"))
    assert isinstance(report, strata.Report)
    listed = (IMAGES / "minbase.dpkg-query.txt").read_text().split("\n")
    expected = sorted(tuple(line.split(" ", 1)) for line in listed if line)
    debs = sorted((p.name, p.version) for p in report.packages if p.ecosystem == "deb")
    assert debs == expected
    assert all(isinstance(p, strata.Package) for p in report.packages)
    assert report.image.os is not None and report.image.os.family == "debian"
    assert report.image.platform is not None and str(report.image.platform) == "linux/amd64"
    assert report.files is not None and report.files.count > 1000


def test_layered_findings_match_the_planted_files(scanner: strata.Scanner) -> None:
    report = scanner.scan(target("oci:{}/layered.oci", "layered.oci"))
    assert isinstance(report, strata.Report)
    planted = json.loads((IMAGES / "layered.expected.json").read_text())
    layers = planted["layers"]
    assert [(x.index, x.diff_id) for x in report.image.layers] == [(x["index"], x["diff_id"]) for x in layers]
    secrets = {s.path: s for s in report.secrets}
    for p in planted["planted"]:
        if p["kind"] != "secret":
            continue
        assert p["path"] in secrets, p["path"]
        found = secrets[p["path"]]
        assert found.layer_index == p["layer"]
        assert found.removed_in_layer == p["deleted_in"]
        assert isinstance(found.severity, strata.Severity)
        if p["rule"] != "private-key":  # (its "match" is the PEM armour line, not the key)
            assert p["match"] not in found.redacted  # never the value
    installed = {(p.name, p.version) for p in report.packages}
    for pkg in planted["packages"]:
        assert ((pkg["name"], pkg["version"]) in installed) == (pkg["removed_in"] is None), pkg


def test_index_report_equals_cli_json(scanner: strata.Scanner, cli_json: CliJson) -> None:
    t = target("oci:{}/multiarch.oci", "multiarch.oci")
    out = scanner.scan(t)
    assert isinstance(out, strata.IndexReport)
    expected = cli_json(t)
    assert strip_volatile(out.to_dict()) == strip_volatile(expected)
    assert [str(r.image.platform) for r in out.platforms] == [
        f"{r['image']['platform']['os']}/{r['image']['platform']['architecture']}" for r in expected["platforms"]
    ]
    assert sorted(str(r.image.platform) for r in out.platforms) == ["linux/386", "linux/amd64"]
    assert out.summary.platforms == 2
    assert out.summary.packages == sum(len(r.packages) for r in out.platforms)
    # Each platform renders on its own.
    for r, e in zip(out.platforms, expected["platforms"]):
        assert strip_volatile(json.loads(r.to_json())) == strip_volatile(e)
    assert out.reports() == out.platforms


def test_platform_selection_equals_cli(scanner: strata.Scanner, cli_json: CliJson) -> None:
    t = target("oci:{}/multiarch.oci", "multiarch.oci")
    out = scanner.scan(t, platform="linux/386")
    expected = cli_json(t, "--platform", "linux/386")
    assert strip_volatile(out.to_dict()) == strip_volatile(expected)
    reports = out.reports()
    assert [str(r.image.platform) for r in reports] == ["linux/386"]
    assert any(p.name == "libc6" and p.arch == "i386" for p in reports[0].packages)


def test_scanner_groups_equal_cli(cli_json: CliJson) -> None:
    t = target("oci:{}/layered.oci", "layered.oci")
    only_os = strata.Scanner(scanners=["os"], no_cache=True)
    report = only_os.scan(t)
    expected = cli_json(t, "--scanners", "os")
    assert strip_volatile(report.to_dict()) == strip_volatile(expected)
    assert isinstance(report, strata.Report)
    assert report.secrets == [] and report.packages
    assert only_os.scanners == ["os"]


def test_formats(scanner: strata.Scanner, cli: Path) -> None:
    import subprocess

    t = target("oci:{}/minbase.oci", "minbase.oci")
    report = scanner.scan(t)
    assert "json" in strata.formats() and "table" in strata.formats()
    table = report.to_format("table")
    assert isinstance(report, strata.Report)
    assert all(p.name in table for p in report.packages[:5])
    cli_table = subprocess.run([str(cli), "scan", t, "-f", "table", "-q", "--no-cache"], check=True, capture_output=True, text=True)
    assert table == cli_table.stdout
    for name in strata.formats():
        assert report.to_format(name)
    with pytest.raises(strata.ConfigError, match="unknown format"):
        report.to_format("no-such-format")


def test_parallel_threads_give_the_sequential_results(uncached: strata.Scanner) -> None:
    targets = [target(p, n) for p, n in [("oci:{}/minbase.oci", "minbase.oci"), ("oci:{}/layered.oci", "layered.oci"), ("docker-archive:{}/layered.tar", "layered.tar"), ("oci:{}/multiarch.oci", "multiarch.oci")]]
    sequential = [strip_volatile(uncached.scan(t).to_dict()) for t in targets]
    results: dict[int, dict[str, Any]] = {}
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            results[i] = strip_volatile(uncached.scan(targets[i]).to_dict())
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(targets))]
    for th in threads:
        th.start()
    # The GIL is released during scans: this thread keeps running while they do.
    ticks = 0
    while any(th.is_alive() for th in threads):
        ticks += 1
        threading.Event().wait(0.001)
    for th in threads:
        th.join()
    assert errors == []
    assert [results[i] for i in range(len(targets))] == sequential
    assert ticks > 0


def test_progress_events(uncached: strata.Scanner) -> None:
    events: list[dict[str, Any]] = []
    report = uncached.scan(target("oci:{}/layered.oci", "layered.oci"), progress=events.append)
    assert isinstance(report, strata.Report)
    kinds = [e["event"] for e in events]
    assert kinds[0] == "image_started" and kinds[-1] == "image_finished"
    assert "analyzing" in kinds
    assert events[0]["layers"] == len(report.image.layers) == 4
    started = sorted(e["index"] for e in events if e["event"] == "layer_started")
    finished = sorted(e["index"] for e in events if e["event"] == "layer_finished")
    assert started == finished == [0, 1, 2, 3]
    digests = {e["index"]: e["digest"] for e in events if e["event"] == "layer_started"}
    assert digests == {x.index: x.digest for x in report.image.layers}


@pytest.fixture(scope="module")
def one_thread() -> strata.Scanner:
    """One layer at a time: events after a cancellation are deterministic."""
    return strata.Scanner(no_cache=True, threads=1)


def test_progress_callback_exception_is_raised(one_thread: strata.Scanner) -> None:
    class Boom(Exception):
        pass

    seen: list[str] = []

    def progress(ev: dict[str, Any]) -> None:
        seen.append(ev["event"])
        if ev["event"] == "layer_started":
            raise Boom("from the callback")

    with pytest.raises(Boom, match="from the callback"):
        one_thread.scan(target("oci:{}/layered.oci", "layered.oci"), progress=progress)
    # The scan was cancelled: it never finished, and no event came after the failure.
    assert "image_finished" not in seen
    assert seen.count("layer_started") == 1


def test_cancel_from_the_progress_callback(one_thread: strata.Scanner) -> None:
    token = strata.CancelToken()
    events: list[str] = []

    def progress(ev: dict[str, Any]) -> None:
        events.append(ev["event"])
        if ev["event"] == "layer_started":
            token.cancel()

    with pytest.raises(strata.Cancelled) as info:
        one_thread.scan(target("oci:{}/layered.oci", "layered.oci"), progress=progress, cancel=token)
    assert info.value.code == "ERR_STRATA_CANCELLED"
    assert token.cancelled
    assert "image_finished" not in events
    assert events.count("layer_started") == 1


def test_cancel_from_another_thread(uncached: strata.Scanner) -> None:
    token = strata.CancelToken()
    started = threading.Event()
    outcome: list[BaseException] = []

    def work() -> None:
        try:
            uncached.scan(
                target("oci:{}/layered.oci", "layered.oci"),
                progress=lambda ev: started.set() if ev["event"] == "layer_started" else None,
                cancel=token,
            )
        except BaseException as e:  # noqa: BLE001 - asserted below
            outcome.append(e)

    th = threading.Thread(target=work)
    th.start()
    assert started.wait(60)
    token.cancel()
    th.join(60)
    assert not th.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], strata.Cancelled), outcome


def test_keyboard_interrupt_stops_the_scan(uncached: strata.Scanner) -> None:
    import _thread

    events: list[str] = []

    def progress(ev: dict[str, Any]) -> None:
        events.append(ev["event"])
        if ev["event"] == "layer_started" and events.count("layer_started") == 1:
            _thread.interrupt_main()

    with pytest.raises(KeyboardInterrupt):
        uncached.scan(target("oci:{}/layered.oci", "layered.oci"), progress=progress)
    assert "image_finished" not in events

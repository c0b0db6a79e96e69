"""A typed example, checked with ``mypy --strict`` in CI: scan, walk the report, handle errors."""

from __future__ import annotations

import sys
import threading
from typing import Any

import strata


def main(target: str) -> int:
    scanner = strata.Scanner(limits={"max_entries": 1_000_000}, scanners=["os", "lang", "secret"])
    token = strata.CancelToken()
    layers_done = threading.Event()

    def progress(event: dict[str, Any]) -> None:
        if event["event"] == "layer_finished":
            layers_done.set()

    try:
        out = scanner.scan(target, progress=progress, cancel=token)
    except strata.ImageNotFoundError as e:
        print(f"no such image: {e} (errno {e.errno})", file=sys.stderr)
        return 2
    except strata.StrataError as e:
        print(f"scan failed [{e.code}]: {e}", file=sys.stderr)
        return 2
    for report in out.reports():
        os_name = report.image.os.name if report.image.os else "unknown OS"
        print(f"{report.target}: {os_name}, {len(report.packages)} packages")
        for v in report.vulnerabilities:
            if v.severity >= strata.Severity.HIGH:
                print(f"  {v.id} {v.package} {v.version} -> {v.fixed_version or '-'}")
        for s in report.secrets:
            where = f"layer {s.layer_index}" + (f", removed in {s.removed_in_layer}" if s.removed_in_layer is not None else "")
            print(f"  secret {s.rule_id} in {s.path} ({where}): {s.redacted}")
        worst: strata.Severity | None = report.max_severity()
        print(f"  worst: {worst}, at least high: {report.count_at_least('high')}")
    if isinstance(out, strata.IndexReport):
        print(f"{out.summary.platforms} platforms")
    print(out.to_format("table"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

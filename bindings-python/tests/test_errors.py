"""Every error class, raised by real failures."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

import strata
from strata import _native
from conftest import IMAGES, image


def test_missing_file_is_file_not_found(scanner: strata.Scanner, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-image.tar"
    with pytest.raises(FileNotFoundError) as info:
        scanner.scan(f"docker-archive:{missing}")
    e = info.value
    assert isinstance(e, strata.ImageNotFoundError)
    assert isinstance(e, strata.ImageError) and isinstance(e, strata.StrataError)
    assert e.errno == errno.ENOENT
    assert e.code == "ENOENT"
    # The Rust cause chain: our operation, then the OS error.
    assert str(missing) in str(e) and "No such file or directory" in str(e)


def test_bare_missing_path(scanner: strata.Scanner, tmp_path: Path) -> None:
    with pytest.raises(strata.ImageNotFoundError):
        scanner.scan(tmp_path / "absent")  # os.PathLike targets are accepted


def test_garbage_file_is_image_error(scanner: strata.Scanner, tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.tar"
    garbage.write_bytes(os.urandom(4096))
    with pytest.raises(strata.ImageError) as info:
        scanner.scan(f"docker-archive:{garbage}")
    assert not isinstance(info.value, FileNotFoundError)
    assert info.value.code == "ERR_STRATA_IMAGE"


def test_platform_not_in_index(scanner: strata.Scanner) -> None:
    image("multiarch.oci")
    with pytest.raises(strata.ImageError, match="linux/s390x"):
        scanner.scan(f"oci:{IMAGES}/multiarch.oci", platform="linux/s390x")


def test_invalid_platform_string(scanner: strata.Scanner) -> None:
    image("minbase.oci")
    with pytest.raises(strata.ConfigError, match="invalid platform") as info:
        scanner.scan(f"oci:{IMAGES}/minbase.oci", platform="linux")
    assert isinstance(info.value, ValueError)
    assert info.value.code == "ERR_STRATA_CONFIG"


def test_cancelled_before_start(scanner: strata.Scanner) -> None:
    image("minbase.oci")
    token = strata.CancelToken()
    token.cancel()
    with pytest.raises(strata.Cancelled, match="cancelled"):
        scanner.scan(f"oci:{IMAGES}/minbase.oci", cancel=token)


def test_tiny_limit(tmp_path: Path) -> None:
    image("minbase.oci")
    tiny = strata.Scanner(limits={"max_entries": 10}, no_cache=True)
    with pytest.raises(strata.LimitExceeded, match="max entries") as info:
        tiny.scan(f"oci:{IMAGES}/minbase.oci")
    assert info.value.code == "ERR_STRATA_LIMIT"


def test_bad_options() -> None:
    with pytest.raises(strata.ConfigError, match="unknown limit"):
        strata.Scanner(limits={"max_things": 1})
    with pytest.raises(strata.ConfigError, match="must be an int"):
        strata.Scanner(limits={"max_entries": "ten"})  # type: ignore[dict-item]
    with pytest.raises(strata.ConfigError, match="unknown scanner"):
        strata.Scanner(scanners=["os", "telepathy"])
    assert strata.scanner_groups() == list(_native.scanners())


def test_missing_secret_config(tmp_path: Path) -> None:
    with pytest.raises(strata.ConfigError):
        strata.Scanner(secret_config=tmp_path / "absent.yaml")


def test_rust_panic_is_an_exception_not_a_crash() -> None:
    with pytest.raises(BaseException) as info:
        _native._panic_on_scan_thread()
    assert type(info.value).__name__ == "PanicException"
    assert "deliberate panic" in str(info.value)


def test_stubs_match_the_native_module() -> None:
    import ast

    stub = Path(strata.__file__).with_name("_native.pyi")
    tree = ast.parse(stub.read_text())
    declared = {n.name for n in tree.body if isinstance(n, (ast.ClassDef, ast.FunctionDef))}
    declared |= {n.target.id for n in tree.body if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)}
    exported = {n for n in dir(_native) if not n.startswith("__") or n == "__version__"}
    assert declared == exported
    for cls in tree.body:
        if isinstance(cls, ast.ClassDef):
            methods = {m.name for m in cls.body if isinstance(m, ast.FunctionDef) and not m.name.startswith("__")}
            real = {m for m in dir(getattr(_native, cls.name)) if not m.startswith("__")}
            assert methods == real, cls.name


def test_public_items_have_docstrings() -> None:
    import inspect

    aliases = {"PathArg", "ProgressCallback"}
    for name in set(strata.__all__) - aliases:
        obj = getattr(strata, name)
        assert inspect.getdoc(obj), name
        if inspect.isclass(obj):
            for attr, member in vars(obj).items():
                if not attr.startswith("_") and callable(member):
                    assert inspect.getdoc(member), f"{name}.{attr}"


def test_unreadable_database(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"not a strata database\n" * 64)
    with pytest.raises(strata.DatabaseError) as info:
        strata.Scanner(db=bogus)
    assert info.value.code == "ERR_STRATA_DATABASE"
    assert str(bogus) in str(info.value) or "database" in str(info.value)

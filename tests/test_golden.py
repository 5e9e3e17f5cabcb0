"""The tiny project's output is compared byte for byte with committed golden files."""
from __future__ import annotations

import difflib
import shutil
from pathlib import Path

from conftest import ROOT

GOLDEN = ROOT / "tests" / "golden" / "tiny"


def _files(folder: Path) -> dict[str, bytes]:
    """Every file below a folder, by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_tiny_site_matches_golden(built_tiny, request):
    """Building the tiny project gives exactly the committed output (refresh with --update-golden)."""
    site, result = built_tiny
    assert not result.errors and not result.warnings, result.errors + result.warnings
    if request.config.getoption("--update-golden"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(site, GOLDEN)
    got, want = _files(site), _files(GOLDEN)
    assert sorted(got) == sorted(want), "files differ; run pytest --update-golden if the change is intended"
    for name in want:
        if got[name] != want[name]:
            diff = difflib.unified_diff(want[name].decode().splitlines(), got[name].decode().splitlines(),
                                        f"golden/{name}", f"built/{name}", lineterm="", n=2)
            raise AssertionError("\n".join(list(diff)[:80]))

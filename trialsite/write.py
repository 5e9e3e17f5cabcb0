"""Write the site into a fresh folder, then swap it into place only when everything succeeded."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path


class OutputCollision(Exception):
    """Two things tried to write the same file."""


class SiteWriter:
    """Collects every output file in memory; refuses a second write to one path."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def add(self, rel_path: str, content: str | bytes) -> None:
        """Queue one file, relative to the site root."""
        if rel_path in self.files:
            raise OutputCollision(f"two outputs would be written to '{rel_path}'")
        self.files[rel_path] = content.encode("utf-8") if isinstance(content, str) else content

    def add_tree(self, folder: Path, prefix: str) -> None:
        """Queue every file below `folder` under `prefix`, in sorted order."""
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            self.add(f"{prefix}/{path.relative_to(folder).as_posix()}", path.read_bytes())

    def commit(self, out: Path) -> None:
        """Write everything into a temporary folder beside `out`, then replace `out` with it."""
        out = out.resolve()
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
        try:
            for rel_path in sorted(self.files):
                target = staging / rel_path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(self.files[rel_path])
            staging.chmod(0o755)
            _swap(staging, out)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _swap(staging: Path, out: Path) -> None:
    """Replace `out` by `staging` with renames, so a reader never sees half a site."""
    old = out.with_name(f".{out.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        out.rename(old)
    staging.rename(out)
    shutil.rmtree(old, ignore_errors=True)

#!/usr/bin/env python3
"""Build the site: python build.py [--strict] [--out DIR] [--base-url URL]."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trialsite.pipeline import build


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Build the trial site from site.yaml, data/, content/, templates/ and static/ into a folder.",
        epilog="Exit status: 0 when the site was built, 1 on any error (and on any warning with --strict). "
               "Problems are printed as path:line: field: message.")
    parser.add_argument("command", nargs="?", default="build", choices=["build"], help="what to do (default: build)")
    parser.add_argument("--strict", action="store_true", help="treat warnings (readability, numbers typed by hand, "
                        "unnamed analyses, promotional words) as errors")
    parser.add_argument("--out", default="_site", metavar="DIR", help="folder to build into (default: _site)")
    parser.add_argument("--base-url", metavar="URL", help="absolute address the site is published at, ending in '/', "
                        "e.g. https://example.github.io/repo/ (default: base_url in site.yaml)")
    parser.add_argument("--root", default=".", metavar="DIR", help="project folder (default: the current folder)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the build and report every problem; return the exit status."""
    args = parse_args(argv)
    root = Path(args.root).resolve()
    out = Path(args.out) if Path(args.out).is_absolute() else root / args.out
    result = build(root, out, base_url=args.base_url, strict=args.strict)
    for error in result.errors:
        print(f"{error}", file=sys.stderr)
    for warning in result.warnings:
        print(f"{warning} (warning)", file=sys.stderr)
    if result.failed(args.strict):
        found = f"{len(result.errors)} error(s), {len(result.warnings)} warning(s)"
        print(f"Build failed: {found}; {out.name}/ was left as it was.", file=sys.stderr)
        return 1
    print(f"Built {result.files} files into {out}/ ({len(result.warnings)} warning(s)).")
    return 0


if __name__ == "__main__":
    sys.exit(main())

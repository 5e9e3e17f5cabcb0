#!/usr/bin/env python3
"""Build the site: python build.py [--strict] [--out DIR] [--base-url URL]; start a trial: build.py new-trial ID."""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import traceback
from pathlib import Path

from trialsite import manifest
from trialsite.errors import option_error

EXIT_BUILT, EXIT_USER_ERROR, EXIT_INTERNAL_ERROR = 0, 1, 2
CRASH_LOG = Path(".cache") / "logs" / "crash.log"


class Parser(argparse.ArgumentParser):
    """argparse, but a mistyped option is an author's error (exit 1), not a crash (exit 2)."""

    def error(self, message: str):
        """Print the problem in the build's one-line form and exit 1."""
        print(option_error("options", f"{message} (see build.py --help)"), file=sys.stderr)
        sys.exit(EXIT_USER_ERROR)


def _port(text: str) -> int:
    """A port number a server can listen on (0 lets the system choose one)."""
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number from 0 to 65535")
    return int(text)


def _jobs(text: str) -> int:
    """A number of worker processes: 1 or more."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of processes (1 or more)")
    return int(text)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line."""
    parser = Parser(
        prog="build.py",
        description="Build the trial site from site.yaml, data/, content/, templates/ and static/ into a folder.",
        epilog="Exit status: 0 when the site was built; 1 when your files or options have a problem (and on any "
               "warning with --strict), printed as path:line: field: message; 2 when the build itself failed (a bug: "
               "please report it with the log it names). The output folder is left as it was unless the build "
               "succeeded.")
    parser.add_argument("command", nargs="?", default="build", choices=["build", "serve", "new-trial"],
                        help="what to do: build the site (the default); serve, to preview it at http://127.0.0.1:8000/ "
                             "and rebuild on every save (never touching the output folder); or new-trial ID to start "
                             "a trial's data file and page from a commented template")
    parser.add_argument("trial_id", nargs="?", metavar="ID", help="for new-trial: the trial's id, used in its "
                        "address (lower-case letters, digits and hyphens)")
    parser.add_argument("--strict", action="store_true", help="treat warnings (readability, numbers typed by hand, "
                        "unnamed analyses, promotional words, removed HTML) as errors")
    parser.add_argument("--out", default="_site", metavar="DIR", help="folder to build into (default: _site); "
                        "it must be new, empty or made by an earlier build")
    parser.add_argument("--base-url", metavar="URL", help="absolute address the site is published at, ending in '/', "
                        "e.g. https://example.github.io/repo/ (default: base_url in site.yaml)")
    parser.add_argument("--root", default=".", metavar="DIR", help="project folder (default: the current folder)")
    parser.add_argument("--jobs", type=_jobs, metavar="N", help="worker processes that convert pages and draw charts "
                        "(default: one per core; 1 builds in this process only)")
    parser.add_argument("--port", default=8000, type=_port, metavar="N", help="for serve: the port (default: 8000)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the build and report every problem; return the exit status."""
    args = parse_args(argv)
    root = Path(args.root).resolve()
    if args.command == "new-trial":
        return _new_trial(root, args.trial_id)
    if args.command == "serve":
        return _serve(root, args.port)
    out = Path(args.out) if Path(args.out).is_absolute() else root / args.out
    options = {"out": str(out.absolute()), "base_url": args.base_url, "strict": args.strict}
    inputs = manifest.Snapshot(root, options)  # what the build reads, as it is before it reads it
    last = manifest.unchanged(root, out, options, inputs.before)  # before any heavy import: a no-op is almost free
    if last is not None:
        for line in last["stderr"]:
            print(line, file=sys.stderr)
        print(f"Nothing changed since the last build: {args.out}/ is up to date ({last['files']} files, "
              f"{last['warnings']} warning(s)); no file was written.")
        return EXIT_BUILT
    from trialsite.workers import start_drawers

    drawers = start_drawers(root, args.jobs)  # before the imports below, so that their engines start meanwhile
    from trialsite.pipeline import build  # the build's libraries load only when there is something to build

    try:
        result = build(root, out, base_url=args.base_url, strict=args.strict, out_label=args.out, jobs=args.jobs,
                       drawers=drawers, inputs_held=inputs)
    except KeyboardInterrupt:
        manifest.forget(root)
        print(f"Build stopped; {args.out} was left as it was.", file=sys.stderr)
        return 130
    except Exception:  # noqa: BLE001 - the one place a bug of ours becomes a message instead of a traceback
        log = _write_crash_log(root, traceback.format_exc())
        details = f"with the details in {log}" if log else "(its details could not be saved: .cache/ is not writable)"
        print(f"build.py: internal error: the build failed because of a bug in trialsite, not in your files; "
              f"{args.out} was left as it was. Please report it {details}", file=sys.stderr)
        return EXIT_INTERNAL_ERROR
    said = ([f"{error}" for error in result.errors] + [f"{warning} (warning)" for warning in result.warnings]
            # a review that is due: said every build, but it never stops publishing
            + [f"{notice} (review due)" for notice in result.notices])
    for line in said:
        print(line, file=sys.stderr)
    if result.errors and result.errors[0].path == "(command line)":
        return EXIT_USER_ERROR  # a wrong option: its one line says it all
    if result.failed(args.strict):
        found = f"{len(result.errors)} error(s), {len(result.warnings)} warning(s)"
        print(f"Build failed: {found}; {out.name}/ was left as it was.", file=sys.stderr)
        return EXIT_USER_ERROR
    print(f"Built {result.files} files into {out}/ ({len(result.warnings)} warning(s)).")
    manifest.record(root, out, options, {"stderr": said, "files": result.files, "warnings": len(result.warnings)},
                    inputs.before)
    return EXIT_BUILT


def _serve(root: Path, port: int) -> int:
    """Preview the site until Ctrl+C; a port in use is the author's to change."""
    from trialsite.serve import serve  # only the preview needs the file watcher
    try:
        serve(root, port)
    except KeyboardInterrupt:  # a second Ctrl+C while the preview tidies up: stop at once, quietly
        return 130
    except OSError as exc:
        print(option_error("--port", f"cannot serve on port {port} ({exc.strerror}); choose another, e.g. --port 8001"),
              file=sys.stderr)
        return EXIT_USER_ERROR
    return EXIT_BUILT


def _new_trial(root: Path, trial_id: str | None) -> int:
    """Start a trial's files, and say what to do next."""
    if not trial_id:
        print(option_error("new-trial", "name the trial's id, e.g. python build.py new-trial my-trial"),
              file=sys.stderr)
        return EXIT_USER_ERROR
    from trialsite.starter import new_trial

    written, problem = new_trial(root, trial_id, dt.date.today())
    if problem:
        print(option_error("new-trial", problem), file=sys.stderr)
        return EXIT_USER_ERROR
    print(f"Started {', '.join(written)}. Replace each FILL IN with facts from the trial's sources "
          "(docs/data-format.md explains every field); `python build.py` lists those still to fill in.")
    return EXIT_BUILT


def _write_crash_log(root: Path, details: str) -> str | None:
    """Keep the traceback in .cache/logs/ (the one place besides the output the build writes); None if it cannot."""
    text = f"trialsite crash at {dt.datetime.now().isoformat(timespec='seconds')}\n{details}"
    try:
        (root / CRASH_LOG).parent.mkdir(parents=True, exist_ok=True)
        (root / CRASH_LOG).write_text(text, encoding="utf-8")
    except OSError:
        return None
    return CRASH_LOG.as_posix()


if __name__ == "__main__":
    status = main()
    # Everything is written and flushed: skip the interpreter's teardown of every loaded module (about 0.2 s).
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)

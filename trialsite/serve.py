"""Live preview: build into a folder of its own (never `_site/`), serve it on 127.0.0.1 only, rebuild on every save,
and let the open pages reload themselves, or show the build's problems over the last good build.
"""
from __future__ import annotations

import contextlib
import html
import json
import shutil
import signal
import tempfile
import threading
import urllib.parse
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from watchfiles import DefaultFilter, watch

from .pipeline import build
from .workers import preview_drawers

HOST = "127.0.0.1"  # the preview is for the author's own computer only
PREFIX = "/__trialsite__/"
SCRIPT = f'<script src="{PREFIX}preview.js" defer></script>'
WATCHED = ("site.yaml", "data", "content", "templates", "static")
RELOADER = (Path(__file__).parent / "preview.js").read_bytes()
NO_BUILD_YET = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Preview: build failed</title>'
                '</head><body><main><h1>The first build failed</h1><p>Fix the problems below, then save; '
                'this page reloads by itself.</p><pre>{problems}</pre></main>{script}</body></html>')


class Preview:
    """The latest good build, its version, and the problems of the latest build."""

    def __init__(self, root: Path, port: int, say: Callable[[str], None] = print):
        self.root, self.port, self.say = root, port, say
        self.folder: Path | None = None  # the site being served: the last build that succeeded
        self.version = 0
        self.problems: list[str] = []
        self.lock = threading.Lock()

    def rebuild(self) -> None:
        """Build into a new folder; serve it when the build succeeded, else keep the last good one and say why."""
        out = Path(tempfile.mkdtemp(prefix="trialsite-preview-")) / "site"
        try:
            # Unchanged pages are linked from the last good build, not rendered again.
            with preview_drawers(self.root) or contextlib.nullcontext() as drawers:
                result = build(self.root, out, base_url=f"http://{HOST}:{self.port}/", out_label="the preview",
                               last_site=self.folder, drawers=drawers)
        except Exception as exc:  # noqa: BLE001 - a bug of ours must not stop the preview; the author sees one line
            shutil.rmtree(out.parent, ignore_errors=True)
            with self.lock:
                self.problems = [f"internal error: the build failed because of a bug in trialsite, not in your files "
                                 f"({type(exc).__name__}); run 'python build.py' for the details to report"]
            self.say(self.problems[0])
            return
        except BaseException:  # stopped while building (Ctrl+C): no half-built folder left behind
            shutil.rmtree(out.parent, ignore_errors=True)
            raise
        lines = ([str(e) for e in result.errors] + [f"{w} (warning)" for w in result.warnings]
                 + [f"{n} (review due)" for n in result.notices])
        for line in lines:
            self.say(line)
        with self.lock:
            if result.errors:
                self.problems = [str(e) for e in result.errors]
                shutil.rmtree(out.parent, ignore_errors=True)
                self.say(f"Build failed: {len(result.errors)} error(s); the preview shows the last good build.")
                return
            old, self.folder = self.folder, out
            self.version += 1
            self.problems = []
        if old is not None:
            shutil.rmtree(old.parent, ignore_errors=True)
        self.say(f"Built {result.files} files ({len(result.warnings)} warning(s)); open http://{HOST}:{self.port}/")

    def state(self) -> bytes:
        """What the pages poll: the build's version and its problems."""
        with self.lock:
            return json.dumps({"version": self.version, "problems": self.problems}).encode("utf-8")

    def close(self) -> None:
        """Remove the served folder."""
        if self.folder is not None:
            shutil.rmtree(self.folder.parent, ignore_errors=True)


def handler_for(preview: Preview) -> type[SimpleHTTPRequestHandler]:
    """A request handler that serves the preview's current folder, with the reload script in every page."""

    class Handler(SimpleHTTPRequestHandler):
        def translate_path(self, path: str) -> str:
            """Paths inside the folder being served now (the standard handler keeps them inside it)."""
            self.directory = str(preview.folder or tempfile.gettempdir())
            return super().translate_path(path)

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            """The preview's own files, a page with the reload script, or any other file as it is."""
            path = self.path.split("?", 1)[0].split("#", 1)[0]
            if "\0" in urllib.parse.unquote(path):  # no file has such a name, and the file system refuses to look
                return self.send_error(404)
            if path == PREFIX + "state":
                return self._send(preview.state(), "application/json")
            if path == PREFIX + "preview.js":
                return self._send(RELOADER, "text/javascript")
            if preview.folder is None:
                page = NO_BUILD_YET.format(problems=html.escape("\n".join(preview.problems)), script=SCRIPT)
                return self._send(page.encode("utf-8"), "text/html; charset=utf-8")
            file = Path(self.translate_path(path))
            if file.is_dir():
                file = file / "index.html"
            if file.suffix == ".html" and file.is_file():
                page = file.read_text(encoding="utf-8").replace("</body>", SCRIPT + "</body>", 1)
                return self._send(page.encode("utf-8"), "text/html; charset=utf-8")
            return super().do_GET()

        def do_HEAD(self) -> None:  # noqa: N802 - http.server's name
            """The headers of what GET would send: nothing from outside the build served, before the first build."""
            if preview.folder is None or "\0" in urllib.parse.unquote(self.path):
                return self.send_error(404)
            return super().do_HEAD()

        def _send(self, body: bytes, kind: str) -> None:
            """One whole response, never cached."""
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args) -> None:  # noqa: A002 - http.server's name
            """Quiet: the terminal is for the build's messages."""

    return Handler


class _Inputs(DefaultFilter):
    """Only the project's inputs: not _site/, .cache/, .git/ or editors' files (DefaultFilter skips those)."""

    def __init__(self, root: Path):
        super().__init__()
        self.inputs = [root / name for name in WATCHED]

    def __call__(self, change, path: str) -> bool:
        """Whether a change to `path` needs a rebuild."""
        return super().__call__(change, path) and any(Path(path).is_relative_to(p) for p in self.inputs)


def watch_and_rebuild(preview: Preview, stop: threading.Event) -> None:
    """Rebuild whenever an input changes, until `stop` is set."""
    for _ in watch(preview.root, watch_filter=_Inputs(preview.root), stop_event=stop, debounce=200, step=50):
        preview.rebuild()


class QuietServer(ThreadingHTTPServer):
    """The preview's server: a request that fails (a browser that drops the connection as it reloads) is no news
    for the author, whose terminal is for the build's messages."""

    def handle_error(self, request, client_address) -> None:
        """Say nothing."""


def serve(root: Path, port: int, say: Callable[[str], None] = print) -> None:
    """Build, serve and watch until interrupted (Ctrl+C, or a polite kill): a build under way is let finish, then
    every folder of the preview's is removed."""
    preview = Preview(root, port, say)
    server = QuietServer((HOST, port), handler_for(preview))
    preview.port = server.server_address[1]  # port 0 picks a free one
    stop = threading.Event()
    watcher = threading.Thread(target=watch_and_rebuild, args=(preview, stop), daemon=True)
    main = threading.current_thread() is threading.main_thread()  # only the main thread may set a signal's handler
    polite = signal.signal(signal.SIGTERM, _interrupt) if main else None
    try:
        preview.rebuild()
        watcher.start()
        say(f"Previewing at http://{HOST}:{preview.port}/ ; it rebuilds when you save. Stop with Ctrl+C.")
        server.serve_forever()
    except KeyboardInterrupt:
        say("Preview stopped.")
    finally:
        if main:
            signal.signal(signal.SIGTERM, polite)
        stop.set()
        server.server_close()
        if watcher.is_alive():
            watcher.join(timeout=STOP_WAIT_SECONDS)
        preview.close()


STOP_WAIT_SECONDS = 120  # a build under way when the preview stops is let finish, so that it leaves no folder


def _interrupt(*_: object) -> None:
    """A polite kill (SIGTERM) stops the preview as Ctrl+C does."""
    raise KeyboardInterrupt

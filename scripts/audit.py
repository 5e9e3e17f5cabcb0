"""Lighthouse audit of the built site (mobile, the four categories), page by page: `make audit`.

Not a test: Lighthouse's performance score depends on timing. The site in `_site/` is served as GitHub Pages serves
it (under the base URL's path, 404.html for a missing address) and Lighthouse, installed with npm into
`.cache/audit/` on first use, runs Debian's Chromium headless on each page. The 404 page and the author report are
exempt from SEO (both ask not to be listed). Exit status 1 when a page scores under 100 in a category it is held to.
"""
from __future__ import annotations

import argparse
import functools
import gzip
import json
import shutil
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ROOT / ".cache" / "audit"
LIGHTHOUSE = TOOLS / "node_modules" / ".bin" / "lighthouse"
LIGHTHOUSE_VERSION = "12"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
NOT_LISTED = {"404.html", "report/index.html"}  # they ask search engines not to list them: SEO does not apply
COMPRESSED = {".html", ".css", ".js", ".svg", ".json", ".xml", ".txt", ".csv"}
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"


class PagesLikeHandler(SimpleHTTPRequestHandler):
    """A static server like GitHub Pages: text compressed with gzip for browsers that accept it, and a missing
    address answered with the site's 404.html and status 404."""

    not_found = b""

    def do_GET(self):
        """Send text files compressed when the browser accepts gzip, as GitHub Pages does."""
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"  # a folder without its '/' is redirected by the base class
        if not (path.suffix in COMPRESSED and path.is_file() and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().do_GET()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_error(self, code, message=None, explain=None):
        """Answer 404 with the site's own page."""
        if code != 404 or not self.not_found:
            return super().send_error(code, message, explain)
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(self.not_found)))
        self.end_headers()
        self.wfile.write(self.not_found)

    def log_message(self, format, *args):  # noqa: A002 - signature fixed by the base class
        """Quiet."""


def lighthouse() -> Path:
    """Lighthouse's command, installed into .cache/audit/ with npm when missing."""
    if not LIGHTHOUSE.exists():
        if not shutil.which("npm"):
            sys.exit("The audit needs Node.js and npm: sudo apt-get install nodejs npm")
        print(f"Installing Lighthouse {LIGHTHOUSE_VERSION} into {TOOLS.relative_to(ROOT)}/ (once)", file=sys.stderr)
        TOOLS.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(TOOLS), "--silent", "--no-audit", "--no-fund",
                        f"lighthouse@{LIGHTHOUSE_VERSION}"], check=True)
    return LIGHTHOUSE


def serve(site: Path, base_path: str, host: Path | None = None) -> tuple[ThreadingHTTPServer, str]:
    """Serve `site` under `base_path` on 127.0.0.1 (from `host`, a folder of its own, linking to the site); return
    the server and the site's address. tests/test_publishing.py and tests/test_search_browser.py use it too."""
    if base_path.strip("/"):
        host = host or Path(tempfile.mkdtemp(prefix="trialsite-audit-"))
        (host / base_path.strip("/")).parent.mkdir(parents=True, exist_ok=True)
        (host / base_path.strip("/")).symlink_to(site.resolve())
    else:
        host = site
    handler = type("Handler", (PagesLikeHandler,), {"not_found": (site / "404.html").read_bytes()})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(host)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{base_path}"


def audit(url: str, chromium: str) -> dict[str, float]:
    """Lighthouse's four scores (0 to 100) for one address, as a phone."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run([str(lighthouse()), url, "--quiet", f"--chrome-flags={CHROME_FLAGS}", "--output=json",
                        f"--output-path={out.name}", f"--only-categories={','.join(CATEGORIES)}"],
                       check=True, env={"CHROME_PATH": chromium, "PATH": "/usr/bin:/bin"})
        report = json.loads(Path(out.name).read_text())
    return {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}


def main(argv: list[str] | None = None) -> int:
    """Audit every page of the built site; print one line per page and a summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "_site", help="the built site (default: _site/)")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("pages", nargs="*", help="only these site paths, e.g. trials/bolero-2/index.html")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").exists():
        sys.exit(f"No built site in {args.site}: run `make site` first")
    base_path = urlsplit(yaml.safe_load((ROOT / "site.yaml").read_text())["base_url"]).path or "/"
    pages = args.pages or sorted(p.relative_to(args.site).as_posix() for p in args.site.rglob("*.html"))
    server, address = serve(args.site, base_path)
    failures = 0
    print(f"{'page':48} " + " ".join(f"{name:>14}" for name in CATEGORIES))
    try:
        for page in pages:
            scores = audit(address + page.removesuffix("index.html"), args.chromium)
            held = [name for name in CATEGORIES if not (name == "seo" and page in NOT_LISTED)]
            low = [name for name in held if scores[name] < 100]
            failures += bool(low)
            print(f"{page:48} " + " ".join(f"{scores[name]:>14}" for name in CATEGORIES) + ("  <" if low else ""))
    finally:
        server.shutdown()
    print(f"{len(pages)} pages; {failures} under 100 in a category they are held to")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

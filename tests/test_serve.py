"""The live preview, in real Chromium: it serves on 127.0.0.1 only, rebuilds when a file is saved, reloads the open
page, shows a build's problems over the last good build, and never touches _site/."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import ROOT
from test_pipeline import _tree

from trialsite.serve import HOST, Preview, handler_for, watch_and_rebuild

PAGE = "content/trials/tiny-trial.md"


@pytest.fixture
def preview(tiny_project):
    """A preview of the tiny project on a free port, watching its files; yields (preview, origin)."""
    said: list[str] = []
    preview = Preview(tiny_project, 0, said.append)
    server = ThreadingHTTPServer((HOST, 0), handler_for(preview))
    preview.port = server.server_address[1]
    preview.rebuild()
    stop = threading.Event()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    watcher = threading.Thread(target=watch_and_rebuild, args=(preview, stop), daemon=True)
    watcher.start()
    time.sleep(0.5)  # the watcher is listening before a test saves a file
    yield preview, f"http://{HOST}:{preview.port}"
    stop.set()
    server.shutdown()
    server.server_close()
    watcher.join(timeout=5)
    preview.close()


def _state(origin: str) -> dict:
    """What the pages poll."""
    with urllib.request.urlopen(origin + "/__trialsite__/state") as response:
        return json.load(response)


def _wait(condition, seconds: float = 30) -> None:
    """Wait until condition() is true; fail after `seconds`."""
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.1)


def test_the_preview_listens_on_this_computer_only(preview):
    """It binds 127.0.0.1, and builds outside the project: no _site/ appears."""
    p, origin = preview
    assert origin.startswith("http://127.0.0.1:")
    assert p.folder is not None and not p.folder.is_relative_to(p.root)
    assert not (p.root / "_site").exists()


def test_saving_a_file_rebuilds_and_reloads_the_open_page(preview, browser):
    """Edit a page's title: the open page reloads with it, without being asked."""
    p, origin = preview
    page = browser.new_page()
    page.goto(origin + "/trials/tiny-trial/")
    assert page.locator("script[src='/__trialsite__/preview.js']").count() == 1
    before = _state(origin)["version"]
    time.sleep(1)  # the page has read the version once
    path = p.root / PAGE
    path.write_text(path.read_text().replace("title: ", "title: Edited ", 1))
    _wait(lambda: _state(origin)["version"] > before)
    page.locator("h1", has_text="Edited The TINY-1 trial").wait_for(timeout=15000)  # no reload was asked for
    assert not (p.root / "_site").exists()
    page.close()


def test_a_broken_build_shows_its_problems_over_the_last_good_page(preview, browser):
    """Break the trial file: the page stays, with the problem over it; fix it: the problem goes."""
    p, origin = preview
    page = browser.new_page()
    page.goto(origin + "/trials/tiny-trial/")
    title = page.locator("h1").text_content()
    time.sleep(1)
    trial = p.root / "data" / "trials" / "tiny-trial.yaml"
    good = trial.read_text()
    trial.write_text(good.replace("name: ", "nmae: ", 1))
    alert = page.locator("#trialsite-preview-problems[role=alert]")
    alert.wait_for(timeout=30000)
    assert "data/trials/tiny-trial.yaml" in alert.text_content() and "nmae" in alert.text_content()
    assert page.locator("h1").text_content() == title  # the last good build is still there
    trial.write_text(good)
    alert.wait_for(state="detached", timeout=30000)
    page.close()


def test_a_rebuild_links_the_unchanged_pages_from_the_last_good_build(tiny_project):
    """The preview builds into a new folder each time; the pages an edit leaves unchanged are linked from the last
    good build (the same file, not rendered and written again), and the edited one is new."""
    said: list[str] = []
    preview = Preview(tiny_project, 8000, said.append)  # built, not served: the port only names the site's address
    try:
        preview.rebuild()
        first = preview.folder
        assert first is not None, said
        inode = {name: (first / name / "index.html").stat().st_ino for name in ("about", "explainers/median")}
        page = tiny_project / "content" / "explainers" / "median.md"
        page.write_text(page.read_text() + "\nHalf had less, half had more.\n")
        preview.rebuild()
        assert preview.folder != first and not first.exists()
        assert (preview.folder / "about" / "index.html").stat().st_ino == inode["about"]
        assert (preview.folder / "explainers" / "median" / "index.html").stat().st_ino != inode["explainers/median"]
        assert "Half had less" in (preview.folder / "explainers" / "median" / "index.html").read_text()
    finally:
        preview.close()


ONE_CORE_PREVIEW = """
import sys
from pathlib import Path
from trialsite import pipeline, serve, workers
workers.default_jobs = pipeline.default_jobs = lambda: 1  # a machine of one core
project = Path(sys.argv[1])
preview = serve.Preview(project, 8000, lambda line: None)
preview.rebuild()
trial = project / "data" / "trials" / "tiny-trial.yaml"
trial.write_text(trial.read_text().replace("short_label: A group", "short_label: A \u7fa4 group"))
preview.rebuild()
assert preview.version == 2, preview.problems
print(sorted(name for name in ("altair", "vl_convert") if name in sys.modules), preview.folder)
"""


def test_on_one_core_the_preview_draws_as_a_fresh_build_after_the_data_needs_other_fonts(tiny_project, tmp_path):
    """The preview process never starts vl-convert's engine itself, even on one core: an engine started there would
    keep the fonts of its first drawing (the project's own font), and a label the data gains later in a script that
    font lacks would be measured unlike a fresh build's. After such an edit the preview is the build's bytes."""
    done = subprocess.run([sys.executable, "-c", ONE_CORE_PREVIEW, str(tiny_project)], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    imported, folder = done.stdout.split("] ")
    assert imported == "["  # neither Altair nor vl-convert in the preview's process
    served = Path(folder.strip())
    clean = tmp_path / "clean"
    shutil.copytree(tiny_project, clean, ignore=shutil.ignore_patterns(".cache"))
    subprocess.run([sys.executable, "build.py", "--root", str(clean), "--out", str(tmp_path / "built"),
                    "--base-url", "http://127.0.0.1:8000/"], cwd=ROOT, capture_output=True, check=True)
    try:
        assert "\u7fa4" in (served / "trials" / "tiny-trial" / "index.html").read_text()
        assert _tree(served) == _tree(tmp_path / "built")
    finally:
        shutil.rmtree(served.parent, ignore_errors=True)


def test_a_port_in_use_is_one_line_and_exit_1(tiny_project, capsys):
    """`build.py serve --port N` on a busy port says so in the build's one-line form."""
    import build as cli

    busy = ThreadingHTTPServer((HOST, 0), handler_for(Preview(tiny_project, 0)))
    try:
        port = busy.server_address[1]
        assert cli.main(["serve", "--root", str(tiny_project), "--port", str(port)]) == 1
    finally:
        busy.server_close()
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith(f"(command line): --port: cannot serve on port {port} (")
    assert err[-1].endswith("); choose another, e.g. --port 8001")


def test_before_the_first_build_nothing_else_is_served_and_a_bad_name_is_404(tiny_project):
    """With no good build yet, a HEAD request finds nothing (it once looked in the temporary folder); a name with a
    NUL byte is 404, not an error printed to the author's terminal."""
    import http.client

    from trialsite.serve import QuietServer

    server = QuietServer((HOST, 0), handler_for(Preview(tiny_project, 0)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for method, path in (("HEAD", "/"), ("HEAD", "/tmp/"), ("GET", "/%00"), ("HEAD", "/%00")):
            connection = http.client.HTTPConnection(HOST, server.server_address[1], timeout=10)
            connection.request(method, path)
            assert connection.getresponse().status == 404, (method, path)
            connection.close()
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(("stop", "after"), [(signal.SIGINT, None), (signal.SIGTERM, "Previewing at"),
                                             (signal.SIGINT, "Previewing at")])
def test_stopping_the_preview_at_any_time_leaves_no_folder_and_no_traceback(tiny_project, tmp_path, stop, after):
    """Ctrl+C during the first build, or Ctrl+C or a polite kill while it serves: one line at most, exit without a
    traceback, and none of the preview's folders left in the temporary folder."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--root", str(tiny_project),
                                "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "TMPDIR": str(temporary)})
    try:
        if after is None:
            _wait(lambda: any(temporary.iterdir()))  # the first build has begun
        else:
            while after not in (line := process.stdout.readline()):
                assert line, "the preview stopped before it served"
        process.send_signal(stop)
        _, err = process.communicate(timeout=120)
    finally:
        process.kill()
    assert "Traceback" not in err, err
    assert [p.name for p in temporary.iterdir()] == []

"""Publishing: the GitHub Pages workflow runs the README's commands with --strict, and `make help` lists the targets."""
from __future__ import annotations

import html
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from audit import serve as pages_like_serve  # noqa: E402 - the audit script's GitHub Pages-like server

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


def test_the_pages_workflow_builds_strictly_and_deploys_with_the_official_actions():
    """Build with `make strict` at the address Pages gives, upload _site/, deploy; nothing else from outside."""
    flow = yaml.safe_load(WORKFLOW.read_text())
    steps = flow["jobs"]["build"]["steps"] + flow["jobs"]["deploy"]["steps"]
    actions = [s["uses"].split("@")[0] for s in steps if "uses" in s]
    assert actions == ["actions/checkout", "actions/setup-python", "actions/configure-pages",
                       "actions/upload-pages-artifact", "actions/deploy-pages"]
    runs = [s["run"] for s in steps if "run" in s]
    assert runs == ['make strict BASE_URL="${{ steps.pages.outputs.base_url }}/"']
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "_site"
    assert flow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}


def test_make_strict_passes_the_base_url():
    """`make strict BASE_URL=...` builds with --strict at that address (a dry run prints the command)."""
    run = subprocess.run(["make", "-n", "strict", "BASE_URL=https://example.org/repo/"], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    assert "build.py --strict --base-url https://example.org/repo/" in run.stdout


def test_make_help_lists_every_target_with_what_it_does():
    """Each target a user types is listed with its one-line description."""
    run = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True, check=True)
    listed = {line.split()[0] for line in run.stdout.splitlines()}
    assert {"site", "test", "strict", "help", "schema", "golden"} <= listed
    assert all(len(line.split(maxsplit=1)) == 2 for line in run.stdout.splitlines())


@pytest.fixture(scope="module")
def deployed(real_site, tmp_path_factory):
    """The real site served under its base URL's path (/trialsite/ from site.yaml), 404.html for what is missing."""
    base_path = urlsplit(yaml.safe_load((ROOT / "site.yaml").read_text())["base_url"]).path
    server, address = pages_like_serve(real_site, base_path, tmp_path_factory.mktemp("pages"))
    yield address[: -len(base_path)], base_path
    server.shutdown()
    server.server_close()


LINK = re.compile(r'(?:href|src)="([^"]+)"')
ID = re.compile(r'\bid="([^"]+)"')


def _get(url: str) -> tuple[int, bytes, str]:
    """Status, body and content type of one address."""
    try:
        with urllib.request.urlopen(url) as response:
            return response.status, response.read(), response.headers.get_content_type()
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers.get_content_type()


def test_under_a_sub_path_every_link_from_the_home_page_leads_somewhere(deployed):
    """Follow every link and asset from the home page, page after page, as a reader would on GitHub Pages."""
    origin, base_path = deployed
    start = origin + base_path
    queue, seen, pages, links, broken = [start], {start}, {}, {}, []
    while queue:
        url = queue.pop()
        status, body, kind = _get(url)
        if status != 200:
            broken.append(f"{url}: {status}")
            continue
        if kind != "text/html":
            continue
        text = body.decode("utf-8")
        pages[url] = set(ID.findall(text))
        links[url] = [urldefrag(urljoin(url, html.unescape(link))) for link in LINK.findall(text)]
        for link, (target, _) in zip(LINK.findall(text), links[url], strict=True):
            if target.startswith(origin) and target not in seen:
                assert urlsplit(target).path.startswith(base_path), f"{url} links out of the site: {link}"
                seen.add(target)
                queue.append(target)
    missing_anchors = [f"{url}: {target}#{fragment}" for url, found in links.items() for target, fragment in found
                       if fragment and target in pages and fragment not in pages[target]]
    assert not broken, "broken links:\n" + "\n".join(broken)
    assert not missing_anchors, "links to places that do not exist:\n" + "\n".join(missing_anchors)
    assert len(pages) >= 30, f"only {len(pages)} pages were reached from the home page"


def test_a_missing_address_at_any_depth_shows_the_404_page_whose_links_work(deployed):
    """GitHub Pages answers any missing address with 404.html; its links start at the site's path, so work anywhere."""
    origin, base_path = deployed
    for missing in (base_path + "no-such-page/", base_path + "trials/no/such/depth/"):
        status, body, _ = _get(origin + missing)
        assert status == 404 and b"Page not found" in body
        for link in LINK.findall(body.decode("utf-8")):
            if link.startswith("#"):
                continue  # a place on the 404 page itself
            target = urljoin(origin + missing, html.unescape(link))
            if target.startswith(origin):
                assert _get(urldefrag(target)[0])[0] == 200, f"from {missing}: {link}"

"""Publishing: the GitHub Pages workflow runs the README's commands with --strict, and `make help` lists the targets."""
from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

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

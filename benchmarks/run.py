"""Every speed measurement of the speed issue, side by side with Pelican, MkDocs and Hugo, in one run:

    .venv/bin/python benchmarks/run.py            # BOLERO-2, 100 and 1000 pages, 10 and 100 trials
    .venv/bin/python benchmarks/run.py --full     # also 1000 trials (several minutes)

Each figure is the median wall-clock time of --repeat runs (memory: the largest process's peak, from /usr/bin/time;
for trials, the largest Python process's and Pagefind's peaks apart, read from /proc while the build runs),
run one after the other on this machine, with trialsite byte-compiled first, as pip compiles an installed package.
Synthetic projects come from benchmarks/generate.py, made afresh. Peers are installed on first use: Pelican and
MkDocs with pip into .cache/bench/peers/, Hugo from Debian (apt-get install hugo, as root). The results are printed
as Markdown, with the BOLERO-2 trial page's first view in bytes; with --write they replace benchmarks/RESULTS.md.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate  # noqa: E402 - the generator sits beside this script

PYTHON = sys.executable
PEERS = ROOT / ".cache" / "bench" / "peers"
TIME = "/usr/bin/time"


def measure(command: list[str], cwd: Path, repeat: int, before=None) -> tuple[float, float]:
    """(median seconds, peak MiB of the largest process) of a command; `before` runs before each try (untimed)."""
    times, peaks = [], []
    for _ in range(repeat):
        if before:
            before()
        done = subprocess.run([TIME, "-f", "%e %M", *command], cwd=cwd, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
        seconds, kib = done.stderr.strip().splitlines()[-1].split()
        times.append(float(seconds))
        peaks.append(int(kib) / 1024)
    return statistics.median(times), max(peaks)


def measure_by_process(command: list[str], cwd: Path, repeat: int, before=None) -> tuple[float, float, float]:
    """(median seconds, peak MiB of the largest Python process, peak MiB of Pagefind's indexer) of a command: each
    process's own peak (VmHWM in /proc, a high-water mark), read every 0.2 s while the command runs (a read of the
    process tree takes about 4 ms), so that the indexer, which the issue asks to report apart, does not hide the
    Python processes' peaks."""
    times, python_peaks, indexer_peaks = [], [], []
    for _ in range(repeat):
        if before:
            before()
        peaks: dict[int, tuple[float, str]] = {}
        with tempfile.TemporaryFile() as said:  # a file, not a pipe: a full pipe would stop the build
            started = time.monotonic()
            process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=said)
            while process.poll() is None:
                _record_peaks(process.pid, peaks)
                time.sleep(0.2)
            times.append(time.monotonic() - started)
            if process.returncode != 0:
                said.seek(0)
                tail = said.read()[-2000:].decode(errors="replace")
                raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{tail}")
        python_peaks.append(max((mib for mib, name in peaks.values() if name.startswith("python")), default=0.0))
        indexer_peaks.append(max((mib for mib, name in peaks.values() if name.startswith("pagefind")), default=0.0))
    return statistics.median(times), max(python_peaks), max(indexer_peaks)


def _record_peaks(root: int, peaks: dict[int, tuple[float, str]]) -> None:
    """Note each process of the tree under `root`: its peak memory so far (MiB) and its program's name."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                parent = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    waiting = [root]
    while waiting:
        pid = waiting.pop()
        waiting += children.get(pid, [])
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            name = Path(f"/proc/{pid}/comm").read_text().strip()
        except OSError:
            continue
        mib = next((int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmHWM:")), 0.0)
        if mib > peaks.get(pid, (0.0, ""))[0]:
            peaks[pid] = (mib, name)


def peers_ready() -> dict[str, list[str]]:
    """The peers' build commands, installing them first when missing."""
    if not (PEERS / "bin" / "pelican").exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEERS)], check=True)
        subprocess.run([str(PEERS / "bin" / "pip"), "install", "-q", "pelican", "markdown", "mkdocs"], check=True)
    if not shutil.which("hugo"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "hugo"], check=True,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    return {"Pelican": [str(PEERS / "bin" / "pelican"), "content", "-o", "output", "-s", "pelicanconf.py", "-q"],
            "MkDocs": [str(PEERS / "bin" / "mkdocs"), "build", "-q", "-d", "site"],
            "Hugo": ["hugo", "--quiet", "-d", "public"]}


def ours(project: Path, out: str = "_site") -> list[str]:
    """Our build command for a project."""
    return [PYTHON, str(ROOT / "build.py"), "--root", str(project), "--out", out]


def cold(project: Path):
    """Before a cold build: no cache, no manifest, no earlier output."""
    def reset() -> None:
        shutil.rmtree(project / ".cache", ignore_errors=True)
        shutil.rmtree(project / "_site", ignore_errors=True)
    return reset


def editing(page: Path):
    """Before a build with one explainer edited: a new sentence at its end, another each time."""
    original = page.read_text()
    edits = iter(range(10_000))

    def edit() -> None:
        page.write_text(original + f"\nA new sentence, number {next(edits)}.\n")
    return edit


def bolero(work: Path, repeat: int) -> list[str]:
    """BOLERO-2 as it is: cold, nothing changed, one explainer edited."""
    project = work / "bolero"
    project.mkdir()
    for part in ("site.yaml", "data", "content", "templates", "static"):
        (shutil.copytree if (ROOT / part).is_dir() else shutil.copy)(ROOT / part, project / part)
    rows = ["| BOLERO-2 (everything on) | seconds | peak MiB | target |", "|---|---|---|---|"]
    seconds, peak = measure(ours(project), project, repeat, cold(project))
    rows.append(f"| cold build (empty cache) | {seconds:.2f} | {peak:.0f} | 2.0 s, 200 MiB |")
    seconds, peak = measure(ours(project), project, repeat)
    rows.append(f"| nothing changed | {seconds:.2f} | {peak:.0f} | 0.3 s, writes nothing |")
    seconds, peak = measure(ours(project), project, repeat, editing(project / "content" / "explainers" / "median.md"))
    rows.append(f"| one explainer edited | {seconds:.2f} | {peak:.0f} | 0.8 s |")
    return rows + ["", *first_view(project / "_site", "trials/bolero-2/index.html")]


class _Loads(HTMLParser):
    """The files a page loads before its reader acts: style sheets, scripts and the icon a browser picks (the
    first, an SVG in our pages)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, list[str]] = {"style sheets": [], "scripts": [], "icon": []}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Note a style sheet, a script or the first icon."""
        named = dict(attrs)
        rel, address = named.get("rel") or "", named.get("href") or named.get("src")
        if tag == "link" and rel == "stylesheet" and address:
            self.found["style sheets"].append(address)
        elif tag == "script" and address:
            self.found["scripts"].append(address)
        elif tag == "link" and rel == "icon" and address and not self.found["icon"]:
            self.found["icon"].append(address)


def first_view(site: Path, page: str) -> list[str]:
    """The bytes of a page's first view, before compression: its HTML and what it loads before the reader acts."""
    html = site / page
    loads = _Loads()
    loads.feed(html.read_text())
    sizes = {"HTML": html.stat().st_size}
    for part, addresses in loads.found.items():
        sizes[part] = sum((html.parent / address).resolve().stat().st_size for address in addresses)
    total = sum(sizes.values())
    return [f"| BOLERO-2 trial page, first view | {' | '.join(sizes)} | total | target |",
            "|---|" + "---|" * (len(sizes) + 2),
            f"| KB (1000 bytes) | {' | '.join(f'{size / 1000:.1f}' for size in sizes.values())} | "
            f"{total / 1000:.1f} | 150 |"]


def pages(work: Path, counts: list[int], repeat: int, peers: dict[str, list[str]]) -> list[str]:
    """N synthetic explainers, built by us (search off, everything on, nothing changed, one explainer edited) and by
    each peer; then, for the most pages, by us without the real site's trial (the peers' pages are the same)."""
    rows = ["| Markdown pages | ours, search off | ours, everything on | ours, nothing changed | ours, one edited | "
            + " | ".join(peers) + " |", "|---" * (5 + len(peers)) + "|"]
    seconds_by_count: dict[int, list[float]] = {}  # each column's whole build, for the cost of each added page
    for count in counts:
        project = work / f"pages-{count}"
        generate(project, count, 0)
        (off, off_peak), (on, on_peak) = cold_builds(project, repeat)
        same, _ = measure(ours(project), project, repeat)
        edited, _ = measure(ours(project), project, repeat,
                            editing(sorted((project / "content" / "explainers").glob("synthetic-*.md"))[0]))
        total = pages_of(project)  # the real site's pages come along
        cells = [f"{count}", f"{off * 1000 / total:.2f} ms/page ({off_peak:.0f} MiB)",
                 f"{on * 1000 / total:.2f} ms/page ({on_peak:.0f} MiB)", f"{same:.2f} s", f"{edited:.2f} s"]
        seconds_by_count[count] = [off, on, same, edited]
        for name, command in peers.items():
            folder = project / "peers" / name.lower()
            seconds, peak = measure(command, folder, repeat)
            cells.append(f"{seconds * 1000 / count:.2f} ms/page ({peak:.0f} MiB)")
            seconds_by_count[count].append(seconds)
        rows.append("| " + " | ".join(cells) + " |")
    # Each added page's cost, from the fewest pages to the most: fixed costs (ours: the whole BOLERO-2 site, its
    # charts drawn cold; the peers' start-up) drop out, so the tools compare like for like.
    low, high = min(counts), max(counts)
    if low != high:
        added = [(b - a) * 1000 / (high - low) for a, b in zip(seconds_by_count[low], seconds_by_count[high],
                                                                  strict=True)]
        rows.append(f"| each added page, {low} to {high} | "
                    + " | ".join(f"{ms:.3f} ms" if column in (2, 3) else f"{ms:.2f} ms"
                                 for column, ms in enumerate(added))
                    + " |")
    # The same synthetic pages with none of the real site's trial, charts or explainers: the peers' pages exactly,
    # with the pages every site of ours needs.
    project = work / f"pages-{high}-alone"
    generate(project, high, 0, alone=True)
    (off, off_peak), (on, on_peak) = cold_builds(project, repeat)
    total = pages_of(project)
    rows.append(f"| {high}, no trial | {off * 1000 / total:.2f} ms/page ({off_peak:.0f} MiB) | "
                f"{on * 1000 / total:.2f} ms/page ({on_peak:.0f} MiB) | | | "
                + " | ".join("same pages as above" for _ in peers) + " |")
    return rows


def cold_builds(project: Path, repeat: int) -> tuple[tuple[float, float], tuple[float, float]]:
    """A project's cold builds, search off and everything on: each (median seconds, peak MiB)."""
    (project / "content" / "search.md").rename(project / "search.md.off")
    off = measure(ours(project), project, repeat, cold(project))
    (project / "search.md.off").rename(project / "content" / "search.md")
    return off, measure(ours(project), project, repeat, cold(project))


def pages_of(project: Path) -> int:
    """How many pages a project's Markdown makes: one a file."""
    return sum(1 for _ in (project / "content").rglob("*.md"))


def trials(work: Path, counts: list[int], repeat: int) -> list[str]:
    """N synthetic trials (every chart distinct), cold."""
    rows = ["| Trials | cold build, seconds | seconds per trial | largest Python process, peak MiB "
            "| Pagefind's indexer, peak MiB |", "|---|---|---|---|---|"]
    for count in counts:
        project = work / f"trials-{count}"
        generate(project, 0, count)
        seconds, python_peak, indexer_peak = measure_by_process(ours(project), project, repeat, cold(project))
        rows.append(f"| {count} | {seconds:.1f} | {seconds / count:.3f} | {python_peak:.0f} | {indexer_peak:.0f} |")
    return rows


def machine() -> str:
    """What the numbers were measured on."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return (f"{dt.date.today().isoformat()}; {os.cpu_count()} cores ({cpu}); Python {platform.python_version()}; "
            f"{platform.platform()}")


def main() -> None:
    """Run everything and print (or write) the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--full", action="store_true", help="also 1000 trials")
    parser.add_argument("--write", action="store_true", help="replace benchmarks/RESULTS.md")
    args = parser.parse_args()
    peers = peers_ready()
    # Installed packages come byte-compiled (pip compiles the peers' and our libraries' modules); ours is compiled
    # here the same way, since a machine may set PYTHONDONTWRITEBYTECODE (this one does) and every build would
    # compile trialsite's 40 modules again (about 0.15 s).
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(ROOT / "trialsite")], check=True)
    with tempfile.TemporaryDirectory(prefix="trialsite-bench-") as folder:
        work = Path(folder)
        runs = f"medians of {args.repeat} runs" + ("; the trials, one run each" if args.full else "")
        sections = [f"Measured {machine()}; {runs}.", "",
                    *bolero(work, args.repeat), "", *pages(work, [100, 1000], args.repeat, peers), "",
                    *trials(work, [10, 100, 1000] if args.full else [10, 100], 1 if args.full else args.repeat)]
    text = "\n".join(sections) + "\n"
    print(text)
    if args.write:
        (ROOT / "benchmarks" / "RESULTS.md").write_text("# Benchmark results\n\n`.venv/bin/python benchmarks/run.py "
                                                         "--write` wrote this file: the tables alone, with none of "
                                                         "the notes written beside them by hand.\n\n" + text)


if __name__ == "__main__":
    main()

"""Make a synthetic project for the benchmarks: the real site plus N explainers of about 600 words and M trials
derived from BOLERO-2.

    python benchmarks/generate.py OUT --explainers 1000 --trials 0
    python benchmarks/generate.py OUT --explainers 1000 --alone
    python benchmarks/generate.py OUT --explainers 0 --trials 1000

The project is in our own format (a copy of this repository's site, sources, glossary, templates and static files,
with its own content), and it builds with `build.py --root OUT`. With --alone it holds no trial and none of the real
site's explainers: only the pages every site needs, with short stand-ins where the real ones speak of BOLERO-2, and the
synthetic explainers, the same pages the peers build. Each synthetic trial is BOLERO-2 with its own id and
name and every published figure scaled a little differently, so that no two trials' charts are the same and a cache
cannot hide a cold build. The explainers' Markdown is also written for the peers (Pelican, MkDocs and Hugo) under
OUT/peers/, so that every tool builds the same pages. Output is deterministic: the same arguments give the same files.
"""
from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
WORDS_PER_PAGE = 600
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
# Plain words, so that the synthetic pages read like ours (short sentences, everyday words).
VOCABULARY = ("the trial looked at how long people lived and how they felt while they took the medicine each day "
              "some groups had more side effects than others and doctors checked their blood and scans each month "
              "a result can be due to chance so we say which look at the results each number comes from "
              "people asked their care team about tiredness mouth sores and rash before they chose").split()


def explainer(number: int, rng: random.Random) -> tuple[str, str]:
    """One synthetic explainer: (title, Markdown body of about 600 words in short paragraphs and sections)."""
    title = f"Synthetic explainer {number:04d}"
    parts, words = [], 0
    section = 0
    while words < WORDS_PER_PAGE:
        if words % 150 < 12:
            section += 1
            parts.append(f"\n## The {ORDINALS[section - 1]} part\n")
        sentence = [rng.choice(VOCABULARY) for _ in range(rng.randint(6, 12))]
        parts.append(" ".join(sentence).capitalize() + ".")
        words += len(sentence)
    return title, "\n".join(parts) + "\n"


def front_matter(title: str, summary: str) -> str:
    """The front matter every page of ours needs."""
    return (f"---\ntitle: {title}\nsummary: {summary}\nauthors: [benchmark generator]\n"
            f"last_reviewed: 2026-01-01\nnext_review: 2027-01-01\n---\n\n")


def scaled(node, factor: float):
    """A trial's data with every published figure (results' and side effects' values) scaled by `factor`."""
    for result in node.get("results", []):
        for value in result["values"].values():
            if isinstance(value, dict) and isinstance(value.get("value"), (int, float)):
                limit = 100 if result.get("measure") == "percent" else None
                value["value"] = _scale(value["value"], factor, limit)
                if value.get("ci95"):
                    value["ci95"] = [_scale(bound, factor, limit) for bound in value["ci95"]]
                value.pop("quote", None)  # a scaled figure is no longer the quoted one
    for table in node.get("side_effects", []):
        for event in table["events"]:
            event["values"] = {arm: min(100, round(v * factor)) if isinstance(v, int) else v
                               for arm, v in event["values"].items()}
    return node


def _scale(value: float, factor: float, limit: float | None) -> float:
    """One figure scaled, with one decimal, and kept under a limit (100 for a percent)."""
    new = round(value * factor, 1)
    return min(new, limit) if limit is not None else new


def trial(number: int, source: dict, page: str) -> tuple[dict, str]:
    """The data and page of synthetic trial `number`, from BOLERO-2's."""
    trial_id = f"synth-{number:04d}"
    data = scaled(yaml.safe_load(yaml.safe_dump(source)), 1 + (number % 97 + 1) / 500)
    data.update(id=trial_id, name=f"SYNTH-{number:04d}")
    body = page.replace("bolero-2:", f"{trial_id}:").replace("trial: bolero-2", f"trial: {trial_id}")
    return data, body


def generate(out: Path, explainers: int, trials: int, seed: int = 2012, alone: bool = False) -> None:
    """Write the synthetic project (and the peers' copies of its explainers) into `out`; `alone`: without the real
    site's trial and explainers."""
    if out.exists():
        shutil.rmtree(out)
    # The real site (BOLERO-2 and its 31 pages) is the base: its pages link to one another.
    for part in ("templates", "static", "content", "data"):
        shutil.copytree(ROOT / part, out / part)
    shutil.copy(ROOT / "site.yaml", out / "site.yaml")
    if alone:
        _without_the_real_trial(out)
    rng = random.Random(seed)
    peers = out / "peers"
    for folder in ("pelican/content", "mkdocs/docs", "hugo/content/posts"):
        (peers / folder).mkdir(parents=True)
    for number in range(1, explainers + 1):
        title, body = explainer(number, rng)
        summary = f"What synthetic idea {number} means."
        (out / "content" / "explainers" / f"synthetic-{number:04d}.md").write_text(front_matter(title, summary) + body)
        (peers / "pelican" / "content" / f"synthetic-{number:04d}.md").write_text(
            f"Title: {title}\nDate: 2026-01-01\nSummary: {summary}\n\n{body}")
        (peers / "mkdocs" / "docs" / f"synthetic-{number:04d}.md").write_text(f"# {title}\n\n{body}")
        (peers / "hugo" / "content" / "posts" / f"synthetic-{number:04d}.md").write_text(
            f'---\ntitle: "{title}"\ndate: 2026-01-01\n---\n\n{body}')
    _peer_settings(peers)
    source = yaml.safe_load((ROOT / "data" / "trials" / "bolero-2.yaml").read_text())
    page = (ROOT / "content" / "trials" / "bolero-2.md").read_text()
    for number in range(1, trials + 1):
        data, body = trial(number, source, page)
        (out / "data" / "trials" / f"{data['id']}.yaml").write_text(yaml.safe_dump(data, sort_keys=False,
                                                                                   allow_unicode=True))
        (out / "content" / "trials" / f"{data['id']}.md").write_text(body)


def _without_the_real_trial(out: Path) -> None:
    """Take BOLERO-2 out of a copy of the real site: its data, its pages, the real explainers and the donors' page;
    the home page, how-we-work page and corrections log, which speak of it, become short stand-ins."""
    shutil.rmtree(out / "content" / "trials")
    shutil.rmtree(out / "content" / "explainers")
    (out / "content" / "explainers").mkdir()
    for trial in (out / "data" / "trials").glob("*.yaml"):
        trial.unlink()
    (out / "content" / "donors.md").unlink()
    (out / "data" / "corrections.yaml").write_text("corrections: []\n")
    for name, title in (("index", "Synthetic explainers"), ("how-we-work", "How this synthetic site is made")):
        (out / "content" / f"{name}.md").write_text(
            front_matter(title, "A page of the synthetic site that the benchmarks build.")
            + "This site holds synthetic pages. A script wrote them, so that build tools can be timed.\n")


def _peer_settings(peers: Path) -> None:
    """The smallest settings each peer needs to build the pages, with no theme download."""
    (peers / "pelican" / "pelicanconf.py").write_text(
        'SITENAME = "bench"\nPATH = "content"\nTIMEZONE = "UTC"\nDEFAULT_LANG = "en"\nFEED_ALL_ATOM = None\n'
        "CATEGORY_FEED_ATOM = None\nTRANSLATION_FEED_ATOM = None\nAUTHOR_FEED_ATOM = None\nAUTHOR_FEED_RSS = None\n"
        "DEFAULT_PAGINATION = False\nRELATIVE_URLS = True\n")
    (peers / "mkdocs" / "mkdocs.yml").write_text("site_name: bench\nuse_directory_urls: true\n")
    (peers / "hugo" / "hugo.toml").write_text('baseURL = "http://example.org/"\ntitle = "bench"\n'
                                              'disableKinds = ["taxonomy", "term", "RSS"]\n')
    layouts = peers / "hugo" / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "single.html").write_text("<!DOCTYPE html><html><head><title>{{ .Title }}</title></head>"
                                         "<body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>\n")
    (layouts / "list.html").write_text("<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body><ul>"
                                       "{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>"
                                       "{{ end }}</ul></body></html>\n")


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--explainers", type=int, default=100)
    parser.add_argument("--trials", type=int, default=0)
    parser.add_argument("--alone", action="store_true", help="without the real site's trial and explainers")
    args = parser.parse_args()
    generate(args.out, args.explainers, args.trials, alone=args.alone)
    print(f"Wrote {args.out}: {args.explainers} explainers, {args.trials} trials"
          + (", nothing of the real site's trial" if args.alone else ""))


if __name__ == "__main__":
    main()

"""vl-convert started by the build sees only the fonts it carries, when they draw every character of the project's
charts: the machine's fonts then neither slow it nor change a chart's layout. Each case runs in a process of its own,
since an engine reads the fonts once, when it starts."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from trialsite.chart_engine import own_fonts_suffice

ROOT = Path(__file__).resolve().parents[1]
# Families a Linux machine commonly has (Chromium's fontconfig brings one of them) and vl-convert does not carry.
MACHINE_FAMILIES = ["DejaVu Sans", "Liberation Serif", "Liberation Mono", "DejaVu Serif"]
CARRIED = "Liberation Sans"
NOWHERE = "A family no machine has"  # Vega estimates the width of text in a font the engine cannot find
ARABIC = "مجموعة إيفيروليموس"  # DejaVu Sans draws it; the carried Liberation Sans does not

# Where the chart's plot starts depends on how wide its longest label is, in the font the engine finds. The engine
# starts as a plain vl-convert starts, as the build's own process starts it for a project, or as a drawer does.
LAYOUTS = """
import json, re, sys
from pathlib import Path
import vl_convert
from trialsite import chart_engine, workers

how, label = sys.argv[1].split(":", 1), sys.argv[2]
if how[0] == "project":
    chart_engine.drawing_for(Path(how[1]))
    chart_engine.start()
elif how[0] == "drawer":
    workers._warm_drawing(Path(how[1]))

def layout(family):
    spec = {"data": {"values": [{"k": label, "v": 1}]}, "mark": "bar",
            "encoding": {"y": {"field": "k", "type": "nominal"}, "x": {"field": "v", "type": "quantitative"}},
            "config": {"font": family}}
    return re.sub(r' font-family="[^"]*"', "", vl_convert.vegalite_to_svg(spec))

print(json.dumps({family: layout(family) for family in sys.argv[3:]}))
"""


def layouts(how: str, label: str = "Everolimus plus exemestane group") -> dict[str, str]:
    """Each family's chart of `label`, drawn by an engine started `how` ("plain", "project:ROOT", "drawer:ROOT")."""
    done = subprocess.run([sys.executable, "-c", LAYOUTS, how, label, CARRIED, NOWHERE, "sans-serif",
                           *MACHINE_FAMILIES], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def project(folder: Path, name: str) -> Path:
    """A project folder whose trial is named `name` (only what the font choice reads)."""
    (folder / "data" / "trials").mkdir(parents=True)
    (folder / "site.yaml").write_text("title: Trials explained\n", encoding="utf-8")
    (folder / "data" / "trials" / "one.yaml").write_text(f"id: one\nname: {name}\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("how", ["project", "drawer"])
def test_an_engine_started_for_a_project_in_latin_letters_measures_with_the_carried_font_only(tmp_path, how):
    """A plain engine finds a family of the machine's; the build's, for such a project, finds none, and measures its
    own font as a plain engine does."""
    plain = layouts("plain")
    on_machine = [family for family in MACHINE_FAMILIES if plain[family] != plain[NOWHERE]]
    assert on_machine, f"this check needs one of {MACHINE_FAMILIES} installed (fonts-dejavu-core or fonts-liberation)"
    built = layouts(f"{how}:{project(tmp_path, 'Évérolimus – BOLERO-2 ≥ 18 years')}")
    assert [family for family in MACHINE_FAMILIES if built[family] != built[NOWHERE]] == []
    assert built[NOWHERE] == plain[NOWHERE]
    assert built[CARRIED] == built["sans-serif"] == plain[CARRIED] == plain["sans-serif"] != plain[NOWHERE]


@pytest.mark.parametrize("how", ["project", "drawer"])
def test_a_project_with_letters_the_carried_font_lacks_keeps_the_machines_fonts(tmp_path, how):
    """Arabic text is measured with the machine's font that draws it, as vl-convert does by itself."""
    plain = layouts("plain", ARABIC)
    assert plain["sans-serif"] != plain[NOWHERE], "this check needs a font that draws Arabic (fonts-dejavu-core)"
    assert layouts(f"{how}:{project(tmp_path, ARABIC)}", ARABIC) == plain


@pytest.mark.parametrize(("name", "suffices"), [
    ("BOLERO-2", True), ("Évérolimus – “BOLERO-2” ≥ 18 years, 5‰ … €", True), ("Эверолимус, εβερόλιμους", True),
    ("エベロリムス", False), (ARABIC, False), ("a person 🙂", False),
    ("BOLERO\u20112", False)])  # a non-breaking hyphen, which the carried font lacks
def test_the_carried_font_suffices_only_for_text_it_draws(tmp_path, name, suffices):
    """The choice reads every character of the site settings and data files."""
    assert own_fonts_suffice(project(tmp_path, name)) is suffices


def test_a_data_file_that_is_not_utf8_keeps_the_machines_fonts(tmp_path):
    """A file the choice cannot read is left to the build to report; the engine keeps the machine's fonts."""
    root = project(tmp_path, "BOLERO-2")
    (root / "data" / "glossary.yaml").write_bytes(b"terms: \xff\xfe\n")
    assert own_fonts_suffice(root) is False


def test_the_choice_reads_data_in_a_linked_folder_as_the_build_does(tmp_path):
    """Trials in a folder reached through a link inside the project are read too."""
    root = project(tmp_path, "エベロリムス")
    (root / "data" / "trials").rename(root / "trials")
    (root / "data" / "trials").symlink_to(root / "trials", target_is_directory=True)
    assert own_fonts_suffice(root) is False


def test_an_authors_font_setting_is_put_back_once_the_engine_has_started():
    """FONTCONFIG_FILE is set only while the engine starts: programs the build runs later see the author's."""
    code = ("import os\nfrom trialsite import chart_engine\nchart_engine.start(own_fonts=True)\n"
            "print(os.environ.get('FONTCONFIG_FILE'))")
    environment = {key: value for key, value in os.environ.items() if key != "FONTCONFIG_FILE"}
    run = lambda env: subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,  # noqa: E731
                                     text=True, check=True, env=env).stdout.strip()
    assert run(environment) == "None"
    assert run(environment | {"FONTCONFIG_FILE": "/etc/fonts/fonts.conf"}) == "/etc/fonts/fonts.conf"


NAMES = """
import sys
from pathlib import Path
from trialsite import chart_engine, workers
from trialsite.figures import Drawing

if sys.argv[1] == "drawer":
    workers._warm_drawing(Path(sys.argv[2]))
else:
    chart_engine.drawing_for(Path(sys.argv[2]))
print(chart_engine.fonts(), Drawing("medians", [{"label": "7.8"}], ["Everolimus"]).name)
"""


def picture_name(how: str, root: Path) -> tuple[str, str]:
    """The fonts, and the cache name of one picture, in a process that draws for `root` (as a drawer, or as the
    build's own process before its engine starts)."""
    done = subprocess.run([sys.executable, "-c", NAMES, how, str(root)], cwd=ROOT, capture_output=True, text=True,
                          check=True)
    fonts, name = done.stdout.strip().rsplit(" ", 1)
    return fonts, name


def test_a_pictures_name_in_the_cache_says_which_fonts_drew_it(tmp_path):
    """A picture drawn with the machine's fonts is never taken for one drawn with the carried font (a project whose
    data gains a Chinese name draws its pictures again), and the build's own process names a picture as its drawer
    does, so that it finds what the drawer drew."""
    latin, arabic = project(tmp_path / "latin", "BOLERO-2"), project(tmp_path / "arabic", ARABIC)
    carried, machine = picture_name("build", latin), picture_name("build", arabic)
    assert (carried[0], machine[0]) == ("carried fonts", "machine fonts")
    assert carried[1] != machine[1]
    assert picture_name("drawer", latin) == carried
    assert picture_name("drawer", arabic) == machine

"""vl-convert started by the build sees only the fonts it carries: the machine's fonts neither slow it nor change a
chart's layout. Each case runs in a process of its own, since an engine reads the fonts once, when it starts."""
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Families a Linux machine commonly has (Chromium's fontconfig brings one of them) and vl-convert does not carry.
MACHINE_FAMILIES = ["DejaVu Sans", "Liberation Serif", "Liberation Mono", "DejaVu Serif"]
CARRIED = "Liberation Sans"
NOWHERE = "A family no machine has"  # Vega estimates the width of text in a font the engine cannot find

# Where the chart's plot starts depends on how wide its longest label is, in the font the engine finds.
LAYOUTS = """
import json, re, sys
import vl_convert
from trialsite import chart_engine

if sys.argv[1] == "build":
    chart_engine.start()

def layout(family):
    spec = {"data": {"values": [{"k": "Everolimus plus exemestane group", "v": 1}]}, "mark": "bar",
            "encoding": {"y": {"field": "k", "type": "nominal"}, "x": {"field": "v", "type": "quantitative"}},
            "config": {"font": family}}
    return re.sub(r' font-family="[^"]*"', "", vl_convert.vegalite_to_svg(spec))

print(json.dumps({family: layout(family) for family in sys.argv[2:]}))
"""


def layouts(engine: str, environment: dict[str, str] | None = None) -> dict[str, str]:
    """Each family's chart, drawn by an engine started as the build starts it ("build") or as vl-convert does."""
    done = subprocess.run([sys.executable, "-c", LAYOUTS, engine, CARRIED, NOWHERE, *MACHINE_FAMILIES], cwd=ROOT,
                          capture_output=True, text=True, check=True, env=environment)
    return json.loads(done.stdout)


def test_the_build_engine_measures_text_with_the_font_it_carries_only():
    """A plain engine finds a family of the machine's; the build's finds none, and measures its own font the same."""
    plain = layouts("plain")
    on_machine = [family for family in MACHINE_FAMILIES if plain[family] != plain[NOWHERE]]
    assert on_machine, f"this check needs one of {MACHINE_FAMILIES} installed (fonts-dejavu-core or fonts-liberation)"
    built = layouts("build")
    assert [family for family in MACHINE_FAMILIES if built[family] != built[NOWHERE]] == []
    assert built[NOWHERE] == plain[NOWHERE]
    assert built[CARRIED] == plain[CARRIED] != plain[NOWHERE]


def test_an_authors_font_setting_is_put_back_once_the_engine_has_started():
    """FONTCONFIG_FILE is set only while the engine starts: programs the build runs later see the author's."""
    code = ("import os\nfrom trialsite import chart_engine\nchart_engine.start()\n"
            "print(os.environ.get('FONTCONFIG_FILE'))")
    environment = {key: value for key, value in os.environ.items() if key != "FONTCONFIG_FILE"}
    run = lambda env: subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,  # noqa: E731
                                     text=True, check=True, env=env).stdout.strip()
    assert run(environment) == "None"
    assert run(environment | {"FONTCONFIG_FILE": "/etc/fonts/fonts.conf"}) == "/etc/fonts/fonts.conf"

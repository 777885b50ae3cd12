"""pyproject.toml, environment.yml and binder/ describe one environment: the tested one.

The same packages everywhere (pyproject's dependencies plus the extras that run the notebooks);
the conda files pin exactly the versions installed here; Binder installs the package itself.
"""
import importlib.metadata
import re
import sys
from pathlib import Path

import pytest

try:
    import tomllib
except ImportError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parent.parent
ENV_FILES = [ROOT / "environment.yml", ROOT / "binder" / "environment.yml"]
RUN_EXTRAS = ["lab"]  # extras needed to open the notebooks and dashboards (not the test tools)
CONDA_ALIASES = {"matplotlib-base": "matplotlib", "python-zlib-ng": "zlib-ng"}  # conda-forge -> PyPI
PIN = re.compile(r"^\s*-\s*([A-Za-z0-9_.\-]+)\s*(?:(==?)\s*([^\s#]+))?\s*(?:#.*)?$")


def normalize(name):
    name = re.sub(r"[-_.]+", "-", name).lower()
    return CONDA_ALIASES.get(name, name)


def pyproject_packages():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in RUN_EXTRAS:
        requirements += project["optional-dependencies"][extra]
    names = {normalize(re.match(r"[A-Za-z0-9_.\-]+", r).group()) for r in requirements}
    return names - {normalize(project["name"])}


def conda_pins(path):
    """{normalized name: version} of the conda dependencies (the pip section is not used)."""
    pins = {}
    in_deps = False
    for line in path.read_text().splitlines():
        if re.match(r"^dependencies:\s*$", line):
            in_deps = True
            continue
        if in_deps and re.match(r"^\S", line):
            break
        match = PIN.match(line) if in_deps else None
        if match:
            pins[normalize(match.group(1))] = match.group(3)
    return pins


@pytest.mark.parametrize("path", ENV_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_env_file_lists_the_pyproject_packages(path):
    listed = set(conda_pins(path)) - {"python", "pip"}
    expected = pyproject_packages()
    assert listed == expected, (f"{path.name}: missing {sorted(expected - listed)}, "
                                f"not in pyproject {sorted(listed - expected)}")


@pytest.mark.parametrize("path", ENV_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_env_file_pins_the_tested_versions(path):
    pins = conda_pins(path)
    assert pins.get("python") == f"{sys.version_info.major}.{sys.version_info.minor}", \
        f"{path.name}: python must be pinned to the tested {sys.version_info.major}.{sys.version_info.minor}"
    wrong = {name: (pin, importlib.metadata.version(name)) for name, pin in pins.items()
             if name not in ("python", "pip") and pin != importlib.metadata.version(name)}
    assert not wrong, f"{path.name}: pinned (file, installed) differ: {wrong}"


def test_binder_environment_is_the_root_one():
    assert conda_pins(ENV_FILES[1]) == conda_pins(ENV_FILES[0])


def test_binder_postbuild_installs_the_package():
    lines = [line.strip() for line in (ROOT / "binder" / "postBuild").read_text().splitlines()]
    assert lines[0].startswith("#!") and "bash" in lines[0], "postBuild must be a bash script"
    commands = [line for line in lines[1:] if line and not line.startswith("#")]
    assert commands and re.match(r"set -\w*e", commands[0]), "postBuild must start with 'set -e'"
    assert "python -m pip install --no-deps -e ." in commands


def test_the_dashboard_template_is_named_alike_and_shipped_everywhere():
    """scripts/dashboard.py (make dashboard, tests) and jupyter_config.json (Binder) name the same
    Voila template; it is in share/jupyter, and Binder copies it. voila.json names none, so plain
    `voila notebooks/` (which does not look in share/jupyter) still serves every page."""
    import json
    import re

    server = (ROOT / "scripts" / "dashboard.py").read_text()
    named = {re.search(r"--VoilaConfiguration\.template=(\w+)", server).group(1),
             json.loads((ROOT / "jupyter_config.json").read_text())["VoilaConfiguration"]["template"]}
    assert len(named) == 1
    assert "template" not in json.loads((ROOT / "voila.json").read_text()).get("VoilaConfiguration", {})
    template = ROOT / "share" / "jupyter" / "voila" / "templates" / named.pop()
    assert (template / "index.html.j2").is_file() and (template / "conf.json").is_file()
    assert f"cp -r {template.relative_to(ROOT).as_posix()} " in (ROOT / "binder" / "postBuild").read_text()
    assert 'ROOT / "share" / "jupyter"' in server    # where the server finds it

"""pyproject.toml, environment.yml and binder/ describe one environment: the tested one.

Always checked: the same packages everywhere (pyproject's dependencies plus the extras that run
the notebooks), each pinned to one exact version, and Binder installs the package itself.
Where the environment was built from the pins (make's .venv, or conda's environment named as
environment.yml names it), the installed versions must be the pinned ones; elsewhere (the pip
route, make test-latest) pip chose newer releases on purpose, and that test says it skips.
"""
import importlib.metadata
import os
import re
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
ENV_FILES = [ROOT / "environment.yml", ROOT / "binder" / "environment.yml"]
RUN_EXTRAS = ["lab"]  # extras needed to open the notebooks and dashboards (not the test tools)
CONDA_ALIASES = {"matplotlib-base": "matplotlib", "python-zlib-ng": "zlib-ng"}  # conda-forge -> PyPI


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


def load_env(path):
    """The conda environment file as YAML (what conda reads)."""
    return yaml.safe_load(path.read_text())


def conda_pins(path):
    """{normalized name: version or None} of the conda dependencies (a pip section is not used)."""
    specs = [spec for spec in load_env(path)["dependencies"] if isinstance(spec, str)]
    return {normalize(name): version or None for name, _, version in (s.partition("=") for s in specs)}


@pytest.mark.parametrize("path", ENV_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_env_file_lists_the_pyproject_packages(path):
    listed = set(conda_pins(path)) - {"python", "pip"}
    expected = pyproject_packages()
    assert listed == expected, (f"{path.name}: missing {sorted(expected - listed)}, "
                                f"not in pyproject {sorted(listed - expected)}")


@pytest.mark.parametrize("path", ENV_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_env_file_pins_one_version_of_everything(path):
    pins = conda_pins(path)
    loose = sorted(name for name, pin in pins.items() if not (pin and re.fullmatch(r"\d+(\.\d+)+", pin)))
    assert not loose, f"{path.name}: not pinned to one exact version: {loose}"
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert requires == f">={pins['python']}", f"pyproject's requires-python {requires!r} is not >= the pinned python"


def pip_constraints(path):
    """{normalized name: version} of a pip constraints file (name==version lines)."""
    pairs = (line.split("==") for line in path.read_text().splitlines() if line.strip())
    return {normalize(name): version for name, version in pairs}


def built_from_the_pins():
    """"make" or "conda" when this environment was built from environment.yml's pins, else None."""
    if (Path(sys.prefix) / "constraints.txt").is_file():
        return "make"
    if (Path(sys.prefix) / "conda-meta").is_dir() and Path(sys.prefix).name == load_env(ENV_FILES[0])["name"]:
        return "conda"
    return None


def test_make_constraints_are_the_env_file_pins():
    """make turns environment.yml into pip constraints (conda names to PyPI names)."""
    constraints = Path(sys.prefix) / "constraints.txt"
    if not constraints.is_file():
        pytest.skip(f"not a venv built by make: no {constraints}")
    pins = conda_pins(ENV_FILES[0])
    del pins["python"]
    assert pip_constraints(constraints) == pins, f"{constraints} is not environment.yml's pins (rerun make)"


@pytest.mark.parametrize("path", ENV_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_installed_versions_are_the_pinned_ones(path):
    built = built_from_the_pins()
    if built is None:
        pytest.skip("this environment was not built from environment.yml's pins (pip route or "
                    "make test-latest): installed versions may be newer; make's .venv checks them")
    pins = conda_pins(path)
    python = pins.pop("python")
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    # conda installs the pinned Python; make uses the interpreter it is given (PYTHON=...), which
    # in CI is the tested one
    if built == "conda" or os.environ.get("CI") == "true":
        assert python == running, f"{path.name}: python is pinned to {python}, the tested one is {running}"
    wrong = {name: (pin, importlib.metadata.version(name)) for name, pin in pins.items()
             if name != "pip" and pin != importlib.metadata.version(name)}
    assert not wrong, f"{path.name}: pinned (file, installed) differ in this {built}-built environment: {wrong}"


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

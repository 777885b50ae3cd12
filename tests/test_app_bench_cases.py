"""Every app has benchmark cases for `make bench`, and each of their updates runs without an error."""
import importlib
import pkgutil

import pytest

import course.apps

FIGURE_WIDTH_PX = 880    # ipympl adds a few px of border: a 900 px output area holds it
HELPERS = {"base", "limits"}  # modules of course.apps that hold no app
MODULES = sorted(info.name for info in pkgutil.iter_modules(course.apps.__path__)
                 if info.name not in HELPERS)


@pytest.mark.parametrize("name", MODULES)
def test_bench_cases_run_without_errors(name):
    module = importlib.import_module(f"course.apps.{name}")
    cases = module.bench_cases()
    assert cases, f"course.apps.{name}.bench_cases() lists no case"
    for label, factory, updates in cases:
        app = factory()
        assert updates, label
        for update in updates[:8]:
            update(app)
        assert app.output.outputs == (), label
        # every app fits a 900 px wide output area (tests/test_lab_layout.py checks the page)
        width = round(app.fig.get_figwidth() * app.fig.dpi)
        assert width <= FIGURE_WIDTH_PX, f"{label}: the figure is {width:.0f} px wide"

"""Outside course/_display, course/ uses only public APIs of matplotlib, ipympl and ipywidgets:
no ``obj._name`` unless ``obj`` is the code's own (``self``, ``cls``, ``super()``, an app) or
``_name`` is defined in course/ outside _display; the internals the display package relies on
(``KNOWN``) are found whatever they are called on."""
import ast
import pathlib

import pytest

COURSE = pathlib.Path(__file__).resolve().parents[1] / "course"
KNOWN = ("_lastKey", "_force_full", "_last_buff", "_png_is_old", "_handle_message", "_size",
         "_update_ticks", "_update_label_position", "_button_pick_id")
# names bound to course objects, whose private attributes are the course's own
OWN = {"self", "cls", "app"}


def teaching_modules():
    return sorted(p for p in COURSE.rglob("*.py") if "_display" not in p.parts)


def defined_private_names(sources):
    """The ``_names`` the course defines: functions, classes, attributes set on self or a class."""
    names = set()
    for source in sources:
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
    return {n for n in names if n.startswith("_") and n not in KNOWN}


OURS = defined_private_names(p.read_text() for p in teaching_modules())


def _is_own(owner, attr, ours):
    if attr in KNOWN:
        return False
    if isinstance(owner, ast.Name) and owner.id in OWN:
        return True
    if isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name) and owner.func.id == "super":
        return True
    return attr in ours


def private_uses(source, ours=frozenset()):
    """(line, text) of every private attribute of another library's object in ``source``
    (dunders are public), read or set directly or through getattr/setattr/hasattr."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") \
                and not node.attr.startswith("__") and not _is_own(node.value, node.attr, ours):
            found.append((node.lineno, f"{ast.unparse(node.value)}.{node.attr}"))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in ("getattr", "setattr", "hasattr", "delattr") \
                and len(node.args) > 1 and isinstance(node.args[1], ast.Constant):
            name = str(node.args[1].value)
            if name.startswith("_") and not name.startswith("__") \
                    and not _is_own(node.args[0], name, ours):
                found.append((node.lineno, f"{node.func.id}({ast.unparse(node.args[0])}, {name!r})"))
    return found


@pytest.mark.parametrize("path", teaching_modules(), ids=lambda p: str(p.relative_to(COURSE)))
def test_no_private_attribute_of_another_library(path):
    uses = private_uses(path.read_text(), OURS)
    assert uses == [], f"{path.name}: private attributes outside course/_display: {uses}"


@pytest.mark.parametrize("snippet", [
    "canvas._force_full = True", "fig.canvas._size = (1, 2)", "x = self.fig.canvas._lastKey",
    "axis._update_ticks()", "getattr(fig, '_button_pick_id', None)",
    "self.fig.canvas._handle_message(None, {}, [])", "fig._align_label_groups",
    "self._force_full = True", "line._path", "setattr(canvas, '_png_is_old', True)"])
def test_the_check_finds_a_private_attribute(snippet):
    assert private_uses(snippet, OURS), snippet


def test_the_check_leaves_the_course_own_attributes_and_dunders_alone():
    own = "self._cache = {}\napp._animated\nx.__class__\ncls._registry\nsuper()._on_draw(e)"
    assert private_uses(own) == []
    assert private_uses("other._on_draw(e)", OURS) == []     # _on_draw is defined in course/apps


def test_the_display_package_is_where_the_known_internals_are():
    display = " ".join(p.read_text() for p in (COURSE / "_display").glob("*.py"))
    assert all(name in display for name in KNOWN)

"""The display package sets up a lesson's kernel (course/_display/runtime.py): freed heap kept
for numpy's temporaries, transparent huge pages off, one BLAS thread.

Measured as the kernel counts it: minor page faults of 20 Adam steps from 10,000 starts, in a
fresh Python with and without the setting. Without it, glibc returns the temporaries' pages
to the kernel at every step and faults them in again. The huge-page switch is read back from
Linux (prctl's PR_GET_THP_DISABLE) in a fresh Python with and without the display package (a
child inherits the switch, so each script first turns huge pages on, as a fresh login has
them). The BLAS threads are read back with threadpoolctl.
"""
import ctypes
import subprocess
import sys

import pytest

RUN = """
import resource, sys
if sys.argv[1] == "kept":
    import course._display
    assert course._display.HEAP_KEPT
import numpy as np
from course import landscapes
from course.descent import descend
from course.optimizers import Adam
land = landscapes.get("rosenbrock")
starts = np.random.default_rng(0).uniform([-2.0, -1.0], [2.0, 3.0], size=(10_000, 2))
descend(land, Adam(lr=0.01), starts, 20)
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
descend(land, Adam(lr=0.01), starts, 20)
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _glibc():
    try:
        return bool(ctypes.CDLL(None).gnu_get_libc_version)
    except (OSError, AttributeError):
        return False


def _faults(mode):
    out = subprocess.run([sys.executable, "-c", RUN, mode], capture_output=True, text=True,
                         check=True)
    return int(out.stdout)


@pytest.mark.skipif(not _glibc(), reason="the heap setting exists in glibc only (a no-op elsewhere)")
def test_kept_heap_saves_most_page_faults():
    plain, kept = _faults("plain"), _faults("kept")
    assert plain > 500, f"the plain run should fault its temporaries in again ({plain} faults)"
    assert kept < plain / 5, f"{kept} faults with the heap kept against {plain} without"


HUGE = """
import ctypes, sys
ctypes.CDLL(None).prctl(41, 0, 0, 0, 0)             # PR_SET_THP_DISABLE 0: huge pages on
if sys.argv[1] == "display":
    import course._display
    assert course._display.HUGE_PAGES_OFF
print(ctypes.CDLL(None).prctl(42, 0, 0, 0, 0))      # PR_GET_THP_DISABLE: 1 when off
"""


def _huge_pages_off(mode):
    out = subprocess.run([sys.executable, "-c", HUGE, mode], capture_output=True, text=True,
                         check=True)
    return out.stdout.strip()


@pytest.mark.skipif(not (_glibc() and sys.platform.startswith("linux")),
                    reason="transparent huge pages are a Linux setting (a no-op elsewhere)")
def test_display_package_turns_huge_pages_off():
    assert _huge_pages_off("plain") == "0"          # Python alone leaves them on
    assert _huge_pages_off("display") == "1"


def test_other_c_libraries_are_left_alone(monkeypatch):
    from course._display import runtime

    def no_glibc(name):
        raise OSError("not glibc")

    monkeypatch.setattr(runtime.ctypes, "CDLL", no_glibc)
    assert runtime.keep_free_heap() is False
    assert runtime.no_huge_pages() is False


BLAS = """
import sys
import numpy
from threadpoolctl import threadpool_info, threadpool_limits
threadpool_limits(2, user_api="blas")               # as on a machine with two cores
if sys.argv[1] == "display":
    import course._display
print(sorted({pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}))
"""


def test_display_package_leaves_one_blas_thread():
    def threads(mode):
        return subprocess.run([sys.executable, "-c", BLAS, mode], capture_output=True,
                              text=True, check=True).stdout.strip()

    assert threads("plain") == "[2]"
    assert threads("display") == "[1]"

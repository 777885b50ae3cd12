"""Benchmark: every notebook executed top to bottom in a fresh kernel (nbclient).

Measures the wall time of the whole run (kernel start included) and the kernel's peak memory:
``VmHWM`` (resident-set high-water mark) from ``/proc/self/status``, read by an extra last cell.
Goals: the whole course <= 60 s; no kernel above 300 MB.

    python benchmarks/bench_notebooks.py
"""
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
COURSE_GOAL_S, KERNEL_GOAL_MB = 60.0, 300.0
PEAK_CELL = """
import resource as _r, sys as _s
try:
    _hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')][0].split()[1]
    print('PEAK_KB', _hwm)
except OSError:  # no /proc: ru_maxrss is in kB on Linux, bytes on macOS
    print('PEAK_KB', _r.getrusage(_r.RUSAGE_SELF).ru_maxrss // (1024 if _s.platform == 'darwin' else 1))
"""


def run_notebook(path, timeout=300):
    """(seconds, peak MB) of one notebook run in a fresh kernel of this Python."""
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PEAK_CELL))
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    t0 = time.perf_counter()
    client.execute(stderr=subprocess.DEVNULL)  # the kernel's log lines would drown the table; errors still raise
    seconds = time.perf_counter() - t0
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.get("output_type") == "stream")
    kb = int(text.split("PEAK_KB")[1].split()[0])
    return seconds, kb / 1024


def run(notebooks=None):
    """Rows (name, seconds, peak MB, ok) per notebook, then the course total."""
    paths = sorted(NOTEBOOK_DIR.glob("*.ipynb")) if notebooks is None else notebooks
    rows = []
    for path in paths:
        seconds, mb = run_notebook(path)
        rows.append((path.stem, seconds, mb, mb <= KERNEL_GOAL_MB))
    return rows


if __name__ == "__main__":
    rows = run([Path(p).resolve() for p in sys.argv[1:]] or None)
    for name, seconds, mb, ok in rows:
        print(f"{name:40s} {seconds:6.1f} s  peak {mb:6.0f} MB  {'pass' if ok else 'FAIL'}")
    total = sum(r[1] for r in rows)
    print(f"{'whole course':40s} {total:6.1f} s  {'pass' if total <= COURSE_GOAL_S else 'FAIL'}")

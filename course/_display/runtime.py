"""Settings of a lesson's kernel: where numpy's arrays live, and one BLAS thread.

Freed heap kept for the next step's temporaries. Each line of a readable update rule makes
its own temporary array: 160 KB each for 10,000 starts of a 2-D landscape. By default glibc
hands the top of its heap back to the kernel as soon as those are freed and takes it again
on the next step, one page fault per 4 KB page (about 60,000 to 120,000 faults for 1,000
Adam steps, a third or more of the run's time). ``mallopt(M_TOP_PAD)`` keeps some free heap
for reuse, and a fixed ``M_MMAP_THRESHOLD`` keeps arrays up to 4 MB on that heap.

No transparent huge pages. numpy asks Linux to back every array over 4 MB with 2 MB pages
(``madvise``); when free memory is fragmented, the kernel then stops the program to compact
memory before each such page, which made a ``descend`` history of 240 MB take 0.7-1.3 s
instead of 0.5 s, at random. ``prctl(PR_SET_THP_DISABLE)`` turns huge pages off for this
process (and the processes it starts), so large arrays take ordinary 4 KB pages.

One BLAS thread. The course's networks multiply small matrices (64 x 32 for the digits); a
second BLAS thread costs more in hand-offs and spinning than it saves, and on a classroom
server every kernel's extra thread competes for the same cores. ``threadpoolctl`` (installed
with scikit-learn) sets the limit for the whole kernel, so ``course.training`` and
``course.network_landscape`` need no thread code of their own.

The formulas are untouched: only where their arrays live and how many threads multiply them
change. The memory settings apply on Linux with glibc only; elsewhere nothing is done.
"""
import ctypes
import sys

import numpy  # noqa: F401  loads numpy's BLAS: threadpoolctl limits only the libraries loaded
from threadpoolctl import threadpool_limits

M_TOP_PAD, M_MMAP_THRESHOLD = -2, -3    # glibc's <malloc.h>
TOP_PAD = 16 * 2**20                     # bytes of free heap kept (a kernel holds ~130 MB)
MMAP_THRESHOLD = 4 * 2**20               # arrays up to this size come from the heap
PR_SET_THP_DISABLE = 41                  # Linux's <linux/prctl.h>, since Linux 3.15


def _libc():
    """glibc, or None on other C libraries."""
    try:
        libc = ctypes.CDLL(None)
        libc.gnu_get_libc_version        # present in glibc only
    except (OSError, AttributeError):
        return None
    return libc


def keep_free_heap():
    """Apply the two malloc settings; True when glibc accepted them, False elsewhere."""
    libc = _libc()
    return (libc is not None and libc.mallopt(M_TOP_PAD, TOP_PAD) == 1
            and libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1)


def no_huge_pages():
    """Turn transparent huge pages off for this process; True when Linux accepted it."""
    libc = _libc()
    if libc is None or not sys.platform.startswith("linux"):
        return False
    return libc.prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0) == 0


def one_blas_thread():
    """Limit BLAS (OpenBLAS, MKL, ...) to one thread in this process."""
    threadpool_limits(1, user_api="blas")

"""Freed heap kept for the next step's numpy temporaries (glibc only).

Each line of a readable update rule makes its own temporary array: 160 KB each for 10,000
starts of a 2-D landscape. By default glibc hands the top of its heap back to the kernel as
soon as those are freed and takes it again on the next step, one page fault per 4 KB page
(about 60,000 to 120,000 faults for 1,000 Adam steps, a third or more of the run's time).
``mallopt(M_TOP_PAD)`` keeps some free heap for reuse, and a fixed ``M_MMAP_THRESHOLD`` keeps
arrays up to 4 MB on that heap (numpy maps larger ones itself, in huge pages). The formulas
are untouched: only where their temporaries live changes. Elsewhere than glibc, nothing is done.
"""
import ctypes

M_TOP_PAD, M_MMAP_THRESHOLD = -2, -3    # glibc's <malloc.h>
TOP_PAD = 16 * 2**20                     # bytes of free heap kept (a kernel holds ~130 MB)
MMAP_THRESHOLD = 4 * 2**20               # arrays up to this size come from the heap


def keep_free_heap():
    """Apply the two settings; True when glibc accepted them, False on other C libraries."""
    try:
        libc = ctypes.CDLL(None)
        libc.gnu_get_libc_version        # present in glibc only
    except (OSError, AttributeError):
        return False
    return (libc.mallopt(M_TOP_PAD, TOP_PAD) == 1
            and libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1)

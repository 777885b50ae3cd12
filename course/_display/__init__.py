"""Speed machinery of the figures: NOT course material.

Nothing here is part of the lessons. It makes the apps' figures reach the browser faster: a
canvas that encodes frames quickly and serves a connecting browser at once (:mod:`.canvas`),
the PNG encoder it uses (:mod:`.png`), contours redrawn in place (:mod:`.contours`), axis
layers drawn on their own (:mod:`.layers`) and the mouse events of the benchmarks
(:mod:`.events`). Importing it also sets up the lesson's kernel (:mod:`.runtime`): freed heap
kept for the next step's numpy temporaries and transparent huge pages off (Linux and glibc
only), so that the runs an app makes on every slider move, and a lesson's own ``descend``
calls, neither fault their memory in again at every step nor wait for the kernel to compact
memory; and one BLAS thread for the small matrix products of the course's networks. To
learn how an app works, read ``course/apps/`` instead.

This is the one place in ``course`` that relies on private attributes of matplotlib and
ipympl. Each is checked once (:func:`.canvas.fast_canvas_works`, :func:`.layers.axis_parts_work`);
when one is missing (a newer release renamed it), figures fall back to ipympl's own canvas and
to whole-axis drawing: they still work, only slower.
"""
from .runtime import keep_free_heap, no_huge_pages, one_blas_thread

HEAP_KEPT = keep_free_heap()
HUGE_PAGES_OFF = no_huge_pages()
one_blas_thread()

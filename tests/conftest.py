"""Settings of the test processes themselves (pytest and each xdist worker).

The workers hold large, long-lived heaps: cfn-lint's schemas and rules, moto's backends, the
SAM translator. Python's cyclic garbage collector re-scans all of it in every full
collection and once more when the process exits; `gc.freeze()` moves what exists into a
permanent generation that collections skip (https://docs.python.org/3/library/gc.html#gc.freeze).
Measured on the 2-core machine (README "Measurements"): about 3 s of wall time per run,
most of it the workers' exit, which the run waits for.
"""

from __future__ import annotations

import gc


def pytest_collection_finish(session):
    gc.freeze()  # the test modules and what they import live until the end


def pytest_unconfigure(config):
    gc.freeze()  # no final collection of the whole heap at exit

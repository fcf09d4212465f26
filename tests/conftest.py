"""Settings of the test processes themselves (pytest and each xdist worker).

The workers hold large, long-lived heaps: cfn-lint's schemas and rules, moto's backends, the
SAM translator. Python's cyclic garbage collector re-scans all of it in every full
collection and once more when the process exits; `gc.freeze()` moves what exists into a
permanent generation that collections skip (https://docs.python.org/3/library/gc.html#gc.freeze),
and a higher first threshold makes collections rarer (each run allocates a lot, and little of
it in cycles). Measured on the 2-core machine: the workers' exit, which the run waits for,
about 1-2 s shorter; time spent collecting 8.6 s -> 4.5 s of CPU (about 50 MB more memory).
"""

from __future__ import annotations

import gc

import pytest

gc.set_threshold(20_000, 10, 10)  # default (700, 10, 10)


def pytest_collection_finish(session):
    gc.freeze()  # the test modules and what they import live until the end


def pytest_unconfigure(config):
    gc.freeze()  # no final collection of the whole heap at exit


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(items):
    """xdist group `cfn`: every test that loads cfn-lint or the SAM translator runs on one
    worker, the only one that imports them (about 2 s) and keeps the expansions it made. Tests
    that use the session's Linter (tests/lint/conftest.py) join here; the others say so with
    `pytestmark = pytest.mark.xdist_group("cfn")` or a mark of their own."""
    for item in items:  # fixturenames: every fixture the test needs, directly or not
        if "linter" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("cfn"))


# Hypothesis' settings profiles (https://hypothesis.readthedocs.io/en/latest/tutorial/settings.html):
# the default run tries each property on 25 examples, quick feedback that still meets every
# explicit @example and the edge cases Hypothesis tries first; CI's slow job passes
# `--hypothesis-profile=thorough`, ten times Hypothesis' default of 100.
PROFILES = {"quick": 25, "thorough": 1000}


@pytest.hookimpl(tryfirst=True)  # before Hypothesis' plugin loads the profile asked for
def pytest_configure(config):
    """The profiles exist before Hypothesis' plugin loads the one asked for; without
    `--hypothesis-profile`, a process that runs tests loads `quick` before it imports the test
    modules (whose `settings(...)` objects take what they leave unset from the profile loaded
    then). The xdist controller runs no tests and does not import Hypothesis."""
    asked = config.getoption("hypothesis_profile", None)
    runs_tests = hasattr(config, "workerinput") or config.getoption("dist", "no") == "no"
    if asked or runs_tests:
        from hypothesis import settings

        for profile, examples in PROFILES.items():
            settings.register_profile(profile, max_examples=examples)
        if not asked:
            settings.load_profile("quick")

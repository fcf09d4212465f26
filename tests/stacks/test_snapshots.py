"""The committed templates are the snapshots: each must equal what the code generates."""

import os
import subprocess
import sys

import pytest

from stacks.templates import ROOT, TARGETS, stale_diff


@pytest.mark.parametrize("name", list(TARGETS))
def test_committed_template_is_current(name):
    target = TARGETS[name]
    diff = stale_diff(target)
    assert not diff, (
        f"{target.path.relative_to(ROOT)} differs from the generated template; "
        f"run `{target.command}` and commit the result:\n{diff}"
    )


def test_output_is_identical_across_processes_and_hash_seeds():
    """prod built in another process, under another hash seed than this process's, is the
    committed file byte for byte, as this process's build is (see the test above)."""
    seed = "4242" if os.environ.get("PYTHONHASHSEED") == "0" else "0"
    env = {**os.environ, "PYTHONHASHSEED": seed, "CFN_MAX_COL_WIDTH": "40"}
    result = subprocess.run(
        [sys.executable, "-m", "stacks", "build", "--env", "prod", "--out", "-"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout == TARGETS["prod"].path.read_text()


@pytest.mark.parametrize("name", list(TARGETS))
def test_template_starts_with_generated_header(name):
    text = TARGETS[name].path.read_text()
    assert text.startswith("# GENERATED FILE - DO NOT EDIT.")
    assert f"`python -m stacks build --env {name}`" in text.splitlines()[0]

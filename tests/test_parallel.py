"""The suite's parallel run keeps each `xdist_group` on one worker: the expensive shared
fixtures (the lint of the committed templates, moto servers, expansions) are made once
per group only while this holds."""

import pytest


@pytest.mark.xdist_group("grouping_guard")
def test_xdist_groups_take_effect(request):
    if getattr(request.config.option, "loadgroup", False) is not True:
        pytest.skip("not run by a pytest-xdist worker with --dist loadgroup")
    # pytest-xdist marks a grouped test by its node id; a pytest it does not support drops
    # the mark silently (pytest-dev/pytest-xdist#1386) and the groups spread over workers.
    assert request.node.nodeid.endswith("@grouping_guard")

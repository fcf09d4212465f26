import copy

import pytest

from stacks import config
from stacks.cost.prices import load
from stacks.expand import expand
from stacks.templates import TARGETS


@pytest.fixture(scope="session")
def expanded() -> dict[str, dict]:
    """Each environment's expanded template (read-only: deep-copy before changing it)."""
    return {env: expand(TARGETS[env].make()) for env in config.ENVIRONMENTS}


@pytest.fixture(scope="session")
def prices():
    return load()


@pytest.fixture
def staging(expanded) -> dict:
    return copy.deepcopy(expanded["staging"])

import pytest

from stacks import config
from stacks.service import service_template


def build(env_or_cfg) -> dict:
    """The template of an environment (or of a config variant) as a plain dict."""
    cfg = config.get(env_or_cfg) if isinstance(env_or_cfg, str) else env_or_cfg
    return service_template(cfg).to_dict()


def of_type(template: dict, type_: str) -> dict:
    return {k: r for k, r in template["Resources"].items() if r["Type"] == type_}


@pytest.fixture(scope="session")
def templates() -> dict[str, dict]:
    return {env: build(env) for env in config.ENVIRONMENTS}


@pytest.fixture(params=["staging", "prod"])
def full(request, templates) -> tuple[str, dict]:
    """Each environment that runs the whole service, with its template."""
    return request.param, templates[request.param]


@pytest.fixture(scope="session")
def expanded_prod(templates) -> dict:
    """prod's template after the SAM transform (offline), made once per session."""
    from stacks.expand import expand

    return expand(templates["prod"])

"""Code and templates agree on the contracts in security_assistant/contract.py.

API Gateway answers a route it does not know itself (404), so a route only in api.py passes
every local test and fails in AWS; an environment variable only in the code reads None in
Lambda. Each test compares one pair of sides, and the `_mismatch` helpers are shown firing.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from security_assistant import contract

from tests.stacks.conftest import of_type

PACKAGE = Path(contract.__file__).parent
# Variables Powertools reads itself, so the code need not mention them.
READ_BY_POWERTOOLS = {
    contract.LOG_LEVEL,
    contract.POWERTOOLS_SERVICE_NAME,
    contract.POWERTOOLS_METRICS_NAMESPACE,
}
HANDLER_MODULES = {"api", "worker", "hooks", "worker_hook"}
READ_HELPERS = {"_int_env"}  # config.py: reads the variable its first argument names


def table_routes() -> set[tuple[str, str]]:
    return {(r.method, r.path) for r in contract.ROUTES}


def resolver_routes(app) -> set[tuple[str, str]]:
    """(method, API Gateway path) of every route registered on a Powertools resolver."""
    found = set()
    for route in app._static_routes + app._dynamic_routes:
        path = route.path.replace("<", "{").replace(">", "}")
        for method in route.method if isinstance(route.method, tuple) else (route.method,):
            found.add((method.upper(), path))
    return found


def template_routes(template: dict) -> set[tuple[str, str]]:
    """(method, path) of every Api event of every function of a SAM template."""
    return {
        (event["Properties"]["Method"].upper(), event["Properties"]["Path"])
        for fn in of_type(template, "AWS::Serverless::Function").values()
        for event in (fn["Properties"].get("Events") or {}).values()
        if event["Type"] == "Api"
    }


def expanded_routes(expanded: dict) -> set[tuple[str, str]]:
    """(method, path) of the REST API's OpenAPI body after the SAM transform."""
    found = set()
    for api in of_type(expanded, "AWS::ApiGateway::RestApi").values():
        for path, methods in api["Properties"]["Body"]["paths"].items():
            found |= {(m.upper(), path) for m in methods if not m.startswith("x-")}
    return found


def _mismatch(name: str, expected: set, actual: set) -> str:
    missing, extra = sorted(expected - actual), sorted(actual - expected)
    if not (missing or extra):
        return ""
    return f"{name}: missing {missing}, not in the contract {extra}"


# --- routes ----------------------------------------------------------------------------


def test_resolver_registers_exactly_the_route_table():
    from security_assistant.api import app

    assert _mismatch("api.py", table_routes(), resolver_routes(app)) == ""


def test_template_routes_are_the_route_table(full):
    _, t = full
    assert _mismatch("template", table_routes(), template_routes(t)) == ""
    events = of_type(t, "AWS::Serverless::Function")["ApiFunction"]["Properties"]["Events"]
    assert set(events) == {r.name for r in contract.ROUTES}


@pytest.mark.xdist_group("cfn")  # the worker with the SAM translator and its expansions
def test_expanded_api_paths_are_the_route_table(expanded_prod):
    assert _mismatch("expanded template", table_routes(), expanded_routes(expanded_prod)) == ""


def test_a_route_on_one_side_only_is_a_mismatch():
    from aws_lambda_powertools.event_handler import APIGatewayRestResolver

    app = APIGatewayRestResolver()
    for route in contract.ROUTES:
        app.route(route.resolver_path, route.method)(lambda: {})
    app.delete("/jobs/<job_id>")(lambda job_id: {})
    assert _mismatch("api.py", table_routes(), resolver_routes(app)) == (
        "api.py: missing [], not in the contract [('DELETE', '/jobs/{job_id}')]"
    )
    message = _mismatch("template", table_routes(), table_routes() - {("GET", "/health")})
    assert "missing [('GET', '/health')]" in message


def test_resolver_path_form():
    assert contract.ROUTES_BY_NAME["GetReport"].resolver_path == "/jobs/<job_id>/report"


# --- environment variables -------------------------------------------------------------


def _name(node: ast.expr, module: ast.Module) -> str | None:
    """The variable name an environ access reads: a literal or a `contract` constant."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return getattr(contract, node.attr, None)
    return None


def environment_reads(source: str) -> set[str]:
    """Every environment variable a module reads or writes, by name.

    Raises on an access whose name is neither a literal nor a contract constant, so that
    no read can hide from this test.
    """
    module = ast.parse(source)
    # Inside a read helper the name is its parameter; its callers are checked instead.
    helpers = {
        id(inner)
        for fn in ast.walk(module)
        if isinstance(fn, ast.FunctionDef) and fn.name in READ_HELPERS
        for inner in ast.walk(fn)
    }
    names = set()
    for node in ast.walk(module):
        if id(node) in helpers:
            continue
        key = None
        if isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            key = node.slice
        elif isinstance(node, ast.Call) and node.args:
            func = ast.unparse(node.func)
            if func in {"os.getenv", *READ_HELPERS} or func.startswith("os.environ."):
                key = node.args[0]
        if key is None:
            continue
        name = _name(key, module)
        if name is None:
            raise AssertionError(f"environment read by a computed name: {ast.unparse(node)}")
        names.add(name)
    return names


def code_reads() -> dict[str, set[str]]:
    return {
        str(path.relative_to(PACKAGE)): environment_reads(path.read_text())
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def test_the_code_reads_only_contract_variables():
    allowed = contract.DEPLOYED | contract.LOCAL_ONLY | contract.RUNTIME
    strays = {f: sorted(names - allowed) for f, names in code_reads().items() if names - allowed}
    assert strays == {}, "add these to security_assistant/contract.py"


def test_every_deployed_variable_is_read():
    read = set().union(*code_reads().values()) | READ_BY_POWERTOOLS
    assert sorted(contract.DEPLOYED - read) == []


def test_templates_set_exactly_the_contract_variables(full):
    _, t = full
    for fn in of_type(t, "AWS::Serverless::Function").values():
        module = fn["Properties"]["Handler"].split(".")[1]
        assert module in HANDLER_MODULES
        variables = fn["Properties"]["Environment"]["Variables"]
        expected = set(contract.FUNCTION_ENVIRONMENT[module])
        assert _mismatch(module, expected, set(variables)) == ""
        assert not set(variables) & contract.LOCAL_ONLY


def test_reads_are_found_and_computed_names_refused():
    source = (
        "import os\nfrom . import contract as c\n"
        "a = os.environ['A']\nb = os.environ.get(c.QUEUE_URL)\nd = os.getenv('D', 'x')\n"
        "e = _int_env('E', 3)\n"
        "def _int_env(name, default):\n    return os.environ.get(name, default)\n"
    )
    assert environment_reads(source) == {"A", "QUEUE_URL", "D", "E"}
    with pytest.raises(AssertionError, match="computed name"):
        environment_reads("import os\nname = 'X'\nos.environ.get(name)\n")

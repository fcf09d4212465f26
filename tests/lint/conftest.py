"""Helpers for the lint-rule tests: lint a (mutated) generated template in-process."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ENVS = ("dev", "staging", "prod")


def template_text(env: str) -> str:
    return (ROOT / "infrastructure" / env / "template.yaml").read_text()


def line_of(text: str, needle: str, nth: int = 0) -> int:
    """1-based line of the nth line containing `needle`."""
    hits = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(hits) > nth, f"{needle!r} not in the template"
    return hits[nth]


@pytest.fixture(scope="session")
def linter():
    from stacks.lint.runner import Linter

    return Linter()


@pytest.fixture(scope="session")
def lint(linter):
    """lint(text, env=None) -> findings of the SAM and expanded forms of a template text."""
    from cfnlint.decode.decode import decode_str

    def run(text: str, env: str | None = None):
        template, errors = decode_str(text)
        assert not errors, errors
        return linter.lint_template(template, "t.yaml", env)

    return run


@pytest.fixture(scope="session")
def mutate(lint):
    """mutate(env, old, new) -> (mutated text, findings); `old` must occur in the template."""

    def run(env: str, old: str, new: str, count: int = 1, lint_env: str | None = None):
        text = template_text(env)
        assert old in text, f"{old!r} not in {env}'s template"
        bad = text.replace(old, new, count)
        return bad, lint(bad, lint_env)

    return run


def props_line(text: str, logical_id: str) -> int:
    """1-based line of the `Properties:` key of a resource."""
    lines = text.splitlines()
    start = lines.index(f"  {logical_id}:")
    return next(i for i in range(start, len(lines)) if lines[i] == "    Properties:") + 1


def ids(findings, rule: str):
    return [f for f in findings if f.rule == rule]


@pytest.fixture(scope="session")
def kit(lint, mutate):
    """Everything a rule test needs, in one fixture."""
    from types import SimpleNamespace

    return SimpleNamespace(
        lint=lint,
        mutate=mutate,
        text=template_text,
        line_of=line_of,
        props_line=props_line,
        ids=ids,
        envs=ENVS,
        fixtures=FIXTURES,
    )

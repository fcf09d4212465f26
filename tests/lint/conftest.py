"""Rule tests in cfn-lint's style.

* `kit.lint(rule_id, text, env=None)` lints a template text (SAM and expanded forms) with only
  the rule under test registered (plus, for a keyword rule, the cfn-lint rules that reach it)
  and returns that rule's findings. Rules and schemas load once per session.
* `committed(rule_id)` reads ONE shared lint of every committed template with every rule
  (cfn-lint's and the project's): each rule's "silent on the real templates" test, and the
  in-process check that the committed templates are clean.

Every test that uses the session's Linter (`kit`, `committed`, the in-process command line)
runs on one xdist worker (group `cfn`, tests/conftest.py): the shared lint is made once per
run, and only that worker loads cfn-lint's rules (about 1 s) and warms their schemas. The
subprocess smoke tests need no Linter and go wherever there is room.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def template_text(env: str) -> str:
    return (ROOT / "infrastructure" / env / "template.yaml").read_text()


def excerpt(env: str, *keep: str) -> str:
    """The committed template of `env` with only the resources `keep` (and no Outputs): the
    real shapes of what a rule looks at, at a fraction of the cost of linting it whole."""
    out, section, kept = [], None, False
    for line in template_text(env).splitlines(keepends=True):
        if line[:1].isalpha():  # a top-level key
            section = line.split(":")[0]
        elif section == "Resources" and line[:2] == "  " and line[2:3].isalpha():
            kept = line.strip().rstrip(":") in keep  # a resource's logical id
        if section != "Outputs" and (section != "Resources" or kept or line[:1].isalpha()):
            out.append(line)
    text = "".join(out)
    missing = [rid for rid in keep if f"\n  {rid}:\n" not in text]
    assert not missing, f"no resource {missing} in {env}'s template"
    return text


def snippet(resources: str, env: str | None = "dev", sam: bool = False) -> str:
    """A small template around `resources` (YAML of the Resources mapping)."""
    head = "AWSTemplateFormatVersion: '2010-09-09'\n"
    if sam:
        head += "Transform: AWS::Serverless-2016-10-31\n"
    if env:
        head += f"Metadata:\n  SecurityAssistant:\n    Environment: {env}\n"
    return head + "Resources:\n" + textwrap.indent(textwrap.dedent(resources).strip("\n"), "  ")


def line_of(text: str, needle: str, nth: int = 0) -> int:
    """1-based line of the nth line containing `needle`."""
    hits = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(hits) > nth, f"{needle!r} not in the template"
    return hits[nth]


def props_line(text: str, logical_id: str) -> int:
    """1-based line of the `Properties:` key of a resource."""
    lines = text.splitlines()
    start = lines.index(f"  {logical_id}:")
    return next(i for i in range(start, len(lines)) if lines[i] == "    Properties:") + 1


def cut(text: str, start: str, end: str, after: str = "") -> str:
    """`text` without the part from `start` up to `end` (searched after `after`)."""
    i = text.index(start, text.index(after) if after else 0)
    return text[:i] + text[text.index(end, i) :]


@pytest.fixture(scope="session")
def linter():
    from stacks.lint.runner import Linter

    return Linter()


@pytest.fixture(scope="session")
def committed_by_path(linter):
    """Every rule on every committed template (SAM and expanded forms), linted once: the
    findings of each template file."""
    from stacks.templates import TARGETS

    return {t.path: linter.lint_file(t.path) for t in TARGETS.values()}


@pytest.fixture(scope="session")
def committed_findings(committed_by_path):
    """The findings of the shared lint of every committed template."""
    return [f for found in committed_by_path.values() for f in found]


@pytest.fixture(scope="session")
def committed(committed_findings):
    """A rule's findings in the shared lint of the committed templates."""
    return lambda rule_id: [f for f in committed_findings if f.rule == rule_id]


@pytest.fixture(scope="session")
def kit(linter):
    from cfnlint.decode.decode import decode_str

    alone: dict[str, object] = {}

    def lint(rule_id: str, text: str, env: str | None = None):
        if rule_id not in alone:
            alone[rule_id] = linter.only(rule_id)
        template, errors = decode_str(text)
        assert not errors, errors
        found = alone[rule_id].lint_template(template, "t.yaml", env)
        return [f for f in found if f.rule == rule_id]

    def mutate(env: str, old: str, new: str, count: int = 1, keep: tuple[str, ...] = ()) -> str:
        """`env`'s committed template (only the resources `keep`, if any) with `old` replaced."""
        text = excerpt(env, *keep) if keep else template_text(env)
        assert old in text, f"{old!r} not in {env}'s template"
        return text.replace(old, new, count)

    def deployment(old: str = "", new: str = "", count: int = 1) -> str:
        """fixtures/deployment.yaml (a small SAM template) with `old` replaced by `new`."""
        text = (FIXTURES / "deployment.yaml").read_text()
        assert old in text, f"{old!r} not in deployment.yaml"
        return text.replace(old, new, count) if old else text

    return SimpleNamespace(
        lint=lint,
        mutate=mutate,
        deployment=deployment,
        text=template_text,
        excerpt=excerpt,
        snippet=snippet,
        line_of=line_of,
        props_line=props_line,
        cut=cut,
        fixtures=FIXTURES,
    )

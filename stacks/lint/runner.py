"""Lint SAM templates in-process: cfn-lint's rules plus the project's, on both forms.

Each template file is decoded once. Its SAM form is linted as written; then it is expanded
offline with the SAM translator (`stacks.expand.expand`) and the expanded form is linted
with the same rule objects, loaded once per process. A finding in the expanded form is
mapped back to a line of the committed SAM file: the same path if the resource exists there,
else the line of the SAM resource it came from (found by logical-id prefix, e.g.
ApiFunctionAliaslive -> ApiFunction). Output is `file:line: RULE message`, one per line.

One command, one load: cfn-lint and the rules load once, then `python -m stacks lint` forks
one child (`Linter(processes=2)`, where there is a second core) that imports the SAM
translator, expands the SAM templates and lints the expanded forms, while this process lints
the SAM forms: the two halves cost about the same, and the expanded half is all the work
plain cfn-lint does not do. `tools/bench_lint.py --repeat 3 --compare` on the 2-core machine
shared with other work: with its second core mostly free (load 1.2-1.6), 6.9 and 7.7 s wall
against 8.0 and 8.9 s in one process (plain cfn-lint 5.6 and 6.0 s: ratios 1.23 and 1.29
instead of 1.42 and 1.49), for about 1 s more CPU; with that core busy (load 1.7-2.0) 10.1
against 9.5 s. cfn-lint itself runs unpatched (no memo caches patched into its internals).
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from stacks import config

# The same entry point as .cfnlintrc, so plain cfn-lint and this runner load the same rules.
RULES_DIR = Path(__file__).resolve().parent / "plugin"

SERVERLESS_TRANSFORM = "AWS::Serverless-2016-10-31"

# Resources the translator makes for the whole template rather than for one SAM resource.
_SHARED_ORIGINS = {"ServerlessDeploymentApplication", "CodeDeployServiceRole"}


class LintInputError(Exception):
    """A template that cannot be linted at all (missing file, unknown environment)."""


@dataclass(frozen=True, order=True)
class Finding:
    filename: str
    line: int
    rule: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.filename}:{self.line}: {self.rule} {self.message}"


class Linter:
    """cfn-lint's rules plus the project's, loaded once and reused for every template."""

    def __init__(self, region: str = config.REGION, processes: int = 1) -> None:
        """`processes=2`: `lint_files` lints the expanded forms in a second process (forked
        once the rules are loaded) while this one lints the SAM forms."""
        import logging

        from cfnlint.config import ConfigMixIn
        from cfnlint.runner.cli import Runner

        logging.getLogger("cfnlint").setLevel(logging.ERROR)
        self.config = ConfigMixIn([], append_rules=[str(RULES_DIR)], regions=[region])
        self.region = region
        self.processes = processes
        # cfn-lint configures its rule objects at the start of each run and some rules keep
        # state while they run: one template at a time per set of rule objects.
        self._lock = threading.Lock()
        self._use(Runner(self.config).rules)

    def _use(self, rules: Any) -> None:
        self.rules = rules
        # The rules whose policy depends on the environment: they declare an `env` setting.
        self.env_rules = sorted(
            rule_id for rule_id, rule in rules.items() if "env" in rule.config_definition
        )

    def only(self, *rule_ids: str) -> Linter:
        """A Linter with just these rules (and the cfn-lint rules that run keyword rules),
        sharing this one's loaded rule objects (and lock): the rule tests run the rule under
        test alone."""
        import copy

        other = copy.copy(self)
        other._use(_subset(self.rules, rule_ids))
        return other

    def lint_files(self, jobs: list[tuple[Path, str | None]]) -> list[Finding]:
        """Findings of every (template file, environment or None) job, in order.

        Every input is checked before any work, so a typo fails fast with exit code 2.
        """
        for path, env in jobs:
            self._check_input(path, env)
        if self.processes > 1 and _can_fork():
            return self._lint_files_in_two(jobs)
        return [f for path, env in jobs for f in self.lint_file(path, env)]

    def _lint_files_in_two(self, jobs: list[tuple[Path, str | None]]) -> list[Finding]:
        """`lint_files` in two processes: the SAM forms here, the expanded forms (the SAM
        translator's import, the expansions and their lints: about as much work) in a child
        forked after the rules loaded, so that it starts with them. Same findings, same order."""
        import multiprocessing

        docs = []  # (shown, decoded template or None, config, findings so far) per job
        for path, env in jobs:
            shown = _shown(path)
            template, errors = self._decode(path, shown)
            docs.append((shown, template, self._config_for(env), errors))
        sam = [(i, t, shown, c) for i, (shown, t, c, _) in enumerate(docs) if is_sam(t)]
        expanded: dict[int, list[Finding]] = {}
        if sam:
            fork = multiprocessing.get_context("fork")
            receive, send = fork.Pipe(duplex=False)
            child = fork.Process(target=self._lint_expanded_into, args=(send, sam), daemon=True)
            child.start()
            send.close()
        found = [
            errors if template is None else self._lint_sam(template, shown, cfg)
            for shown, template, cfg, errors in docs
        ]
        if sam:
            try:
                status, payload = receive.recv()
            except EOFError:  # the child died before it answered
                status, payload = "error", f"exit code {child.exitcode}"
            child.join()
            if status == "error":
                raise RuntimeError(f"linting the expanded forms failed: {payload}")
            expanded = payload
        return [f for i, own in enumerate(found) for f in sorted(set(own + expanded.get(i, [])))]

    def _lint_expanded_into(self, send: Any, sam: list) -> None:
        """The child of `_lint_files_in_two`: expanded-form findings of each SAM job, sent."""
        import gc
        import traceback

        # What the parent built stays out of this process's collections, which would otherwise
        # walk it and copy its pages (about a third of the child's page faults).
        gc.freeze()
        try:
            send.send(("ok", {i: self._lint_expanded(t, shown, c) for i, t, shown, c in sam}))
        except BaseException:  # noqa: BLE001 - reported by the parent
            send.send(("error", traceback.format_exc()))
        finally:
            send.close()

    def _check_input(self, path: Path, env: str | None) -> None:
        if env is not None and env not in config.ENVIRONMENTS:
            raise LintInputError(
                f"unknown environment {env!r}; choose from {', '.join(config.ENVIRONMENTS)}"
            )
        if not path.is_file():
            raise LintInputError(f"{path}: no such template file")

    def lint_file(self, path: Path, env: str | None = None, shown: str | None = None):
        """Findings of the SAM form and the expanded form of one template file."""
        self._check_input(path, env)
        shown = shown or _shown(path)
        template, errors = self._decode(path, shown)
        if template is None:
            return errors
        return self.lint_template(template, shown, env)

    def _decode(self, path: Path, shown: str) -> tuple[Any, list[Finding]]:
        """(decoded template, []) or (None, the decoding errors as findings)."""
        from cfnlint.decode.decode import decode_str

        template, errors = decode_str(path.read_text())
        if errors:
            return None, [_finding(shown, m, m.linenumber) for m in errors]
        return template, []

    def lint_template(self, template: Any, shown: str, env: str | None = None) -> list[Finding]:
        """Findings of a decoded template, SAM and expanded forms."""
        config = self._config_for(env)
        findings = self._lint_sam(template, shown, config)
        if is_sam(template):
            findings.extend(self._lint_expanded(template, shown, config))
        return sorted(set(findings))

    def _lint_sam(self, template: Any, shown: str, config: Any) -> list[Finding]:
        """Findings of the template as written."""
        return [_finding(shown, m, m.linenumber) for m in self._run(template, config)]

    def _config_for(self, env: str | None) -> Any:
        """cfn-lint's configuration for one template: `env` set on every rule that declares
        it (see stacks/lint/rules/_environment.py), on top of .cfnlintrc's configure_rules."""
        if env is None:
            return self.config
        from cfnlint.config import ConfigMixIn

        configure = dict(self.config.configure_rules)
        for rule_id in self.env_rules:
            configure[rule_id] = {**configure.get(rule_id, {}), "env": env}
        return ConfigMixIn(
            [], append_rules=[str(RULES_DIR)], regions=[self.region], configure_rules=configure
        )

    def _run(self, template: Any, config: Any):
        from cfnlint.runner.template.runner import _run_template

        with self._lock:
            return list(_run_template(None, template, config, self.rules))

    def _lint_expanded(self, template: dict, shown: str, config: Any) -> list[Finding]:
        try:
            expanded = _expand(template, self.region)
        except Exception as exc:  # the translator's InvalidDocumentException and kin
            message = f"SAM expansion failed: {_translator_error(exc)}"
            return [Finding(shown, 1, "E0001", message)]
        findings = []
        for match in self._run(expanded, config):
            path = list(getattr(match, "path", None) or [])
            line, origin = sam_line(template, path)
            # Same resource in both forms: same line and message, so the duplicate collapses.
            note = f" [expanded form: {origin}]" if origin else ""
            findings.append(_finding(shown, match, line, note))
        return findings


# How cfn-lint reaches a keyword rule: the template schema (E1001) hands `Resources` to E3001,
# each resource to E3002 (its provider schema), and the `cfnLint` keyword to E1101, which calls
# the rules whose keywords name that place.
_KEYWORD_CHAIN = ("E1001", "E1101", "E3001", "E3002")


def _subset(rules: Any, only: Iterable[str]) -> Any:
    """The rules `only` names, plus the cfn-lint rules that run a keyword rule."""
    from cfnlint.rules import Rules

    wanted = set(only)
    unknown = wanted - set(rules)
    if unknown:
        raise ValueError(f"no such rule(s): {', '.join(sorted(unknown))}")
    if any(getattr(rules[r], "keywords", None) for r in wanted):
        wanted.update(_KEYWORD_CHAIN)
    subset = Rules()
    for rule_id in sorted(wanted):
        subset[rule_id] = rules[rule_id]
    return subset


def _can_fork() -> bool:
    """A second process pays where there is a second core and fork shares the loaded rules."""
    import multiprocessing

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (cores or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()


def is_sam(template: Any) -> bool:
    """True for a template in the SAM form (it declares the Serverless transform)."""
    transform = template.get("Transform") if isinstance(template, dict) else None
    return SERVERLESS_TRANSFORM in (transform if isinstance(transform, list) else [transform])


def _expand(template: dict, region: str) -> dict:
    from stacks.expand import expand

    return expand(template, region)


def _translator_error(exc: Exception) -> str:
    causes = getattr(exc, "causes", None)
    if causes:
        return "; ".join(str(getattr(c, "message", c)) for c in causes)
    return str(getattr(exc, "message", exc))


def _finding(shown: str, match: Any, line: int, note: str = "") -> Finding:
    rule = match.rule
    return Finding(shown, int(line or 1), rule.id, f"{match.message}{note}", rule.severity)


def _mark(node: Any) -> int | None:
    mark = getattr(node, "start_mark", None)
    return mark.line + 1 if mark is not None else None


def _walk(node: Any, path: list) -> int | None:
    """The line of the deepest element of `path` found in a decoded template."""
    line = _mark(node)
    for step in path:
        if isinstance(node, dict) and step in node:
            key = next((k for k in node if k == step), step)
            line = _mark(key) or _mark(node[step]) or line
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
            line = _mark(node) or line
        else:
            break
    return line


def sam_line(sam: dict, path: list) -> tuple[int, str | None]:
    """(line in the SAM file, expanded resource id if it is not in the SAM file) for a path
    of the expanded template."""
    resources = sam.get("Resources") or {}
    if len(path) < 2 or path[0] != "Resources":
        return _walk(sam, path) or 1, None
    rid = path[1]
    if rid in resources:
        return _walk(sam, path) or 1, None
    origins = [r for r in resources if isinstance(r, str) and rid.startswith(r)]
    if origins:
        origin = max(origins, key=len)
    elif rid in _SHARED_ORIGINS:
        origin = next(
            (
                r
                for r, res in resources.items()
                if isinstance(res, dict)
                and isinstance(res.get("Properties"), dict)
                and "DeploymentPreference" in res["Properties"]
            ),
            None,
        )
    else:
        origin = None
    if origin is None:
        return _walk(sam, ["Resources"]) or 1, rid
    return _walk(sam, ["Resources", origin]) or 1, rid


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path.resolve(), Path.cwd())
    except ValueError:  # another drive on Windows
        return str(path)


def report(findings: Iterable[Finding], out: TextIO | None = None) -> int:
    """Print findings (to stdout as it is when called); 1 if any is an error, else 0."""
    out = out or sys.stdout
    status = 0
    for f in findings:
        print(f, file=out)
        if f.severity == "error":
            status = 1
    return status

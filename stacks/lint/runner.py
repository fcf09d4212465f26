"""Lint SAM templates in-process: cfn-lint's rules plus the project's, on both forms.

Each template file is decoded once. Its SAM form is linted as written; then it is expanded
offline with the SAM translator (`stacks.expand.expand`) and the expanded form is linted
with the same rule objects, loaded once per process. A finding in the expanded form is
mapped back to a line of the committed SAM file: the same path if the resource exists there,
else the line of the SAM resource it came from (found by logical-id prefix, e.g.
ApiFunctionAliaslive -> ApiFunction). Output is `file:line: RULE message`, one per line.

One command, one load: cfn-lint and the rules load once; meanwhile a process forked before
that load imports the translator and expands the templates; then the loaded process forks one
worker per core to lint them (Linux; elsewhere, or with STACKS_LINT_WORKERS=1, it all runs in
this process, with the same findings).
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

    def __init__(
        self,
        region: str = config.REGION,
        speedups: bool = True,
        expand_ahead: Iterable[Path] = (),
    ) -> None:
        # Loading cfn-lint and importing the SAM translator are the two slow, independent
        # steps of a run: expand the templates named here in a forked process (started before
        # cfn-lint is imported, so it stays small) while this one loads the rules.
        self._ahead_pool, self._ahead = _expand_ahead(list(expand_ahead), region)
        import logging

        from cfnlint.config import ConfigMixIn
        from cfnlint.runner.cli import Runner

        logging.getLogger("cfnlint").setLevel(logging.ERROR)
        if speedups:
            from stacks.lint import _speedups

            _speedups.install()
        self.config = ConfigMixIn([], append_rules=[str(RULES_DIR)], regions=[region])
        self.rules = Runner(self.config).rules
        self.region = region
        # The rules whose policy depends on the environment: they declare an `env` setting.
        self.env_rules = sorted(
            rule_id for rule_id, rule in self.rules.items() if "env" in rule.config_definition
        )
        self._lock = threading.Lock()

    def lint_files(self, jobs: list[tuple[Path, str | None]]) -> list[Finding]:
        """Findings of every (template file, environment or None) job, in order.

        Every input is checked before any work, so a typo fails fast with exit code 2.
        """
        for path, env in jobs:
            self._check_input(path, env)
        self._collect_ahead()
        workers = _workers(len(jobs))
        if workers < 2:
            return [f for path, env in jobs for f in self.lint_file(path, env)]
        # Fork the loaded process: every worker inherits the rules and cfn-lint's schemas, so
        # the templates are linted on every core at the cost of one load. The largest
        # templates go first so that the cores finish together.
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        if any(path not in self._ahead for path, _ in jobs):
            import samtranslator.translator.transform  # noqa: F401  (once, before forking)

        global _ACTIVE
        _ACTIVE = self
        order = sorted(range(len(jobs)), key=lambda i: -jobs[i][0].stat().st_size)
        try:
            with ProcessPoolExecutor(workers, multiprocessing.get_context("fork")) as pool:
                found = pool.map(_lint_job, [jobs[i] for i in order])
                results = dict(zip(order, found, strict=True))
        finally:
            _ACTIVE = None
        return [f for i in range(len(jobs)) for f in results[i]]

    def _collect_ahead(self) -> None:
        """Replace expansion futures by their results (before any fork: no threads then)."""
        if self._ahead_pool is None:
            return
        for path, future in list(self._ahead.items()):
            try:
                self._ahead[path] = future.result()
            except Exception:  # the helper process died: expand here instead
                del self._ahead[path]
        self._ahead_pool.shutdown(wait=True)
        self._ahead_pool = None

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
        self._collect_ahead()
        shown = shown or _shown(path)
        from cfnlint.decode.decode import decode_str

        template, errors = decode_str(path.read_text())
        if errors:
            return [_finding(shown, m, m.linenumber) for m in errors]
        return self.lint_template(template, shown, env, self._ahead.get(path))

    def lint_template(
        self, template: Any, shown: str, env: str | None = None, expanded: Any = None
    ) -> list[Finding]:
        """Findings of a decoded template; `expanded` is its expansion if already made."""
        config = self._config_for(env)
        findings = [_finding(shown, m, m.linenumber) for m in self._run(template, config)]
        if is_sam(template):
            findings.extend(self._lint_expanded(template, shown, config, expanded))
        return sorted(set(findings))

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

        # cfn-lint configures its rule objects at the start of each run and some rules keep
        # state while they run: one template at a time per Linter.
        with self._lock:
            return list(_run_template(None, template, config, self.rules))

    def _lint_expanded(
        self, template: dict, shown: str, config: Any, expanded: Any = None
    ) -> list[Finding]:
        if expanded is None:
            try:
                expanded = _expand(template, self.region)
            except Exception as exc:  # the translator's InvalidDocumentException and kin
                expanded = ExpansionError(_translator_error(exc))
        if isinstance(expanded, ExpansionError):
            return [Finding(shown, 1, "E0001", f"SAM expansion failed: {expanded}")]
        findings = []
        for match in self._run(expanded, config):
            path = list(getattr(match, "path", None) or [])
            line, origin = sam_line(template, path)
            # Same resource in both forms: same line and message, so the duplicate collapses.
            note = f" [expanded form: {origin}]" if origin else ""
            findings.append(_finding(shown, match, line, note))
        return findings


class ExpansionError(str):
    """Why the SAM translator could not expand a template."""


def _expand_file(path: Path, region: str) -> Any:
    """The expansion of a SAM template file, None if it is not SAM, or an ExpansionError."""
    from samtranslator.yaml_helper import yaml_parse

    try:
        template = yaml_parse(path.read_text())
    except Exception:
        return None  # not YAML: the cfn-lint pass reports that with a line number
    if not isinstance(template, dict) or not is_sam(template):
        return None
    try:
        return _expand(template, region)
    except Exception as exc:
        return ExpansionError(_translator_error(exc))


def _expand_ahead(paths: list[Path], region: str) -> tuple[Any, dict[Path, Any]]:
    """Start expanding `paths` in a forked process: (pool, futures by path), or (None, {})."""
    if not paths or _workers(2) < 2 or "cfnlint" in sys.modules:
        return None, {}
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(1, multiprocessing.get_context("fork"))
    return pool, {p: pool.submit(_expand_file, p, region) for p in paths if p.is_file()}


_ACTIVE: Linter | None = None  # the linter forked workers use


def _lint_job(job: tuple[Path, str | None]) -> list[Finding]:
    assert _ACTIVE is not None
    return _ACTIVE.lint_file(*job)


def _workers(jobs: int) -> int:
    """Worker processes for `jobs` templates: one per core, forking only where it is safe."""
    if jobs < 2 or sys.platform != "linux" or os.environ.get("STACKS_LINT_WORKERS") == "1":
        return 1
    return min(jobs, len(os.sched_getaffinity(0)))


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


def report(findings: Iterable[Finding], out: TextIO = sys.stdout) -> int:
    """Print findings; 1 if any is an error, else 0."""
    status = 0
    for f in findings:
        print(f, file=out)
        if f.severity == "error":
            status = 1
    return status

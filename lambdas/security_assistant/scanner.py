"""Secret detection with detect-secrets: its plugins, its filters, plus ours (``detectors.py``).

Findings carry the plugin's secret type, the 1-based line number and a redacted hint; the
secret value itself never leaves this module.

Two things differ from ``detect_secrets.core.scan.scan_file``, on purpose:

- Every pass, always. ``scan_file`` reads a file once (through a transformer such as YAML or
  INI, or as raw lines) and tries its eager transformer only when that found nothing, so one
  finding hides the rest (an ``aws_access_key_id`` line hid the secret key below it). Here the
  raw lines and every transformer's lines are scanned and the findings merged.
- Only the lines a plugin can fire on are given to it. Each plugin's own patterns (a regex
  detector's ``denylist``, the keyword plugin's keywords, a high-entropy plugin's quoted-string
  regex) run once over the whole text; a line reaches a plugin, with every detect-secrets
  filter, only where one of them matched. A plugin we cannot gate this way sees every line.
  detect-secrets' per-line cost (about 0.1 ms for ~30 plugins) made 262 144 empty lines take
  28 s; that is what bounds scan time (``tools/bench_scan.py``). Per finding, filters are
  resolved once per scan and plugins' ``analyze_string`` called directly (``_Filters``,
  ``_analyzer``), and a YAML file goes through detect-secrets' YAML parser only when a line
  pass cannot read it (``_plain_yaml``); a test checks each pass against detect-secrets' own
  line loop.

detect-secrets is imported lazily, on the first scan, so the API's cold start does not pay
for it. Its settings are module globals, entered once per process to make the plugins and
filters every scan then uses (``_Engine``); one scan at a time per process (``_lock``).
"""

from __future__ import annotations

import bisect
import io
import itertools
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HINT_SUFFIX = "…"
_SUFFIX_RE = re.compile(r"\.[A-Za-z0-9]{1,10}$")
_DETECTORS = Path(__file__).with_name("detectors.py")
_lock = threading.Lock()
_custom_plugins: list[type] | None = None
_engine: _Engine | None = None  # made by the first scan (_prepared)
# Check the deadline every this many candidate lines (a line costs ~0.1 ms).
_DEADLINE_STRIDE = 64
# Lines longer than this are scanned in windows of this size overlapping by _OVERLAP (longer
# than any token's shape), so a secret cut by one window is whole in the next.
_MAX_LINE = 4096
_OVERLAP = 1024


class ScanTimeoutError(Exception):
    """The scan did not finish before its deadline."""


def redact(secret: str | None) -> str:
    """At most 4 leading characters, and never more than a quarter of the secret."""
    if not secret:
        return HINT_SUFFIX
    shown = min(4, len(secret) // 4)
    return secret[:shown] + HINT_SUFFIX


def _filename(name: str | None) -> str:
    # The extension steers detect-secrets' file-type heuristics (YAML, .py, .ini, ...).
    match = _SUFFIX_RE.search(name) if name else None
    return "input" + (match.group(0).lower() if match else ".txt")


# detect-secrets' default filters, except one we apply per plugin (see detectors.py), plus ours.
_REPLACED_FILTERS = {"detect_secrets.filters.heuristic.is_indirect_reference"}
_OUR_FILTERS = ("is_indirect_reference_for_guessing_plugin", "is_subresource_integrity_hash")


@contextmanager
def _settings() -> Iterator[None]:
    """Every built-in plugin, ours (replacing the built-ins they widen), default filters."""
    global _custom_plugins
    from detect_secrets.core.plugins import initialize
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
    from detect_secrets.settings import Settings, transient_settings

    registered = get_mapping_from_secret_type_to_class().values()
    if _custom_plugins is None or not all(cls in registered for cls in _custom_plugins):
        # Registers our classes in detect-secrets' type -> plugin map, as `--plugin` does
        # (again if something rebuilt that cached map without them).
        _custom_plugins = list(initialize.from_file(str(_DETECTORS)))
    custom_names = {cls.__name__ for cls in _custom_plugins}
    path = {"path": f"file://{_DETECTORS}"}
    plugins = [
        {"name": cls.__name__, **(path if cls.__name__ in custom_names else {})}
        for cls in get_mapping_from_secret_type_to_class().values()
    ]
    filters = [{"path": p} for p in sorted(set(Settings().filters) - _REPLACED_FILTERS)]
    filters += [{"path": f"file://{_DETECTORS}::{name}"} for name in _OUR_FILTERS]
    with transient_settings({"plugins_used": plugins, "filters_used": filters}):
        yield


# How ``RegexBasedDetector.build_assignment_regex`` starts, and ends: spaces, a quote, the
# value, a quote.
_ASSIGNMENT_START = r"(?:(?<=\W)|(?<=^))"
_VALUE_QUOTE = "(?:\"|\\'|)"


# What stands just before an assignment regex's value: the end of its assignment (=, :, :=,
# =>, ::, spaces), then optional spaces and an optional quote.
_AFTER_ASSIGNMENT = "(?<=[=:> \"'])"


def _assigned_value(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """An assignment regex's value part alone (no match without it), where a value can start:
    ``key|pwd|pass|...`` alternatives then the value made the IBM and Cloudant patterns
    backtrack on every ``pwd =`` line, and a value allowed to start anywhere made the IBM one
    try 44 characters at every position of a long word (0.3 s on a 256 KiB line). Other
    patterns as they are."""
    text = pattern.pattern
    if not (text.startswith(_ASSIGNMENT_START) and text.endswith(_VALUE_QUOTE)):
        return pattern
    head, _, value = text[: -len(_VALUE_QUOTE)].rpartition("(?: *)" + _VALUE_QUOTE)
    return re.compile(_AFTER_ASSIGNMENT + value, pattern.flags) if head and value else pattern


def _gate(plugin: Any) -> list[re.Pattern[str]] | None:
    """Patterns of which one must match on a line for ``plugin`` to find anything there;
    None when we cannot tell (the plugin then sees every line)."""
    from detect_secrets.plugins import keyword
    from detect_secrets.plugins.base import RegexBasedDetector
    from detect_secrets.plugins.high_entropy_strings import HighEntropyStringsPlugin

    if isinstance(plugin, RegexBasedDetector):
        patterns = [_assigned_value(p) for p in plugin.denylist]
    elif isinstance(plugin, keyword.KeywordDetector):
        # Every keyword regex starts with a denylisted word.
        patterns = [re.compile(keyword.DENYLIST_REGEX, re.IGNORECASE)]
    elif isinstance(plugin, HighEntropyStringsPlugin):
        # Its quoted-string regex, for strings long enough to pass its entropy limit: the
        # Shannon entropy of n characters is at most log2(n), so it needs n > 2 ** limit.
        shortest = int(2**plugin.entropy_limit) + 1
        pattern = plugin.regex.pattern.replace("]+)", f"]{{{shortest},}})", 1)
        patterns = [re.compile(pattern, plugin.regex.flags)]
    else:
        return None
    # Over the whole text, ^ and $ must still match at each line's ends.
    return [re.compile(p.pattern, p.flags | re.MULTILINE) for p in patterns]


_QUOTED_LINE = "^(?=[^\\n]*['\"`])[^\\n]*?(?:"


def _needs_a_quote(plugin: Any, filename: str | None) -> bool:
    """Whether every regex the keyword plugin applies to this file type needs a quoted value
    (source code, files of no known type): then a line without a quote is not its candidate."""
    from detect_secrets.plugins import keyword
    from detect_secrets.util.filetype import determine_file_type

    if filename is None or not isinstance(plugin, keyword.KeywordDetector):
        return False
    regexes = keyword.REGEX_BY_FILETYPE.get(
        determine_file_type(filename), keyword.QUOTES_REQUIRED_DENYLIST_REGEX_TO_GROUP
    )
    return all(f"({keyword.QUOTE})" in r.pattern or '(")' in r.pattern for r in regexes)


def _candidates(
    lines: list[str],
    plugins: list[Any],
    filename: str | None = None,
    gates: dict[int, list[re.Pattern[str]] | None] | None = None,
) -> dict[int, list[Any]]:
    """line index -> the plugins that may fire on it, in plugin order (``gates``: each
    plugin's ``_gate`` by ``id``, made once).

    Patterns run over the distinct non-blank lines (as plugins see them: right-stripped)
    joined by newlines; a line's verdict holds for each of its copies. A blank line can hold
    no secret."""
    copies: dict[str, list[int]] = {}
    for index, content in enumerate(map(str.rstrip, lines)):
        if content:
            if content in copies:
                copies[content].append(index)
            else:
                copies[content] = [index]
    distinct = list(copies)
    text = "\n".join(distinct)
    if text.count("\n") >= len(distinct):  # a transformer's value held a line break
        text = "\n".join(line.replace("\n", " ") for line in distinct)
    starts = list(itertools.accumulate((len(line) + 1 for line in distinct[:-1]), initial=0))
    marked: dict[int, list[int]] = {}  # distinct line -> indexes of its plugins, ascending
    for index, plugin in enumerate(plugins):
        patterns = gates[id(plugin)] if gates is not None else _gate(plugin)
        if patterns is None:
            for n in range(len(distinct)):
                marked.setdefault(n, []).append(index)
            continue
        if _needs_a_quote(plugin, filename):
            # Only on lines that hold a quote too (in the regex: no Python call per match).
            patterns = [re.compile(_QUOTED_LINE + p.pattern + ")", p.flags) for p in patterns]
        for pattern in patterns:
            limit = 0  # where the line after the last one marked starts
            for match in pattern.finditer(text):
                start, end = match.span()
                if start < limit and end <= limit:
                    continue  # its lines are marked (one huge line held 58 000 matches)
                # A match may span lines (\s matches a newline): mark every line it touches,
                # so a match inside one of them that this one swallowed is never missed.
                first = bisect.bisect_right(starts, start) - 1
                after = bisect.bisect_left(starts, end, first + 1)
                for n in range(first, after):
                    indexes = marked.setdefault(n, [])
                    if not indexes or indexes[-1] != index:
                        indexes.append(index)
                limit = starts[after] if after < len(starts) else len(text) + 1
    result = {}
    shared: dict[tuple[int, ...], list[Any]] = {}
    for n, indexes in marked.items():
        key = tuple(indexes)
        gated = shared.get(key) or shared.setdefault(key, [plugins[i] for i in key])
        for line_index in copies[distinct[n]]:
            result[line_index] = gated
    return dict(sorted(result.items()))


def _segments(line: str) -> list[str]:
    """A line, or an over-long line in overlapping windows: detect-secrets' keyword regexes
    backtrack quadratically on long lines (a 256 KiB line took minutes)."""
    if len(line) <= _MAX_LINE:
        return [line]
    step = _MAX_LINE - _OVERLAP
    return [line[start : start + _MAX_LINE] for start in range(0, len(line) - _OVERLAP, step)]


def _is_line_allowlisted(filename: str, line: str, context: Any) -> bool:
    """``allowlist.is_line_allowlisted`` without its twelve regexes where no ``pragma:
    allowlist secret`` comment can be (on the line, or a nextline one just above it)."""
    from detect_secrets.filters.allowlist import is_line_allowlisted

    if "pragma" not in line and "pragma" not in context.previous_line:
        return False
    return is_line_allowlisted(filename, line, context)


_SHORTCUTS = {"detect_secrets.filters.allowlist.is_line_allowlisted": _is_line_allowlisted}


class _Filters:
    """detect-secrets' filters for the three points ``_process_line_based_plugins`` applies
    them (a line; a plugin's secret; a secret in its context), resolved once per scan.

    ``core.scan._is_filtered_out`` resolves them again and injects arguments by reflection
    for every line and every secret (about 0.2 ms per finding: 5 s for 25 000 findings).
    Same filters, same order, same skipping of filters that need an argument the point
    lacks; a context filter that only reads the line and its context already said no at
    the line point, so it is not asked again."""

    def __init__(self) -> None:
        from detect_secrets.settings import get_filters
        from detect_secrets.util.inject import get_injectable_variables

        def point(given: set[str], needs: str) -> list[tuple[Any, tuple[str, ...]]]:
            chosen = []
            for f in get_filters():
                if needs in f.injectable_variables and f.injectable_variables <= given:
                    function = _SHORTCUTS.get(f.path, f)
                    chosen.append((function, get_injectable_variables(function)))
            return chosen

        self.line = point({"filename", "line", "context"}, "line")
        self.secret = point({"filename", "secret", "plugin", "line"}, "secret")
        done = {f for f, _ in self.line}
        self.context = [
            (f, names)
            for f, names in point({"filename", "secret", "plugin", "line", "context"}, "context")
            if f not in done
        ]

    @staticmethod
    def out(filters: list[tuple[Any, tuple[str, ...]]], arguments: dict[str, Any]) -> bool:
        get = arguments.__getitem__
        for function, names in filters:
            try:
                if function(*map(get, names)):
                    return True
            except TypeError:  # as detect-secrets does: an incompatible filter is skipped
                pass
        return False

    @staticmethod
    def chain(filters: list[tuple[Any, tuple[str, ...]]]) -> Any:
        """``out`` for one point as a single function of (filename, line, context, plugin,
        secret): ``f0(secret) or f1(secret, line, plugin) or ...``, written out once per scan,
        costs a few calls per secret where ``out`` pays a map and a dict lookup per filter
        (25 000 findings times eight filters). A TypeError re-runs the point through ``out``,
        which skips the filter that raised (filters are pure, so re-asking is harmless)."""
        names = ("filename", "line", "context", "plugin", "secret")
        calls = [f"_f{i}({', '.join(args)})" for i, (_, args) in enumerate(filters)]
        source = f"def chained({', '.join(names)}):\n    return {' or '.join(calls) or 'False'}\n"
        namespace = {f"_f{i}": function for i, (function, _) in enumerate(filters)}
        exec(source, namespace)  # noqa: S102 - our own text, from the filters' signatures
        chained = namespace["chained"]

        def out(*values: Any) -> bool:
            try:
                return bool(chained(*values))
            except TypeError:
                return _Filters.out(filters, dict(zip(names, values, strict=True)))

        return out


class _Context:
    """``get_code_snippet(lines, number)``, built on first use: the line filters read only
    the previous line (``_is_line_allowlisted``), on 25 000 lines that saved a snippet each."""

    __slots__ = ("_lines", "_number", "_snippet")

    def __init__(self, lines: list[str], number: int) -> None:
        self._lines, self._number, self._snippet = lines, number, None

    @property
    def previous_line(self) -> str:
        # CodeSnippet.previous_line: the line above, none above the first.
        return self._lines[self._number - 2] if self._number > 1 else ""

    def __getattr__(self, name: str) -> Any:
        from detect_secrets.util.code_snippet import get_code_snippet

        if self._snippet is None:
            self._snippet = get_code_snippet(lines=self._lines, line_number=self._number)
        return getattr(self._snippet, name)


def _analyzer(plugin: Any, filename: str, verifying: bool) -> Any:
    """``plugin.analyze_line`` as the distinct secret values it finds on a line.

    Where the plugin keeps detect-secrets' own ``analyze_line`` (every regex detector, and
    the keyword plugin's, which only picks its regexes by file type), its ``analyze_string``
    is called directly: ``analyze_line`` builds and hashes a PotentialSecret per match and
    looks the file type up again on every line. Secret verification (network calls) is off,
    which is the only other thing it does (``verifying``: it is on)."""
    from detect_secrets.plugins import keyword
    from detect_secrets.plugins.base import BasePlugin
    from detect_secrets.util.filetype import determine_file_type

    method = type(plugin).analyze_line
    if method is BasePlugin.analyze_line and not verifying:
        return lambda line, number, context: dict.fromkeys(plugin.analyze_string(line))
    if method is keyword.KeywordDetector.analyze_line and not verifying:
        regexes = keyword.REGEX_BY_FILETYPE.get(
            determine_file_type(filename), keyword.QUOTES_REQUIRED_DENYLIST_REGEX_TO_GROUP
        )
        if type(plugin).analyze_string is keyword.KeywordDetector.analyze_string and not (
            plugin.keyword_exclude
        ):
            # Its analyze_string without the generator: each regex's group where it matches.
            pairs = list(regexes.items())

            def keywords(line: str, number: int, context: Any) -> dict[str, None]:
                found = {}
                for regex, group in pairs:
                    match = regex.search(line)
                    if match:
                        found[match.group(group)] = None
                return found

            return keywords
        return lambda line, number, context: dict.fromkeys(
            plugin.analyze_string(line, denylist_regex_to_group=regexes)
        )

    def values(line: str, number: int, context: Any) -> dict[str, None]:
        found = plugin.analyze_line(
            filename=filename, line=line, line_number=number, context=context
        )
        return dict.fromkeys(sorted(secret.secret_value for secret in found or ()))

    return values


class _Engine:
    """What scans need from detect-secrets' settings, made once under ``_settings()``: its
    plugins, each plugin's gate, its filters chained at their three points, the plugins'
    analyzers per file type. Entering the settings busts detect-secrets' caches and imports
    ``detectors.py`` again (about 5 ms a scan, more than scanning a small input); plugins and
    filters read no setting once made (only secret verification would, and it is off)."""

    def __init__(self) -> None:
        from detect_secrets.settings import get_plugins, get_settings

        self.plugins = list(get_plugins())
        self.gates = {id(plugin): _gate(plugin) for plugin in self.plugins}
        filters = _Filters()
        self.line_out = filters.chain(filters.line) if filters.line else None
        # Without an allowlist comment in a pass, that filter cannot fire on its lines.
        unless_pragma = [f for f in filters.line if f[0] is not _is_line_allowlisted]
        self.line_out_without_pragma = filters.chain(unless_pragma) if unless_pragma else None
        self.secret_out = filters.chain(filters.secret)
        self.context_out = filters.chain(filters.context) if filters.context else None
        self.verifying = any("verification_policies" in path for path in get_settings().filters)
        self._analyzers: dict[Any, dict[int, Any]] = {}

    def analyzers(self, filename: str) -> dict[int, Any]:
        """Each plugin's ``_analyzer`` by ``id``, for this file's type."""
        from detect_secrets.util.filetype import determine_file_type

        file_type = determine_file_type(filename)
        found = self._analyzers.get(file_type)
        if found is None:
            found = self._analyzers[file_type] = {
                id(plugin): _analyzer(plugin, filename, self.verifying) for plugin in self.plugins
            }
        return found


def _prepared() -> _Engine:
    global _engine
    if _engine is None:
        with _settings():
            _engine = _Engine()
    return _engine


def _scan_lines(
    lines: list[str], filename: str, deadline: float | None
) -> Iterator[tuple[str, int, str]]:
    """``detect_secrets.core.scan._process_line_based_plugins``, for the candidate lines and
    plugins only: the same line filters, plugin calls and secret filters, in the same order.
    Yields ``(secret type, line number, secret value)``."""
    engine = _prepared()
    if any("pragma" in line for line in lines):
        line_out = engine.line_out
    else:
        line_out = engine.line_out_without_pragma
    secret_out, context_out = engine.secret_out, engine.context_out
    analyzers = engine.analyzers(filename)
    candidates = _candidates(lines, engine.plugins, filename, engine.gates)
    passed: dict[tuple[str, int], list[tuple[Any, str]]] = {}  # line -> (plugin, secret)
    checked = 0
    for index, plugins in candidates.items():
        number = index + 1
        context = _Context(lines, number)
        content = lines[index].rstrip()
        for line in (content,) if len(content) <= _MAX_LINE else _segments(content):
            if deadline is not None and checked % _DEADLINE_STRIDE == 0:
                _check(deadline)
            checked += 1
            if line_out and line_out(filename, line, context, None, None):
                continue
            # Plugins and secret filters read the line, not its number or neighbours: a
            # repeated line is analysed once (its line filters above ran for this copy).
            key = (line, id(plugins))
            found = passed.get(key)
            if found is None:
                found = passed[key] = [
                    (plugin, value)
                    for plugin in plugins
                    for value in analyzers[id(plugin)](line, number, context)
                    if not secret_out(filename, line, context, plugin, value)
                ]
            for plugin, value in found:
                if context_out and context_out(filename, line, context, plugin, value):
                    continue
                yield plugin.secret_type, number, value


# Where detect-secrets' INI transformers would apply: config files and files of no known type
# (.env, .txt, ...), not source code, where `x = f(y)` is not a value.
_CONFIG_TYPE_NAMES = ("OTHER", "CONFIG", "INI", "PROPERTIES", "TOML", "EXAMPLE")


# `key = value`, `key: value`, `export KEY=value` with an unquoted value.
_ASSIGNMENT = re.compile(r"^\s*(?:export\s+)?([\w.\-]+)\s*[:=]\s*([^\s'\"].*?)\s*$")


def _quoted_assignments(lines: list[str]) -> list[str]:
    """Each ``key = value`` line as ``key = "value"``, other lines empty (numbering kept).

    What detect-secrets' INI transformers emit for each entry, so that the high-entropy
    plugins (quoted strings only) and the keyword plugin (quotes required outside config
    file types) see unquoted values, but line by line: those transformers go through
    configparser, give up on the whole file at its first complaint (a `%` in any value, a
    line that is not `key = value`), and cost a regex compilation per entry.
    """
    out = []
    for line in lines:
        match = _ASSIGNMENT.match(line)
        if match is None:
            out.append("")
        else:
            key, value = match.groups()
            out.append(f'{key} = "{value.replace(chr(34), chr(92) + chr(34))}"')
    return out


# A YAML line whose meaning a line pass sees whole: blank, a comment, `key: plain value`,
# `key: "double-quoted"` without escapes, `key: 'single-quoted'` (`''` is a quote), `- item`,
# under a sequence dash or not. No multi-line or escaped quoted scalars, flow collections,
# block scalars, anchors, aliases, tags or document markers, where only a YAML parser can
# tell the value.
_YAML_LINE = re.compile(
    r"\s*(?:#.*)?"
    r"|\s*(?P<dash>-\s+)?(?:(?P<key>\w[\w.\-/]*)\s*:(?=\s|$))?"
    r"(?:\s*(?:(?P<value>[^\s#'\"{}\[\]|>&*!%@`,\-][^#'\"]*?)"
    r"|\"(?P<double>[^\"\\]*)\"|'(?P<single>(?:[^']|'')*)'))??"
    r"(?:\s+#.*)?\s*"
)


def _plain_yaml(lines: list[str]) -> list[str] | None:
    """What detect-secrets' YAML transformer makes of a YAML file made only of lines that
    ``_YAML_LINE`` matches (``key: "value"`` and the line's comment, where the value is a
    string; other lines empty), without parsing it: PyYAML's pure-Python parser took 3 s
    on 256 KiB. None if a line needs the parser."""
    from detect_secrets.transformers.yaml import _yaml_comment_regex
    from yaml import ScalarNode
    from yaml.resolver import Resolver

    resolve = Resolver().resolve
    out = []
    for line in lines:
        match = _YAML_LINE.fullmatch(line.rstrip("\n"))
        if match is None:
            return None
        dash, key, value, double, single = match.group("dash", "key", "value", "double", "single")
        if double is not None or single is not None:
            if key is None and dash is None:
                return None  # a quoted scalar alone on its line: the parser's job
            # Quoted: always a string, `''` in single quotes is one quote, no escapes.
            value = double if double is not None else single.replace("''", "'")
        elif value is not None:
            if key is None and (dash is None or ":" in value):
                return None  # a continued value, or `- a: b` read as an item: the parser's job
            if ": " in value or value.endswith(":"):
                return None
            if resolve(ScalarNode, value, (True, False)) != "tag:yaml.org,2002:str":
                value = None  # numbers, booleans, null: the transformer skips them
        if key is None or value is None:
            out.append("")
            continue
        comment = _yaml_comment_regex().search(line.strip())
        escaped = value.replace('"', '\\"')
        out.append(f'{key}: "{escaped}"{comment.group(0) if comment else ""}')
    return out


def _passes(text: str, filename: str) -> Iterator[list[str]]:
    """The raw lines, the assignments with their values quoted, and what detect-secrets'
    YAML transformer makes of a YAML file."""
    from detect_secrets.transformers import yaml
    from detect_secrets.transformers.exceptions import ParsingError
    from detect_secrets.util.filetype import determine_file_type

    source = io.StringIO(text)
    source.name = filename
    lines = source.readlines()
    yield lines
    if determine_file_type(filename).name in _CONFIG_TYPE_NAMES:
        yield _quoted_assignments(lines)
    transformer = yaml.YAMLTransformer()
    if not transformer.should_parse_file(filename):
        return
    plain = _plain_yaml(lines)
    if plain is not None:
        yield plain
        return
    source.seek(0)
    try:
        transformed = transformer.parse_file(source)
    except ParsingError:
        return
    yield transformed


def _check(deadline: float) -> None:
    if time.monotonic() > deadline:
        raise ScanTimeoutError("scan did not finish in its time budget")


def scan_text(
    text: str, name: str | None = None, *, deadline: float | None = None
) -> list[dict[str, Any]]:
    """Scan ``text`` and return findings sorted by line: ``{"type", "line", "hint"}``.

    ``deadline`` (a ``time.monotonic()`` value) bounds the scan: past it, ScanTimeoutError.
    """
    # Line breaks as detect-secrets reads a file (universal newlines).
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    filename = _filename(name)
    seen: dict[tuple[str, int], list[str]] = {}
    findings: list[tuple[int, str, str]] = []  # (line, type, hint): sorted as tuples
    with _lock:
        for lines in _passes(text, filename):
            if deadline is not None:
                _check(deadline)
            for secret_type, number, value in _scan_lines(lines, filename, deadline):
                values = seen.get((secret_type, number))
                if values is None:
                    seen[secret_type, number] = [value]
                # Passes see the same secret, sometimes with or without its quotes.
                elif any(_same(value, other) for other in values):
                    continue
                else:
                    values.append(value)
                findings.append((number, secret_type, redact(value)))
    return [{"type": kind, "line": line, "hint": hint} for line, kind, hint in sorted(findings)]


def _same(a: str, b: str) -> bool:
    return a == b or bool(a and b and (a in b or b in a))


def scanner_version() -> str:
    from detect_secrets.__version__ import VERSION

    return f"detect-secrets {VERSION}"

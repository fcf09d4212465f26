"""The detect-secrets wrapper: findings, line numbers and redaction."""

from __future__ import annotations

import time

import pytest
from sa_events import PASSWORD, SECRET_CONTENT, SECRET_VALUES
from security_assistant import scanner
from security_assistant.scanner import redact, scan_text


def test_findings_have_type_line_and_hint_only():
    findings = scan_text(SECRET_CONTENT, "deploy.env")
    assert findings == [
        {"type": "AWS Access Key", "line": 2, "hint": "AKIA…"},
        {"type": "Secret Keyword", "line": 4, "hint": "Tr0u…"},
        {"type": "Private Key", "line": 5, "hint": "BEGI…"},
    ]
    text = repr(findings)
    assert all(secret not in text for secret in SECRET_VALUES)


def test_clean_text_has_no_findings():
    assert scan_text("hello\nworld\n") == []


def test_name_steers_file_type_heuristics():
    yaml_text = "db:\n  password: Sup3rS3cretP4ssw0rd\n"
    assert [f["line"] for f in scan_text(yaml_text, "config.yaml")] == [2]


@pytest.mark.parametrize(
    ("secret", "hint"),
    [("", "…"), (None, "…"), ("abc", "…"), ("hunter22", "hu…"), (PASSWORD, "Tr0u…")],
)
def test_redact_shows_at_most_a_quarter(secret, hint):
    assert redact(secret) == hint


def test_temp_files_are_removed(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    scan_text(SECRET_CONTENT)
    assert list(tmp_path.iterdir()) == []


# -- every pass, our plugins and filters -------------------------------------------------------
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ8xHk2Lp4"


def test_a_finding_does_not_hide_the_next_one():
    # The usual ~/.aws/credentials leak: detect-secrets' scan_file stops after its first
    # pass found the key id, and dropped the secret key.
    text = (
        "[default]\naws_access_key_id = AKIAIT25VSYMRLKXU6PQ\n"
        f"aws_secret_access_key = {AWS_SECRET}\n"
    )
    assert {f["line"] for f in scan_text(text, "credentials")} == {2, 3}


@pytest.mark.parametrize(
    ("line", "secret_type"),
    [
        ("Authorization: Basic YWRtaW46aHVudGVyMjI=", "Basic Auth Header"),
        ("DATABASE_URL=postgres://app:Fr0sty!Morning@db:5432/app", "Basic Auth Credentials"),
        ("t = github_pat_" + "A" * 11 + "b" * 11 + "_" + "Cd3" * 19 + "xy", "GitHub Token"),
        ("k = sk-proj-" + "aB3_-x" * 10, "OpenAI Token"),
        ("NPM_TOKEN=npm_" + "aB3xY9" * 6, "NPM tokens"),
        ("key=AIza" + "SyD3x-Q_9" * 3 + "abcdefgh", "Google API Key"),
    ],
)
def test_our_plugins_fire(line, secret_type):
    assert secret_type in {f["type"] for f in scan_text(line + "\n", "input.txt")}


@pytest.mark.parametrize(
    "line",
    [
        "Authorization: Basic",  # no credentials
        "see https://example.com/path?q=1 and mailto:someone@example.com",
        "github_pat_tooshort",
        "sk-proj-short",
        "npm_install_dir=/usr/lib",
        "AIza is a prefix",
    ],
)
def test_our_plugins_stay_silent_on_look_alikes(line):
    assert scan_text(line + "\n", "input.txt") == []


def test_regex_detectors_are_not_silenced_by_the_indirect_reference_filter():
    # detect-secrets' line filter dropped every finding on `x = call(...)` lines.
    text = 'client = WebClient(token="xoxb-823013578403-5067921922149-Ntvogw90qaBAHosgLMQdBXsp")\n'
    assert "Slack Token" in {f["type"] for f in scan_text(text, "bot.py")}
    # ...while guesses on such lines still are (what the filter is for).
    assert scan_text("password = get_password(user)\n", "app.py") == []


def test_integrity_hashes_are_not_secrets():
    line = '"integrity": "sha512-' + "kq3Xb+9Z/aQ1" * 7 + 'ab=="\n'
    assert scan_text(line, "lock.json") == []


def test_unquoted_env_value_with_percent_is_found():
    # configparser (detect-secrets' INI transformer) gave up on the whole file at a '%'.
    text = "A=1\nDB_PASSWORD=hX9%kq2Lw8Zp\nB=%(oops\n"
    assert [f["line"] for f in scan_text(text, ".env")] == [2]


def test_secret_at_the_end_of_a_very_long_line():
    line = "x" * 200_000 + f' aws_secret = "{AWS_SECRET}" ' + "y" * 5000
    assert {f["type"] for f in scan_text(line, "bundle.js")} >= {"Base64 High Entropy String"}


def test_blank_and_repeated_lines_cost_no_plugin_call(monkeypatch):
    calls = []
    original = scanner._scan_lines

    def counting(lines, filename, deadline):
        calls.append(len(scanner._candidates(lines, scanner._prepared().plugins)))
        return original(lines, filename, deadline)

    monkeypatch.setattr(scanner, "_scan_lines", counting)
    scan_text("\n" * 1000 + "a\n" * 1000)
    assert calls and all(n == 0 for n in calls)


def test_a_scan_past_its_deadline_stops():
    with pytest.raises(scanner.ScanTimeoutError):
        scan_text("password = 'hunter22'\n" * 10, deadline=time.monotonic() - 1)


def test_our_plugins_survive_a_rebuilt_plugin_map(monkeypatch):
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class

    scan_text("x\n")
    get_mapping_from_secret_type_to_class.cache_clear()  # forgets custom plugins
    monkeypatch.setattr(scanner, "_engine", None)  # the next scan enters the settings again
    line = "key=AIza" + "SyD3x-Q_9" * 3 + "abcdefgh\n"
    assert "Google API Key" in {f["type"] for f in scan_text(line)}


PLAIN_YAML = (
    "# settings\n"
    "service:\n"
    "  user: svc_1\n"
    "  timeout: 5\n"
    "  enabled: on\n"
    "  password: Sup3rS3cretP4ssw0rd # rotated monthly\n"
    "  hosts:\n"
    "    - name: a.internal\n"
    "      port: 80\n"
    "    - b.internal\n"
    "\n"
)


def _yaml_transformer(text):
    import io

    from detect_secrets.transformers.yaml import YAMLTransformer

    source = io.StringIO(text)
    source.name = "config.yaml"
    return YAMLTransformer().parse_file(source)


def test_plain_yaml_reads_as_detect_secrets_yaml_transformer():
    lines = scanner._plain_yaml(PLAIN_YAML.splitlines(keepends=True))
    transformed = _yaml_transformer(PLAIN_YAML)
    assert lines[: len(transformed)] == transformed
    assert not any(lines[len(transformed) :])


QUOTED_YAML = (
    "service:\n"
    '  user: "svc_1"\n'
    "  name: 'it''s here' # single quotes, '' is one quote\n"
    '  password: "Sup3rS3cretP4ssw0rd" # rotated monthly\n'
    '  motto: "a #not-a-comment" # but this one is\n'
    "  speech: 'say \"hi\"'\n"
    '  port: "8080"\n'
    "  enabled: 'true'\n"
    '  empty: ""\n'
    "  hosts:\n"
    '    - "a.internal"\n'
    "    - name: 'b.internal'\n"
    '      token: "Zr8qLw2vXkPq7sTn4wYb"   \n'
    "note: 'quoted # not a comment'\n"
    "\n"
)


@pytest.mark.parametrize("text", [PLAIN_YAML, QUOTED_YAML])
def test_line_yaml_reads_quoted_scalars_as_detect_secrets_yaml_transformer(text):
    lines = scanner._plain_yaml(text.splitlines(keepends=True))
    transformed = _yaml_transformer(text)
    assert lines[: len(transformed)] == transformed
    assert not any(lines[len(transformed) :])


def test_quoted_yaml_secret_found_without_the_parser(monkeypatch):
    from detect_secrets.transformers.yaml import YAMLTransformer

    monkeypatch.setattr(YAMLTransformer, "parse_file", lambda self, file: 1 / 0)
    findings = scan_text(QUOTED_YAML, "values.yaml")
    assert 4 in {f["line"] for f in findings}  # the password, read by the line pass


@pytest.mark.parametrize(
    "yaml_text",
    [
        'key: "escaped \\" quote"\n',  # escapes: only the parser decodes them
        'key: "first\n  second"\n',  # multi-line quoted scalar
        "key: 'first\n  second'\n",
        '"alone on its line"\n',
        'key: "value" trailing\n',
        'key: "value"# comment\n',
        'key:"value"\n',
        '"quoted key": value\n',
        "key: |\n  first\n  second\n",  # block scalar
        "key: >-\n  folded\n",
        "key: first part\n  continued\n",  # multi-line plain scalar
        "base: &anchor value\nother: *anchor\n",
        "key: {inner: value}\n",
        "key: !!binary c2VjcmV0\n",
        "a: 1\n---\nb: 2\n",
        "- a: b: c\n",
    ],
)
def test_yaml_a_line_cannot_read_goes_to_the_parser(yaml_text):
    assert scanner._plain_yaml(yaml_text.splitlines(keepends=True)) is None


def test_secret_in_a_yaml_block_scalar_is_found_by_the_parser_too():
    text = "tokens:\n  main: |\n    api_key = 'Zr8qLw2vXkPq7sTn4wYb'\n"
    # Line 3 from the raw lines; line 2 (the block's key) from the YAML transformer.
    assert [f["line"] for f in scan_text(text, "values.yaml")] == [2, 3]


@pytest.mark.parametrize(
    ("line", "name", "gated"),
    [
        ("password = hunter2hunter2\n", "app.py", False),  # source code: quotes required
        ("password = 'hunter2hunter2'\n", "app.py", True),
        ("'x' if password else hunter2hunter2\n", "app.py", True),
        ("password = hunter2hunter2\n", "app.conf", True),  # config: quotes optional
    ],
)
def test_keyword_plugin_gets_a_line_only_where_its_regexes_can_match(line, name, gated):
    from detect_secrets.plugins.keyword import KeywordDetector
    from detect_secrets.settings import get_plugins

    with scanner._settings():
        candidates = scanner._candidates([line], get_plugins(), scanner._filename(name))
    plugins = candidates.get(0, [])
    assert any(isinstance(p, KeywordDetector) for p in plugins) is gated


def test_a_repeated_secret_line_is_analysed_once_and_reported_on_every_line(monkeypatch):
    calls = []
    original = scanner._analyzer

    def counting(plugin, filename, verifying):
        analyze = original(plugin, filename, verifying)
        return lambda line, number, context: calls.append(line) or analyze(line, number, context)

    monkeypatch.setattr(scanner, "_analyzer", counting)
    monkeypatch.setattr(scanner, "_engine", None)  # analyzers made by `counting`
    text = "password = 'Zr8qLw2vXk'\n" * 50 + "# pragma: allowlist nextline secret\n"
    text += "password = 'Zr8qLw2vXk'\n"
    findings = scan_text(text, "app.py")
    assert [f["line"] for f in findings] == list(range(1, 51))  # not 52: allowlisted
    assert calls and len(calls) == len(set(calls))


def test_filter_chain_skips_a_filter_that_raises_type_error_as_detect_secrets_does():
    def incompatible(secret):
        raise TypeError("wants another argument")

    def is_short(secret):
        return len(secret) < 4

    chained = scanner._Filters.chain([(incompatible, ("secret",)), (is_short, ("secret",))])
    assert chained("f", "line", None, None, "abc") is True  # the next filter still ran
    assert chained("f", "line", None, None, "abcdef") is False

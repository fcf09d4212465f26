RULE = "E9060"

LOGS = """
    Function:
      Type: AWS::Lambda::Function
      Properties:
        FunctionName: security-assistant-dev-f
        Role: arn:aws:iam::445567098699:role/r
        Runtime: python3.12
        Handler: index.handler
        Code: {ZipFile: "def handler(e, c): pass"}
    Logs:
      Type: AWS::Logs::LogGroup
      Properties:
        LogGroupName: /aws/lambda/security-assistant-dev-f
        RetentionInDays: 7
"""


def test_silent_on_the_committed_templates(committed):
    assert committed(RULE) == []


def test_silent_when_functions_log_to_groups_with_retention(kit):
    assert kit.lint(RULE, kit.snippet(LOGS)) == []


def test_fires_on_a_log_group_without_retention(kit):
    bad = kit.snippet(LOGS.replace("        RetentionInDays: 7\n", ""))
    [f] = kit.lint(RULE, bad)
    assert f.line == kit.line_of(bad, "Properties:", 1)
    assert "log group Logs keeps logs forever" in f.message


def test_fires_on_a_function_without_its_log_group(kit):
    bad = kit.snippet(LOGS.replace("/aws/lambda/security-assistant-dev-f", "/other"))
    [f] = kit.lint(RULE, bad)
    assert f.line == kit.line_of(bad, "Properties:", 0)
    assert "function Function logs to a log group this template does not declare" in f.message

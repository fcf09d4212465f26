RULE = "E9012"

BUCKET = """
    Bucket:
      Type: AWS::S3::Bucket
      Properties:
        PublicAccessBlockConfiguration:
          BlockPublicAcls: true
          BlockPublicPolicy: true
          IgnorePublicAcls: true
          RestrictPublicBuckets: {last}
"""


def test_silent_on_the_committed_templates(committed):
    assert committed(RULE) == []


def test_silent_when_all_four_settings_are_on(kit):
    assert kit.lint(RULE, kit.snippet(BUCKET.format(last="true"))) == []


def test_fires_when_a_setting_is_off(kit):
    bad = kit.snippet(BUCKET.format(last="false"))
    [f] = kit.lint(RULE, bad)
    assert f.line == kit.line_of(bad, "RestrictPublicBuckets: false")
    assert "does not block all public access" in f.message

RULE = "E9010"

BUCKET = """
    Bucket:
      Type: AWS::S3::Bucket
      Properties:
        LifecycleConfiguration:
          Rules:
            - Id: expire
              Status: {status}
              ExpirationInDays: 7
"""


def test_silent_on_the_committed_templates(committed):
    assert committed(RULE) == []


def test_silent_with_an_enabled_expiring_rule(kit):
    assert kit.lint(RULE, kit.snippet(BUCKET.format(status="Enabled"))) == []


def test_fires_when_the_rules_are_disabled(kit):
    bad = kit.snippet(BUCKET.format(status="Disabled"))
    [f] = kit.lint(RULE, bad)
    assert f.line == kit.line_of(bad, "Rules:")
    assert "bucket Bucket has no enabled lifecycle rule" in f.message


def test_fires_without_lifecycle_configuration(kit):
    bad = kit.snippet("Bucket:\n  Type: AWS::S3::Bucket\n  Properties:\n    Tags: []\n")
    [f] = kit.lint(RULE, bad)
    assert f.line == kit.line_of(bad, "Properties:")


def test_silent_on_the_artifacts_bucket_which_keeps_current_objects(kit):
    artifacts = BUCKET.format(status="Enabled").replace(
        "ExpirationInDays: 7", "NoncurrentVersionExpiration: {NoncurrentDays: 7}"
    )
    artifacts = artifacts.replace(
        "      Properties:\n",
        "      Properties:\n        BucketName: security-assistant-sam-deployments\n",
    )
    assert kit.lint(RULE, kit.snippet(artifacts)) == []
    other = artifacts.replace("security-assistant-sam-deployments", "security-assistant-dev-x")
    assert len(kit.lint(RULE, kit.snippet(other))) == 1

RULE = "E9014"

ARTIFACTS = """
    Artifacts:
      Type: AWS::S3::Bucket
      Properties:
        BucketName: security-assistant-sam-deployments
        LifecycleConfiguration:
          Rules:
            - Id: superseded
              Status: Enabled
              NoncurrentVersionExpiration:
                NoncurrentDays: 7
"""


def test_silent_on_the_committed_templates(committed):
    assert committed(RULE) == []


def test_silent_when_only_superseded_versions_expire(kit):
    assert kit.lint(RULE, kit.snippet(ARTIFACTS)) == []


def test_fires_when_current_artifacts_expire(kit):
    bad = kit.snippet(ARTIFACTS + "              ExpirationInDays: 90\n")
    [f] = kit.lint(RULE, bad)
    assert "UPDATE_ROLLBACK_FAILED" in f.message


def test_fires_without_a_noncurrent_expiry(kit):
    bad = kit.snippet(
        ARTIFACTS.replace("NoncurrentVersionExpiration", "AbortIncompleteMultipartUpload").replace(
            "NoncurrentDays", "DaysAfterInitiation"
        )
    )
    [f] = kit.lint(RULE, bad)
    assert "NoncurrentVersionExpiration" in f.message


def test_other_buckets_are_e9010s_business(kit):
    other = ARTIFACTS.replace("security-assistant-sam-deployments", "security-assistant-dev-x")
    assert kit.lint(RULE, kit.snippet(other + "              ExpirationInDays: 9\n")) == []

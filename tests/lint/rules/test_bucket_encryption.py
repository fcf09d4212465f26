RULE = "E9011"

ENCRYPTED = """
    Bucket:
      Type: AWS::S3::Bucket
      Properties:
        BucketEncryption:
          ServerSideEncryptionConfiguration:
            - ServerSideEncryptionByDefault:
                SSEAlgorithm: AES256
"""


def test_silent_on_the_committed_templates(committed):
    assert committed(RULE) == []


def test_silent_with_default_encryption(kit):
    assert kit.lint(RULE, kit.snippet(ENCRYPTED)) == []


def test_fires_without_default_encryption(kit):
    bad = kit.snippet("Bucket:\n  Type: AWS::S3::Bucket\n  Properties:\n    Tags: []\n")
    [f] = kit.lint(RULE, bad)
    assert f.line == kit.line_of(bad, "Properties:")
    assert "bucket Bucket sets no default encryption" in f.message
    assert "BucketEncryption" in f.message

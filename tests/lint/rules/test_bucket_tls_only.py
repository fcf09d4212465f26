RULE = "E9013"

BUCKET = """
    Bucket:
      Type: AWS::S3::Bucket
    Policy:
      Type: AWS::S3::BucketPolicy
      Properties:
        Bucket: !Ref Bucket
        PolicyDocument:
          Statement:
            - Effect: Deny
              Principal: '*'
              Action: s3:*
              Resource: [!GetAtt Bucket.Arn, !Sub '${{Bucket.Arn}}/*']
              Condition:
                Bool:
                  aws:SecureTransport: '{secure}'
"""


def test_silent_on_the_committed_templates(committed):
    assert committed(RULE) == []


def test_silent_with_a_tls_only_policy(kit):
    assert kit.lint(RULE, kit.snippet(BUCKET.format(secure="false"))) == []


def test_fires_when_the_policy_allows_plain_http(kit):
    bad = kit.snippet(BUCKET.format(secure="true"))
    [f] = kit.lint(RULE, bad)
    assert f.line == kit.line_of(bad, "  Bucket:")
    assert "accepts plain-HTTP requests" in f.message

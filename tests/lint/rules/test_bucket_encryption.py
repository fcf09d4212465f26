def test_silent_on_generated_templates(kit):
    for env in kit.envs:
        assert kit.ids(kit.lint(kit.text(env)), "E9011") == []


def test_fires_without_default_encryption(kit):
    bad, found = kit.mutate("dev", "BucketEncryption:", "XBucketEncryption:")
    bad = bad.replace("XBucketEncryption:", "Tags: []\n      XBucketEncryption:")
    bad = "\n".join(
        line
        for line in bad.splitlines()
        if not any(k in line for k in ("XBucketEncryption", "ServerSideEncryption", "BucketKey"))
        and "SSEAlgorithm" not in line
    )
    [f] = kit.ids(kit.lint(bad), "E9011")
    assert f.line == kit.props_line(bad, "DataBucket")
    assert "BucketEncryption" in f.message

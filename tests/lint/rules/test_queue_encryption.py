def test_silent_on_generated_templates(kit):
    for env in kit.envs:
        assert kit.ids(kit.lint(kit.text(env)), "E9061") == []


def test_fires_on_an_unencrypted_queue(kit):
    bad, found = kit.mutate(
        "staging",
        "      SqsManagedSseEnabled: true\n",
        "      SqsManagedSseEnabled: false\n",
        count=1,
    )
    [f] = kit.ids(found, "E9061")
    assert f.line == kit.props_line(bad, "JobsDeadLetterQueue")

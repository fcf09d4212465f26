#!/bin/sh
export GITHUB_TOKEN=ghp_8yyvWPI8io9e6ZnKbdQOn0hvhrM7blZIXAkw
curl -H "Authorization: token $GITHUB_TOKEN" https://api.github.com/user

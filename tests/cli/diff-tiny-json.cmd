diff
tests/cli/data/tiny

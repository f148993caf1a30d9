progress
tests/cli/data/tiny

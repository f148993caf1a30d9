relaince
tests/cli/data/tiny

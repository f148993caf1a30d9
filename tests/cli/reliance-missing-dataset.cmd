reliance
tests/cli/data/no-such-dataset

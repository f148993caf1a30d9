reliance
tests/cli/data/tiny
--format
csv

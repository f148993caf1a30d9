diff
tests/cli/data/tiny
--format
csv

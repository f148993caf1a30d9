validate
tests/cli/data/tiny
--format
csv

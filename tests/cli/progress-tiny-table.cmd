progress
tests/cli/data/tiny
--format
table

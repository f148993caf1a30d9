validate
tests/cli/data/tiny
--format
table

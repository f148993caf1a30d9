validate
tests/cli/data/bad
--format
table

validate
tests/cli/data/semicolon
--format
table

reliance
tests/cli/data/tiny
--format
table

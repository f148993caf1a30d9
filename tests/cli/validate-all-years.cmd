validate
tests/cli/data/tiny
--all-years
--format
table

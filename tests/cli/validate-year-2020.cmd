validate
tests/cli/data/tiny
--year
2020
--format
table

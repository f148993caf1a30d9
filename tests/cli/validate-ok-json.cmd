validate
tests/cli/data/tiny
--format
json

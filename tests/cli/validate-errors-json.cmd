validate
tests/cli/data/bad
--format
json

reliance
tests/cli/data/bad
--format
json

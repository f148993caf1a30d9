reliance
tests/cli/data/tiny
--format
json

reliance
tests/cli/data/tiny
--by
kind
--format
json

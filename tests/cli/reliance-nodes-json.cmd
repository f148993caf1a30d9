reliance
tests/cli/data/tiny
--nodes
--format
json
--quiet

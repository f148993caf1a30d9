reliance
tests/cli/data/tiny
--nodes
--format
csv

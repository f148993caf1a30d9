reliance
tests/cli/data/pair/nodes.csv
--format
json

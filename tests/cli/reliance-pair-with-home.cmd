reliance
tests/cli/data/pair/nodes.csv
--home
CHN
--format
json

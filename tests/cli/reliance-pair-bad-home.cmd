reliance
tests/cli/data/pair/nodes.csv
--home
chn
--format
json

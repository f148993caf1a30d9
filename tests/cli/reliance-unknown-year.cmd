reliance
tests/cli/data/tiny
--year
2030
--format
json

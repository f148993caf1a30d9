reliance
tests/cli/data/tiny
--format
xml

reliance
tests/cli/data/tiny
--quiet

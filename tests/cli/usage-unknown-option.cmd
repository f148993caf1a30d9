reliance
tests/cli/data/tiny
--frobnicate

validate
tests/cli/data/tiny
--max-field-bytes
16
--format
table

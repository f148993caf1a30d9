upstream
data/worked-example
CHIP-CN
--format
csv

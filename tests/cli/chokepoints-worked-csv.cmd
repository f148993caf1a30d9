chokepoints
data/worked-example
--format
csv

chokepoints
data/worked-example
--group
country
--format
table

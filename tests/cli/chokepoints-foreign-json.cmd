chokepoints
data/worked-example
--origin
foreign
--format
json

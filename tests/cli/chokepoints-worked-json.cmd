chokepoints
data/worked-example
--top
3

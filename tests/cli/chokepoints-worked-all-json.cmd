chokepoints
data/worked-example
--top
3
--all
--quiet

scenarios
data/worked-example
--run

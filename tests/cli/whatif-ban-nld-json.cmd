whatif
data/worked-example
--ban
NLD

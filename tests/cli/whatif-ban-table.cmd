whatif
data/worked-example
--ban
NLD,USA
--format
table

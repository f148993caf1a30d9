show
data/worked-example
FAB-CN
--format
table

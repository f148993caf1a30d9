show
data/worked-example
FAB-CN

show
data/worked-example
FAB-XX

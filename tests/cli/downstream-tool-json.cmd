downstream
data/worked-example
TOOL-NL
--depth
2

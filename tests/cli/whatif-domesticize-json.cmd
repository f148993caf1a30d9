whatif
data/worked-example
--domesticize
TOOL-NL

whatif
data/worked-example
--remove
TOOL-XX

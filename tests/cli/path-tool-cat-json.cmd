path
data/worked-example
TOOL-NL
CAT-AI

whatif
data/worked-example
--add-edge
TOOL-CN,FAB-CN,lithography,0.3

# viz/: unstuck report (docs/report.md).  Included by the top Makefile.am;
# paths are relative to the top of the tree.

# viz/: unstuck report (docs/report.md).  Included by the top Makefile.am;
# paths are relative to the top of the tree.

# Everything but main() in a library, so that the unit tests link the same
# code the command runs.
noinst_LIBRARIES += viz/libunstuck-report.a
viz_libunstuck_report_a_CXXFLAGS = $(AM_CXXFLAGS) -O2 -g
viz_libunstuck_report_a_SOURCES = \
	viz/argdist_json.cc viz/argdist_json.h \
	viz/argdist_text.cc viz/argdist_text.h \
	viz/argdist_view.cc viz/argdist_view.h \
	viz/cycle_collapse.cc viz/cycle_collapse.h \
	viz/dot_writer.cc viz/dot_writer.h \
	viz/flow_graph.cc viz/flow_graph.h \
	viz/graphviz_render.cc viz/graphviz_render.h \
	viz/html_page.cc viz/html_page.h \
	viz/html_table.cc viz/html_table.h \
	viz/input_error.h \
	viz/json_input.cc viz/json_input.h \
	viz/lifetime_view.cc viz/lifetime_view.h \
	viz/merge.cc viz/merge.h \
	viz/pruning.cc viz/pruning.h \
	viz/report_options.cc viz/report_options.h \
	viz/slicing.cc viz/slicing.h \
	viz/svg_chart.cc viz/svg_chart.h \
	viz/taint_graph.cc viz/taint_graph.h \
	viz/taint_view.cc viz/taint_view.h
REPORT_LIBS = viz/libunstuck-report.a $(GRAPHVIZ_LIBS)

# unstuck-report: `unstuck report` runs it (bin/unstuck).
bin_PROGRAMS += viz/unstuck-report
viz_unstuck_report_SOURCES = viz/report_main.cc
viz_unstuck_report_CXXFLAGS = $(AM_CXXFLAGS) -O2 -g
viz_unstuck_report_LDADD = $(REPORT_LIBS)

# The graph operations' unit tests (doctest), run by regtest/report/unit.vgtest.
check_PROGRAMS += viz/tests/report-unit-tests
viz_tests_report_unit_tests_SOURCES = \
	viz/tests/unit_main.cc \
	viz/tests/small_graphs.h \
	viz/tests/slicing_test.cc \
	viz/tests/cycle_collapse_test.cc \
	viz/tests/pruning_test.cc \
	viz/tests/input_test.cc \
	viz/tests/merge_test.cc
viz_tests_report_unit_tests_CXXFLAGS = $(AM_CXXFLAGS) -g
viz_tests_report_unit_tests_LDADD = $(REPORT_LIBS)
EXTRA_DIST += regtest/report/check_svg regtest/report/check_html \
	regtest/report/check_merge regtest/report/check_peak regtest/report/bad_inputs \
	docs/images/make-images

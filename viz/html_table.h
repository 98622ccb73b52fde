// A sortable HTML table (the page's script sorts any table of class
// "sortable" by the column clicked, numerically when the cells are numbers).
#pragma once

#include <string>
#include <vector>

#include "viz/json_input.h"

namespace unstuck::viz {

class HtmlTable {
 public:
  explicit HtmlTable(std::vector<std::string> headings) : headings_(std::move(headings)) {}

  // Cells are text (escaped here); a cell starting with "<code>" is kept
  // as it is (the page's replay commands).
  void add_row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  size_t rows() const { return rows_.size(); }
  std::string html(const std::string& id) const;

 private:
  std::vector<std::string> headings_;
  std::vector<std::vector<std::string>> rows_;
};

// The command that visits TIME in FILE's recorded run, as a page cell.
std::string replay_cell(const ToolFile& file, unsigned long long time);

}  // namespace unstuck::viz

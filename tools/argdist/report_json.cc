#include "tools/argdist/report_json.h"

namespace unstuck::argdist {

void write_json_report() {}

}  // namespace unstuck::argdist

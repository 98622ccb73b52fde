// `monitor argdist [FN]` from GDB through vgdb (--vgdb=yes): the report so
// far, for every traced function or those whose name matches the glob FN.
#pragma once

namespace unstuck::argdist {

void install_monitor_command();

}  // namespace unstuck::argdist

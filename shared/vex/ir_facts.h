// Facts about VEX IR that instrumentation passes need and libvex_ir.h
// does not give as functions.
#pragma once

extern "C" {
#include "libvex_ir.h"
}

namespace unstuck::vex {

// The bytes a guarded load (Ist_LoadG) reads from memory, before its
// conversion widens the value: 0 for a conversion this VEX does not have.
inline int loaded_bytes(IRLoadGOp conversion) {
  switch (conversion) {
    case ILGop_IdentV128: return 16;
    case ILGop_Ident64: return 8;
    case ILGop_Ident32: return 4;
    case ILGop_16Uto32: case ILGop_16Sto32: return 2;
    case ILGop_8Uto32: case ILGop_8Sto32: return 1;
    default: return 0;
  }
}

}  // namespace unstuck::vex

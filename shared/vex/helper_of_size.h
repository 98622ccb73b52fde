// Helpers for the slow paths of loads and stores, one per access size.
//
// A dirty call's arguments are moved into place whether its guard holds or
// not, so a constant argument costs an instruction at every access the
// generated code makes, taken or not.  A helper with the size built in
// (one function per size) saves the size's.
#pragma once

namespace unstuck::vex {

// &Of<size>::call for the access sizes VEX uses most (1 to 32 bytes, powers
// of two), else null (the caller then passes the size itself).
template <template <int> class Of>
auto helper_of_size(int size) -> decltype(&Of<1>::call) {
  switch (size) {
    case 1: return &Of<1>::call;
    case 2: return &Of<2>::call;
    case 4: return &Of<4>::call;
    case 8: return &Of<8>::call;
    case 16: return &Of<16>::call;
    case 32: return &Of<32>::call;
    default: return nullptr;
  }
}

}  // namespace unstuck::vex

// A minimal DWARF 2-5 .debug_info reader: units, abbreviation tables,
// debugging information entries (DIEs) and their attribute values,
// enough to find subprograms by address and follow their parameters and
// types.  Offsets are .debug_info offsets; a DIE is read on demand from
// its offset, so nothing but the unit and abbreviation tables is kept.
// Not supported (the affected values read as absent): type units
// (DW_FORM_ref_sig8), supplementary/dwz files (DW_FORM_GNU_ref_alt,
// DW_FORM_GNU_strp_alt) and split DWARF.
#pragma once

#include <stdint.h>

#include "shared/rt/hash_map.h"
#include "shared/rt/vector.h"

namespace unstuck::argdist {

// DWARF constants used by argdist.
namespace dw {
enum Tag : uint32_t {
  kArrayType = 0x01, kClassType = 0x02, kEnumerationType = 0x04,
  kFormalParameter = 0x05, kMember = 0x0d, kPointerType = 0x0f,
  kReferenceType = 0x10, kCompileUnit = 0x11, kStructureType = 0x13,
  kSubroutineType = 0x15, kTypedef = 0x16, kUnionType = 0x17,
  kUnspecifiedParameters = 0x18, kInheritance = 0x1c, kPtrToMemberType = 0x1f,
  kSubrangeType = 0x21, kBaseType = 0x24, kConstType = 0x26,
  kSubprogram = 0x2e, kVolatileType = 0x35, kRestrictType = 0x37,
  kUnspecifiedType = 0x3b, kPartialUnit = 0x3c, kRvalueReferenceType = 0x42,
  kAtomicType = 0x47,
};
enum Attribute : uint32_t {
  kSibling = 0x01, kName = 0x03, kByteSize = 0x0b, kLowPc = 0x11,
  kEntryPc = 0x52, kRanges = 0x55, kRnglistsBase = 0x74,
  kUpperBound = 0x2f, kAbstractOrigin = 0x31, kArtificial = 0x34,
  kCallingConvention = 0x36, kCount = 0x37, kDataMemberLocation = 0x38,
  kDeclaration = 0x3c, kEncoding = 0x3e, kSpecification = 0x47, kType = 0x49,
  kStrOffsetsBase = 0x72, kAddrBase = 0x73,
};
enum Encoding : uint32_t {
  kAddress = 1, kBoolean = 2, kComplexFloat = 3, kFloat = 4, kSigned = 5,
  kSignedChar = 6, kUnsigned = 7, kUnsignedChar = 8, kUtf = 0x10,
};
constexpr uint64_t kPassByReference = 4;  // DW_CC_pass_by_reference
}  // namespace dw

// The sections a reader needs; each may be empty but .debug_info and
// .debug_abbrev.
struct DwarfSections {
  Vector<uint8_t> info;
  Vector<uint8_t> abbrev;
  Vector<uint8_t> str;
  Vector<uint8_t> line_str;
  Vector<uint8_t> str_offsets;
  Vector<uint8_t> addr;
  Vector<uint8_t> ranges;    // DWARF 2-4
  Vector<uint8_t> rnglists;  // DWARF 5
};

class DwarfReader {
 public:
  struct Die {
    uint64_t offset;
    uint32_t tag;
    bool has_children;
    uint32_t unit;     // index into units_
    uint32_t abbrev;   // index into abbrevs_
    uint64_t attributes;  // offset of the attribute values
  };

  explicit DwarfReader(const DwarfSections& sections);
  // Reads the unit headers and their abbreviation tables; false when
  // .debug_info is malformed.
  bool load();

  // Calls fn(die) for every DIE of every compile or partial unit, in
  // order (children after their parent).
  template <typename Fn>
  void for_each_die(Fn&& fn) const;

  bool read_die(uint64_t offset, Die* die) const;
  // The first child of `die` (false when it has none), the next sibling of
  // a DIE (false at the end of its parent's children).
  bool first_child(const Die& die, Die* child) const;
  bool next_sibling(const Die& die, Die* sibling) const;

  // Attribute values: false when the DIE has no such attribute or its form
  // does not give that kind of value.
  bool unsigned_value(const Die& die, uint32_t attribute, uint64_t* value) const;
  bool flag(const Die& die, uint32_t attribute) const;
  bool address(const Die& die, uint32_t attribute, uint64_t* value) const;
  // Where the code a DIE describes may begin: its DW_AT_low_pc or
  // DW_AT_entry_pc, else the start of every range of its DW_AT_ranges (gcc
  // gives a function with a ".cold" part two ranges and no low_pc).
  void code_starts(const Die& die, Vector<uint64_t>* starts) const;
  // A reference, as a .debug_info offset.
  bool reference(const Die& die, uint32_t attribute, uint64_t* offset) const;
  const char* string(const Die& die, uint32_t attribute) const;

 private:
  struct AttributeSpec {
    uint32_t attribute;
    uint32_t form;
    int64_t implicit_const;
  };
  struct Abbrev {
    uint32_t tag;
    bool has_children;
    uint32_t first_spec;
    uint32_t spec_count;
  };
  struct Unit {
    uint64_t start;      // of the header
    uint64_t dies;       // of the first DIE
    uint64_t end;
    uint8_t version;
    uint8_t address_size;
    uint8_t offset_size;
    uint64_t str_offsets_base;
    uint64_t addr_base;
    uint64_t rnglists_base;
    uint64_t base_address;  // the unit's DW_AT_low_pc, where ranges count from
    HashMap<uint64_t, uint32_t>* codes;  // abbreviation code -> abbrevs_ index
  };
  struct Value {
    uint32_t form;
    uint64_t number;
    const uint8_t* block;
  };
  class Cursor;

  bool load_unit(uint64_t start, uint64_t* next);
  HashMap<uint64_t, uint32_t>* load_abbrevs(uint64_t offset);
  bool read_die_in(uint32_t unit, uint64_t offset, Die* die) const;
  uint32_t unit_of(uint64_t offset) const;
  // Finds `attribute` in `die`; with `end` non-null, instead walks all
  // attributes and stores the offset just past them.
  bool find(const Die& die, uint32_t attribute, Value* value, uint64_t* end) const;
  uint64_t end_of_attributes(const Die& die) const;
  void read_unit_bases(uint32_t unit);
  bool indexed_address(const Unit& unit, uint64_t index, uint64_t* value) const;
  void range_starts_v4(const Unit& unit, uint64_t offset, Vector<uint64_t>* starts) const;
  void range_starts_v5(const Unit& unit, uint64_t offset, Vector<uint64_t>* starts) const;
  bool skip_subtree(const Die& die, uint64_t* after) const;

  const DwarfSections& s_;
  Vector<Unit> units_;
  Vector<Abbrev> abbrevs_;
  Vector<AttributeSpec> specs_;
  HashMap<uint64_t, HashMap<uint64_t, uint32_t>*> tables_;  // by .debug_abbrev offset
};

template <typename Fn>
void DwarfReader::for_each_die(Fn&& fn) const {
  for (uint32_t u = 0; u < units_.size(); ++u) {
    uint64_t offset = units_[u].dies;
    while (offset < units_[u].end) {
      Die die;
      if (!read_die_in(u, offset, &die)) break;
      if (die.tag != 0) fn(die);
      offset = die.tag == 0 ? die.attributes : end_of_attributes(die);
    }
  }
}

}  // namespace unstuck::argdist

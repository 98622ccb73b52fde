#include "tools/argdist/dwarf_reader.h"

namespace unstuck::argdist {
namespace {

// DWARF forms (the encodings of attribute values).
enum Form : uint32_t {
  kAddr = 0x01, kBlock2 = 0x03, kBlock4 = 0x04, kData2 = 0x05, kData4 = 0x06,
  kData8 = 0x07, kString = 0x08, kBlock = 0x09, kBlock1 = 0x0a, kData1 = 0x0b,
  kFlag = 0x0c, kSdata = 0x0d, kStrp = 0x0e, kUdata = 0x0f, kRefAddr = 0x10,
  kRef1 = 0x11, kRef2 = 0x12, kRef4 = 0x13, kRef8 = 0x14, kRefUdata = 0x15,
  kIndirect = 0x16, kSecOffset = 0x17, kExprloc = 0x18, kFlagPresent = 0x19,
  kStrx = 0x1a, kAddrx = 0x1b, kRefSup4 = 0x1c, kStrpSup = 0x1d, kData16 = 0x1e,
  kLineStrp = 0x1f, kRefSig8 = 0x20, kImplicitConst = 0x21, kLoclistx = 0x22,
  kRnglistx = 0x23, kRefSup8 = 0x24, kStrx1 = 0x25, kStrx2 = 0x26, kStrx3 = 0x27,
  kStrx4 = 0x28, kAddrx1 = 0x29, kAddrx2 = 0x2a, kAddrx3 = 0x2b, kAddrx4 = 0x2c,
  kGnuAddrIndex = 0x1f01, kGnuStrIndex = 0x1f02, kGnuRefAlt = 0x1f20,
  kGnuStrpAlt = 0x1f21,
};

constexpr uint8_t kUnitCompile = 1, kUnitPartial = 3;  // DWARF 5 unit types
constexpr uint8_t kOpPlusUconst = 0x23;                // DW_OP_plus_uconst

}  // namespace

// Reads little-endian numbers from one section, with bounds checks: a
// read past the end sets `failed` and returns zeros.
class DwarfReader::Cursor {
 public:
  Cursor(const Vector<uint8_t>& section, uint64_t position)
      : data_(section.data()), size_(section.size()), position_(position) {}

  uint64_t position() const { return position_; }
  bool failed() const { return failed_; }
  const uint8_t* here() const { return position_ < size_ ? data_ + position_ : nullptr; }

  uint64_t fixed(unsigned bytes) {
    if (bytes > size_ || position_ > size_ - bytes) return fail();
    uint64_t value = 0;
    for (unsigned i = 0; i < bytes; ++i) value |= static_cast<uint64_t>(data_[position_ + i]) << (8 * i);
    position_ += bytes;
    return value;
  }
  uint64_t uleb() {
    uint64_t value = 0;
    for (unsigned shift = 0;; shift += 7) {
      if (position_ >= size_) return fail();
      uint8_t byte = data_[position_++];
      if (shift < 64) value |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return value;
    }
  }
  int64_t sleb() {
    uint64_t value = 0;
    unsigned shift = 0;
    uint8_t byte;
    do {
      if (position_ >= size_) return static_cast<int64_t>(fail());
      byte = data_[position_++];
      if (shift < 64) value |= static_cast<uint64_t>(byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    if (shift < 64 && (byte & 0x40)) value |= ~0ULL << shift;
    return static_cast<int64_t>(value);
  }
  void skip(uint64_t bytes) {
    if (bytes > size_ - position_) {
      fail();
      return;
    }
    position_ += bytes;
  }
  void skip_string() {
    while (position_ < size_ && data_[position_] != 0) ++position_;
    skip(1);
  }

 private:
  uint64_t fail() {
    failed_ = true;
    position_ = size_;
    return 0;
  }

  const uint8_t* data_;
  uint64_t size_;
  uint64_t position_;
  bool failed_ = false;
};

DwarfReader::DwarfReader(const DwarfSections& sections) : s_(sections) {}

HashMap<uint64_t, uint32_t>* DwarfReader::load_abbrevs(uint64_t offset) {
  if (HashMap<uint64_t, uint32_t>** known = tables_.find(offset)) return *known;
  auto* codes = new HashMap<uint64_t, uint32_t>();
  Cursor c(s_.abbrev, offset);
  for (;;) {
    uint64_t code = c.uleb();
    if (code == 0 || c.failed()) break;
    Abbrev a;
    a.tag = static_cast<uint32_t>(c.uleb());
    a.has_children = c.fixed(1) != 0;
    a.first_spec = specs_.size();
    for (;;) {
      AttributeSpec spec = {static_cast<uint32_t>(c.uleb()), static_cast<uint32_t>(c.uleb()), 0};
      if ((spec.attribute == 0 && spec.form == 0) || c.failed()) break;
      if (spec.form == kImplicitConst) spec.implicit_const = c.sleb();
      specs_.push_back(spec);
    }
    a.spec_count = specs_.size() - a.first_spec;
    codes->insert(code, abbrevs_.size());
    abbrevs_.push_back(a);
  }
  tables_.insert(offset, codes);
  return codes;
}

bool DwarfReader::load_unit(uint64_t start, uint64_t* next) {
  Cursor c(s_.info, start);
  Unit u = {};
  u.start = start;
  u.offset_size = 4;
  uint64_t length = c.fixed(4);
  if (length == 0xffffffff) {
    u.offset_size = 8;
    length = c.fixed(8);
  }
  if (c.failed() || length > s_.info.size() - c.position()) return false;
  u.end = c.position() + length;
  *next = u.end;
  u.version = static_cast<uint8_t>(c.fixed(2));
  uint8_t unit_type = kUnitCompile;
  uint64_t abbrev_offset;
  if (u.version >= 5) {
    unit_type = static_cast<uint8_t>(c.fixed(1));
    u.address_size = static_cast<uint8_t>(c.fixed(1));
    abbrev_offset = c.fixed(u.offset_size);
  } else {
    abbrev_offset = c.fixed(u.offset_size);
    u.address_size = static_cast<uint8_t>(c.fixed(1));
  }
  if (c.failed() || u.version < 2 || u.version > 5) return false;
  // Type, skeleton and split units describe no code of this file.
  if (unit_type != kUnitCompile && unit_type != kUnitPartial) return true;
  u.dies = c.position();
  u.str_offsets_base = u.offset_size == 8 ? 16 : 8;  // past the table header
  u.codes = load_abbrevs(abbrev_offset);
  units_.push_back(u);
  read_unit_bases(units_.size() - 1);
  return true;
}

void DwarfReader::read_unit_bases(uint32_t unit) {
  Die root;
  if (!read_die_in(unit, units_[unit].dies, &root) || root.tag == 0) return;
  Value v;
  if (find(root, dw::kStrOffsetsBase, &v, nullptr)) units_[unit].str_offsets_base = v.number;
  if (find(root, dw::kAddrBase, &v, nullptr)) units_[unit].addr_base = v.number;
  if (find(root, dw::kRnglistsBase, &v, nullptr)) units_[unit].rnglists_base = v.number;
  // After addr_base: the unit's low_pc may be an index into .debug_addr.
  address(root, dw::kLowPc, &units_[unit].base_address);
}

bool DwarfReader::load() {
  if (s_.info.empty() || s_.abbrev.empty()) return false;
  for (uint64_t offset = 0; offset < s_.info.size();) {
    uint64_t next = 0;
    if (!load_unit(offset, &next)) return !units_.empty();
    offset = next;
  }
  return !units_.empty();
}

uint32_t DwarfReader::unit_of(uint64_t offset) const {
  uint32_t low = 0, high = units_.size();
  while (high - low > 1) {
    uint32_t middle = (low + high) / 2;
    if (units_[middle].start <= offset) low = middle; else high = middle;
  }
  return low;
}

bool DwarfReader::read_die_in(uint32_t unit, uint64_t offset, Die* die) const {
  const Unit& u = units_[unit];
  if (offset < u.dies || offset >= u.end) return false;
  Cursor c(s_.info, offset);
  uint64_t code = c.uleb();
  if (c.failed()) return false;
  die->offset = offset;
  die->unit = unit;
  die->attributes = c.position();
  if (code == 0) {
    die->tag = 0;
    die->has_children = false;
    return true;
  }
  const uint32_t* index = u.codes->find(code);
  if (index == nullptr) return false;
  die->abbrev = *index;
  die->tag = abbrevs_[*index].tag;
  die->has_children = abbrevs_[*index].has_children;
  return true;
}

bool DwarfReader::read_die(uint64_t offset, Die* die) const {
  if (units_.empty()) return false;
  return read_die_in(unit_of(offset), offset, die);
}

bool DwarfReader::find(const Die& die, uint32_t attribute, Value* value,
                       uint64_t* end) const {
  const Unit& u = units_[die.unit];
  const Abbrev& a = abbrevs_[die.abbrev];
  Cursor c(s_.info, die.attributes);
  for (uint32_t i = 0; i < a.spec_count; ++i) {
    const AttributeSpec& spec = specs_[a.first_spec + i];
    Value v = {spec.form, 0, nullptr};
    if (v.form == kIndirect) v.form = static_cast<uint32_t>(c.uleb());
    switch (v.form) {
      case kAddr: v.number = c.fixed(u.address_size); break;
      case kData1: case kRef1: case kFlag: case kStrx1: case kAddrx1: v.number = c.fixed(1); break;
      case kData2: case kRef2: case kStrx2: case kAddrx2: v.number = c.fixed(2); break;
      case kStrx3: case kAddrx3: v.number = c.fixed(3); break;
      case kData4: case kRef4: case kRefSup4: case kStrx4: case kAddrx4: v.number = c.fixed(4); break;
      case kData8: case kRef8: case kRefSig8: case kRefSup8: v.number = c.fixed(8); break;
      case kData16: v.block = c.here(); c.skip(16); break;
      case kSdata: v.number = static_cast<uint64_t>(c.sleb()); break;
      case kUdata: case kRefUdata: case kStrx: case kAddrx: case kLoclistx:
      case kRnglistx: case kGnuAddrIndex: case kGnuStrIndex:
        v.number = c.uleb();
        break;
      case kStrp: case kLineStrp: case kSecOffset: case kStrpSup: case kGnuRefAlt:
      case kGnuStrpAlt:
        v.number = c.fixed(u.offset_size);
        break;
      case kRefAddr: v.number = c.fixed(u.version == 2 ? u.address_size : u.offset_size); break;
      case kString: v.block = c.here(); c.skip_string(); break;
      case kBlock1: v.number = c.fixed(1); v.block = c.here(); c.skip(v.number); break;
      case kBlock2: v.number = c.fixed(2); v.block = c.here(); c.skip(v.number); break;
      case kBlock4: v.number = c.fixed(4); v.block = c.here(); c.skip(v.number); break;
      case kBlock: case kExprloc: v.number = c.uleb(); v.block = c.here(); c.skip(v.number); break;
      case kFlagPresent: v.number = 1; break;
      case kImplicitConst: v.number = static_cast<uint64_t>(spec.implicit_const); break;
      default: return false;  // an unknown form: its size is unknown too
    }
    if (c.failed()) return false;
    if (end == nullptr && spec.attribute == attribute) {
      *value = v;
      return true;
    }
  }
  if (end != nullptr) *end = c.position();
  return false;
}

uint64_t DwarfReader::end_of_attributes(const Die& die) const {
  uint64_t end = units_[die.unit].end;
  Value unused;
  find(die, 0, &unused, &end);
  return end;
}

bool DwarfReader::skip_subtree(const Die& die, uint64_t* after) const {
  uint64_t sibling;
  if (!die.has_children) {
    *after = end_of_attributes(die);
    return true;
  }
  if (reference(die, dw::kSibling, &sibling) && sibling > die.offset) {
    *after = sibling;
    return true;
  }
  uint64_t offset = end_of_attributes(die);
  for (int depth = 1; depth > 0;) {
    Die d;
    if (!read_die_in(die.unit, offset, &d)) return false;
    if (d.tag == 0) {
      --depth;
      offset = d.attributes;
      continue;
    }
    offset = end_of_attributes(d);
    if (d.has_children) ++depth;
  }
  *after = offset;
  return true;
}

bool DwarfReader::first_child(const Die& die, Die* child) const {
  if (!die.has_children) return false;
  return read_die_in(die.unit, end_of_attributes(die), child) && child->tag != 0;
}

bool DwarfReader::next_sibling(const Die& die, Die* sibling) const {
  uint64_t after;
  if (!skip_subtree(die, &after)) return false;
  return read_die_in(die.unit, after, sibling) && sibling->tag != 0;
}

bool DwarfReader::unsigned_value(const Die& die, uint32_t attribute, uint64_t* value) const {
  Value v;
  if (!find(die, attribute, &v, nullptr)) return false;
  switch (v.form) {
    case kData1: case kData2: case kData4: case kData8: case kUdata: case kSdata:
    case kImplicitConst: case kFlag: case kFlagPresent:
      *value = v.number;
      return true;
    case kBlock1: case kBlock2: case kBlock4: case kBlock: case kExprloc: {
      // DWARF 2 member locations: DW_OP_plus_uconst N.
      if (v.number < 2 || v.block == nullptr || v.block[0] != kOpPlusUconst) return false;
      uint64_t n = 0;
      for (unsigned i = 1, shift = 0; i < v.number && shift < 64; ++i, shift += 7) {
        n |= static_cast<uint64_t>(v.block[i] & 0x7f) << shift;
        if (!(v.block[i] & 0x80)) break;
      }
      *value = n;
      return true;
    }
    default:
      return false;
  }
}

bool DwarfReader::flag(const Die& die, uint32_t attribute) const {
  uint64_t value = 0;
  return unsigned_value(die, attribute, &value) && value != 0;
}

bool DwarfReader::address(const Die& die, uint32_t attribute, uint64_t* value) const {
  Value v;
  if (!find(die, attribute, &v, nullptr)) return false;
  const Unit& u = units_[die.unit];
  switch (v.form) {
    case kAddr:
      *value = v.number;
      return true;
    case kAddrx: case kAddrx1: case kAddrx2: case kAddrx3: case kAddrx4: case kGnuAddrIndex:
      return indexed_address(u, v.number, value);
    default:
      return false;
  }
}

bool DwarfReader::indexed_address(const Unit& unit, uint64_t index, uint64_t* value) const {
  Cursor c(s_.addr, unit.addr_base + index * unit.address_size);
  *value = c.fixed(unit.address_size);
  return !c.failed();
}

void DwarfReader::code_starts(const Die& die, Vector<uint64_t>* starts) const {
  starts->clear();
  uint64_t start;
  if (address(die, dw::kLowPc, &start) || address(die, dw::kEntryPc, &start)) {
    starts->push_back(start);
    return;
  }
  Value v;
  if (!find(die, dw::kRanges, &v, nullptr)) return;
  const Unit& u = units_[die.unit];
  if (u.version < 5) {
    range_starts_v4(u, v.number, starts);
    return;
  }
  uint64_t offset = v.number;
  if (v.form == kRnglistx) {
    // An index into the offsets table at rnglists_base; offsets count from it.
    Cursor table(s_.rnglists, u.rnglists_base + v.number * u.offset_size);
    offset = u.rnglists_base + table.fixed(u.offset_size);
    if (table.failed()) return;
  }
  range_starts_v5(u, offset, starts);
}

// .debug_ranges: pairs of addresses relative to the base, ended by (0, 0);
// a pair whose first address is all ones sets the base.
void DwarfReader::range_starts_v4(const Unit& unit, uint64_t offset,
                                  Vector<uint64_t>* starts) const {
  uint64_t all_ones = unit.address_size == 8 ? ~0ULL : 0xffffffffULL;
  uint64_t base = unit.base_address;
  for (Cursor c(s_.ranges, offset);;) {
    uint64_t begin = c.fixed(unit.address_size);
    uint64_t end = c.fixed(unit.address_size);
    if (c.failed() || (begin == 0 && end == 0)) return;
    if (begin == all_ones) {
      base = end;
    } else if (begin != end) {
      starts->push_back(base + begin);
    }
  }
}

// .debug_rnglists (DWARF 5): entries of the DW_RLE_* kinds.
void DwarfReader::range_starts_v5(const Unit& unit, uint64_t offset,
                                  Vector<uint64_t>* starts) const {
  enum : uint8_t {
    kEndOfList = 0, kBaseAddressx = 1, kStartxEndx = 2, kStartxLength = 3,
    kOffsetPair = 4, kBaseAddress = 5, kStartEnd = 6, kStartLength = 7,
  };
  uint64_t base = unit.base_address;
  for (Cursor c(s_.rnglists, offset);;) {
    uint8_t kind = static_cast<uint8_t>(c.fixed(1));
    if (c.failed() || kind == kEndOfList) return;
    uint64_t start = 0;
    switch (kind) {
      case kBaseAddressx:
        if (!indexed_address(unit, c.uleb(), &base)) return;
        continue;
      case kBaseAddress:
        base = c.fixed(unit.address_size);
        continue;
      case kStartxEndx:
      case kStartxLength:
        if (!indexed_address(unit, c.uleb(), &start)) return;
        c.uleb();
        break;
      case kOffsetPair:
        start = base + c.uleb();
        c.uleb();
        break;
      case kStartEnd:
        start = c.fixed(unit.address_size);
        c.fixed(unit.address_size);
        break;
      case kStartLength:
        start = c.fixed(unit.address_size);
        c.uleb();
        break;
      default:
        return;  // an unknown kind: the rest cannot be parsed
    }
    if (c.failed()) return;
    starts->push_back(start);
  }
}

bool DwarfReader::reference(const Die& die, uint32_t attribute, uint64_t* offset) const {
  Value v;
  if (!find(die, attribute, &v, nullptr)) return false;
  switch (v.form) {
    case kRef1: case kRef2: case kRef4: case kRef8: case kRefUdata:
      *offset = units_[die.unit].start + v.number;
      return true;
    case kRefAddr:
      *offset = v.number;
      return true;
    default:
      return false;  // type units and supplementary files are not read
  }
}

const char* DwarfReader::string(const Die& die, uint32_t attribute) const {
  Value v;
  if (!find(die, attribute, &v, nullptr)) return nullptr;
  const Unit& u = units_[die.unit];
  const Vector<uint8_t>* section = nullptr;
  uint64_t offset = v.number;
  switch (v.form) {
    case kString:
      return reinterpret_cast<const char*>(v.block);
    case kStrp:
      section = &s_.str;
      break;
    case kLineStrp:
      section = &s_.line_str;
      break;
    case kStrx: case kStrx1: case kStrx2: case kStrx3: case kStrx4: case kGnuStrIndex: {
      Cursor c(s_.str_offsets, u.str_offsets_base + v.number * u.offset_size);
      offset = c.fixed(u.offset_size);
      if (c.failed()) return nullptr;
      section = &s_.str;
      break;
    }
    default:
      return nullptr;
  }
  // The string must end inside its section.
  for (uint64_t i = offset; i < section->size(); ++i)
    if ((*section)[i] == 0) return reinterpret_cast<const char*>(section->data() + offset);
  return nullptr;
}

}  // namespace unstuck::argdist

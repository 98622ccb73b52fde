#include "tools/argdist/dwarf_signatures.h"

#include "shared/rt/hash_map.h"
#include "shared/rt/string_builder.h"
#include "tools/argdist/debug_file.h"
#include "tools/argdist/dwarf_reader.h"
#include "tools/argdist/text_utils.h"

namespace unstuck::argdist {
namespace {

using Die = DwarfReader::Die;

// Types nest (a struct of arrays of structs ...): deeper is given up on.
constexpr int kMaxDepth = 12;
constexpr uint32_t kDataBitOffset = 0x6b;  // DW_AT_data_bit_offset

// The ABI classes of an aggregate's two eightbytes, merged field by field
// (System V amd64 ABI, 3.2.3): INTEGER wins over SSE; anything that does
// not fit two eightbytes, or an x87 field, sends it to memory.
enum class Eightbyte : uint8_t { kNone, kInteger, kSse };
struct Classification {
  Eightbyte eightbytes[2];
  bool memory;
};

void merge(Classification* c, uint64_t offset, Eightbyte cls) {
  if (offset >= 16) {
    c->memory = true;
    return;
  }
  Eightbyte& slot = c->eightbytes[offset / 8];
  if (slot == Eightbyte::kNone || slot == cls) slot = cls;
  else slot = Eightbyte::kInteger;
}

// What argdist needs to know of a type.
struct TypeFacts {
  ValueKind kind = ValueKind::kOpaque;
  uint64_t size = 0;
  PassingClass pass = {1, {EightbyteClass::kInteger, EightbyteClass::kInteger}, 0};
  bool in_memory_result = false;  // returned through a hidden pointer (and,
                                  // if not in memory, passed by reference)
  bool is_pointer_type = false;   // for naming: "char * const"
  StringBuilder name;
};

PassingClass memory_class(uint64_t size) {
  return {0, {EightbyteClass::kInteger, EightbyteClass::kInteger},
          static_cast<uint32_t>((size + 7) / 8)};
}

bool is_plain_char(const DwarfReader& r, const Die& d) {
  uint64_t encoding = 0, size = 0;
  const char* name = r.string(d, dw::kName);
  return r.unsigned_value(d, dw::kEncoding, &encoding) &&
         (encoding == dw::kSignedChar || encoding == dw::kUnsignedChar) &&
         r.unsigned_value(d, dw::kByteSize, &size) && size == 1 && name != nullptr &&
         strings_equal(name, "char");
}

class SignatureBuilder {
 public:
  explicit SignatureBuilder(const DwarfReader& reader) : r_(reader) {}
  Signature* build(const Die& subprogram);

 private:
  bool holder(const Die& d, uint32_t attribute, Die* out) const;
  bool type_of(const Die& d, uint64_t* type) const;
  bool strip(uint64_t type, Die* d) const;
  bool points_to_char(uint64_t pointee) const;
  bool has_parameters(const Die& d) const;

  void describe(uint64_t type, bool has_type, TypeFacts* facts, int depth);
  void describe_base(const Die& d, TypeFacts* facts);
  void describe_pointer(const Die& d, TypeFacts* facts, int depth);
  void describe_qualified(const Die& d, const char* qualifier, TypeFacts* facts, int depth);
  void describe_aggregate(const Die& d, const char* keyword, TypeFacts* facts, int depth);
  void append_function_type(const Die& d, StringBuilder* name, int depth);

  void classify(uint64_t type, uint64_t base, Classification* c, int depth);
  void classify_members(const Die& d, uint64_t base, Classification* c, int depth);
  void classify_array(const Die& d, uint64_t base, Classification* c, int depth);

  void add_parameter(const Die& d, Signature* s, Vector<PassingClass>* classes);

  const DwarfReader& r_;
};

// The DIE holding `attribute` for `d`: `d` itself, or what it specifies
// or is an instance of (an out-of-line C++ method, an inlined function's
// concrete copy).
bool SignatureBuilder::holder(const Die& d, uint32_t attribute, Die* out) const {
  Die current = d;
  for (int i = 0; i < 4; ++i) {
    uint64_t ignored;
    const char* text = nullptr;
    if (attribute == dw::kName ? (text = r_.string(current, attribute)) != nullptr
                               : r_.reference(current, attribute, &ignored)) {
      *out = current;
      return true;
    }
    uint64_t next;
    if (!r_.reference(current, dw::kAbstractOrigin, &next) &&
        !r_.reference(current, dw::kSpecification, &next))
      return false;
    if (!r_.read_die(next, &current)) return false;
  }
  return false;
}

bool SignatureBuilder::type_of(const Die& d, uint64_t* type) const {
  Die h;
  return holder(d, dw::kType, &h) && r_.reference(h, dw::kType, type);
}

// Follows typedefs and qualifiers to the type that decides the layout.
bool SignatureBuilder::strip(uint64_t type, Die* d) const {
  for (int i = 0; i < kMaxDepth; ++i) {
    if (!r_.read_die(type, d)) return false;
    switch (d->tag) {
      case dw::kTypedef: case dw::kConstType: case dw::kVolatileType:
      case dw::kRestrictType: case dw::kAtomicType:
        if (!r_.reference(*d, dw::kType, &type)) return false;
        continue;
      default:
        return true;
    }
  }
  return false;
}

bool SignatureBuilder::points_to_char(uint64_t pointee) const {
  Die d;
  return strip(pointee, &d) && d.tag == dw::kBaseType && is_plain_char(r_, d);
}

void SignatureBuilder::describe_base(const Die& d, TypeFacts* f) {
  uint64_t encoding = 0;
  r_.unsigned_value(d, dw::kEncoding, &encoding);
  const char* name = r_.string(d, dw::kName);
  f->name.append(name != nullptr ? name : "?");
  const bool x87 = name != nullptr && strings_equal(name, "long double");
  switch (encoding) {
    case dw::kFloat:
      if (f->size == 4 || f->size == 8) {
        f->kind = ValueKind::kFloat;
        f->pass.classes[0] = EightbyteClass::kSse;
      } else if (x87) {
        f->pass = memory_class(f->size);
      } else {  // __float128: two SSE eightbytes
        f->pass = {2, {EightbyteClass::kSse, EightbyteClass::kSse}, 0};
      }
      return;
    case dw::kComplexFloat:
      if (f->size <= 16 && !x87)
        f->pass = {static_cast<uint8_t>((f->size + 7) / 8),
                   {EightbyteClass::kSse, EightbyteClass::kSse}, 0};
      else
        f->pass = memory_class(f->size);
      return;
    case dw::kSigned: case dw::kSignedChar:
      f->kind = f->size <= 8 ? ValueKind::kSigned : ValueKind::kOpaque;
      break;
    default:  // unsigned, unsigned char, boolean, UTF, address
      f->kind = f->size <= 8 ? ValueKind::kUnsigned : ValueKind::kOpaque;
      break;
  }
  if (f->size > 8) f->pass.eightbytes = 2;  // __int128
}

void SignatureBuilder::append_function_type(const Die& d, StringBuilder* name, int depth) {
  uint64_t result;
  TypeFacts r;
  bool has_result = r_.reference(d, dw::kType, &result);
  describe(result, has_result, &r, depth + 1);
  name->append(r.name.c_str()).append(" (*)(");
  Die p;
  bool first = true;
  for (bool more = r_.first_child(d, &p); more; more = r_.next_sibling(p, &p)) {
    if (p.tag != dw::kFormalParameter && p.tag != dw::kUnspecifiedParameters) continue;
    if (!first) name->append(", ");
    first = false;
    if (p.tag == dw::kUnspecifiedParameters) {
      name->append("...");
      continue;
    }
    uint64_t t;
    TypeFacts pf;
    bool has = r_.reference(p, dw::kType, &t);
    describe(t, has, &pf, depth + 1);
    name->append(pf.name.c_str());
  }
  name->append(')');
}

void SignatureBuilder::describe_pointer(const Die& d, TypeFacts* f, int depth) {
  f->kind = ValueKind::kPointer;
  f->size = 8;
  f->is_pointer_type = true;
  uint64_t pointee;
  bool has_pointee = r_.reference(d, dw::kType, &pointee);
  Die target;
  if (has_pointee && r_.read_die(pointee, &target) && target.tag == dw::kSubroutineType) {
    append_function_type(target, &f->name, depth);
    return;
  }
  TypeFacts inner;
  describe(pointee, has_pointee, &inner, depth + 1);
  f->name.append(inner.name.c_str());
  const char* suffix = d.tag == dw::kPointerType ? "*" : d.tag == dw::kReferenceType ? "&" : "&&";
  size_t n = inner.name.size();
  bool glue = n > 0 && (inner.name.c_str()[n - 1] == '*' || inner.name.c_str()[n - 1] == '&');
  f->name.append(glue ? "" : " ").append(suffix);
  if (d.tag == dw::kPointerType && has_pointee && points_to_char(pointee))
    f->kind = ValueKind::kString;
}

void SignatureBuilder::describe_qualified(const Die& d, const char* qualifier,
                                          TypeFacts* f, int depth) {
  uint64_t target;
  bool has_target = r_.reference(d, dw::kType, &target);
  describe(target, has_target, f, depth + 1);
  if (qualifier == nullptr) return;
  StringBuilder name;
  // "char * const" for a constant pointer, "const char" otherwise.
  if (f->is_pointer_type) name.append(f->name.c_str()).append(' ').append(qualifier);
  else name.append(qualifier).append(' ').append(f->name.c_str());
  f->name = std::move(name);
}

void SignatureBuilder::describe_aggregate(const Die& d, const char* keyword,
                                          TypeFacts* f, int depth) {
  const char* name = r_.string(d, dw::kName);
  if (keyword != nullptr) f->name.append(keyword).append(' ');
  f->name.append(name != nullptr ? name : "<anonymous>");
  f->kind = ValueKind::kOpaque;
  uint64_t convention = 0;
  if (r_.unsigned_value(d, dw::kCallingConvention, &convention) &&
      convention == dw::kPassByReference) {
    // A C++ class that is not trivially copyable travels by hidden pointer.
    f->in_memory_result = true;
    return;
  }
  Classification c = {{Eightbyte::kNone, Eightbyte::kNone}, f->size > 16};
  if (!c.memory) classify_members(d, 0, &c, depth + 1);
  if (c.memory || f->size == 0) {
    f->pass = memory_class(f->size);
    f->in_memory_result = true;
    return;
  }
  f->pass.eightbytes = static_cast<uint8_t>((f->size + 7) / 8);
  for (int i = 0; i < 2; ++i)
    f->pass.classes[i] = c.eightbytes[i] == Eightbyte::kInteger ? EightbyteClass::kInteger
                                                                : EightbyteClass::kSse;
}

void SignatureBuilder::describe(uint64_t type, bool has_type, TypeFacts* f, int depth) {
  Die d;
  if (!has_type) {
    f->kind = ValueKind::kVoid;
    f->name.append("void");
    return;
  }
  if (depth > kMaxDepth || !r_.read_die(type, &d)) {
    f->name.append("?");
    return;
  }
  r_.unsigned_value(d, dw::kByteSize, &f->size);
  switch (d.tag) {
    case dw::kBaseType:
      describe_base(d, f);
      return;
    case dw::kPointerType: case dw::kReferenceType: case dw::kRvalueReferenceType:
      describe_pointer(d, f, depth);
      return;
    case dw::kConstType: describe_qualified(d, "const", f, depth); return;
    case dw::kVolatileType: describe_qualified(d, "volatile", f, depth); return;
    case dw::kRestrictType: case dw::kAtomicType: describe_qualified(d, nullptr, f, depth); return;
    case dw::kTypedef: {
      const char* name = r_.string(d, dw::kName);
      describe_qualified(d, nullptr, f, depth);
      f->name.clear();
      f->name.append(name != nullptr ? name : "?");
      return;
    }
    case dw::kEnumerationType: {
      uint64_t underlying;
      f->kind = ValueKind::kSigned;
      if (r_.reference(d, dw::kType, &underlying)) {
        TypeFacts u;
        describe(underlying, true, &u, depth + 1);
        if (u.kind == ValueKind::kUnsigned) f->kind = ValueKind::kUnsigned;
      }
      const char* name = r_.string(d, dw::kName);
      f->name.append("enum ").append(name != nullptr ? name : "<anonymous>");
      return;
    }
    case dw::kStructureType: describe_aggregate(d, "struct", f, depth); return;
    case dw::kUnionType: describe_aggregate(d, "union", f, depth); return;
    case dw::kClassType: describe_aggregate(d, nullptr, f, depth); return;
    case dw::kUnspecifiedType: {  // decltype(nullptr)
      const char* name = r_.string(d, dw::kName);
      f->kind = ValueKind::kPointer;
      f->size = 8;
      f->name.append(name != nullptr ? name : "?");
      return;
    }
    case dw::kPtrToMemberType: {
      uint64_t target;
      Die t;
      bool to_function = r_.reference(d, dw::kType, &target) && r_.read_die(target, &t) &&
                         t.tag == dw::kSubroutineType;
      f->name.append(to_function ? "member function pointer" : "member pointer");
      f->kind = to_function ? ValueKind::kOpaque : ValueKind::kSigned;
      f->size = to_function ? 16 : 8;
      if (to_function) f->pass.eightbytes = 2;
      return;
    }
    default:
      f->name.append("?");
      f->pass = memory_class(f->size);
      return;
  }
}

void SignatureBuilder::classify_array(const Die& d, uint64_t base, Classification* c,
                                      int depth) {
  uint64_t element;
  if (!r_.reference(d, dw::kType, &element)) {
    c->memory = true;
    return;
  }
  TypeFacts e;
  describe(element, true, &e, depth + 1);
  uint64_t count = 0;
  Die sub;
  if (r_.first_child(d, &sub) && sub.tag == dw::kSubrangeType) {
    uint64_t upper;
    if (!r_.unsigned_value(sub, dw::kCount, &count) &&
        r_.unsigned_value(sub, dw::kUpperBound, &upper))
      count = upper + 1;
  }
  if (e.size == 0) return;
  for (uint64_t i = 0; i < count && !c->memory; ++i) classify(element, base + i * e.size, c, depth + 1);
}

void SignatureBuilder::classify_members(const Die& d, uint64_t base, Classification* c,
                                        int depth) {
  Die m;
  for (bool more = r_.first_child(d, &m); more && !c->memory; more = r_.next_sibling(m, &m)) {
    if (m.tag != dw::kMember && m.tag != dw::kInheritance) continue;
    uint64_t offset = 0, type;
    if (!r_.unsigned_value(m, dw::kDataMemberLocation, &offset)) {
      uint64_t bits;
      if (r_.unsigned_value(m, kDataBitOffset, &bits)) offset = bits / 8;
      else if (d.tag != dw::kUnionType && r_.flag(m, dw::kDeclaration)) continue;  // static
    }
    if (r_.reference(m, dw::kType, &type)) classify(type, base + offset, c, depth + 1);
  }
}

void SignatureBuilder::classify(uint64_t type, uint64_t base, Classification* c, int depth) {
  Die d;
  if (depth > kMaxDepth || !strip(type, &d)) {
    c->memory = true;
    return;
  }
  uint64_t size = 0;
  r_.unsigned_value(d, dw::kByteSize, &size);
  switch (d.tag) {
    case dw::kBaseType: {
      uint64_t encoding = 0;
      r_.unsigned_value(d, dw::kEncoding, &encoding);
      bool floating = encoding == dw::kFloat || encoding == dw::kComplexFloat;
      const char* name = r_.string(d, dw::kName);
      if (name != nullptr && (strings_equal(name, "long double") ||
                              strings_equal(name, "complex long double"))) {
        c->memory = true;
        return;
      }
      Eightbyte cls = floating ? Eightbyte::kSse : Eightbyte::kInteger;
      for (uint64_t at = 0; at < size; at += 8) merge(c, base + at, cls);
      return;
    }
    case dw::kPointerType: case dw::kReferenceType: case dw::kRvalueReferenceType:
    case dw::kEnumerationType: case dw::kUnspecifiedType:
      merge(c, base, Eightbyte::kInteger);
      return;
    case dw::kPtrToMemberType:
      for (uint64_t at = 0; at < (size ? size : 8); at += 8) merge(c, base + at, Eightbyte::kInteger);
      return;
    case dw::kStructureType: case dw::kClassType: case dw::kUnionType:
      classify_members(d, base, c, depth);
      return;
    case dw::kArrayType:
      classify_array(d, base, c, depth);
      return;
    default:
      c->memory = true;
      return;
  }
}

void SignatureBuilder::add_parameter(const Die& p, Signature* s,
                                     Vector<PassingClass>* classes) {
  Die named;
  const char* name = holder(p, dw::kName, &named) ? r_.string(named, dw::kName) : nullptr;
  uint64_t type;
  TypeFacts f;
  bool has_type = type_of(p, &type);
  describe(type, has_type, &f, 0);
  Parameter param;
  if (name != nullptr) {
    param.name = copy_text(name);
  } else {
    StringBuilder positional;
    positional.append("arg").append_unsigned(s->params.size());
    param.name = copy_text(positional.c_str());
  }
  param.type = {f.kind, static_cast<uint8_t>(f.size > 255 ? 255 : f.size),
                copy_text(f.name.c_str())};
  param.source = {Where::kNowhere, 0, 0};
  s->params.push_back(param);
  classes->push_back(f.pass);
}

bool SignatureBuilder::has_parameters(const Die& d) const {
  Die p;
  for (bool more = r_.first_child(d, &p); more; more = r_.next_sibling(p, &p))
    if (p.tag == dw::kFormalParameter || p.tag == dw::kUnspecifiedParameters) return true;
  return false;
}

Signature* SignatureBuilder::build(const Die& subprogram) {
  Signature* s = new Signature();
  s->origin = SignatureOrigin::kDwarf;
  s->variadic = false;
  // Parameters: the subprogram's own, else those of what it instantiates.
  Die owner = subprogram, p;
  if (!has_parameters(subprogram)) {
    uint64_t origin;
    Die o;
    if (r_.reference(subprogram, dw::kAbstractOrigin, &origin) && r_.read_die(origin, &o))
      owner = o;
  }
  Vector<PassingClass> classes;
  for (bool more = r_.first_child(owner, &p); more; more = r_.next_sibling(p, &p)) {
    if (p.tag == dw::kFormalParameter) add_parameter(p, s, &classes);
    if (p.tag == dw::kUnspecifiedParameters) s->variadic = true;
  }
  uint64_t result;
  TypeFacts r;
  bool has_result = type_of(subprogram, &result);
  describe(result, has_result, &r, 0);
  s->result = {r.kind, static_cast<uint8_t>(r.size > 255 ? 255 : r.size),
               copy_text(r.name.c_str())};
  place_arguments(s, classes, has_result && r.in_memory_result);
  return s;
}

}  // namespace

void read_dwarf_signatures(const char* object_path, const Vector<Addr>& link_addresses,
                           Vector<Signature*>* out) {
  out->clear();
  for (size_t i = 0; i < link_addresses.size(); ++i) out->push_back(nullptr);
  DwarfSections sections;
  if (!load_debug_sections(object_path, &sections)) return;
  DwarfReader reader(sections);
  if (!reader.load()) return;
  HashMap<uint64_t, size_t> wanted;
  for (size_t i = 0; i < link_addresses.size(); ++i) wanted.insert(link_addresses[i], i);
  SignatureBuilder builder(reader);
  Vector<uint64_t> starts;
  reader.for_each_die([&](const Die& d) {
    if (d.tag != dw::kSubprogram) return;
    reader.code_starts(d, &starts);
    for (size_t i = 0; i < starts.size(); ++i) {
      size_t* index = wanted.find(starts[i]);
      if (index == nullptr || (*out)[*index] != nullptr) continue;
      (*out)[*index] = builder.build(d);
      return;
    }
  });
}

}  // namespace unstuck::argdist

#include "gdbstub/rsp/target_description.h"

#include <string>

#include "gdbstub/rsp/register_map.h"

namespace unstuck::rsp {

namespace {

struct FeatureAnnex {
  RegisterFeature feature;
  std::string_view annex;  // the file name target.xml includes
  std::string_view name;   // the feature name GDB's amd64 support looks for
  std::string_view types;  // types the registers of the feature use
};

constexpr std::string_view kEflagsType = R"(  <flags id="i386_eflags" size="4">
    <field name="CF" start="0" end="0"/>
    <field name="" start="1" end="1"/>
    <field name="PF" start="2" end="2"/>
    <field name="AF" start="4" end="4"/>
    <field name="ZF" start="6" end="6"/>
    <field name="SF" start="7" end="7"/>
    <field name="TF" start="8" end="8"/>
    <field name="IF" start="9" end="9"/>
    <field name="DF" start="10" end="10"/>
    <field name="OF" start="11" end="11"/>
    <field name="NT" start="14" end="14"/>
    <field name="RF" start="16" end="16"/>
    <field name="VM" start="17" end="17"/>
    <field name="AC" start="18" end="18"/>
    <field name="VIF" start="19" end="19"/>
    <field name="VIP" start="20" end="20"/>
    <field name="ID" start="21" end="21"/>
  </flags>
)";

constexpr std::string_view kSseTypes = R"(  <vector id="v4f" type="ieee_single" count="4"/>
  <vector id="v2d" type="ieee_double" count="2"/>
  <vector id="v16i8" type="int8" count="16"/>
  <vector id="v8i16" type="int16" count="8"/>
  <vector id="v4i32" type="int32" count="4"/>
  <vector id="v2i64" type="int64" count="2"/>
  <union id="vec128">
    <field name="v4_float" type="v4f"/>
    <field name="v2_double" type="v2d"/>
    <field name="v16_int8" type="v16i8"/>
    <field name="v8_int16" type="v8i16"/>
    <field name="v4_int32" type="v4i32"/>
    <field name="v2_int64" type="v2i64"/>
    <field name="uint128" type="uint128"/>
  </union>
  <flags id="i386_mxcsr" size="4">
    <field name="IE" start="0" end="0"/>
    <field name="DE" start="1" end="1"/>
    <field name="ZE" start="2" end="2"/>
    <field name="OE" start="3" end="3"/>
    <field name="UE" start="4" end="4"/>
    <field name="PE" start="5" end="5"/>
    <field name="DAZ" start="6" end="6"/>
    <field name="IM" start="7" end="7"/>
    <field name="DM" start="8" end="8"/>
    <field name="ZM" start="9" end="9"/>
    <field name="OM" start="10" end="10"/>
    <field name="UM" start="11" end="11"/>
    <field name="PM" start="12" end="12"/>
    <field name="FZ" start="15" end="15"/>
  </flags>
)";

constexpr FeatureAnnex kFeatures[] = {
    {RegisterFeature::Core, "amd64-core.xml", "org.gnu.gdb.i386.core", kEflagsType},
    {RegisterFeature::Sse, "amd64-sse.xml", "org.gnu.gdb.i386.sse", kSseTypes},
    {RegisterFeature::Linux, "amd64-linux.xml", "org.gnu.gdb.i386.linux", ""},
    {RegisterFeature::Segments, "amd64-segments.xml", "org.gnu.gdb.i386.segments", ""},
    {RegisterFeature::Avx, "amd64-avx.xml", "org.gnu.gdb.i386.avx", ""},
};

constexpr std::string_view kXmlHeader = "<?xml version=\"1.0\"?>\n";

std::string register_element(const RegisterInfo& reg, size_t number) {
  std::string line = "  <reg name=\"" + std::string(reg.name) + "\" bitsize=\"" +
                     std::to_string(reg.bits) + "\" type=\"" + std::string(reg.type) +
                     "\" regnum=\"" + std::to_string(number) + "\"";
  if (!reg.group.empty()) line += " group=\"" + std::string(reg.group) + "\"";
  return line + "/>\n";
}

std::string feature_document(const FeatureAnnex& feature) {
  std::string xml(kXmlHeader);
  xml += "<!DOCTYPE feature SYSTEM \"gdb-target.dtd\">\n<feature name=\"";
  xml += feature.name;
  xml += "\">\n";
  xml += feature.types;
  auto registers = amd64_registers();
  for (size_t n = 0; n < registers.size(); ++n) {
    if (registers[n].feature == feature.feature) xml += register_element(registers[n], n);
  }
  return xml + "</feature>\n";
}

std::string main_document() {
  std::string xml(kXmlHeader);
  xml +=
      "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target>\n"
      "  <architecture>i386:x86-64</architecture>\n"
      "  <osabi>GNU/Linux</osabi>\n";
  for (const auto& feature : kFeatures) {
    xml += "  <xi:include href=\"";
    xml += feature.annex;
    xml += "\"/>\n";
  }
  return xml + "</target>\n";
}

}  // namespace

std::optional<std::string> target_description_annex(std::string_view name) {
  if (name == "target.xml") return main_document();
  for (const auto& feature : kFeatures) {
    if (name == feature.annex) return feature_document(feature);
  }
  return std::nullopt;
}

}  // namespace unstuck::rsp

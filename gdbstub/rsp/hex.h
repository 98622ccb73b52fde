// Hex and binary encodings of the remote protocol: hex strings for most
// data, "}"-escaped binary for X packets and qXfer replies, and the number
// formats packets use (hex addresses, decimal monitor arguments).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace unstuck::rsp {

std::string to_hex(std::span<const uint8_t> bytes);
std::string to_hex(std::string_view text);
// Lower-case hex without leading zeros, as thread ids and addresses are sent.
std::string hex_number(uint64_t value);
// Two hex digits, for signal numbers and exit codes in stop replies.
std::string hex_byte(unsigned value);

// Decodes an even-length hex string; nullopt on any other character.
std::optional<std::string> from_hex(std::string_view hex);
// A hex number that fills all of `text` (no sign, at most 16 digits).
std::optional<uint64_t> parse_hex(std::string_view text);
// A decimal number that fills all of `text`.
std::optional<uint64_t> parse_decimal(std::string_view text);

// Binary data as the protocol carries it: '#', '$', '}' and '*' are sent
// as '}' followed by the byte xor 0x20, so they cannot end or start a
// packet or look like run-length encoding.
std::string escape_binary(std::string_view raw);
// The inverse; nullopt when the data ends in the middle of an escape.
std::optional<std::string> unescape_binary(std::string_view escaped);

// Splits "ADDR,LENGTH" (both hex) as in m, x, M, X and Z packets.
struct AddressLength {
  uint64_t address = 0;
  uint64_t length = 0;
};
std::optional<AddressLength> parse_address_length(std::string_view text);

}  // namespace unstuck::rsp

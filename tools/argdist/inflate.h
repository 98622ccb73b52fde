// zlib decompression (RFC 1950 around RFC 1951's DEFLATE), for the
// SHF_COMPRESSED debug sections that Debian's separate debug files use.
// The tool has no libz; this is a canonical-Huffman decoder with a
// look-up table for short codes, for a library's .debug_info once per run.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace unstuck::argdist {

// Decompresses the zlib stream in[0, in_size) into out[0, out_size), which
// must be exactly the uncompressed size.  False on a malformed stream or a
// size mismatch.
bool zlib_inflate(const uint8_t* in, size_t in_size, uint8_t* out,
                  size_t out_size);

}  // namespace unstuck::argdist

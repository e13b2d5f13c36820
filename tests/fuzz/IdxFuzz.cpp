//===- IdxFuzz.cpp - read_idx on hostile IDX files, plain and gzip --------===//
#include "FuzzUtil.h"

#include <kiln/frontend/Data.h>
#include <kiln/kiln.h>

#include <zlib.h>

using kiln::fuzz::Gen;

namespace {

/// `bytes` as a gzip stream.
std::string gzip(const std::string &bytes) {
  z_stream z{};
  deflateInit2(&z, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, bytes.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  z.next_out = reinterpret_cast<Bytef *>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

/// An IDX file: a magic number of any type and rank, dimensions that
/// match the payload or claim far more, sometimes gzip-compressed.
std::string generate(Gen &g) {
  uint8_t type = g.pick<uint8_t>({0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E, 0x01});
  size_t rank = g.chance(95) ? 1 + g.below(4) : g.pick<size_t>({0, 255});
  std::string out = {0, 0, static_cast<char>(type), static_cast<char>(rank)};
  uint64_t elements = 1;
  for (size_t i = 0; i < rank; ++i) {
    auto d = static_cast<uint32_t>(g.size());
    elements = d == 0 ? 0 : elements * d;
    out += kiln::fuzz::be32(d);
  }
  size_t size = type == 0x0E ? 8 : type >= 0x0C ? 4 : type == 0x0B ? 2 : 1;
  uint64_t bytes = elements * size;
  out += std::string(g.chance(70) && bytes < 65536 ? bytes : g.below(64), '\7');
  if (g.chance(30))
    out = gzip(out);
  return out;
}

} // namespace

KILN_FUZZ_STRUCTURED(generate)

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string path = kiln::fuzz::writeInput(data, size, "input.idx");
  try {
    kiln::data::read_idx(path);
  } catch (const kiln::Error &) {
  }
  return 0;
}

//===- ImageFuzz.cpp - load_image on hostile PNG, JPEG, BMP and PPM files -===//
#include "FuzzUtil.h"

#include <kiln/frontend/Data.h>
#include <kiln/kiln.h>

#include <zlib.h>

using kiln::fuzz::be32;
using kiln::fuzz::Gen;

namespace {

std::string pngChunk(Gen &g, const std::string &type, const std::string &body) {
  std::string typed = type + body;
  uLong crc = crc32(0, reinterpret_cast<const Bytef *>(typed.data()),
                    static_cast<uInt>(typed.size()));
  if (g.chance(5))
    crc ^= 1;
  return be32(static_cast<uint32_t>(body.size())) + typed +
         be32(static_cast<uint32_t>(crc));
}

/// A PNG with valid CRCs (mostly) whose header claims any size, and a
/// little compressed data, real or not.
std::string png(Gen &g) {
  std::string out = "\x89PNG\r\n\x1a\n";
  auto w = static_cast<uint32_t>(g.chance(60) ? 1 + g.below(16) : g.size());
  auto h = static_cast<uint32_t>(g.chance(60) ? 1 + g.below(16) : g.size());
  char depth = g.pick<char>({8, 8, 16, 1, 2, 4, 3});
  char color = g.pick<char>({2, 6, 0, 4, 3, 5});
  out += pngChunk(
      g, "IHDR",
      be32(w) + be32(h) +
          std::string{depth, color, 0, 0, static_cast<char>(g.below(2))});
  if (color == 3)
    out += pngChunk(g, "PLTE", std::string(3 * (1 + g.below(256)), '\x40'));
  std::string raw(g.chance(80) ? g.below(4096) : g.below(16), '\0');
  for (char &c : raw)
    c = g.chance(90) ? 0 : static_cast<char>(g.rng());
  uLongf size = compressBound(raw.size());
  std::string compressed(size, '\0');
  compress(reinterpret_cast<Bytef *>(compressed.data()), &size,
           reinterpret_cast<const Bytef *>(raw.data()), raw.size());
  compressed.resize(size);
  size_t split = g.below(compressed.size() + 1);
  out += pngChunk(g, "IDAT", compressed.substr(0, split));
  out += pngChunk(g, "IDAT", compressed.substr(split));
  if (g.chance(90))
    out += pngChunk(g, "IEND", "");
  return out;
}

std::string le32(uint32_t v) {
  std::string out(4, '\0');
  for (int i = 0; i < 4; ++i)
    out[i] = static_cast<char>(v >> (8 * i));
  return out;
}

/// A BMP, PPM or JPEG whose header claims any size over little data.
std::string other(Gen &g) {
  auto w = static_cast<uint32_t>(g.chance(60) ? 1 + g.below(16) : g.size());
  auto h = static_cast<uint32_t>(g.chance(60) ? 1 + g.below(16) : g.size());
  std::string data(g.below(2048), '\x55');
  switch (g.below(3)) {
  case 0:
    return "BM" + le32(54 + static_cast<uint32_t>(data.size())) + le32(0) +
           le32(54) + le32(40) + le32(w) + le32(h) + std::string{1, 0, 24, 0} +
           std::string(24, '\0') + data;
  case 1:
    return "P6\n" + std::to_string(w) + " " + std::to_string(h) + "\n255\n" +
           data;
  default: {
    // Start of image, then a baseline frame header with the claimed size.
    std::string sof = {'\xff', '\xc0', 0, 17, 8};
    sof += {static_cast<char>(h >> 8), static_cast<char>(h),
            static_cast<char>(w >> 8), static_cast<char>(w), 3};
    for (char c = 1; c <= 3; ++c)
      sof += {c, 0x11, 0};
    return std::string{'\xff', '\xd8'} + sof + data;
  }
  }
}

std::string generate(Gen &g) { return g.chance(60) ? png(g) : other(g); }

} // namespace

KILN_FUZZ_STRUCTURED(generate)

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string path = kiln::fuzz::writeInput(data, size, "input.png");
  try {
    kiln::data::load_image(path);
  } catch (const kiln::Error &) {
  }
  return 0;
}

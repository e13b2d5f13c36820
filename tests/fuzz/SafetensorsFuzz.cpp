//===- SafetensorsFuzz.cpp - load() on hostile files ----------------------===//
#include "FuzzUtil.h"

#include <kiln/kiln.h>

using kiln::fuzz::Gen;

namespace {

std::string name(Gen &g) {
  if (g.chance(70))
    return g.pick<const char *>({"w", "b", "layer.0.weight", "__metadata__"});
  return g.text(g.length());
}

/// A safetensors file: tensors whose offsets tile the data or not, odd
/// names, dtypes and shapes, deep metadata, a length field that lies.
std::string generate(Gen &g) {
  std::string header = "{";
  uint64_t offset = 0;
  size_t tensors = g.below(5);
  for (size_t t = 0; t < tensors; ++t) {
    std::string dtype = g.pick<const char *>(
        {"F32", "F64", "I64", "I32", "BOOL", "F16", "BF16", "U8", "f32", ""});
    uint64_t elements = 1;
    std::string shape = "[";
    size_t rank = g.below(4);
    for (size_t i = 0; i < rank; ++i) {
      uint64_t d = g.size();
      elements = d == 0 ? 0 : elements * d;
      shape += (i ? "," : "") + std::to_string(d);
    }
    shape += "]";
    uint64_t bytes = g.chance(80) ? elements * 4 : g.size();
    uint64_t begin = g.chance(80) ? offset : g.size();
    uint64_t end = g.chance(80) ? begin + bytes : g.size();
    offset = end;
    std::string entry = "{\"dtype\":\"" + dtype + "\",\"shape\":" + shape +
                        ",\"data_offsets\":[" + std::to_string(begin) + "," +
                        std::to_string(end) + "]";
    if (g.chance(5))
      entry += ",\"extra\":" + Gen::nest("[", "1", "]", g.depth());
    entry += g.chance(95) ? "}" : "";
    header += (t ? "," : "") + std::string("\"") + name(g) + "\":" + entry;
  }
  if (g.chance(20))
    header += std::string(tensors ? "," : "") + "\"__metadata__\":" +
              (g.chance(50) ? Gen::nest("{\"k\":", "\"v\"", "}", g.depth())
                            : Gen::nest("[", "\"" + g.text(g.length()) + "\"",
                                        "]", g.depth()));
  header += g.chance(95) ? "}" : "";
  std::string out = kiln::fuzz::le64(g.chance(90) ? header.size() : g.size());
  out += header;
  out += std::string(g.chance(70) && offset < 65536 ? offset : g.below(64),
                     '\x01');
  return out;
}

} // namespace

KILN_FUZZ_STRUCTURED(generate)

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string path = kiln::fuzz::writeInput(data, size, "input.safetensors");
  try {
    kiln::StateDict dict = kiln::load(path);
    // What loads must save and load again to the same names.
    kiln::save(dict, path + ".again");
    if (kiln::load(path + ".again").size() != dict.size())
      __builtin_trap();
  } catch (const kiln::Error &) {
  }
  return 0;
}

//===- JsonFuzz.cpp - The JSON reader and a model folder's meta.json ------===//
#include "FuzzUtil.h"

#include <kiln/frontend/Json.h>
#include <kiln/kiln.h>

using kiln::fuzz::Gen;

namespace {

/// A JSON value `depth` levels deep at most, built without recursion:
/// objects and arrays with duplicate keys, long or odd strings, numbers at
/// the edges of what doubles and integers hold.
std::string value(Gen &g) {
  switch (g.below(6)) {
  case 0:
    return g.pick<const char *>({"1", "-0", "1e400", "9223372036854775808",
                                 "-9223372036854775809", "0.1", "true", "null",
                                 "01", "1.", "--1", "NaN"});
  case 1:
    return "\"" + g.text(g.length()) + "\"";
  case 2:
    return "{\"format\":1,\"format\":" + std::to_string(g.size()) + "}";
  case 3:
    return Gen::nest("[", "0", "]", g.depth());
  case 4:
    return Gen::nest("{\"a\":", "{}", "}", g.depth());
  default:
    return "{\"format\":1,\"inputs\":[{\"name\":\"" + g.text(g.length()) +
           "\",\"shape\":[" + std::to_string(g.size()) + "]}]}";
  }
}

std::string generate(Gen &g) {
  std::string text = value(g);
  if (g.chance(20))
    text = "[" + text + "," + value(g) + "]";
  if (g.chance(5))
    text += g.text(3); // trailing garbage
  return text;
}

} // namespace

KILN_FUZZ_STRUCTURED(generate)

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string text(reinterpret_cast<const char *>(data), size);
  try {
    kiln::detail::parseJson(text, "fuzz");
  } catch (const kiln::Error &) {
  }
  // The same text as a model folder's meta.json (the folder has no graph,
  // so a meta.json that passes still ends in a kiln::Error).
  auto folder = kiln::fuzz::scratch() / "model.kiln";
  std::filesystem::create_directories(folder);
  kiln::fuzz::writeInput(data, size, "model.kiln/meta.json");
  try {
    kiln::load_model(folder.string());
  } catch (const kiln::Error &) {
  }
  return 0;
}

//===- NpyFuzz.cpp - load_npy on hostile .npy files -----------------------===//
#include "FuzzUtil.h"

#include <kiln/kiln.h>

using kiln::fuzz::Gen;

namespace {

/// A .npy file: a header dict (well formed or not), then some data.
std::string generate(Gen &g) {
  std::vector<std::string> items;
  std::string descr = g.pick<const char *>(
      {"<f4", "<f8", "<i4", "<i8", "|b1", "<f2", ">f4", "|u1", "<c8", ""});
  if (g.chance(5))
    descr = g.text(g.length());
  uint64_t elements = 1;
  std::string shape = "(";
  size_t rank = g.chance(95) ? g.below(5) : g.pick<size_t>({64, 5000});
  for (size_t i = 0; i < rank; ++i) {
    uint64_t d = g.size();
    elements = d == 0 ? 0 : elements * d;
    shape += std::to_string(d) + (g.chance(90) ? ", " : ",");
  }
  shape += g.chance(95) ? ")" : "";
  items.push_back("'descr': '" + descr + "'");
  items.push_back(
      std::string("'fortran_order': ") +
      g.pick<const char *>({"False", "False", "True", "0", "None"}));
  items.push_back("'shape': " +
                  (g.chance(5) ? std::to_string(g.size()) : shape));
  if (g.chance(10))
    items.push_back(items[g.below(items.size())]); // a duplicated key
  if (g.chance(5))
    items.push_back("'extra': " + g.text(g.length()));
  std::shuffle(items.begin(), items.end(), g.rng);
  if (g.chance(5))
    items.pop_back();
  std::string dict;
  for (const std::string &item : items)
    dict += item + ", ";
  if (g.chance(95))
    dict = "{" + dict + "}";
  if (g.chance(5))
    dict = Gen::nest("(", dict, ")", g.depth());
  dict += std::string(g.below(70), ' ') + "\n";
  int version = static_cast<int>(g.pick<uint64_t>({1, 1, 2, 3, 4}));
  std::string out = "\x93NUMPY";
  out += static_cast<char>(version);
  out += '\0';
  uint64_t length = g.chance(95) ? dict.size() : g.size();
  for (int i = 0; i < (version == 1 ? 2 : 4); ++i)
    out += static_cast<char>(length >> (8 * i));
  out += dict;
  uint64_t bytes = elements * 8;
  out += std::string(g.chance(70) && bytes < 4096
                         ? (g.chance(80) ? bytes : bytes / 2)
                         : g.below(64),
                     '\x3f');
  return out;
}

} // namespace

KILN_FUZZ_STRUCTURED(generate)

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string path = kiln::fuzz::writeInput(data, size, "input.npy");
  try {
    kiln::Tensor t = kiln::load_npy(path);
    t.data_ptr();
  } catch (const kiln::Error &) {
  }
  return 0;
}

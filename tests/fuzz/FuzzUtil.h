//===- FuzzUtil.h - What Kiln's reader fuzz targets share -------*- C++ -*-===//
//
// Each target hands libFuzzer's input to one reader through a file and
// accepts only a kiln::Error: any other exception, crash or sanitizer report
// is a finding. Besides libFuzzer's byte mutations, a custom mutator
// sometimes replaces the input with a structured case made by the target's
// generator (deep nesting, long strings, huge claimed sizes, duplicate keys),
// so that those shapes are tried from the first second, not found by luck.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_TESTS_FUZZ_FUZZUTIL_H
#define KILN_TESTS_FUZZ_FUZZUTIL_H

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <random>
#include <string>
#include <unistd.h>

extern "C" size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t maxSize);

namespace kiln::fuzz {

/// A folder of this process's own under the temporary folder, removed when
/// the fuzzer exits.
inline std::filesystem::path scratch() {
  static const std::filesystem::path dir = [] {
    auto d = std::filesystem::temp_directory_path() /
             ("kiln-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    // The exit handler runs after `dir` is destroyed: it keeps its own copy.
    static std::string *const removeAtExit = new std::string(d.string());
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(*removeAtExit, ec);
    });
    return d;
  }();
  return dir;
}

/// Writes `size` bytes to the scratch file `name`; returns its path.
inline std::string writeInput(const uint8_t *data, size_t size,
                              const std::string &name) {
  std::string path = (scratch() / name).string();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char *>(data),
            static_cast<std::streamsize>(size));
  return path;
}

/// Random choices for the structured generators.
struct Gen {
  explicit Gen(unsigned seed) : rng(seed) {}
  std::mt19937_64 rng;

  uint64_t below(uint64_t n) { return n ? rng() % n : 0; }
  bool chance(int percent) { return below(100) < uint64_t(percent); }
  template <typename T> T pick(std::initializer_list<T> items) {
    return items.begin()[below(items.size())];
  }
  /// A size as a header might claim one: small, at a boundary, or huge.
  uint64_t size() {
    if (chance(60))
      return below(6);
    return pick<uint64_t>({7, 255, 256, 65535, 65536, (1ull << 31) - 1,
                           1ull << 31, (1ull << 32) - 1, 1ull << 32, 1ull << 40,
                           1ull << 53, 1ull << 62, (1ull << 63) - 1, ~0ull});
  }
  /// A string of `n` characters meant to trouble a parser: quotes,
  /// backslashes, brackets, control bytes, UTF-8 and invalid UTF-8.
  std::string text(size_t n) {
    static const char *const pieces[] = {
        "a",    "Z",       "0",        " ",    "\"",       "'",   "\\",
        "\\\"", "\\u0000", "\\ud800",  "\\r",  "\\b",      "\\f", "[",
        "{",    "}",       "]",        ",",    ":",        "\n",  "\r",
        "\x01", "\x7f",    "\xc3\xa9", "\xff", "\xe2\x82", "*/",  "%"};
    std::string out;
    while (out.size() < n)
      out += pieces[below(std::size(pieces))];
    return out;
  }
  /// A length for a string: mostly short, sometimes long.
  size_t length() { return chance(80) ? below(12) : below(70000); }
  /// `inner` inside `depth` levels of `open`/`close`, built without
  /// recursion.
  static std::string nest(const std::string &open, const std::string &inner,
                          const std::string &close, size_t depth) {
    std::string out;
    out.reserve(depth * (open.size() + close.size()) + inner.size());
    for (size_t i = 0; i < depth; ++i)
      out += open;
    out += inner;
    for (size_t i = 0; i < depth; ++i)
      out += close;
    return out;
  }
  size_t depth() { return pick<size_t>({1, 3, 63, 64, 65, 1000, 100000}); }
};

/// The custom mutator's answer: `bytes` copied into libFuzzer's buffer.
inline size_t emit(const std::string &bytes, uint8_t *data, size_t maxSize) {
  size_t n = std::min(bytes.size(), maxSize);
  std::memcpy(data, bytes.data(), n);
  return n;
}

/// A little-endian 64-bit number as 8 bytes.
inline std::string le64(uint64_t v) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i)
    out[i] = static_cast<char>(v >> (8 * i));
  return out;
}

/// A big-endian 32-bit number as 4 bytes.
inline std::string be32(uint32_t v) {
  std::string out(4, '\0');
  for (int i = 0; i < 4; ++i)
    out[i] = static_cast<char>(v >> (8 * (3 - i)));
  return out;
}

} // namespace kiln::fuzz

/// Defines the custom mutator from `generate(Gen&) -> std::string`: a third
/// of the inputs come from the generator, the rest from libFuzzer's own
/// mutations of the corpus (which holds generated cases too).
#define KILN_FUZZ_STRUCTURED(generate)                                         \
  extern "C" size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size,        \
                                            size_t maxSize, unsigned seed) {   \
    kiln::fuzz::Gen gen(seed);                                                 \
    if (gen.below(3) != 0)                                                     \
      return LLVMFuzzerMutate(data, size, maxSize);                            \
    return kiln::fuzz::emit(generate(gen), data, maxSize);                     \
  }

#endif // KILN_TESTS_FUZZ_FUZZUTIL_H

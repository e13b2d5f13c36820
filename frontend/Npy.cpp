//===- Npy.cpp - Reading and writing NumPy .npy files ---------------------===//
#include "kiln/frontend/Graph.h"
#include "kiln/frontend/Recording.h"
#include "kiln/frontend/Tensor.h"
#include "kiln/ir/Shapes.h"
#include "kiln/runtime/AtomicFile.h"
#include "kiln/runtime/Error.h"

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstring>
#include <fstream>

namespace kiln {

namespace {

constexpr char kMagic[] = "\x93NUMPY";

std::string_view descr(ScalarType t, const std::string &path) {
  switch (t) {
  case kBool:
    return "|b1";
  case kUInt8:
    return "|u1";
  case kInt8:
    return "|i1";
  case kInt16:
    return "<i2";
  case kInt32:
    return "<i4";
  case kInt64:
    return "<i8";
  case kFloat16:
    return "<f2";
  case kFloat32:
    return "<f4";
  case kFloat64:
    return "<f8";
  case kBFloat16:
    break;
  }
  throw Error("save_npy: " + path +
              ": NumPy has no bfloat16; convert the tensor to float32 first");
}

[[noreturn]] void bad(const std::string &path, const std::string &what) {
  throw Error("load_npy: " + path + ": " + what);
}

/// What a .npy header says.
struct NpyHeader {
  std::string descr;
  bool fortranOrder = false;
  Shape shape;
};

/// The header: a Python dict literal with exactly the keys 'descr' (a
/// string), 'fortran_order' (True or False) and 'shape' (a tuple of
/// non-negative integers), each once, as numpy writes and requires. Parsed
/// by hand in one pass: no nesting, no regular expressions.
class NpyHeaderParser {
public:
  NpyHeaderParser(std::string_view text, const std::string &path)
      : text_(text), path_(path) {}

  NpyHeader parse() {
    NpyHeader header;
    bool descr = false, order = false, shape = false;
    expect('{');
    while (!accept('}')) {
      std::string key = string();
      expect(':');
      if (key == "descr" && !descr) {
        header.descr = string();
        descr = true;
      } else if (key == "fortran_order" && !order) {
        header.fortranOrder = boolean();
        order = true;
      } else if (key == "shape" && !shape) {
        header.shape = tuple();
        shape = true;
      } else if (key == "descr" || key == "fortran_order" || key == "shape") {
        fail("the key '" + key + "' appears twice");
      } else {
        fail("unexpected key '" + key +
             "' (a .npy header has 'descr', 'fortran_order' and 'shape')");
      }
      if (accept(','))
        continue;
      expect('}');
      break;
    }
    skipSpace();
    if (pos_ != text_.size())
      fail("unexpected text after the header's dict at byte " +
           std::to_string(pos_));
    if (!descr)
      fail("header has no 'descr'");
    if (!order)
      fail("header has no 'fortran_order'");
    if (!shape)
      fail("header has no 'shape'");
    return header;
  }

private:
  [[noreturn]] void fail(const std::string &what) {
    bad(path_, "malformed header: " + what);
  }
  void skipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
  }
  bool accept(char c) {
    skipSpace();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  void expect(char c) {
    if (!accept(c))
      fail(std::string("expected '") + c + "' at byte " + std::to_string(pos_) +
           " (the header must be a Python dict literal)");
  }
  /// A quoted string without escapes (no valid key or descr has one).
  std::string string() {
    skipSpace();
    char quote = pos_ < text_.size() ? text_[pos_] : '\0';
    if (quote != '\'' && quote != '"')
      fail("expected a quoted string at byte " + std::to_string(pos_));
    size_t end = text_.find(quote, pos_ + 1);
    if (end == std::string_view::npos)
      fail("unterminated string at byte " + std::to_string(pos_));
    std::string_view value = text_.substr(pos_ + 1, end - pos_ - 1);
    if (value.find('\\') != std::string_view::npos ||
        value.find('\n') != std::string_view::npos)
      fail("unexpected escape or line break in a string at byte " +
           std::to_string(pos_));
    pos_ = end + 1;
    return std::string(value);
  }
  bool boolean() {
    skipSpace();
    for (auto [word, value] : {std::pair{"True", true}, {"False", false}})
      if (text_.substr(pos_).starts_with(word)) {
        pos_ += std::strlen(word);
        return value;
      }
    fail("'fortran_order' must be True or False");
  }
  Shape tuple() {
    Shape shape;
    expect('(');
    bool comma = false;
    while (!accept(')')) {
      skipSpace();
      size_t start = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9')
        ++pos_;
      if (pos_ == start)
        fail("a shape entry at byte " + std::to_string(start) +
             " is not a non-negative integer");
      if (pos_ - start > 18)
        fail("the shape entry " +
             std::string(text_.substr(start, pos_ - start)) + " is too large");
      shape.push_back(
          std::stoll(std::string(text_.substr(start, pos_ - start))));
      comma = accept(',');
      if (!comma) {
        expect(')');
        break;
      }
    }
    // (3) is the integer 3 in Python, not a tuple.
    if (shape.size() == 1 && !comma)
      fail("'shape' must be a tuple; a single size is written (n,)");
    return shape;
  }

  std::string_view text_;
  const std::string &path_;
  size_t pos_ = 0;
};

} // namespace

void save_npy(const Tensor &t, const std::string &path) {
  if (!t.defined())
    throw Error("save_npy: " + path + ": the tensor is undefined");
  std::string header = "{'descr': '" + std::string(descr(t.dtype(), path)) +
                       "', 'fortran_order': False, 'shape': (";
  for (int64_t d : t.sizes())
    header += std::to_string(d) + (t.dim() == 1 ? ",)" : ", ");
  if (t.dim() != 1) {
    if (t.dim() > 1)
      header.resize(header.size() - 2);
    header += ")";
  }
  header += ", }";
  // Pad so that the data starts on a 64-byte boundary, ending in '\n'.
  size_t total = 6 + 2 + 2 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';

  runtime::writeFileAtomically(path, "save_npy", [&](std::ostream &out) {
    out.write(kMagic, 6);
    out.put(1).put(0);
    uint16_t len = static_cast<uint16_t>(header.size());
    out.put(static_cast<char>(len & 0xff)).put(static_cast<char>(len >> 8));
    out << header;
    out.write(
        static_cast<const char *>(t.data_ptr()),
        static_cast<std::streamsize>(t.numel() * element_size(t.dtype())));
  });
}

Tensor load_npy(const std::string &path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in)
    throw Error("load_npy: cannot open " + path + ": " + std::strerror(errno));
  auto fileSize =
      static_cast<uint64_t>(std::max<std::streamoff>(in.tellg(), 0));
  in.seekg(0);
  char magic[6];
  if (!in.read(magic, 6) || std::memcmp(magic, kMagic, 6) != 0)
    bad(path, "not a .npy file (bad magic)");
  int major = in.get(), minor = in.get();
  if (!in || (major != 1 && major != 2 && major != 3) || minor != 0)
    bad(path, "unsupported .npy version");
  uint32_t len = 0;
  int lenBytes = major == 1 ? 2 : 4;
  for (int i = 0; i < lenBytes; ++i) {
    int c = in.get();
    if (c == EOF)
      bad(path, "truncated header");
    len |= static_cast<uint32_t>(c) << (8 * i);
  }
  uint64_t dataStart = 8 + lenBytes + uint64_t(len);
  if (len > (1u << 20))
    bad(path, "header of " + std::to_string(len) + " bytes is too large");
  if (dataStart > fileSize)
    bad(path, "truncated header: it claims " + std::to_string(len) +
                  " bytes, the file has " + std::to_string(fileSize) +
                  " bytes in all");
  std::string text(len, '\0');
  if (!in.read(text.data(), len))
    bad(path, "truncated header");
  NpyHeader header = NpyHeaderParser(text, path).parse();

  const std::string &d = header.descr;
  ScalarType dtype;
  if (d == "|b1")
    dtype = kBool;
  else if (d == "|u1")
    dtype = kUInt8;
  else if (d == "|i1")
    dtype = kInt8;
  else if (d == "<i2")
    dtype = kInt16;
  else if (d == "<i4")
    dtype = kInt32;
  else if (d == "<i8")
    dtype = kInt64;
  else if (d == "<f2")
    dtype = kFloat16;
  else if (d == "<f4")
    dtype = kFloat32;
  else if (d == "<f8")
    dtype = kFloat64;
  else
    bad(path, "unsupported dtype '" + d +
                  "' (Kiln reads little-endian bool, int32, int64, float16, "
                  "float32 and float64)");
  if (header.fortranOrder)
    bad(path, "Fortran-ordered arrays are not supported; save a C-ordered "
              "copy (numpy.ascontiguousarray)");
  // The sizes the header claims must be the bytes the file holds, checked
  // before anything is allocated: neither the product (nor that of the
  // nonzero sizes, which strides multiply) may wrap.
  const Shape &shape = header.shape;
  uint64_t bytes = element_size(dtype);
  bool empty = false;
  for (int64_t n : shape) {
    empty |= n == 0;
    if (n != 0 &&
        (__builtin_mul_overflow(bytes, static_cast<uint64_t>(n), &bytes) ||
         bytes > uint64_t(INT64_MAX)))
      bad(path, "the shape " + ir::formatShape(shape) + " is too large");
  }
  if (empty)
    bytes = 0;
  if (bytes != fileSize - dataStart)
    bad(path, std::string(bytes > fileSize - dataStart ? "truncated data"
                                                       : "trailing data") +
                  ": the shape " + ir::formatShape(shape) + " of " + d +
                  " needs " + std::to_string(bytes) +
                  " bytes after the header, the file has " +
                  std::to_string(fileSize - dataStart));
  auto impl = detail::makeRealized({shape, dtype});
  if (!in.read(static_cast<char *>(impl->storage->data),
               static_cast<std::streamsize>(bytes)))
    bad(path, "truncated data: expected " + std::to_string(bytes) +
                  " bytes for shape " + ir::formatShape(shape));
  if (dtype == kBool)
    for (size_t i = 0; i < bytes; ++i)
      static_cast<uint8_t *>(impl->storage->data)[i] =
          static_cast<uint8_t *>(impl->storage->data)[i] != 0;
  return Tensor(impl);
}

} // namespace kiln

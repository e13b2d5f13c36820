//===- Npy.cpp - Reading and writing NumPy .npy files ---------------------===//
#include "kiln/frontend/Graph.h"
#include "kiln/frontend/Tensor.h"
#include "kiln/ir/Shapes.h"
#include "kiln/runtime/Error.h"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>

namespace kiln {

namespace {

constexpr char kMagic[] = "\x93NUMPY";

std::string_view descr(ScalarType t, const std::string &path) {
  switch (t) {
  case kBool:
    return "|b1";
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

  detail::writeFileAtomically(path, "save_npy", [&](std::ostream &out) {
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
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw Error("load_npy: cannot open " + path + ": " + std::strerror(errno));
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
  if (len > (1u << 20))
    bad(path, "header of " + std::to_string(len) + " bytes is too large");
  std::string header(len, '\0');
  if (!in.read(header.data(), len))
    bad(path, "truncated header");

  std::smatch m;
  static const std::regex descrRe(R"('descr'\s*:\s*'([^']*)')");
  static const std::regex orderRe(R"('fortran_order'\s*:\s*(True|False))");
  static const std::regex shapeRe(R"('shape'\s*:\s*\(([^)]*)\))");
  if (!std::regex_search(header, m, descrRe))
    bad(path, "header has no 'descr'");
  std::string d = m[1];
  ScalarType dtype;
  if (d == "|b1")
    dtype = kBool;
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
  if (!std::regex_search(header, m, orderRe))
    bad(path, "header has no 'fortran_order'");
  if (m[1] == "True")
    bad(path, "Fortran-ordered arrays are not supported; save a C-ordered "
              "copy (numpy.ascontiguousarray)");
  if (!std::regex_search(header, m, shapeRe))
    bad(path, "header has no 'shape'");
  Shape shape;
  std::string dims = m[1];
  std::stringstream ss(dims);
  std::string item;
  int64_t count = 1;
  while (std::getline(ss, item, ',')) {
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (item.empty())
      continue;
    if (item.find_first_not_of("0123456789") != std::string::npos ||
        item.size() > 12)
      bad(path, "bad shape entry '" + item + "'");
    int64_t n = std::stoll(item);
    shape.push_back(n);
    if (n != 0 && count > (int64_t(1) << 40) / n)
      bad(path, "shape is too large");
    count *= n;
  }
  auto impl = detail::makeRealized({shape, dtype});
  size_t bytes = impl->type.bytes();
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

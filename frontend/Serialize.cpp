//===- Serialize.cpp - State dicts in the safetensors format --------------===//
#include "kiln/frontend/Serialize.h"
#include "kiln/frontend/Graph.h"
#include "kiln/frontend/Json.h"
#include "kiln/frontend/Safetensors.h"
#include "kiln/ir/Shapes.h"
#include "kiln/runtime/AtomicFile.h"
#include "kiln/runtime/Error.h"

#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <fstream>
#include <set>

namespace kiln {

namespace {

const std::pair<ScalarType, std::string_view> kDtypeNames[] = {
    {kBool, "BOOL"},   {kUInt8, "U8"},   {kInt8, "I8"},     {kInt16, "I16"},
    {kInt32, "I32"},   {kInt64, "I64"},  {kFloat16, "F16"}, {kBFloat16, "BF16"},
    {kFloat32, "F32"}, {kFloat64, "F64"}};

/// The largest header a file may claim; PyTorch's reader allows 100 MB.
constexpr uint64_t kMaxHeaderBytes = uint64_t(100) << 20;

/// A JSON number that is a non-negative integer below 2^53 (exact in the
/// doubles other JSON readers use).
std::optional<uint64_t> byteCount(const llvm::json::Value &v) {
  std::optional<int64_t> n = v.getAsInteger();
  if (!n || *n < 0 || *n > (int64_t(1) << 53))
    return std::nullopt;
  return static_cast<uint64_t>(*n);
}

/// The entry for tensor `name`: exactly the fields dtype, shape and
/// data_offsets, checked against each other and the data section.
detail::SafetensorsEntry entry(const std::string &name,
                               const llvm::json::Value &value,
                               uint64_t dataSize,
                               const std::function<void(std::string)> &bad) {
  auto malformed = [&](const std::string &what) {
    bad("malformed safetensors header: tensor '" + name + "' " + what);
  };
  const llvm::json::Object *o = value.getAsObject();
  if (!o)
    malformed("is not an object");
  for (const auto &field : *o)
    if (field.first != "dtype" && field.first != "shape" &&
        field.first != "data_offsets")
      malformed("has an unknown field '" + field.first.str() + "'");
  std::optional<llvm::StringRef> dtypeName = o->getString("dtype");
  const llvm::json::Array *shape = o->getArray("shape");
  const llvm::json::Array *offsets = o->getArray("data_offsets");
  if (!dtypeName || !shape || !offsets || offsets->size() != 2)
    malformed("needs a string dtype, an array shape and two data_offsets");
  detail::SafetensorsEntry e;
  e.name = name;
  std::optional<ScalarType> dtype;
  for (auto &[type, n] : kDtypeNames)
    if (n == dtypeName->str())
      dtype = type;
  if (!dtype)
    bad("tensor '" + name + "' has unsupported dtype '" + dtypeName->str() +
        "'");
  e.dtype = *dtype;
  uint64_t bytes = element_size(*dtype);
  for (const llvm::json::Value &d : *shape) {
    std::optional<uint64_t> size = byteCount(d);
    if (!size)
      malformed("has a shape entry that is not a non-negative integer");
    e.shape.push_back(static_cast<int64_t>(*size));
  }
  // Checked before any allocation: the product may not wrap (nor that of
  // the nonzero sizes, which strides multiply), and the data must be in the
  // file.
  bool empty = false;
  for (int64_t d : e.shape) {
    empty |= d == 0;
    if (d != 0 &&
        (__builtin_mul_overflow(bytes, static_cast<uint64_t>(d), &bytes) ||
         bytes > uint64_t(INT64_MAX)))
      bad("tensor '" + name + "' has a shape " + ir::formatShape(e.shape) +
          " too large to address");
  }
  if (empty)
    bytes = 0;
  std::optional<uint64_t> begin = byteCount((*offsets)[0]),
                          end = byteCount((*offsets)[1]);
  if (!begin || !end)
    malformed("has data_offsets that are not non-negative integers");
  e.begin = *begin;
  e.end = *end;
  if (e.begin > e.end || e.end > dataSize || e.end - e.begin != bytes)
    bad("tensor '" + name + "' has data_offsets [" + std::to_string(e.begin) +
        ", " + std::to_string(e.end) + "] that do not match its shape " +
        ir::formatShape(e.shape) + " and " + dtypeName->str() + " within " +
        std::to_string(dataSize) + " data bytes");
  return e;
}

} // namespace

detail::SafetensorsHeader detail::readSafetensorsHeader(std::istream &in,
                                                        const std::string &path,
                                                        std::string_view op) {
  auto bad = [&](const std::string &what) {
    throw Error(std::string(op) + ": " + path + ": " + what);
  };
  in.seekg(0, std::ios::end);
  auto end = in.tellg();
  in.seekg(0);
  if (!in || end < 0)
    bad("cannot read its size");
  auto fileSize = static_cast<uint64_t>(end);
  if (fileSize < 8)
    bad("too short for a safetensors file (" + std::to_string(fileSize) +
        " bytes)");
  unsigned char lengthBytes[8];
  in.read(reinterpret_cast<char *>(lengthBytes), 8);
  uint64_t headerLength = 0;
  for (int i = 0; i < 8; ++i)
    headerLength |= static_cast<uint64_t>(lengthBytes[i]) << (8 * i);
  if (headerLength > fileSize - 8 || headerLength > kMaxHeaderBytes)
    bad("header length " + std::to_string(headerLength) +
        " exceeds the file size " + std::to_string(fileSize));
  SafetensorsHeader header;
  header.prefix.assign(reinterpret_cast<const char *>(lengthBytes), 8);
  header.prefix.resize(8 + headerLength);
  if (!in.read(header.prefix.data() + 8,
               static_cast<std::streamsize>(headerLength)))
    bad("truncated header");
  header.dataSize = fileSize - 8 - headerLength;
  llvm::json::Value json = detail::parseJson(
      llvm::StringRef(header.prefix).drop_front(8),
      std::string(op) + ": " + path + ": malformed safetensors header");
  const llvm::json::Object *top = json.getAsObject();
  if (!top)
    bad("malformed safetensors header: not a JSON object");
  for (const auto &[key, value] : *top) {
    if (key == "__metadata__") {
      if (!value.getAsObject())
        bad("malformed safetensors header: __metadata__ is not an object");
      continue;
    }
    header.entries.push_back(entry(key.str(), value, header.dataSize,
                                   [&](std::string what) { bad(what); }));
  }
  // The tensors in file order; ties (empty tensors) by name, as JSON
  // objects are unordered.
  std::sort(header.entries.begin(), header.entries.end(),
            [](const SafetensorsEntry &a, const SafetensorsEntry &b) {
              return std::tie(a.begin, a.end, a.name) <
                     std::tie(b.begin, b.end, b.name);
            });
  uint64_t covered = 0;
  for (const SafetensorsEntry &e : header.entries) {
    if (e.begin != covered)
      bad("the data section is not exactly the tensors' data: " +
          (e.begin < covered
               ? "tensor '" + e.name + "' overlaps the one before it"
               : "bytes [" + std::to_string(covered) + ", " +
                     std::to_string(e.begin) + ") belong to no tensor") +
          " (a torn or corrupt file)");
    covered = e.end;
  }
  if (covered != header.dataSize)
    bad("the data section has " + std::to_string(header.dataSize) +
        " bytes but the tensors' data ends at byte " + std::to_string(covered) +
        " (a torn or corrupt file)");
  return header;
}

namespace {

/// The safetensors header of `tensors` (8-byte aligned); errors name
/// `where`.
std::string headerOf(const StateDict &tensors, const std::string &where) {
  std::set<std::string> names;
  std::string header;
  llvm::raw_string_ostream os(header);
  llvm::json::OStream json(os);
  uint64_t offset = 0;
  json.objectBegin();
  for (auto &[name, t] : tensors) {
    if (!names.insert(name).second)
      throw Error("save: " + where + ": the name '" + name + "' appears twice");
    if (!t.defined())
      throw Error("save: " + where + ": tensor '" + name + "' is undefined");
    if (!llvm::json::isUTF8(name))
      throw Error("save: " + where + ": the name '" + name +
                  "' is not valid UTF-8 (safetensors names are JSON strings)");
    uint64_t bytes = t.numel() * element_size(t.dtype());
    std::string_view dtype;
    for (auto &[type, n] : kDtypeNames)
      if (type == t.dtype())
        dtype = n;
    json.attributeObject(name, [&] {
      json.attribute("dtype", llvm::StringRef(dtype));
      json.attributeArray("shape", [&] {
        for (int64_t d : t.sizes())
          json.value(d);
      });
      json.attributeArray("data_offsets", [&] {
        json.value(static_cast<int64_t>(offset));
        json.value(static_cast<int64_t>(offset + bytes));
      });
    });
    offset += bytes;
  }
  json.objectEnd();
  os.flush();
  header.append((8 - header.size() % 8) % 8, ' '); // data 8-byte aligned
  return header;
}

void writeSafetensors(const StateDict &tensors, const std::string &header,
                      std::ostream &out) {
  uint64_t length = header.size();
  for (int i = 0; i < 8; ++i)
    out.put(static_cast<char>((length >> (8 * i)) & 0xff));
  out << header;
  for (auto &[name, t] : tensors)
    out.write(
        static_cast<const char *>(t.data_ptr()),
        static_cast<std::streamsize>(t.numel() * element_size(t.dtype())));
}

StateDict readSafetensors(std::istream &in, const std::string &where) {
  detail::SafetensorsHeader header =
      detail::readSafetensorsHeader(in, where, "load");
  uint64_t dataStart = header.prefix.size();
  StateDict out;
  for (const detail::SafetensorsEntry &e : header.entries) {
    auto impl = detail::makeRealized({e.shape, e.dtype});
    uint64_t bytes = e.end - e.begin;
    in.seekg(static_cast<std::streamoff>(dataStart + e.begin));
    if (!in.read(static_cast<char *>(impl->storage->data),
                 static_cast<std::streamsize>(bytes)))
      throw Error("load: " + where + ": truncated data for tensor '" + e.name +
                  "'");
    if (e.dtype == kBool)
      for (uint64_t i = 0; i < bytes; ++i)
        static_cast<uint8_t *>(impl->storage->data)[i] =
            static_cast<uint8_t *>(impl->storage->data)[i] != 0;
    out.emplace_back(e.name, Tensor(impl));
  }
  return out;
}

} // namespace

void save(const StateDict &tensors, const std::string &path) {
  std::string header = headerOf(tensors, path);
  runtime::writeFileAtomically(path, "save", [&](std::ostream &out) {
    writeSafetensors(tensors, header, out);
  });
}

void save(const StateDict &tensors, std::ostream &stream) {
  std::string header = headerOf(tensors, "<stream>");
  writeSafetensors(tensors, header, stream);
  if (!stream)
    throw Error("save: writing to the stream failed");
}

StateDict load(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw Error("load: cannot open " + path + ": " + std::strerror(errno));
  return readSafetensors(in, path);
}

StateDict load(std::istream &stream) {
  if (!stream)
    throw Error("load: the stream is not readable");
  return readSafetensors(stream, "<stream>");
}

} // namespace kiln

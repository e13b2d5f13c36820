//===- Serialize.cpp - State dicts in the safetensors format --------------===//
#include "kiln/frontend/Serialize.h"
#include "kiln/frontend/Graph.h"
#include "kiln/ir/Shapes.h"
#include "kiln/runtime/Error.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <set>

namespace kiln {

namespace {

const std::pair<ScalarType, std::string_view> kDtypeNames[] = {
    {kBool, "BOOL"},     {kInt32, "I32"},   {kInt64, "I64"},  {kFloat16, "F16"},
    {kBFloat16, "BF16"}, {kFloat32, "F32"}, {kFloat64, "F64"}};

std::string jsonString(const std::string &s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\')
      out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
      continue;
    }
    out += c;
  }
  return out + "\"";
}

/// A strict parser for the header: an object of objects with string, integer
/// and integer-array values. Anything else is an error.
class HeaderParser {
public:
  HeaderParser(std::string_view text, const std::string &path)
      : text_(text), path_(path) {}

  struct Entry {
    std::string dtype;
    std::vector<int64_t> shape;
    std::vector<int64_t> offsets;
  };

  std::vector<std::pair<std::string, Entry>> parse() {
    std::vector<std::pair<std::string, Entry>> entries;
    expect('{');
    if (peek() == '}') {
      ++pos_;
      return entries;
    }
    while (true) {
      std::string name = string();
      expect(':');
      if (name == "__metadata__") {
        skipStringObject();
      } else {
        entries.emplace_back(name, entry(name));
      }
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      expect('}');
      break;
    }
    skipSpace();
    if (pos_ != text_.size())
      bad("trailing characters after the header object");
    return entries;
  }

private:
  [[noreturn]] void bad(const std::string &what) {
    throw Error("load: " + path_ + ": malformed safetensors header: " + what);
  }
  void skipSpace() {
    while (pos_ < text_.size() &&
           std::isspace(static_cast<unsigned char>(text_[pos_])))
      ++pos_;
  }
  char peek() {
    skipSpace();
    if (pos_ >= text_.size())
      bad("unexpected end");
    return text_[pos_];
  }
  void expect(char c) {
    if (peek() != c)
      bad(std::string("expected '") + c + "' at byte " + std::to_string(pos_));
    ++pos_;
  }
  std::string string() {
    expect('"');
    std::string out;
    while (true) {
      if (pos_ >= text_.size())
        bad("unterminated string");
      char c = text_[pos_++];
      if (c == '"')
        return out;
      if (c == '\\') {
        if (pos_ >= text_.size())
          bad("unterminated escape");
        char e = text_[pos_++];
        if (e == 'u') {
          if (pos_ + 4 > text_.size())
            bad("short \\u escape");
          unsigned code = 0;
          for (int i = 0; i < 4; ++i) {
            char h = text_[pos_++];
            int digit = std::isdigit(static_cast<unsigned char>(h)) ? h - '0'
                        : (h >= 'a' && h <= 'f') ? h - 'a' + 10
                        : (h >= 'A' && h <= 'F') ? h - 'A' + 10
                                                 : -1;
            if (digit < 0)
              bad("bad \\u escape");
            code = code * 16 + static_cast<unsigned>(digit);
          }
          if (code > 0x7f)
            bad("non-ASCII \\u escapes are not supported");
          out += static_cast<char>(code);
        } else {
          out += e == 'n' ? '\n' : e == 't' ? '\t' : e;
        }
      } else {
        out += c;
      }
    }
  }
  int64_t integer() {
    skipSpace();
    size_t start = pos_;
    while (pos_ < text_.size() &&
           std::isdigit(static_cast<unsigned char>(text_[pos_])))
      ++pos_;
    if (pos_ == start || pos_ - start > 15)
      bad("expected a non-negative integer at byte " + std::to_string(start));
    return std::stoll(std::string(text_.substr(start, pos_ - start)));
  }
  std::vector<int64_t> integers() {
    std::vector<int64_t> out;
    expect('[');
    if (peek() == ']') {
      ++pos_;
      return out;
    }
    while (true) {
      out.push_back(integer());
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      expect(']');
      return out;
    }
  }
  Entry entry(const std::string &name) {
    Entry e;
    bool dtype = false, shape = false, offsets = false;
    expect('{');
    while (true) {
      std::string key = string();
      expect(':');
      if (key == "dtype") {
        e.dtype = string();
        dtype = true;
      } else if (key == "shape") {
        e.shape = integers();
        shape = true;
      } else if (key == "data_offsets") {
        e.offsets = integers();
        offsets = true;
      } else {
        bad("unknown field '" + key + "' for tensor '" + name + "'");
      }
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      expect('}');
      break;
    }
    if (!dtype || !shape || !offsets || e.offsets.size() != 2)
      bad("tensor '" + name + "' needs dtype, shape and two data_offsets");
    return e;
  }
  void skipStringObject() {
    expect('{');
    if (peek() == '}') {
      ++pos_;
      return;
    }
    while (true) {
      string();
      expect(':');
      string();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      expect('}');
      return;
    }
  }

  std::string_view text_;
  const std::string &path_;
  size_t pos_ = 0;
};

} // namespace

void save(const StateDict &tensors, const std::string &path) {
  std::set<std::string> names;
  std::string header = "{";
  uint64_t offset = 0;
  for (auto &[name, t] : tensors) {
    if (!names.insert(name).second)
      throw Error("save: " + path + ": the name '" + name + "' appears twice");
    if (!t.defined())
      throw Error("save: " + path + ": tensor '" + name + "' is undefined");
    uint64_t bytes = t.numel() * element_size(t.dtype());
    std::string_view dtype;
    for (auto &[type, n] : kDtypeNames)
      if (type == t.dtype())
        dtype = n;
    header += (header.size() > 1 ? "," : "") + jsonString(name) +
              ":{\"dtype\":\"" + std::string(dtype) + "\",\"shape\":[";
    for (size_t i = 0; i < t.sizes().size(); ++i)
      header += (i ? "," : "") + std::to_string(t.sizes()[i]);
    header += "],\"data_offsets\":[" + std::to_string(offset) + "," +
              std::to_string(offset + bytes) + "]}";
    offset += bytes;
  }
  header += "}";
  header.append((8 - header.size() % 8) % 8, ' '); // data 8-byte aligned

  detail::writeFileAtomically(path, "save", [&](std::ostream &out) {
    uint64_t length = header.size();
    for (int i = 0; i < 8; ++i)
      out.put(static_cast<char>((length >> (8 * i)) & 0xff));
    out << header;
    for (auto &[name, t] : tensors)
      out.write(
          static_cast<const char *>(t.data_ptr()),
          static_cast<std::streamsize>(t.numel() * element_size(t.dtype())));
  });
}

void detail::writeFileAtomically(
    const std::string &path, std::string_view op,
    const std::function<void(std::ostream &)> &write) {
  std::string tmp = path + ".tmp";
  std::string prefix = std::string(op) + ": ";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out)
      throw Error(prefix + "cannot write " + tmp + ": " + std::strerror(errno));
    try {
      write(out);
    } catch (...) {
      out.close();
      std::remove(tmp.c_str());
      throw;
    }
    out.close();
    if (!out) {
      std::remove(tmp.c_str());
      throw Error(prefix + "writing " + tmp + " failed");
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw Error(prefix + "cannot rename " + tmp + " to " + path + ": " +
                std::strerror(errno));
  }
}

StateDict load(const std::string &path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in)
    throw Error("load: cannot open " + path + ": " + std::strerror(errno));
  auto fileSize = static_cast<uint64_t>(in.tellg());
  in.seekg(0);
  auto bad = [&](const std::string &what) {
    throw Error("load: " + path + ": " + what);
  };
  if (fileSize < 8)
    bad("too short for a safetensors file (" + std::to_string(fileSize) +
        " bytes)");
  unsigned char lengthBytes[8];
  in.read(reinterpret_cast<char *>(lengthBytes), 8);
  uint64_t headerLength = 0;
  for (int i = 0; i < 8; ++i)
    headerLength |= static_cast<uint64_t>(lengthBytes[i]) << (8 * i);
  if (headerLength > fileSize - 8 || headerLength > (uint64_t(100) << 20))
    bad("header length " + std::to_string(headerLength) +
        " exceeds the file size " + std::to_string(fileSize));
  std::string header(headerLength, '\0');
  if (!in.read(header.data(), static_cast<std::streamsize>(headerLength)))
    bad("truncated header");
  auto entries = HeaderParser(header, path).parse();
  uint64_t dataSize = fileSize - 8 - headerLength;

  StateDict out;
  std::set<std::string> names;
  for (auto &[name, e] : entries) {
    if (!names.insert(name).second)
      bad("the name '" + name + "' appears twice");
    std::optional<ScalarType> dtype;
    for (auto &[type, n] : kDtypeNames)
      if (n == e.dtype)
        dtype = type;
    if (!dtype)
      bad("tensor '" + name + "' has unsupported dtype '" + e.dtype + "'");
    uint64_t count = 1;
    for (int64_t d : e.shape) {
      if (d != 0 && count > (uint64_t(1) << 40) / static_cast<uint64_t>(d))
        bad("tensor '" + name + "' is too large");
      count *= static_cast<uint64_t>(d);
    }
    uint64_t bytes = count * element_size(*dtype);
    auto begin = static_cast<uint64_t>(e.offsets[0]),
         end = static_cast<uint64_t>(e.offsets[1]);
    if (begin > end || end > dataSize || end - begin != bytes)
      bad("tensor '" + name + "' has data_offsets [" + std::to_string(begin) +
          ", " + std::to_string(end) + "] that do not match its shape " +
          ir::formatShape(e.shape) + " and " + e.dtype + " within " +
          std::to_string(dataSize) + " data bytes");
    auto impl = detail::makeRealized({e.shape, *dtype});
    in.seekg(static_cast<std::streamoff>(8 + headerLength + begin));
    if (!in.read(static_cast<char *>(impl->storage->data),
                 static_cast<std::streamsize>(bytes)))
      bad("truncated data for tensor '" + name + "'");
    if (*dtype == kBool)
      for (uint64_t i = 0; i < bytes; ++i)
        static_cast<uint8_t *>(impl->storage->data)[i] =
            static_cast<uint8_t *>(impl->storage->data)[i] != 0;
    out.emplace_back(name, Tensor(impl));
  }
  return out;
}

} // namespace kiln

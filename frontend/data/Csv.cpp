//===- Csv.cpp - CSV files ------------------------------------------------===//
//
// CSVDataset: splits lines into cells and parses each as a number.
//
//===----------------------------------------------------------------------===//
#include "kiln/frontend/data/Csv.h"
#include "kiln/frontend/data/DataInternal.h"
#include "kiln/runtime/Error.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <optional>
#include <string_view>
#include <system_error>

namespace kiln::data {

namespace {

bool isBlank(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && isBlank(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && isBlank(s.back()))
    s.remove_suffix(1);
  return s;
}

/// The cells of `line`, trimmed, without the quotes of quoted ones (which
/// may hold the delimiter). An unterminated quote is an error for `where`.
std::vector<std::string_view> splitCells(std::string_view line, char delimiter,
                                         const std::string &where) {
  std::vector<std::string_view> cells;
  size_t start = 0;
  bool quoted = false;
  for (size_t i = 0; i <= line.size(); ++i) {
    if (i < line.size() && line[i] == '"')
      quoted = !quoted;
    else if (i == line.size() || (line[i] == delimiter && !quoted)) {
      std::string_view cell = trim(line.substr(start, i - start));
      if (cell.size() >= 2 && cell.front() == '"' && cell.back() == '"')
        cell = cell.substr(1, cell.size() - 2);
      cells.push_back(cell);
      start = i + 1;
    }
  }
  if (quoted)
    throw Error(where + "unterminated quote");
  return cells;
}

/// The number in `cell`, if all of it is one (an optional sign, then what
/// std::from_chars reads: decimal, exponent, inf, nan).
template <typename T> std::optional<T> parseNumber(std::string_view cell) {
  if (cell.size() > 1 && cell.front() == '+' && cell[1] != '-')
    cell.remove_prefix(1);
  T value;
  auto [end, ec] =
      std::from_chars(cell.data(), cell.data() + cell.size(), value);
  if (ec != std::errc() || end != cell.data() + cell.size() || cell.empty())
    return std::nullopt;
  return value;
}

} // namespace

CSVDataset::CSVDataset(const std::string &path, int64_t target_column,
                       bool has_header, char delimiter,
                       ScalarType target_dtype) {
  load(path, target_column, nullptr, has_header, delimiter, target_dtype);
}

CSVDataset::CSVDataset(const std::string &path,
                       const std::string &target_column, char delimiter,
                       ScalarType target_dtype) {
  load(path, 0, &target_column, true, delimiter, target_dtype);
}

void CSVDataset::load(const std::string &path, int64_t targetIndex,
                      const std::string *targetName, bool hasHeader,
                      char delimiter, ScalarType targetDtype) {
  const std::string who = "CSVDataset: ";
  if (targetDtype != kInt64 && targetDtype != kFloat32 &&
      targetDtype != kFloat64)
    throw Error(who +
                "target_dtype must be kInt64, kFloat32 or kFloat64, "
                "got " +
                std::string(dtype_name(targetDtype)));
  if (delimiter == '"' || delimiter == '\n' || delimiter == '\r')
    throw Error(who + "the delimiter cannot be a quote or a line break");
  std::ifstream in(path);
  if (!in)
    throw Error(who + "cannot open " + path + ": " + std::strerror(errno));

  std::string line;
  size_t lineNumber = 0, columns = 0, target = 0;
  bool sawFirst = false;
  std::vector<std::string> header;
  std::vector<float> features;
  std::vector<int64_t> intTargets;
  std::vector<double> floatTargets;
  auto where = [&] {
    return who + path + ":" + std::to_string(lineNumber) + ": ";
  };
  auto columnName = [&](size_t c) {
    std::string name = "column " + std::to_string(c);
    return header.empty() ? name : name + " ('" + header[c] + "')";
  };
  while (std::getline(in, line)) {
    ++lineNumber;
    if (lineNumber == 1 && line.starts_with("\xef\xbb\xbf"))
      line.erase(0, 3); // a UTF-8 byte-order mark is no part of the data
    if (!line.empty() && line.back() == '\r')
      line.pop_back();
    if (trim(line).empty())
      continue;
    std::vector<std::string_view> cells = splitCells(line, delimiter, where());
    if (!sawFirst) {
      sawFirst = true;
      columns = cells.size();
      if (hasHeader)
        header.assign(cells.begin(), cells.end());
      if (targetName) {
        auto it = std::find(header.begin(), header.end(), *targetName);
        if (it == header.end()) {
          std::string names;
          for (const std::string &name : header)
            names += (names.empty() ? "'" : ", '") + name + "'";
          throw Error(where() + "no column is named '" + *targetName +
                      "'; the header has " + names);
        }
        target = static_cast<size_t>(it - header.begin());
      } else {
        int64_t resolved = targetIndex < 0
                               ? targetIndex + static_cast<int64_t>(columns)
                               : targetIndex;
        if (resolved < 0 || resolved >= static_cast<int64_t>(columns))
          throw Error(where() + "target_column " + std::to_string(targetIndex) +
                      " is out of range for " + std::to_string(columns) +
                      " columns");
        target = static_cast<size_t>(resolved);
      }
      for (size_t c = 0; c < header.size(); ++c)
        if (c != target)
          names_.push_back(header[c]);
      if (hasHeader)
        continue;
    }
    if (cells.size() != columns)
      throw Error(where() + "the row has " + std::to_string(cells.size()) +
                  " cells but " + (hasHeader ? "the header" : "the first row") +
                  " has " + std::to_string(columns));
    for (size_t c = 0; c < columns; ++c) {
      std::string_view cell = cells[c];
      auto notNumber = [&](std::string_view expected) {
        return Error(where() + columnName(c) + ": '" + std::string(cell) +
                     "' is not " + std::string(expected));
      };
      if (c != target) {
        std::optional<double> value = parseNumber<double>(cell);
        if (!value)
          throw notNumber("a number");
        features.push_back(static_cast<float>(*value));
      } else if (targetDtype == kInt64) {
        std::optional<int64_t> value = parseNumber<int64_t>(cell);
        if (!value) { // "3.0" and "1e2" are whole numbers too
          std::optional<double> real = parseNumber<double>(cell);
          if (!real || *real != std::floor(*real) || std::abs(*real) > 0x1p62)
            throw notNumber("a whole number (the target is int64; pass "
                            "kFloat32 or kFloat64 as target_dtype for "
                            "real-valued targets)");
          value = static_cast<int64_t>(*real);
        }
        intTargets.push_back(*value);
      } else {
        std::optional<double> value = parseNumber<double>(cell);
        if (!value)
          throw notNumber("a number");
        floatTargets.push_back(*value);
      }
    }
  }
  if (in.bad())
    throw Error(who + "reading " + path + " failed after line " +
                std::to_string(lineNumber));
  if (!sawFirst)
    throw Error(who + path + " is empty" +
                (hasHeader ? ": there is not even a header" : ""));

  auto rows = static_cast<int64_t>(intTargets.size() + floatTargets.size());
  features_ =
      uninitialized({rows, static_cast<int64_t>(columns - 1)}, kFloat32);
  if (!features.empty())
    std::memcpy(features_.data_ptr(), features.data(),
                features.size() * sizeof(float));
  targets_ = uninitialized({rows}, targetDtype);
  if (targetDtype == kInt64) {
    if (!intTargets.empty())
      std::memcpy(targets_.data_ptr(), intTargets.data(),
                  intTargets.size() * sizeof(int64_t));
  } else if (targetDtype == kFloat32) {
    auto *out = targets_.data_ptr<float>();
    for (size_t i = 0; i < floatTargets.size(); ++i)
      out[i] = static_cast<float>(floatTargets[i]);
  } else if (!floatTargets.empty()) {
    std::memcpy(targets_.data_ptr(), floatTargets.data(),
                floatTargets.size() * sizeof(double));
  }
}

Example<> CSVDataset::get(size_t index) {
  if (index >= size())
    outOfRange("CSVDataset", index, size());
  return {copyRow(features_, index), copyRow(targets_, index)};
}

} // namespace kiln::data

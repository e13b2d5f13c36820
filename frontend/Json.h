//===- Json.h - The one JSON reader for files Kiln reads --------*- C++ -*-===//
//
// Every JSON text Kiln reads (safetensors headers, meta.json) goes through
// parseJson: llvm::json parses it, after a scan without recursion has
// refused nesting deeper than kMaxJsonDepth, since llvm::json's parser
// recurses once per level and a hostile file could exhaust the stack.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_JSON_H
#define KILN_FRONTEND_JSON_H

#include "llvm/Support/JSON.h"

#include <string>

namespace kiln::detail {

/// The deepest nesting of arrays and objects parseJson accepts; Kiln's own
/// files nest three levels.
constexpr int kMaxJsonDepth = 64;

/// The nesting depth of `text`'s arrays and objects, found without recursion
/// (brackets inside strings do not count). Stops counting past `limit`.
int jsonDepth(llvm::StringRef text, int limit);

/// `text` parsed, or a kiln::Error "`where`: <why>" when it is not JSON
/// (including invalid UTF-8) or nests deeper than kMaxJsonDepth. A key that
/// appears twice in one object keeps its last value, as in Python's json.
llvm::json::Value parseJson(llvm::StringRef text, const std::string &where);

} // namespace kiln::detail

#endif // KILN_FRONTEND_JSON_H

//===- Json.cpp - The one JSON reader for files Kiln reads ----------------===//
#include "kiln/frontend/Json.h"
#include "kiln/runtime/Error.h"

namespace kiln::detail {

int jsonDepth(llvm::StringRef text, int limit) {
  int depth = 0, deepest = 0;
  bool inString = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (inString) {
      if (c == '\\')
        ++i; // the escaped character cannot end the string
      else if (c == '"')
        inString = false;
      continue;
    }
    if (c == '"') {
      inString = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
      if (deepest > limit)
        return deepest;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

llvm::json::Value parseJson(llvm::StringRef text, const std::string &where) {
  if (jsonDepth(text, kMaxJsonDepth) > kMaxJsonDepth)
    throw Error(where + ": JSON nested more than " +
                std::to_string(kMaxJsonDepth) + " levels deep");
  llvm::Expected<llvm::json::Value> value = llvm::json::parse(text);
  if (!value)
    throw Error(where + ": " + llvm::toString(value.takeError()));
  return std::move(*value);
}

} // namespace kiln::detail

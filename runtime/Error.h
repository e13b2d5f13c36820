//===- Error.h - The exception Kiln reports failures with -------*- C++ -*-===//
#ifndef KILN_RUNTIME_ERROR_H
#define KILN_RUNTIME_ERROR_H

#include <stdexcept>
#include <string>

namespace kiln {

/// The one exception type Kiln throws for bad input: wrong shapes or dtypes,
/// unreadable files, IR that fails to verify. The message names what was wrong
/// and, for recorded ops, the user's source line.
class Error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
  /// The message (LibTorch's name; Kiln's messages carry no backtrace).
  const char *what_without_backtrace() const noexcept { return what(); }
};

} // namespace kiln

#endif // KILN_RUNTIME_ERROR_H

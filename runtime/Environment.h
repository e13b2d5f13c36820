//===- Environment.h - The KILN_* environment variables ---------*- C++ -*-===//
//
// Every KILN_* variable Kiln reads is in one table, read through one of
// three functions with one parsing rule each; docs/guide/cli.md lists the
// same table (a test compares them).
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_ENVIRONMENT_H
#define KILN_RUNTIME_ENVIRONMENT_H

#include <span>
#include <string>
#include <string_view>

namespace kiln::runtime {

/// How a variable's value is read.
enum class EnvKind {
  Switch, ///< on or off: see envSwitch
  Path,   ///< a folder: see envPath
  List,   ///< comma-separated words: see envListHas
};

/// A variable Kiln reads.
struct EnvironmentVariable {
  const char *name;
  EnvKind kind;
  const char *effect; ///< what it does, for the documentation
};

/// Every KILN_* variable Kiln reads.
std::span<const EnvironmentVariable> environmentVariables();

/// A switch: unset or empty gives `otherwise`; 1, on, true or yes (any
/// case) is on; 0, off, false or no is off. Anything else is reported once
/// on standard error and gives `otherwise`.
bool envSwitch(std::string_view name, bool otherwise);

/// A folder: the variable's value, empty when it is unset.
std::string envPath(std::string_view name);

/// Whether the comma-separated list in the variable holds `word` (spaces
/// around words are ignored).
bool envListHas(std::string_view name, std::string_view word);

} // namespace kiln::runtime

#endif // KILN_RUNTIME_ENVIRONMENT_H

//===- Environment.cpp - The KILN_* environment variables -----------------===//
#include "kiln/runtime/Environment.h"
#include "kiln/runtime/Error.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <set>

namespace kiln::runtime {

namespace {

constexpr EnvironmentVariable kVariables[] = {
    {"KILN_CACHE_DIR", EnvKind::Path,
     "the disk cache folder (default `$XDG_CACHE_HOME/kiln`, else "
     "`~/.cache/kiln`)"},
    {"KILN_CHECK_CUDA", EnvKind::Switch,
     "`1` (a test mode) also compiles every program for CUDA (NVRTC for "
     "sm_80 and sm_90, checked by ptxas), runs its kernels on the CPU "
     "through Kiln's SIMT shim and fails on any output that differs from the "
     "CPU backend's; read once"},
    {"KILN_DISK_CACHE", EnvKind::Switch, "`0` compiles without the disk cache"},
    {"KILN_DUMP", EnvKind::Path,
     "writes every compiled program to `DIR/program-N.mlir`"},
    {"KILN_EAGER", EnvKind::Switch,
     "`1` realizes after every op (debugging); read once"},
    {"KILN_FUSION", EnvKind::Switch,
     "`0` starts with fusion off (every op its own loop nest); read once"},
    {"KILN_LOG", EnvKind::List,
     "`compile` prints each compilation: ops, kernels, arena; `ir` also the "
     "recorded IR (`KILN_LOG=ir,compile`); `cuda`, under `KILN_CHECK_CUDA`, "
     "each CUDA kernel with its registers and spills"},
    {"KILN_POST_OPS", EnvKind::Switch,
     "`0` leaves the bias and activation after a matmul or convolution a "
     "loop of their own instead of oneDNN post-ops "
     "(`kiln::set_post_ops_enabled`); read once"},
};

/// The value of `name`, which must be in the table with `kind`.
const char *read(std::string_view name, EnvKind kind) {
  auto *it = std::find_if(std::begin(kVariables), std::end(kVariables),
                          [&](const auto &v) { return v.name == name; });
  if (it == std::end(kVariables) || it->kind != kind)
    throw Error("internal error: " + std::string(name) +
                " is not a variable of this kind in Kiln's table");
  return std::getenv(it->name);
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char &c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

} // namespace

std::span<const EnvironmentVariable> environmentVariables() {
  return kVariables;
}

bool envSwitch(std::string_view name, bool otherwise) {
  const char *value = read(name, EnvKind::Switch);
  if (!value || !*value)
    return otherwise;
  std::string v = lower(value);
  if (v == "1" || v == "on" || v == "true" || v == "yes")
    return true;
  if (v == "0" || v == "off" || v == "false" || v == "no")
    return false;
  static std::mutex mutex;
  static std::set<std::string, std::less<>> warned;
  std::lock_guard lock(mutex);
  if (warned.emplace(name).second)
    std::cerr << "kiln: warning: " << name << "='" << value
              << "' is neither on (1, on, true, yes) nor off (0, off, "
                 "false, no); using "
              << (otherwise ? "on" : "off") << "\n";
  return otherwise;
}

std::string envPath(std::string_view name) {
  const char *value = read(name, EnvKind::Path);
  return value ? value : "";
}

bool envListHas(std::string_view name, std::string_view word) {
  const char *value = read(name, EnvKind::List);
  if (!value)
    return false;
  std::string_view rest = value;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item[0])))
      item.remove_prefix(1);
    while (!item.empty() &&
           std::isspace(static_cast<unsigned char>(item.back())))
      item.remove_suffix(1);
    if (lower(item) == lower(word))
      return true;
    if (comma == std::string_view::npos)
      break;
    rest.remove_prefix(comma + 1);
  }
  return false;
}

} // namespace kiln::runtime

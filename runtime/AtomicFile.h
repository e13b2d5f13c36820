//===- AtomicFile.h - Files replaced whole or not at all --------*- C++ -*-===//
//
// Every file Kiln writes (checkpoints, .npy files, compiled objects and
// headers, cache entries) goes through here: it is written to a temporary
// of a unique name in the same folder, flushed to disk, and renamed over the
// destination. A reader of the path sees the old file or all of the new one,
// never a mix of two writers or a half-written file, even after a crash.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_ATOMICFILE_H
#define KILN_RUNTIME_ATOMICFILE_H

#include <functional>
#include <ostream>
#include <string>
#include <string_view>

namespace kiln::runtime {

/// Writes `path` through `write`, atomically: `write` fills a temporary
/// `path.tmp.XXXXXX` (unique, created exclusively), which is synced and
/// renamed over `path`, and then the folder is synced. When `write` throws or
/// any step fails the temporary is removed and `path` is untouched. Errors are
/// kiln::Errors that start with `op` and name the file.
void writeFileAtomically(const std::string &path, std::string_view op,
                         const std::function<void(std::ostream &)> &write);

/// writeFileAtomically for bytes in memory, without exceptions: false, with
/// `error` saying why, when the file could not be written.
bool writeFileAtomically(const std::string &path, std::string_view bytes,
                         std::string &error);

} // namespace kiln::runtime

#endif // KILN_RUNTIME_ATOMICFILE_H

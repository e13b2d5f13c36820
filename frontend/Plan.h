//===- Plan.h - The slice of a trace that one realize computes --*- C++ -*-===//
//
// Internal to the frontend. realize() cuts the pending part of a trace into
// a Plan: the nodes its outputs need, in topological order, their leaves,
// and a key of its structure (ops, attributes, types, input positions:
// never data or addresses) under which its compiled program is cached.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_PLAN_H
#define KILN_FRONTEND_PLAN_H

#include "kiln/frontend/Graph.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/xxhash.h"

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace kiln::detail {

/// A plan's cache key: a compact encoding of its structure in 64-bit words
/// (raw integers and doubles, op and attribute names as NameIds). It is
/// compared whole, so it only has to be unambiguous. Words rather than a
/// string's bytes, so that appending one is a store, not a call to memcpy.
using PlanKey = std::vector<int64_t>;

/// Hashes a key's bytes with xxh3, which is several times faster than
/// std::hash on the kilobytes that a key of a few hundred ops takes.
struct PlanKeyHash {
  size_t operator()(const PlanKey &key) const {
    return llvm::xxh3_64bits(
        llvm::ArrayRef(reinterpret_cast<const uint8_t *>(key.data()),
                       key.size() * sizeof(int64_t)));
  }
};

/// The ops, in topological order, that produce the outputs, with their leaf
/// (realized) inputs in order of first use.
struct Plan {
  std::vector<Node *> nodes;
  std::vector<TensorImpl *> leaves;
  std::vector<std::shared_ptr<TensorImpl>> outputs;
  bool deterministic = false; ///< compiled for use_deterministic_algorithms
  bool fuse = true;           ///< compiled with fusion (set_fusion_enabled)
  bool epilogues = true;      ///< compiled with epiloguesEnabled()
  /// Leaves (indices) whose buffers an output may take over: nothing can
  /// read them after this plan runs.
  std::vector<int64_t> donatable;
  PlanKey key;
};

/// A small id for an op or attribute name, by content, remembered by the
/// name's address (names are string literals): a plan repeats a few names
/// many times, and the next plan the same ones. Open addressing, so that two
/// names whose addresses hash alike do not evict each other on every use.
class NameIds {
public:
  [[gnu::always_inline]] int64_t operator()(std::string_view name) {
    // Fibonacci hashing: the top bits of the address times 2^64 / phi.
    uint64_t address = reinterpret_cast<uintptr_t>(name.data());
    size_t home = (address * 0x9e3779b97f4a7c15) >> (64 - kLogSlots);
    for (size_t probe = 0; probe < kProbes; ++probe) {
      Entry &entry = entries_[(home + probe) % kSlots];
      if (entry.data == name.data() && entry.size == name.size())
        return entry.id;
      if (!entry.data)
        return (entry = {name.data(), name.size(), idOf(name)}).id;
    }
    Entry &entry = entries_[home];
    return (entry = {name.data(), name.size(), idOf(name)}).id;
  }

private:
  /// The id of `name` by content. Ids follow first use, which is fine for
  /// keys that live only in this process.
  [[gnu::noinline]] static int64_t idOf(std::string_view name);

  static constexpr size_t kLogSlots = 8;
  static constexpr size_t kSlots = size_t{1} << kLogSlots;
  static constexpr size_t kProbes = 8;
  struct Entry {
    const char *data = nullptr;
    size_t size = 0;
    int64_t id = 0;
  };
  std::array<Entry, kSlots> entries_;
};

/// The working buffers of makePlan, kept from one realize to the next.
struct PlanScratch {
  std::vector<Node *> stack;
  llvm::SmallDenseMap<TensorImpl *, size_t, 8> leafIndex;
  NameIds names;
};

/// Fills in `plan` for its `outputs` (which it sorts): the nodes they need,
/// their leaves, the leaves the program may overwrite (donatable) and the
/// key. `expectedNodes` (a guess, such as the ops recorded since the last
/// realize) sizes the buffers up front. The plan's buffers and `scratch`
/// keep their capacity from the last plan, so that a realize like the last
/// one allocates nothing.
void makePlan(Plan &plan, PlanScratch &scratch, size_t expectedNodes = 0);

struct Program;

/// The buffers each realize of a trace reuses.
struct Trace::Scratch {
  Plan plan;
  PlanScratch planScratch;
  /// The key and program of the last realize: a loop realizes the same
  /// graph again and again, which then skips hashing the key and looking it
  /// up. Holding it keeps the program alive if the cache evicts it.
  PlanKey lastKey;
  std::shared_ptr<Program> lastProgram;
};

} // namespace kiln::detail

#endif // KILN_FRONTEND_PLAN_H

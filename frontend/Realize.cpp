//===- Realize.cpp - Recorded slices to compiled, cached programs ---------===//
//
// realize() cuts the pending part of a thread's trace, keys it by structure
// (ops, attributes, types, input positions: never data or addresses), and
// runs the compiled program for that key, compiling it on a miss.
//
//===----------------------------------------------------------------------===//
#include "kiln/codegen/cpu/Jit.h"
#include "kiln/frontend/Graph.h"
#include "kiln/frontend/Stats.h"
#include "kiln/ir/KilnDialect.h"
#include "kiln/ir/Shapes.h"
#include "kiln/runtime/Error.h"
#include "kiln/runtime/HostMemory.h"
#include "kiln/runtime/Parallel.h"
#include "kiln/runtime/System.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Support/xxhash.h"

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <iostream>
#include <list>
#include <map>
#include <sstream>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace kiln::detail {

std::atomic<bool> &deterministicAlgorithms() {
  static std::atomic<bool> on{false};
  return on;
}

std::atomic<bool> &fusionEnabled() {
  // KILN_FUSION=0 starts with fusion off, to compare whole test suites.
  static std::atomic<bool> on{[] {
    const char *v = std::getenv("KILN_FUSION");
    return !(v && std::string_view(v) == "0");
  }()};
  return on;
}

std::atomic<bool> &epiloguesEnabled() {
  // KILN_POST_OPS=0 leaves a contraction's epilogue a loop of its own, to
  // measure what oneDNN's post-ops save.
  static std::atomic<bool> on{[] {
    const char *v = std::getenv("KILN_POST_OPS");
    return !(v && std::string_view(v) == "0");
  }()};
  return on;
}

namespace {

/// Recording this many ops without a sync point realizes the trace, so a
/// loop that never syncs cannot grow without bound.
constexpr size_t kTraceLimit = 20000;

bool envFlag(const char *name, const char *value) {
  const char *v = std::getenv(name);
  return v && std::strstr(v, value) != nullptr;
}

/// KILN_EAGER=1 realizes after every op (a debug mode); read once, since it
/// is consulted on every record.
bool eagerMode() {
  static const bool eager = envFlag("KILN_EAGER", "1");
  return eager;
}

/// A plan's cache key: a compact encoding of its structure in 64-bit words
/// (raw integers and doubles, op and attribute names as nameId()s). It is
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

void appendRaw(PlanKey &key, int64_t v) { key.push_back(v); }

void appendRaw(PlanKey &key, std::span<const int64_t> values) {
  appendRaw(key, static_cast<int64_t>(values.size()));
  for (int64_t v : values)
    key.push_back(v);
}

// Small counts share a word: a shorter key is faster to build and to hash.
void appendKey(PlanKey &key, std::span<const int64_t> shape, ScalarType dtype) {
  appendRaw(key, static_cast<int64_t>(dtype) << 32 |
                     static_cast<int64_t>(shape.size()));
  for (int64_t d : shape)
    appendRaw(key, d);
}

void appendKey(PlanKey &key, const ValueType &type) {
  appendKey(key, type.shape, type.dtype);
}

void appendKey(PlanKey &key, const ResultType &type) {
  appendKey(key, type.shape, type.dtype);
}

/// A reference to result `result` of the node at `index`: one non-negative
/// word, plus the result in a second word in the (theoretical) case that it
/// does not fit in 16 bits.
void appendResultRef(PlanKey &key, size_t index, int result) {
  constexpr int64_t kInline = 0xffff;
  int64_t low = std::min<int64_t>(result, kInline);
  appendRaw(key, static_cast<int64_t>(index) << 16 | low);
  if (low == kInline)
    appendRaw(key, result);
}

void appendKey(PlanKey &key, const AttrValue &value) {
  appendRaw(key, static_cast<int64_t>(value.index()));
  std::visit(
      [&](const auto &v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, int64_t>)
          appendRaw(key, v);
        else if constexpr (std::is_same_v<T, double>)
          appendRaw(key, std::bit_cast<int64_t>(v));
        else if constexpr (std::is_same_v<T, bool>)
          appendRaw(key, int64_t{v});
        else if constexpr (std::is_same_v<T, UnitFlag>)
          return;
        else if constexpr (std::is_same_v<T, EnumValue>)
          appendRaw(key, int64_t{v.value});
        else if constexpr (std::is_same_v<T, IntList>)
          appendRaw(key, v);
        else {
          appendRaw(key, std::bit_cast<int64_t>(v.floating));
          appendRaw(key, v.integer);
        }
      },
      value);
}

/// A small id for an op or attribute name, by content, so that a key spends
/// one word on a name. Ids follow first use, which is fine for keys that
/// live only in this process.
[[gnu::noinline]] int64_t nameId(std::string_view name) {
  static std::mutex mutex;
  static auto *ids = new std::map<std::string, int64_t, std::less<>>;
  std::lock_guard lock(mutex);
  auto it = ids->find(name);
  if (it == ids->end())
    it = ids->emplace(std::string(name), static_cast<int64_t>(ids->size()))
             .first;
  return it->second;
}

/// nameId(), remembered by the name's address (names are string literals):
/// a plan repeats a few names many times, and the next plan the same ones.
/// Open addressing, so that two names whose addresses hash alike do not
/// evict each other on every use.
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
        return (entry = {name.data(), name.size(), nameId(name)}).id;
    }
    Entry &entry = entries_[home];
    return (entry = {name.data(), name.size(), nameId(name)}).id;
  }

private:
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

void appendFunctionKey(PlanKey &key, NameIds &names, const GradFunction &fn);

/// One node: op, inputs (written by `appendInput`), attributes, result
/// types and, for kiln.grad, its function. A template rather than a
/// std::function: it runs for every input of every op of each realize.
template <typename AppendInput>
void appendKey(PlanKey &key, NameIds &names, const Node &node,
               const AppendInput &appendInput) {
  appendRaw(key, names(node.op));
  appendRaw(key, static_cast<int64_t>(node.inputs.size()) << 32 |
                     static_cast<int64_t>(node.attrs.size()));
  for (auto &input : node.inputs)
    appendInput(input);
  for (const Attr &attr : node.attrs) {
    appendRaw(key, names(attr.name));
    appendKey(key, attr.value);
  }
  for (const ResultType &type : node.results)
    appendKey(key, type);
  if (node.gradFunction)
    appendFunctionKey(key, names, *node.gradFunction);
}

/// The structure of a kiln.grad node's forward function: its nodes with
/// inputs as argument or node references, its output and wrt list.
void appendFunctionKey(PlanKey &key, NameIds &names, const GradFunction &fn) {
  std::unordered_map<const TensorImpl *, int64_t> argIndex;
  std::unordered_map<const Node *, int64_t> nodeIndex;
  appendRaw(key, static_cast<int64_t>(fn.args.size()));
  for (size_t i = 0; i < fn.args.size(); ++i) {
    argIndex[fn.args[i].get()] = static_cast<int64_t>(i);
    appendKey(key, fn.args[i]->type);
  }
  for (size_t i = 0; i < fn.nodes.size(); ++i)
    nodeIndex[fn.nodes[i].get()] = static_cast<int64_t>(i);
  for (auto &node : fn.nodes)
    appendKey(key, names, *node, [&](const std::shared_ptr<TensorImpl> &input) {
      if (auto it = argIndex.find(input.get()); it != argIndex.end()) {
        appendRaw(key, -1 - it->second);
      } else {
        appendRaw(key, nodeIndex.at(input->history.get()));
        appendRaw(key, input->result);
      }
    });
  appendRaw(key, nodeIndex.at(fn.output.get()));
  appendRaw(key, fn.outputResult);
  appendRaw(key, static_cast<int64_t>(fn.wrt.size()));
  for (int64_t w : fn.wrt)
    appendRaw(key, w);
  appendRaw(key, int64_t{fn.seeded});
}

/// Fills `plan.donatable` and adds it to the key: the leaves that no one
/// can read once the plan has run, so that the program may overwrite their
/// buffers with outputs (the optimizers' old parameters and state). A leaf
/// qualifies when its buffer is Kiln's own and no other tensor shares it,
/// it has no handle and needs no gradient, and nothing that outlives the
/// run refers to it. Reference counts decide what outlives the run: every
/// object the plan's graph holds (its nodes, the functions its gradient
/// requests differentiate, their operands) is compared with the references
/// the graph itself accounts for, and whatever something else refers to
/// lives on with all it reads. Autograd history is the exception: a node
/// an earlier backward released can never be differentiated again.
void findDonatableLeaves(Plan &plan) {
  auto candidate = [&](const TensorImpl *leaf) {
    return leaf->handles.load(std::memory_order_relaxed) == 0 &&
           !leaf->requires_grad && leaf->storage && leaf->storage->owned &&
           leaf->storage.use_count() == 1 &&
           std::any_of(plan.outputs.begin(), plan.outputs.end(),
                       [&](auto &out) { return out->type == leaf->type; });
  };
  auto finish = [&] {
    appendRaw(plan.key, static_cast<int64_t>(plan.donatable.size()));
    for (int64_t i : plan.donatable)
      appendRaw(plan.key, i);
  };
  if (std::none_of(plan.leaves.begin(), plan.leaves.end(), candidate))
    return finish();
  // The graph: the plan's nodes and, for gradient requests, the nodes of
  // the functions they differentiate.
  llvm::SetVector<const Node *> nodes(plan.nodes.begin(), plan.nodes.end());
  llvm::DenseMap<const TensorImpl *, long> tensorRefs;
  llvm::DenseMap<const Node *, std::pair<long, long>> nodeRefs; // held, all
  auto refNode = [&](const std::shared_ptr<Node> &node) {
    if (!node)
      return;
    auto &refs = nodeRefs[node.get()];
    ++refs.first;
    refs.second = node.use_count();
    nodes.insert(node.get());
  };
  for (auto &out : plan.outputs)
    ++tensorRefs[out.get()];
  for (size_t i = 0; i < nodes.size(); ++i) {
    const Node *node = nodes[i];
    for (auto &input : node->inputs)
      ++tensorRefs[input.get()];
    if (const GradFunction *fn = node->gradFunction.get()) {
      for (auto &arg : fn->args)
        ++tensorRefs[arg.get()];
      for (auto &inner : fn->nodes)
        refNode(inner);
      refNode(fn->output);
    }
  }
  for (auto &[impl, count] : tensorRefs)
    for (const std::shared_ptr<Node> *link : {&impl->node, &impl->history})
      if (*link && nodes.contains(link->get()))
        refNode(*link);
  // What outlives the run: the outputs, whatever something outside the
  // graph refers to, and everything those read (an output's node link
  // goes once it is computed; a released history is never read again).
  llvm::DenseSet<const TensorImpl *> liveTensors;
  llvm::DenseSet<const Node *> liveNodes;
  std::vector<const Node *> stack;
  auto keepNode = [&](const Node *node, bool history) {
    if (node && !(history && node->freed) && nodes.contains(node) &&
        liveNodes.insert(node).second)
      stack.push_back(node);
  };
  auto keepTensor = [&](const TensorImpl *impl, bool withNode = true) {
    if (!liveTensors.insert(impl).second)
      return;
    if (withNode)
      keepNode(impl->node.get(), false);
    keepNode(impl->history.get(), true);
  };
  for (auto &out : plan.outputs)
    keepTensor(out.get(), /*withNode=*/false);
  for (auto &[impl, count] : tensorRefs)
    if (impl->handles.load(std::memory_order_relaxed) > 0 ||
        impl->weak_from_this().use_count() > count)
      keepTensor(impl);
  for (auto &[node, refs] : nodeRefs)
    if (refs.second > refs.first)
      keepNode(node, /*history=*/true);
  while (!stack.empty()) {
    const Node *node = stack.back();
    stack.pop_back();
    for (auto &input : node->inputs)
      keepTensor(input.get());
    if (const GradFunction *fn = node->gradFunction.get()) {
      for (auto &arg : fn->args)
        keepTensor(arg.get());
      for (auto &inner : fn->nodes)
        keepNode(inner.get(), false);
    }
  }
  for (size_t i = 0; i < plan.leaves.size(); ++i)
    if (candidate(plan.leaves[i]) && !liveTensors.contains(plan.leaves[i]))
      plan.donatable.push_back(static_cast<int64_t>(i));
  finish();
}

/// The working buffers of makePlan, kept from one realize to the next.
struct PlanScratch {
  std::vector<Node *> stack;
  llvm::SmallDenseMap<TensorImpl *, size_t, 8> leafIndex;
  NameIds names;
};

/// Fills in `plan` for its `outputs` (which it sorts): the nodes they need,
/// their leaves and the key. `expectedNodes` (a guess, such as the ops
/// recorded since the last realize) sizes the buffers up front. The plan's
/// buffers and `scratch` keep their capacity from the last plan, so that a
/// realize like the last one allocates nothing.
void makePlan(Plan &plan, PlanScratch &scratch, size_t expectedNodes = 0) {
  plan.nodes.clear();
  plan.leaves.clear();
  plan.key.clear();
  plan.donatable.clear();
  plan.nodes.reserve(expectedNodes);
  // Every node the outputs depend on, stopping at realized tensors. Nodes
  // carry their index in this plan (scratch fields: a node belongs to one
  // trace, whose lock is held). Leaves may be shared between threads, so
  // their indices live in a map of their own.
  static std::atomic<uint64_t> epochs{0};
  uint64_t epoch = ++epochs;
  std::vector<Node *> &stack = scratch.stack;
  auto visitNode = [&](Node *node) {
    if (node->planEpoch != epoch) {
      node->planEpoch = epoch;
      stack.push_back(node);
    }
  };
  for (auto &out : plan.outputs)
    visitNode(out->node.get());
  while (!stack.empty()) {
    Node *node = stack.back();
    stack.pop_back();
    plan.nodes.push_back(node);
    for (auto &input : node->inputs)
      if (input->pending())
        visitNode(input->node.get());
  }
  // Inputs are recorded before their users, so creation order is a
  // topological order, and a deterministic one. The search from the last
  // op back often finds them in exactly the reverse order.
  auto byId = [](Node *a, Node *b) { return a->id < b->id; };
  if (std::is_sorted(plan.nodes.rbegin(), plan.nodes.rend(), byId))
    std::reverse(plan.nodes.begin(), plan.nodes.end());
  else
    std::sort(plan.nodes.begin(), plan.nodes.end(), byId);
  for (size_t i = 0; i < plan.nodes.size(); ++i)
    plan.nodes[i]->planIndex = i;
  std::sort(plan.outputs.begin(), plan.outputs.end(), [](auto &a, auto &b) {
    return std::pair(a->node->planIndex, a->result) <
           std::pair(b->node->planIndex, b->result);
  });

  auto &leafIndex = scratch.leafIndex;
  leafIndex.clear();
  PlanKey &key = plan.key;
  // Room for most ops: a binary op on 2-d tensors takes 7 words.
  key.reserve(plan.nodes.size() * 12);
  plan.deterministic =
      deterministicAlgorithms().load(std::memory_order_relaxed);
  appendRaw(key, static_cast<int64_t>(plan.deterministic));
  plan.fuse = fusionEnabled().load(std::memory_order_relaxed);
  appendRaw(key, static_cast<int64_t>(plan.fuse));
  plan.epilogues = epiloguesEnabled().load(std::memory_order_relaxed);
  appendRaw(key, static_cast<int64_t>(plan.epilogues));
  auto appendInput = [&](const std::shared_ptr<TensorImpl> &input) {
    if (input->pending()) {
      appendResultRef(key, input->node->planIndex, input->result);
    } else {
      auto [it, inserted] =
          leafIndex.try_emplace(input.get(), plan.leaves.size());
      if (inserted)
        plan.leaves.push_back(input.get());
      appendRaw(key, -1 - static_cast<int64_t>(it->second));
    }
  };
  for (Node *node : plan.nodes)
    appendKey(key, scratch.names, *node, appendInput);
  for (TensorImpl *leaf : plan.leaves)
    appendKey(key, leaf->type);
  for (auto &out : plan.outputs)
    appendResultRef(key, out->node->planIndex, out->result);
  findDonatableLeaves(plan);
}

/// A compiled plan.
struct Program {
  std::unique_ptr<codegen::JitFunction> function;
};

/// Compiled programs by plan key, shared by all threads, the least
/// recently used evicted beyond a limit (set_program_cache_limit). The
/// cache itself is never destroyed: JIT code must outlive every static
/// destructor that could still run it. An evicted program lives on while a
/// thread still holds it (its last program, or one it is running).
struct ProgramCache {
  struct Entry {
    std::shared_ptr<Program> program;
    std::list<const PlanKey *>::iterator recency;
  };
  std::mutex mutex;
  std::unordered_map<PlanKey, Entry, PlanKeyHash> programs;
  /// Keys of `programs`, the most recently used first.
  std::list<const PlanKey *> recency;
  size_t limit = 1024;
  uint64_t evictions = 0;

  /// The program for `key`, now the most recently used; null if none.
  /// Call with `mutex` held.
  std::shared_ptr<Program> find(const PlanKey &key) {
    auto it = programs.find(key);
    if (it == programs.end())
      return nullptr;
    recency.splice(recency.begin(), recency, it->second.recency);
    return it->second.program;
  }

  /// Adds `program` for `key` unless another thread did first, evicting
  /// beyond the limit; returns the cached one. Call with `mutex` held.
  std::shared_ptr<Program> insert(const PlanKey &key,
                                  std::shared_ptr<Program> program) {
    auto [it, added] = programs.try_emplace(key, Entry{std::move(program), {}});
    if (!added)
      return find(key);
    it->second.recency = recency.insert(recency.begin(), &it->first);
    std::shared_ptr<Program> result = it->second.program;
    evictBeyondLimit();
    return result;
  }

  void evictBeyondLimit() {
    while (programs.size() > limit) {
      auto victim = programs.find(*recency.back());
      recency.pop_back();
      programs.erase(victim);
      ++evictions;
    }
  }
};
ProgramCache &programCache() {
  static auto *cache = new ProgramCache;
  return *cache;
}

std::mutex countersMutex;

/// Holds a trace's lock, unless the process runs a single thread: then
/// nobody else can reach the trace (a thread that an op starts, such as the
/// runtime's workers, never touches one). An op records while holding it,
/// so that taking the mutex was a noticeable part of recording.
class TraceLock {
public:
  explicit TraceLock(std::recursive_mutex &mutex)
      : mutex_(singleThreaded() ? nullptr : &mutex) {
    if (mutex_)
      mutex_->lock();
  }
  ~TraceLock() {
    if (mutex_)
      mutex_->unlock();
  }
  TraceLock(const TraceLock &) = delete;
  TraceLock &operator=(const TraceLock &) = delete;

private:
  std::recursive_mutex *mutex_;
};

} // namespace

struct Trace::Scratch {
  Plan plan;
  PlanScratch planScratch;
  /// The key and program of the last realize: a loop realizes the same
  /// graph again and again, which then skips hashing the key and looking it
  /// up. Holding it keeps the program alive if the cache evicts it.
  PlanKey lastKey;
  std::shared_ptr<Program> lastProgram;
};

Counters &counters() {
  static Counters counters;
  return counters;
}

int64_t ValueType::numel() const { return ir::numElements(shape); }

std::shared_ptr<TensorImpl> makeRealized(const ValueType &type) {
  auto impl = std::make_shared<TensorImpl>();
  impl->type = type;
  impl->storage = Storage::allocate(type.bytes());
  return impl;
}

//===----------------------------------------------------------------------===//
// Building and compiling the kiln module of a plan
//===----------------------------------------------------------------------===//

struct Trace::Compiler {
  mlir::MLIRContext context{mlir::MLIRContext::Threading::DISABLED};
  Compiler() {
    context.loadDialect<ir::KilnDialect, mlir::func::FuncDialect>();
  }

  mlir::Type elementType(ScalarType dtype) {
    mlir::Builder b(&context);
    switch (dtype) {
    case kBool:
      return b.getI1Type();
    case kInt32:
      return b.getI32Type();
    case kInt64:
      return b.getI64Type();
    case kFloat16:
      return b.getF16Type();
    case kBFloat16:
      return b.getBF16Type();
    case kFloat32:
      return b.getF32Type();
    case kFloat64:
      return b.getF64Type();
    }
    return {};
  }

  mlir::RankedTensorType tensorType(std::span<const int64_t> shape,
                                    ScalarType dtype) {
    return mlir::RankedTensorType::get(
        llvm::ArrayRef<int64_t>(shape.data(), shape.size()),
        elementType(dtype));
  }

  mlir::RankedTensorType tensorType(const ValueType &type) {
    return tensorType(type.shape, type.dtype);
  }

  mlir::RankedTensorType tensorType(const ResultType &type) {
    return tensorType(type.shape, type.dtype);
  }

  mlir::Attribute attribute(const AttrValue &value, const ResultType &result) {
    mlir::Builder b(&context);
    return std::visit(
        [&](const auto &v) -> mlir::Attribute {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, int64_t>)
            return b.getI64IntegerAttr(v);
          else if constexpr (std::is_same_v<T, double>)
            return b.getF64FloatAttr(v);
          else if constexpr (std::is_same_v<T, bool>)
            return b.getBoolAttr(v);
          else if constexpr (std::is_same_v<T, UnitFlag>)
            return b.getUnitAttr();
          else if constexpr (std::is_same_v<T, EnumValue>)
            return b.getI32IntegerAttr(v.value);
          else if constexpr (std::is_same_v<T, IntList>)
            return b.getDenseI64ArrayAttr(v);
          else {
            auto type = tensorType(result);
            mlir::Type element = type.getElementType();
            mlir::Attribute scalar;
            if (auto f = llvm::dyn_cast<mlir::FloatType>(element))
              scalar = b.getFloatAttr(f, v.floating);
            else
              scalar = b.getIntegerAttr(element, v.integer);
            return mlir::DenseElementsAttr::get(type, scalar);
          }
        },
        value);
  }

  /// The kiln module computing `plan` as `func.func @main`.
  using ValueOf =
      std::function<mlir::Value(const std::shared_ptr<TensorImpl> &)>;

  /// Emits `node` at `b` with operands from `valueOf`. A kiln.grad node also
  /// gets its forward function, a private func.func of `module`.
  mlir::Operation *emitNode(mlir::OpBuilder &b, mlir::ModuleOp module,
                            const Node &node, const ValueOf &valueOf) {
    auto loc = mlir::FileLineColLoc::get(&context, node.loc.file_name(),
                                         node.loc.line(), node.loc.column());
    mlir::OperationState state(loc, node.op);
    for (auto &input : node.inputs)
      state.operands.push_back(valueOf(input));
    for (const ResultType &type : node.results)
      state.types.push_back(tensorType(type.shape, type.dtype));
    for (const Attr &attr : node.attrs)
      state.addAttribute(attr.name, attribute(attr.value, node.results[0]));
    if (const GradFunction *fn = node.gradFunction.get()) {
      mlir::func::FuncOp callee = emitGradFunction(module, *fn);
      state.addAttribute("callee", mlir::FlatSymbolRefAttr::get(callee));
      state.addAttribute("wrt", b.getDenseI64ArrayAttr(fn->wrt));
      int32_t args = static_cast<int32_t>(fn->args.size());
      state.addAttribute("operandSegmentSizes",
                         b.getDenseI32ArrayAttr({args, fn->seeded ? 1 : 0}));
    }
    return b.create(state);
  }

  /// The private function computing `fn`'s output from its arguments.
  mlir::func::FuncOp emitGradFunction(mlir::ModuleOp module,
                                      const GradFunction &fn) {
    mlir::OpBuilder b(&context);
    b.setInsertionPointToEnd(module.getBody());
    llvm::SmallVector<mlir::Type> argTypes;
    for (auto &arg : fn.args)
      argTypes.push_back(tensorType(arg->type));
    const ResultType &output = fn.output->results[fn.outputResult];
    mlir::Type resultType = tensorType(output.shape, output.dtype);
    auto func = b.create<mlir::func::FuncOp>(
        b.getUnknownLoc(), "grad_fn_" + std::to_string(functionCount++),
        b.getFunctionType(argTypes, resultType));
    func.setPrivate();
    mlir::Block *body = func.addEntryBlock();
    b.setInsertionPointToEnd(body);
    std::unordered_map<TensorImpl *, mlir::Value> argValues;
    for (size_t i = 0; i < fn.args.size(); ++i)
      argValues[fn.args[i].get()] = body->getArgument(i);
    std::unordered_map<const Node *, mlir::Operation *> ops;
    ValueOf valueOf =
        [&](const std::shared_ptr<TensorImpl> &impl) -> mlir::Value {
      if (auto it = argValues.find(impl.get()); it != argValues.end())
        return it->second;
      return ops.at(impl->history.get())->getResult(impl->result);
    };
    for (auto &node : fn.nodes)
      ops[node.get()] = emitNode(b, module, *node, valueOf);
    b.create<mlir::func::ReturnOp>(
        b.getUnknownLoc(), ops.at(fn.output.get())->getResult(fn.outputResult));
    return func;
  }

  /// The kiln module computing `plan` as `func.func @main`.
  mlir::OwningOpRef<mlir::ModuleOp> buildModule(const Plan &plan) {
    functionCount = 0;
    mlir::OpBuilder b(&context);
    mlir::OwningOpRef<mlir::ModuleOp> owned =
        mlir::ModuleOp::create(b.getUnknownLoc());
    mlir::ModuleOp module = *owned;
    llvm::SmallVector<mlir::Type> argTypes, resultTypes;
    for (TensorImpl *leaf : plan.leaves)
      argTypes.push_back(tensorType(leaf->type));
    for (auto &out : plan.outputs)
      resultTypes.push_back(tensorType(out->type));
    b.setInsertionPointToEnd(module.getBody());
    auto fn = b.create<mlir::func::FuncOp>(
        b.getUnknownLoc(), "main", b.getFunctionType(argTypes, resultTypes));
    if (!plan.donatable.empty())
      fn->setAttr("kiln.donatable", b.getDenseI64ArrayAttr(plan.donatable));
    mlir::Block *body = fn.addEntryBlock();
    b.setInsertionPointToEnd(body);

    std::unordered_map<TensorImpl *, mlir::Value> leafValues;
    for (size_t i = 0; i < plan.leaves.size(); ++i)
      leafValues[plan.leaves[i]] = body->getArgument(i);
    std::unordered_map<Node *, mlir::Operation *> ops;
    ValueOf valueOf =
        [&](const std::shared_ptr<TensorImpl> &impl) -> mlir::Value {
      if (impl->pending())
        return ops.at(impl->node.get())->getResult(impl->result);
      return leafValues.at(impl.get());
    };
    for (Node *node : plan.nodes)
      ops[node] = emitNode(b, module, *node, valueOf);
    llvm::SmallVector<mlir::Value> results;
    for (auto &out : plan.outputs)
      results.push_back(valueOf(out));
    b.create<mlir::func::ReturnOp>(b.getUnknownLoc(), results);
    return owned;
  }

  int functionCount = 0;

  /// With KILN_DUMP=DIR, writes each program about to be compiled to
  /// DIR/program-N.mlir (with the user's source lines), for `kiln dump` and
  /// `kiln plan`. A folder that cannot be written is reported once.
  void dumpProgram(mlir::ModuleOp module) {
    const char *dir = std::getenv("KILN_DUMP");
    if (!dir || !*dir)
      return;
    static std::atomic<int> programs{0};
    std::string path =
        std::string(dir) + "/program-" + std::to_string(++programs) + ".mlir";
    std::string text;
    llvm::raw_string_ostream os(text);
    module.print(os, mlir::OpPrintingFlags().enableDebugInfo(
                         /*enable=*/true, /*prettyForm=*/false));
    try {
      std::filesystem::create_directories(dir);
      writeFileAtomically(path, "KILN_DUMP",
                          [&](std::ostream &out) { out << text; });
    } catch (const std::exception &e) {
      static std::once_flag warned;
      std::call_once(warned, [&] {
        std::cerr << "kiln: KILN_DUMP: " << e.what() << "\n";
      });
    }
  }

  std::shared_ptr<Program> compile(const Plan &plan) {
    std::string diagnostics;
    mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &d) {
      llvm::raw_string_ostream os(diagnostics);
      os << d.getLocation() << ": " << d << "\n";
      return mlir::success();
    });
    auto module = buildModule(plan);
    if (mlir::failed(mlir::verify(*module)))
      throw Error("internal error: the recorded graph does not verify:\n" +
                  diagnostics);
    if (envFlag("KILN_LOG", "ir"))
      module->print(llvm::errs());
    dumpProgram(*module);
    std::string error;
    auto program = std::make_shared<Program>();
    codegen::CodegenOptions options;
    options.deterministic = plan.deterministic;
    options.fuse = plan.fuse;
    options.epilogues = plan.epilogues;
    // KILN_DISK_CACHE=0 compiles without the disk cache.
    if (!envFlag("KILN_DISK_CACHE", "0"))
      options.cacheDirectory = runtime::cacheDirectory();
    program->function =
        codegen::JitFunction::compile(*module, "main", error, options);
    if (!program->function)
      throw Error("internal error: compiling the recorded graph failed: " +
                  error + "\n" + diagnostics);
    const std::string &note = program->function->cacheNote();
    if (note.starts_with("the kernel cache")) {
      static std::once_flag warned;
      std::call_once(warned,
                     [&] { std::cerr << "kiln: warning: " << note << "\n"; });
    } else if (!note.empty() && envFlag("KILN_LOG", "compile")) {
      std::cerr << "kiln: ignored a disk cache entry: " << note << "\n";
    }
    return program;
  }
};

//===----------------------------------------------------------------------===//
// Recycled blocks for recorded nodes and tensors
//===----------------------------------------------------------------------===//

namespace {

// Each thread keeps the blocks of the nodes and pending tensors it freed, and
// the buffers of their shapes, for the next ones it records. A graph is
// recorded and released in bursts of hundreds of allocations of a few sizes,
// which overflow malloc's small per-thread caches into its slow paths:
// before this, those were about half of the host time of a cache-hit
// record+realize. Every block comes from operator new, so one freed by
// another thread simply joins that thread's cache, and one freed after its
// thread's cache closed goes back to operator delete.

/// Blocks are cached in size classes of 64 bytes, up to 512 bytes.
constexpr size_t kBlockClassBytes = 64;
constexpr size_t kBlockClasses = 8;
/// At most this many blocks per class, and shapes, per thread are kept.
constexpr size_t kMaxCachedBlocks = 1024;

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KILN_ASAN
#endif
#endif
/// Under AddressSanitizer nothing is recycled, so that it still sees every
/// use after free.
#if defined(KILN_ASAN) || defined(__SANITIZE_ADDRESS__)
constexpr bool kRecycle = false;
#else
constexpr bool kRecycle = true;
#endif

struct FreeBlock {
  FreeBlock *next;
};

/// One thread's cached blocks. Trivially destructible, so that it is usable
/// until the thread's very end, after the destructor of BlockCacheCloser.
struct BlockCache {
  FreeBlock *heads[kBlockClasses] = {};
  size_t counts[kBlockClasses] = {};
  /// Emptied shapes that keep their buffers (behind a pointer, to keep this
  /// struct trivially destructible).
  std::vector<Shape> *shapes = nullptr;
  bool registered = false; ///< a BlockCacheCloser empties it at thread end
  bool closed = false;     ///< emptied: blocks go back to operator delete
};
// The initial-exec model reads it at a fixed offset from the thread pointer
// rather than through a __tls_get_addr call, which was a few percent of a
// record; the few bytes fit the static TLS that glibc keeps spare for
// libraries, even one that is dlopened.
__attribute__((tls_model("initial-exec"))) thread_local BlockCache blockCache;

/// Frees the calling thread's cached blocks when the thread ends.
struct BlockCacheCloser {
  BlockCacheCloser() { blockCache.registered = true; }
  ~BlockCacheCloser() {
    blockCache.closed = true;
    for (FreeBlock *&head : blockCache.heads)
      while (FreeBlock *block = head) {
        head = block->next;
        ::operator delete(block);
      }
    delete std::exchange(blockCache.shapes, nullptr);
  }
};

void closeBlockCacheAtThreadExit() {
  // Constructed, and its destructor registered, on the first call.
  thread_local BlockCacheCloser closer;
}

void *takeBlock(size_t bytes) {
  size_t c = (bytes - 1) / kBlockClassBytes;
  if (kRecycle && c < kBlockClasses) {
    BlockCache &cache = blockCache;
    if (FreeBlock *block = cache.heads[c]) {
      cache.heads[c] = block->next;
      --cache.counts[c];
      return block;
    }
    // The class's full size, so that the block fits any request of it.
    return ::operator new((c + 1) * kBlockClassBytes);
  }
  return ::operator new(bytes);
}

void returnBlock(void *p, size_t bytes) {
  size_t c = (bytes - 1) / kBlockClassBytes;
  BlockCache &cache = blockCache;
  if (kRecycle && c < kBlockClasses && !cache.closed &&
      cache.counts[c] < kMaxCachedBlocks) {
    if (!cache.registered)
      closeBlockCacheAtThreadExit();
    auto *block = static_cast<FreeBlock *>(p);
    block->next = cache.heads[c];
    cache.heads[c] = block;
    ++cache.counts[c];
    return;
  }
  ::operator delete(p);
}

/// Sets the empty `out` to `shape`, in the buffer of a recycled shape where
/// the calling thread has one: the shapes of pending tensors come and go by
/// the hundred with each realize.
void assignShape(Shape &out, std::span<const int64_t> shape) {
  BlockCache &cache = blockCache;
  if (kRecycle && cache.shapes && !cache.shapes->empty()) {
    out.swap(cache.shapes->back());
    cache.shapes->pop_back();
  }
  // push_back, not assign(): within the capacity it is inline.
  for (int64_t d : shape)
    out.push_back(d);
}

/// Empties `shape`, keeping its buffer for assignShape() on this thread.
void recycleShape(Shape &shape) {
  if (!kRecycle || shape.capacity() == 0)
    return;
  BlockCache &cache = blockCache;
  if (cache.closed)
    return;
  if (!cache.registered)
    closeBlockCacheAtThreadExit();
  if (!cache.shapes)
    cache.shapes = new std::vector<Shape>;
  if (cache.shapes->size() < kMaxCachedBlocks) {
    cache.shapes->push_back(std::move(shape));
    cache.shapes->back().clear();
  }
}

} // namespace

TensorImpl::~TensorImpl() { recycleShape(type.shape); }

namespace {
/// How many ~Node calls are on this thread's stack, and, once that is deep,
/// the list the outermost deep one releases iteratively.
thread_local int teardownDepth = 0;
using TeardownQueue = llvm::SmallVector<std::shared_ptr<void>, 32>;
thread_local TeardownQueue *teardownQueue = nullptr;
/// Nested teardowns recurse up to here (a few kilobytes of stack), then
/// continue in a loop.
constexpr int kRecursiveTeardown = 64;
} // namespace

Node::~Node() {
  if (teardownQueue) {
    // Inside a deep teardown: hand the edges to its loop.
    for (auto &input : inputs)
      if (input)
        teardownQueue->push_back(std::move(input));
    if (gradFunction)
      teardownQueue->push_back(std::move(gradFunction));
    return;
  }
  if (++teardownDepth < kRecursiveTeardown) {
    inputs.clear();
    gradFunction.reset();
  } else {
    TeardownQueue queue; // a chain keeps it short: no allocation
    teardownQueue = &queue;
    inputs.clear();
    gradFunction.reset();
    while (!queue.empty()) {
      std::shared_ptr<void> last = std::move(queue.back());
      queue.pop_back();
      last.reset(); // may append to the queue
    }
    teardownQueue = nullptr;
  }
  --teardownDepth;
}

namespace {

/// The allocator that std::allocate_shared uses for recorded nodes and
/// their pending tensors (object and reference counts in one block).
template <typename T> struct RecycledAllocator {
  using value_type = T;
  static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__);
  RecycledAllocator() = default;
  template <typename U> RecycledAllocator(const RecycledAllocator<U> &) {}
  T *allocate(size_t n) { return static_cast<T *>(takeBlock(n * sizeof(T))); }
  void deallocate(T *p, size_t n) { returnBlock(p, n * sizeof(T)); }
  template <typename U> bool operator==(const RecycledAllocator<U> &) const {
    return true;
  }
};

} // namespace

Storage::~Storage() {
  if (owned)
    runtime::freeHost(data, bytes);
}

std::shared_ptr<Storage> Storage::allocate(size_t bytes, bool zero) {
  // The storage and its counts in one recycled block.
  auto storage = std::allocate_shared<Storage>(RecycledAllocator<Storage>());
  storage->data = runtime::allocateHost(bytes);
  if (!storage->data)
    throw Error("out of memory allocating " + std::to_string(bytes) +
                " bytes for a tensor");
  storage->bytes = bytes;
  storage->owned = true;
  if (zero)
    std::memset(storage->data, 0, bytes);
  return storage;
}

//===----------------------------------------------------------------------===//
// Trace
//===----------------------------------------------------------------------===//

namespace {
/// Trace::current(), once made: the thread-local Trace itself is reached
/// through a guarded, dynamic TLS access, and every op asks for it.
__attribute__((tls_model("initial-exec"))) thread_local Trace *currentTrace =
    nullptr;
} // namespace

Trace::Trace() = default;

/// Guards which trace a node belongs to while threads hand nodes over.
/// Taken before any trace's mutex, never after.
std::mutex &ownershipMutex() {
  static std::mutex mutex;
  return mutex;
}

/// Gives every pending node reachable from `impl` to `trace` (or to no
/// trace, when it is null).
static void setOwner(TensorImpl &impl, Trace *trace) {
  std::vector<Node *> stack;
  std::unordered_set<Node *> seen;
  if (impl.pending() && seen.insert(impl.node.get()).second)
    stack.push_back(impl.node.get());
  while (!stack.empty()) {
    Node *node = stack.back();
    stack.pop_back();
    node->trace = trace;
    for (auto &input : node->inputs)
      if (input->pending() && seen.insert(input->node.get()).second)
        stack.push_back(input->node.get());
  }
}

Trace::~Trace() {
  if (currentTrace == this)
    currentTrace = nullptr;
  // Tensors of this thread may outlive it, but compiling here is unsafe
  // (the compiler's thread-local state is already gone): the pending ones
  // are orphaned, and the next thread that needs one adopts it.
  std::lock_guard own(ownershipMutex());
  std::lock_guard lock(mutex_);
  for (auto &entry : pending_)
    if (auto impl = entry.weak.lock())
      setOwner(*impl, nullptr);
}

void Trace::realizeForeign(TensorImpl &impl) {
  std::unique_lock own(ownershipMutex());
  if (!impl.pending())
    return;
  Trace *owner = impl.node->trace;
  if (!owner) {
    setOwner(impl, this); // its thread has ended: adopt it
    owner = this;
  }
  if (owner == this) {
    own.unlock();
    realize(std::array<TensorImpl *, 1>{&impl});
    return;
  }
  // Holding the ownership lock keeps the owner's thread from ending here.
  owner->realize(std::array<TensorImpl *, 1>{&impl});
}

Trace &Trace::current() {
  if (Trace *trace = currentTrace)
    return *trace;
  thread_local Trace trace;
  currentTrace = &trace;
  return trace;
}

std::shared_ptr<Node> Trace::newNode(std::string_view op,
                                     const SourceLocation &loc) {
  // Every member has an initializer: no need to zero the block first.
  auto node =
      std::allocate_shared_for_overwrite<Node>(RecycledAllocator<Node>());
  node->op = op;
  node->loc = loc;
  return node;
}

std::shared_ptr<Node> Trace::newConstant(std::span<const int64_t> shape,
                                         ScalarType dtype, SplatValue value,
                                         const SourceLocation &loc) {
  auto node = newNode("kiln.constant", loc);
  // Written in place, field by field: a SplatValue built aside is copied in
  // as one 16-byte load of two 8-byte stores, which stalls.
  auto &stored = std::get<SplatValue>(
      node->attrs.emplace_back("value", SplatValue{}).value);
  stored.floating = value.floating;
  stored.integer = value.integer;
  node->results.emplace_back(shape, dtype);
  return node;
}

NodeOutputs Trace::record(std::string_view op, NodeInputs inputs, Attrs attrs,
                          ResultTypes results, const SourceLocation &loc,
                          std::shared_ptr<GradFunction> gradFunction) {
  auto node = newNode(op, loc);
  node->inputs = std::move(inputs);
  node->attrs = std::move(attrs);
  node->results = std::move(results);
  node->gradFunction = std::move(gradFunction);
  return record(std::move(node));
}

namespace {
/// A realized copy of `borrowed`'s current values, in Kiln's own memory.
std::shared_ptr<TensorImpl> snapshot(const TensorImpl &borrowed) {
  auto copy = std::make_shared<TensorImpl>();
  copy->type = borrowed.type;
  copy->storage = Storage::allocate(borrowed.type.bytes(), /*zero=*/false);
  std::memcpy(copy->storage->data, borrowed.storage->data,
              borrowed.type.bytes());
  return copy;
}
} // namespace

NodeOutputs Trace::record(std::shared_ptr<Node> node) {
  // Results of ops on tensors that require grad require grad themselves
  // (float ones: integers and bools have no gradient), unless under
  // NoGradGuard. A kiln.grad node's results are decided by its caller.
  // (The grad mode, a thread-local, is read last: most ops have no input
  // that requires grad.)
  bool tracksGrad = !node->gradFunction &&
                    std::any_of(node->inputs.begin(), node->inputs.end(),
                                [](auto &in) { return in->requires_grad; }) &&
                    gradModeEnabled();
  // A pending input of another thread's trace is computed first.
  for (auto &input : node->inputs)
    if (input->pending() && input->node->trace != this)
      realizeForeign(*input);

  // A result beyond the tensor size limit (a shape whose element count
  // overflows, an expand to a huge shape) never reaches the compiler.
  for (const ResultType &type : node->results)
    if (!ir::fitsTensorLimit(type.shape, element_size(type.dtype))) {
      std::string_view name = node->op;
      name.remove_prefix(name.find('.') + 1);
      fail(node->loc, name,
           "the result " + ir::formatShape(type.shape) + " " +
               std::string(dtype_name(type.dtype)) +
               " would hold more than 1 TiB (" +
               (ir::numElements(type.shape) == INT64_MAX
                    ? std::string("its element count overflows")
                    : std::to_string(ir::numElements(type.shape)) +
                          " elements") +
               ")");
    }
  // Memory the caller lent (from_blob) is read now, as an eager op would:
  // the caller may refill or free it before the graph runs. (A leaf that
  // requires grad stays itself, for its gradient.)
  for (auto &input : node->inputs)
    if (input->storage && !input->storage->owned && !input->requires_grad)
      input = snapshot(*input);
  if (tracksGrad)
    for (auto &input : node->inputs)
      node->inputVersions += input->version;
  TraceLock lock(mutex_);
  node->id = nextId_++;
  node->trace = this;
  NodeOutputs outs;
  size_t results = node->results.size();
  for (size_t i = 0; i < results; ++i) {
    const ResultType &type = node->results[i];
    ScalarType dtype = type.dtype;
    bool requiresGrad = tracksGrad && is_floating_point(dtype);
    // The last result takes this reference over (reference counts are
    // atomic, so copies are not free).
    // Assigned in place: a shared_ptr built aside and moved in stalls on
    // store forwarding (two 8-byte stores read back as one 16-byte load).
    std::shared_ptr<TensorImpl> &impl = outs.emplace_back();
    if (i + 1 < results || requiresGrad)
      impl = std::allocate_shared<TensorImpl>(RecycledAllocator<TensorImpl>(),
                                              node, static_cast<int>(i));
    else
      impl = std::allocate_shared<TensorImpl>(RecycledAllocator<TensorImpl>(),
                                              std::move(node),
                                              static_cast<int>(i));
    assignShape(impl->type.shape, type.shape);
    impl->type.dtype = dtype;
    if (requiresGrad) {
      impl->requires_grad = true;
      impl->history = impl->node;
    }
    // In place too: a weak_ptr built aside and copied in was a quarter of
    // the time of a record.
    pending_.emplace_back(impl, impl.get());
  }
  if (++recordedSinceRealize_ >= kTraceLimit || eagerMode()) {
    // The new results have no handle yet: ask for them explicitly.
    std::vector<TensorImpl *> fresh;
    for (auto &out : outs)
      fresh.push_back(out.get());
    realizeLocked(fresh);
  }
  return outs;
}

std::shared_ptr<TensorImpl> Trace::constant(std::span<const int64_t> shape,
                                            ScalarType dtype, SplatValue value,
                                            const SourceLocation &loc) {
  auto sameBits = [](double a, double b) {
    return std::bit_cast<uint64_t>(a) == std::bit_cast<uint64_t>(b);
  };
  for (CachedConstant &entry : constants_) {
    TensorImpl *impl = entry.impl.get();
    if (impl && impl->type.dtype == dtype &&
        sameBits(entry.value.floating, value.floating) &&
        entry.value.integer == value.integer &&
        std::equal(shape.begin(), shape.end(), impl->type.shape.begin(),
                   impl->type.shape.end()))
      return entry.impl;
  }
  std::shared_ptr<TensorImpl> impl =
      std::move(record(newConstant(shape, dtype, value, loc))[0]);
  if (impl->pending()) { // not computed at once (eager mode, trace limit)
    CachedConstant &entry = constants_[nextConstant_];
    nextConstant_ = (nextConstant_ + 1) % kCachedConstants;
    entry.impl = impl;
    entry.value = value;
  }
  return impl;
}

void Trace::forgetConstants() {
  for (CachedConstant &entry : constants_)
    entry.impl.reset();
  nextConstant_ = 0;
}

void Trace::realize(std::span<TensorImpl *const> requested) {
  TraceLock lock(mutex_);
  realizeLocked(requested);
}

void Trace::realizeLocked(std::span<TensorImpl *const> requested) {
  size_t recorded = recordedSinceRealize_;
  recordedSinceRealize_ = 0;
  // Constants are shared within one recording, from one realize to the
  // next, so that the same code records the same graph each time: a
  // constant kept from the last recording would be older than the ops
  // around it, and order the nodes differently. (Only the trace's own
  // thread touches them; another may realize here while it records.)
  if (currentTrace == this)
    forgetConstants();
  // The scratch buffers are taken for the duration, in case something in
  // here realizes on this trace again.
  std::unique_ptr<Scratch> scratch = std::move(scratch_);
  if (!scratch)
    scratch = std::make_unique<Scratch>();
  Plan &plan = scratch->plan;
  auto giveBack = llvm::make_scope_exit([&] {
    plan.outputs.clear();
    scratch_ = std::move(scratch);
  });
  std::vector<std::shared_ptr<TensorImpl>> &outputs = plan.outputs;
  outputs.clear();
  // The requested tensors (one, or the few results of an op in eager mode:
  // a linear search), and every pending one a handle refers to; the rest
  // are intermediates, referenced only by the graph.
  auto isRequested = [&](TensorImpl *impl) {
    return std::find(requested.begin(), requested.end(), impl) !=
           requested.end();
  };
  // The leftovers are compacted in place, which keeps the list's capacity
  // for the next recording.
  size_t kept = 0;
  bool alone = singleThreaded();
  for (size_t i = 0; i < pending_.size(); ++i) {
    // Alone, nobody can free the tensor meanwhile: a live one can be read
    // through its plain pointer, and most are not outputs.
    std::shared_ptr<TensorImpl> locked;
    TensorImpl *impl = nullptr;
    if (alone) {
      if (!pending_[i].weak.expired())
        impl = pending_[i].impl;
    } else {
      locked = pending_[i].weak.lock();
      impl = locked.get();
    }
    if (!impl || !impl->pending())
      continue;
    if (impl->handles > 0 || isRequested(impl))
      outputs.push_back(locked ? std::move(locked) : impl->shared_from_this());
    else if (kept++ != i) // no handle yet: it may get one later
      pending_[kept - 1] = std::move(pending_[i]);
  }
  pending_.erase(pending_.begin() + kept, pending_.end());
  // A requested tensor this trace adopted from an ended thread is not in
  // its pending list.
  for (TensorImpl *impl : requested)
    if (impl->pending() &&
        std::none_of(outputs.begin(), outputs.end(),
                     [&](auto &out) { return out.get() == impl; }))
      outputs.push_back(impl->shared_from_this());
  if (outputs.empty())
    return;

  makePlan(plan, scratch->planScratch, recorded);
  Program *program = nullptr;
  // Keeps a program that is not the last one alive while it runs.
  std::shared_ptr<Program> held;
  if (scratch->lastProgram && plan.key == scratch->lastKey) {
    program = scratch->lastProgram.get();
  } else {
    std::lock_guard cacheLock(programCache().mutex);
    held = programCache().find(plan.key);
    program = held.get();
  }
  bool hit = program != nullptr;
  if (!hit) {
    auto start = std::chrono::steady_clock::now();
    if (!compiler_)
      compiler_ = std::make_unique<Compiler>();
    std::shared_ptr<Program> compiled = compiler_->compile(plan);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    {
      // Another thread may have compiled the same plan meanwhile: the
      // cache keeps the first.
      std::lock_guard cacheLock(programCache().mutex);
      held = programCache().insert(plan.key, std::move(compiled));
      program = held.get();
    }
    {
      std::lock_guard c(countersMutex);
      ++counters().compiles;
      counters().compile_seconds += seconds;
      const codegen::JitFunction &fn = *program->function;
      counters().last_compiled = {
          plan.nodes.size(), static_cast<uint64_t>(fn.kernels()),
          fn.arenaBytes(), fn.arenaLowerBound(), fn.naiveBytes()};
    }
    if (envFlag("KILN_LOG", "compile")) {
      const codegen::JitFunction &fn = *program->function;
      std::cerr << "kiln: "
                << (fn.fromDiskCache() ? "loaded from the disk cache"
                                       : "compiled")
                << " a program of " << plan.nodes.size() << " ops, "
                << plan.leaves.size() << " inputs, " << plan.outputs.size()
                << " outputs in " << seconds * 1e3 << " ms: " << fn.kernels()
                << " kernels, arena " << fn.arenaBytes()
                << " bytes (lower bound " << fn.arenaLowerBound() << ", apart "
                << fn.naiveBytes() << ")\n";
    }
  }
  if (program != scratch->lastProgram.get()) {
    // The old key's buffer takes the next plan's key.
    std::swap(scratch->lastKey, plan.key);
    scratch->lastProgram = std::move(held);
  }

  llvm::SmallVector<void *, 8> inputs, outputData;
  for (TensorImpl *leaf : plan.leaves)
    inputs.push_back(leaf->storage->data);
  // A donated leaf's buffer becomes its output's: updated in place.
  llvm::SmallVector<std::shared_ptr<Storage>, 4> storages(plan.outputs.size());
  for (const auto &d : program->function->donations())
    storages[d.output] = plan.leaves[d.input]->storage;
  for (size_t i = 0; i < plan.outputs.size(); ++i) {
    if (!storages[i])
      storages[i] =
          Storage::allocate(plan.outputs[i]->type.bytes(), /*zero=*/false);
    outputData.push_back(storages[i]->data);
  }
  program->function->run(inputs, outputData);
  for (size_t i = 0; i < plan.outputs.size(); ++i) {
    plan.outputs[i]->storage = std::move(storages[i]);
    plan.outputs[i]->node.reset();
  }
  // Computing the outputs freed the graph behind them: the intermediates'
  // entries go now, so that their memory is reused by the next recording
  // rather than after the next realize.
  std::erase_if(pending_, [](auto &entry) { return entry.weak.expired(); });
  std::lock_guard c(countersMutex);
  ++counters().realizes;
  if (hit)
    ++counters().cache_hits;
}

std::string Trace::exportGraph(std::span<TensorImpl *const> outputs,
                               std::vector<TensorImpl *> &arguments) {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<TensorImpl>> pending;
  for (TensorImpl *out : outputs) {
    if (!out->pending() || out->node->trace != this)
      throw Error("internal error: exporting a tensor this trace does not "
                  "compute");
    pending.push_back(out->shared_from_this());
  }
  Plan plan;
  plan.outputs = pending;
  PlanScratch scratch;
  makePlan(plan, scratch);
  plan.donatable.clear(); // an export never overwrites its weights
  // The program's results in the caller's order (makePlan sorts them), its
  // arguments the given ones first, then whatever else the graph reads.
  plan.outputs = std::move(pending);
  std::unordered_set<TensorImpl *> given(arguments.begin(), arguments.end());
  for (TensorImpl *leaf : plan.leaves)
    if (given.insert(leaf).second)
      arguments.push_back(leaf);
  plan.leaves = arguments;
  if (!compiler_)
    compiler_ = std::make_unique<Compiler>();
  auto module = compiler_->buildModule(plan);
  if (mlir::failed(mlir::verify(*module)))
    throw Error("internal error: the traced graph does not verify");
  std::string text;
  llvm::raw_string_ostream os(text);
  module->print(os, mlir::OpPrintingFlags().enableDebugInfo(
                        /*enable=*/true, /*prettyForm=*/false));
  return text;
}

void Trace::assign(const std::shared_ptr<TensorImpl> &target,
                   const std::shared_ptr<TensorImpl> &value) {
  // A pending target recorded by another thread is computed first.
  if (target->pending() && target->node->trace != this)
    realizeForeign(*target);
  std::lock_guard lock(mutex_);
  auto snapshot =
      std::allocate_shared<TensorImpl>(RecycledAllocator<TensorImpl>());
  snapshot->type = target->type;
  snapshot->device = target->device;
  snapshot->storage = target->storage;
  snapshot->node = target->node;
  snapshot->result = target->result;
  // A version the target had not: autograd history that read the target,
  // whether it now reads the snapshot or not, knows it was overwritten (a
  // backward through it would have to differentiate a value no tensor
  // holds any more).
  snapshot->version = ++target->version;
  // Every recorded use of the target, in the value's graph or any other
  // pending one, now reads the snapshot: the old value.
  // (Inline sets: an optimizer step assigns every parameter and moment.)
  llvm::SmallPtrSet<Node *, 32> seen;
  llvm::SmallVector<Node *, 64> stack;
  auto visit = [&](TensorImpl *impl) {
    if (impl->pending() && seen.insert(impl->node.get()).second)
      stack.push_back(impl->node.get());
  };
  visit(value.get());
  for (auto &entry : pending_)
    if (auto impl = entry.weak.lock())
      visit(impl.get());
  while (!stack.empty()) {
    Node *node = stack.back();
    stack.pop_back();
    for (auto &input : node->inputs) {
      if (input == target)
        input = snapshot;
      visit(input.get());
    }
    // A recorded gradient request differentiates the old value too.
    if (GradFunction *fn = node->gradFunction.get()) {
      for (auto &arg : fn->args)
        if (arg == target)
          arg = snapshot;
      for (auto &inner : fn->nodes)
        if (seen.insert(inner.get()).second)
          stack.push_back(inner.get());
    }
  }
  if (snapshot->pending())
    pending_.push_back({snapshot, snapshot.get()});
  target->storage = value->storage;
  target->node = value->node;
  target->result = value->result;
  if (target->pending())
    pending_.push_back({target, target.get()});
}

void assign(const Tensor &target, const Tensor &value,
            const SourceLocation &loc) {
  checkDefined(target, "assign", loc);
  checkDefined(value, "assign", loc);
  if (target.sizes() != value.sizes() || target.dtype() != value.dtype())
    fail(loc, "assign",
         "cannot write a " + std::string(dtype_name(value.dtype())) + " " +
             ir::formatShape(value.sizes()) + " value into a " +
             std::string(dtype_name(target.dtype())) + " " +
             ir::formatShape(target.sizes()) + " tensor");
  Trace::current().assign(target.impl_ptr(), value.impl_ptr());
}

void realize(TensorImpl &impl) {
  if (impl.pending())
    Trace::current().realizeForeign(impl);
}

} // namespace kiln::detail

namespace kiln {

namespace {
uint64_t programCacheSize() {
  detail::ProgramCache &cache = detail::programCache();
  std::lock_guard lock(cache.mutex);
  return cache.programs.size();
}
uint64_t programCacheEvictions() {
  detail::ProgramCache &cache = detail::programCache();
  std::lock_guard lock(cache.mutex);
  return cache.evictions;
}
} // namespace

Stats stats() {
  std::lock_guard c(detail::countersMutex);
  const detail::Counters &c2 = detail::counters();
  return Stats{c2.realizes,
               c2.compiles,
               c2.cache_hits,
               c2.compile_seconds,
               runtime::sharedLoopCount() - c2.parallel_loops_before,
               c2.last_compiled,
               uint64_t(runtime::hostMemoryStats().systemAllocations -
                        c2.buffer_allocations_before),
               programCacheSize(),
               programCacheEvictions() - c2.program_evictions_before};
}

void set_program_cache_limit(size_t programs) {
  detail::ProgramCache &cache = detail::programCache();
  std::lock_guard lock(cache.mutex);
  cache.limit = programs;
  cache.evictBeyondLimit();
}

void empty_cache() { runtime::emptyHostCache(); }

void set_buffer_cache_limit(size_t bytes) { runtime::setHostCacheLimit(bytes); }

void reset_stats() {
  std::lock_guard c(detail::countersMutex);
  detail::counters() = {};
  detail::counters().parallel_loops_before = runtime::sharedLoopCount();
  detail::counters().buffer_allocations_before =
      runtime::hostMemoryStats().systemAllocations;
  detail::counters().program_evictions_before = programCacheEvictions();
}

void sync() { detail::Trace::current().realize({}); }

void sync(std::span<const Tensor> tensors) {
  detail::Trace &trace = detail::Trace::current();
  std::vector<detail::TensorImpl *> own;
  for (const Tensor &t : tensors) {
    if (!t.defined() || !t.impl()->pending())
      continue;
    // Whose trace holds it is settled under the ownership lock, which
    // realizeForeign takes: one of this thread's is realized below.
    detail::TensorImpl &impl = *t.impl();
    bool mine;
    {
      std::lock_guard lock(detail::ownershipMutex());
      mine = impl.pending() && impl.node->trace == &trace;
    }
    if (mine)
      own.push_back(&impl);
    else
      detail::realize(impl);
  }
  trace.realize(own);
}

} // namespace kiln

//===- Graph.h - Recorded ops, tensor state, traces (internal) --*- C++ -*-===//
//
// The frontend's internal data structures: a Tensor is a handle to a
// TensorImpl, which either holds a realized buffer or names the result of a
// recorded Node. Nothing here includes MLIR (only LLVM's containers);
// Trace.cpp records, Plan.cpp cuts a slice of nodes, ModuleBuilder.cpp
// turns it into a kiln module and Realize.cpp compiles and runs it.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_GRAPH_H
#define KILN_FRONTEND_GRAPH_H

#include "kiln/frontend/Stats.h"
#include "kiln/frontend/Tensor.h"
#include "kiln/frontend/Types.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <istream>
#include <memory>
#include <mutex>
#include <ostream>
#include <span>
#include <string>
#include <variant>
#include <vector>

#if __has_include(<sys/single_threaded.h>)
#include <sys/single_threaded.h>
#endif

namespace mlir {
class MLIRContext;
class ModuleOp;
template <typename OpTy> class OwningOpRef;
} // namespace mlir

namespace kiln::detail {

/// A realized buffer: dense, row-major.
struct Storage {
  void *data = nullptr;
  size_t bytes = 0;
  /// Kiln's own memory, from the runtime's buffer cache and given back to
  /// it with the storage; false for memory borrowed through from_blob. A
  /// program may write its outputs over owned memory once no tensor can
  /// read it (donation).
  bool owned = false;
  /// For memory lent through from_blob with a deleter: called with `data`
  /// once no tensor uses it.
  std::function<void(void *)> deleter;

  Storage() = default;
  Storage(const Storage &) = delete;
  Storage &operator=(const Storage &) = delete;
  ~Storage();

  /// Memory for `bytes` bytes, 64-byte aligned; zeroed unless the caller
  /// overwrites all of it anyway. Neither the memory nor the storage takes
  /// anything from the system in a loop's steady state.
  static std::shared_ptr<Storage> allocate(size_t bytes, bool zero = true);
};

/// The static type of a tensor value.
struct ValueType {
  std::vector<int64_t> shape;
  ScalarType dtype = kFloat32;

  int64_t numel() const;
  size_t bytes() const { return numel() * element_size(dtype); }
  bool operator==(const ValueType &) const = default;
};

/// Attribute kinds of kiln ops, mirrored without MLIR types.
struct UnitFlag {
  bool operator==(const UnitFlag &) const = default;
};
struct EnumValue {
  int32_t value;
  bool operator==(const EnumValue &) const = default;
};
/// A splat constant's value; the op's result type gives its dtype.
struct SplatValue {
  double floating;
  int64_t integer;
  bool operator==(const SplatValue &) const = default;
};
/// A list of integers (reduced dimensions, a permutation, a shape), stored
/// inline up to 4 of them: most are short, and recording one should not
/// allocate.
struct IntList : llvm::SmallVector<int64_t, 4> {
  IntList() = default;
  // Not from a single integer, which ArrayRef would take as a list.
  IntList(int64_t) = delete;
  IntList(llvm::ArrayRef<int64_t> values)
      : SmallVector(values.begin(), values.end()) {}
  IntList(const std::vector<int64_t> &values)
      : IntList(llvm::ArrayRef(values)) {}
};
using AttrValue = std::variant<int64_t, double, bool, UnitFlag, EnumValue,
                               IntList, SplatValue>;
struct Attr {
  std::string_view name; ///< a string literal
  AttrValue value;
};

struct TensorImpl;

// Most ops have one or two operands, at most two attributes and one result:
// inline storage keeps recording an op from allocating for each of them.
/// A node's operands.
using NodeInputs = llvm::SmallVector<std::shared_ptr<TensorImpl>, 2>;
/// A node's attributes.
using Attrs = llvm::SmallVector<Attr, 2>;
/// The type of a node's result: a ValueType with its shape stored inline
/// (up to 4 dimensions), since nodes come and go by the hundred with each
/// realize.
struct ResultType {
  llvm::SmallVector<int64_t, 4> shape;
  ScalarType dtype;

  ResultType(std::span<const int64_t> shape, ScalarType dtype)
      : shape(shape.begin(), shape.end()), dtype(dtype) {}
  ResultType(const ValueType &type) : ResultType(type.shape, type.dtype) {}
};
/// A node's result types.
using ResultTypes = llvm::SmallVector<ResultType, 1>;
/// The pending tensors a recorded node produced, one per result.
using NodeOutputs = llvm::SmallVector<std::shared_ptr<TensorImpl>, 1>;

struct Node;
class Trace;
struct TensorImpl;

/// What a view views. Kiln computes a view as a value of its own; an
/// in-place op on it computes the view's new value, writes it into the
/// base with `scatter` (itself perhaps a view, written through in turn),
/// and the view takes the new value too, as PyTorch's write through
/// shared memory does.
struct ViewOf {
  std::shared_ptr<TensorImpl> base;
  /// The view of the base's current value (re-read before a write, in case
  /// the base changed since the view was taken).
  std::function<Tensor(const Tensor &base)> view;
  /// The base's value with the view's elements replaced by `value`.
  std::function<Tensor(const Tensor &base, const Tensor &value)> scatter;
  /// The base's version this view's value was read from.
  uint32_t baseVersion = 0;
};

/// The backward of a custom autograd function (a `kiln.custom_vjp` node),
/// recorded once from the user's backward on placeholder cotangents. It
/// becomes a private function of the module: the cotangents, then the
/// values the backward read from outside (the node's last inputs), to the
/// gradients of the primals listed in the node's `gradients` attribute.
struct CustomFunction {
  std::vector<std::shared_ptr<Node>> nodes; ///< topological (creation) order
  /// The function's parameters: one placeholder per result of the node,
  /// then the saved values.
  std::vector<std::shared_ptr<TensorImpl>> args;
  std::vector<std::shared_ptr<TensorImpl>> outputs; ///< the gradients
  std::string name; ///< the user's function (its unqualified type name)
};

/// What a `kiln.grad` node differentiates: the recorded forward computation
/// from its arguments to one output. It becomes a private function of the
/// module that the kiln-autodiff pass expands.
struct GradFunction {
  std::vector<std::shared_ptr<Node>> nodes; ///< topological (creation) order
  std::vector<std::shared_ptr<TensorImpl>> args; ///< the function's parameters
  std::shared_ptr<Node> output; ///< the node of the differentiated value
  int outputResult = 0;
  std::vector<int64_t> wrt; ///< differentiated parameters (indices of args)
  bool seeded = false;      ///< the grad node's last input is the seed
  /// The register_hook functions of values computed in the function, in
  /// node order: each a custom function from the value's gradient to the
  /// one that flows on (what it saved is among `args`).
  std::vector<
      std::pair<std::shared_ptr<TensorImpl>, std::shared_ptr<CustomFunction>>>
      hooks;
};

/// The register_hook functions of `value` (a computed tensor) recorded on
/// a placeholder of its gradient, for a backward about to be requested;
/// null when none is registered.
std::shared_ptr<CustomFunction> recordGradientHooks(const TensorImpl &value,
                                                    const SourceLocation &loc);

/// One recorded op: its kiln name, operands, attributes and result types.
struct Node {
  std::string_view op; ///< e.g. "kiln.add" (a string literal)
  NodeInputs inputs;
  Attrs attrs;
  ResultTypes results;
  SourceLocation loc;
  uint64_t id = 0;        ///< creation order within its trace
  Trace *trace = nullptr; ///< the thread's trace that recorded it
  uint64_t planEpoch = 0; ///< scratch for realize: which plan saw it last
  size_t planIndex = 0;   ///< scratch for realize: its index in that plan
  /// For "kiln.grad" nodes: the function to differentiate.
  std::shared_ptr<GradFunction> gradFunction;
  /// For "kiln.custom_vjp" nodes: the recorded backward.
  std::shared_ptr<CustomFunction> customFunction;
  /// Set once a backward through this node released its history (PyTorch
  /// frees the graph unless retain_graph).
  bool freed = false;
  /// For nodes that record autograd history: the sum of the inputs'
  /// versions when recorded. Versions only grow, so a backward that finds
  /// another sum knows that an input was changed in place since.
  uint64_t inputVersions = 0;

  Node() = default;
  Node(const Node &) = delete;
  Node &operator=(const Node &) = delete;
  /// Releases the inputs without recursing once a teardown is deep: a
  /// dropped chain of a million pending ops frees in a loop, not on the
  /// stack.
  ~Node();
};

/// The state behind a Tensor handle.
struct TensorImpl : std::enable_shared_from_this<TensorImpl> {
  ValueType type;
  Device device;
  std::shared_ptr<Storage> storage; ///< set once realized
  std::shared_ptr<Node> node;       ///< set while pending
  int result = 0;                   ///< which result of `node`
  bool requires_grad = false;
  /// The node that computed a tensor that requires grad; unlike `node` it
  /// stays after realize, because backward differentiates through it.
  std::shared_ptr<Node> history;
  Tensor grad; ///< accumulated by backward (leaves, and retain_grad())
  bool retainsGrad = false; ///< a non-leaf that asked for its .grad()
  /// register_hook's functions, in order (removed ones are empty); they
  /// see, and may replace, the gradient backward accumulates into a leaf.
  std::vector<std::function<Tensor(const Tensor &)>> hooks;
  /// Made by a view op (reshape, transpose, slice, expand, detach).
  bool isView = false;
  /// For the views an in-place write goes through (all but expand): the
  /// viewed tensor, and how to write the view's elements into it.
  std::shared_ptr<struct ViewOf> viewOf;
  /// A value of a custom function's backward while it is recorded: a
  /// placeholder cotangent or computed from one. It has no value, ever.
  bool symbolic = false;
  /// How many times the tensor was written in place (PyTorch's version
  /// counter).
  uint32_t version = 0;
  std::atomic<int> handles{0}; ///< live Tensor handles (not graph uses)

  TensorImpl() = default;
  /// A pending tensor: result `result` of `node`.
  TensorImpl(std::shared_ptr<Node> node, int result)
      : node(std::move(node)), result(result) {}
  /// Keeps the shape's buffer for the next pending tensor of this thread.
  ~TensorImpl();

  bool pending() const { return node != nullptr; }
};

/// Counters of the compile cache, readable through kiln::stats().
struct Counters {
  uint64_t realizes = 0;
  uint64_t compiles = 0;
  uint64_t cache_hits = 0;
  double compile_seconds = 0;
  /// runtime::sharedLoopCount() at the last reset.
  uint64_t parallel_loops_before = 0;
  int64_t buffer_allocations_before = 0;
  uint64_t program_evictions_before = 0;
  ProgramInfo last_compiled;
};

/// The setting of use_deterministic_algorithms.
std::atomic<bool> &deterministicAlgorithms();
/// The setting of set_fusion_enabled.
std::atomic<bool> &fusionEnabled();
/// Whether library calls absorb the elementwise loop after a contraction
/// (oneDNN post-ops); on unless KILN_POST_OPS=0. Off, fusion is otherwise
/// unchanged: for benchmarks that measure the post-ops alone.
std::atomic<bool> &epiloguesEnabled();

/// One thread's recording: the pending tensors it made, to realize together.
class Trace {
public:
  Trace();
  ~Trace();
  Trace(const Trace &) = delete;
  Trace &operator=(const Trace &) = delete;

  /// The calling thread's trace.
  static Trace &current();

  /// A node for `op`, to fill in (inputs, attributes, result types) and
  /// pass to record(). Filling it in place saves moving the small vectors
  /// again; its memory is recycled from the thread's freed nodes.
  static std::shared_ptr<Node> newNode(std::string_view op,
                                       const SourceLocation &loc);

  /// A `kiln.constant` node of `shape` and `dtype` with every element
  /// `value`, to pass to record().
  static std::shared_ptr<Node> newConstant(std::span<const int64_t> shape,
                                           ScalarType dtype, SplatValue value,
                                           const SourceLocation &loc);

  /// Records `node`, made by newNode(), and returns one pending tensor per
  /// result.
  NodeOutputs record(std::shared_ptr<Node> node);

  /// Records `op` and returns one pending tensor per result.
  NodeOutputs record(std::string_view op, NodeInputs inputs, Attrs attrs,
                     ResultTypes results, const SourceLocation &loc,
                     std::shared_ptr<GradFunction> gradFunction = nullptr);

  /// The pending `kiln.constant` of `shape` and `dtype` with every element
  /// `value`, for a number operand (`x * 0.5`). The trace hash-conses them
  /// between realizes: a loop body that multiplies by 0.5 again and again
  /// records one constant, not one per op. Nobody outside the graph holds a
  /// handle of the result, so nothing can write to it in place.
  std::shared_ptr<TensorImpl> constant(std::span<const int64_t> shape,
                                       ScalarType dtype, SplatValue value,
                                       const SourceLocation &loc);

  /// Computes `requested` and every other pending tensor of this trace that
  /// a handle still refers to, in one compiled program.
  void realize(std::span<TensorImpl *const> requested);

  /// Computes `impl`, recorded by another thread: in that thread's trace
  /// while it lives, in this one once that thread has ended.
  void realizeForeign(TensorImpl &impl);

  /// Makes `target` hold `value` from now on, as an in-place op does: ops
  /// recorded before keep reading the old value (a snapshot takes its place
  /// in them), every handle of `target` sees the new one.
  void assign(const std::shared_ptr<TensorImpl> &target,
              const std::shared_ptr<TensorImpl> &value);

  /// The kiln module computing this trace's pending `outputs`, built in
  /// `context` with source locations: `func.func @main` whose first
  /// arguments are `arguments` (realized tensors), in order. Any other
  /// realized tensor the outputs read is appended to `arguments` and becomes
  /// an argument too. Nothing is computed. For export_model.
  mlir::OwningOpRef<mlir::ModuleOp>
  exportGraph(std::span<TensorImpl *const> outputs,
              std::vector<TensorImpl *> &arguments, mlir::MLIRContext &context);

  struct Compiler; ///< per-thread MLIR state (ModuleBuilder.h)
  struct Scratch;  ///< buffers each realize reuses (Plan.h)

private:
  void realizeLocked(std::span<TensorImpl *const> requested);
  /// Moves into `outputs` the requested tensors and every pending one a
  /// handle refers to, dropping dead entries from the pending list.
  void takeOutputs(std::span<TensorImpl *const> requested,
                   std::vector<std::shared_ptr<TensorImpl>> &outputs);
  /// A realize starts a new recording: on the trace's own thread, the
  /// constants of constant() are forgotten.
  void startRecording();

  /// A pending tensor this trace recorded, while it lives.
  struct PendingTensor {
    std::weak_ptr<TensorImpl> weak;
    /// The same, to read without locking `weak` when the process runs a
    /// single thread (locking is an atomic compare-and-swap).
    TensorImpl *impl;
  };

  std::recursive_mutex mutex_;
  std::vector<PendingTensor> pending_;
  uint64_t nextId_ = 0;
  size_t recordedSinceRealize_ = 0;
  std::unique_ptr<Compiler> compiler_;
  std::unique_ptr<Scratch> scratch_;

  /// The pending constants of constant() recorded since the last realize,
  /// replaced in turn.
  struct CachedConstant {
    std::shared_ptr<TensorImpl> impl;
    SplatValue value;
  };
  static constexpr size_t kCachedConstants = 8;
  CachedConstant constants_[kCachedConstants];
  size_t nextConstant_ = 0;
};

/// Whether the process runs a single thread (glibc's
/// __libc_single_threaded): then no other thread can be touching a trace or
/// a count, and the locks and atomic read-modify-writes that guard against
/// one can be skipped, as libstdc++ does for std::shared_ptr's counts. A
/// second thread only appears through pthread_create, which synchronizes.
inline bool singleThreaded() {
#if __has_include(<sys/single_threaded.h>)
  return __libc_single_threaded;
#else
  return false;
#endif
}

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

/// Guards which trace a node belongs to while threads hand nodes over.
/// Taken before any trace's mutex, never after.
std::mutex &ownershipMutex();

/// Realizes one tensor (no-op when it already is).
void realize(TensorImpl &impl);

/// A new realized tensor of `type` with zeroed storage.
std::shared_ptr<TensorImpl> makeRealized(const ValueType &type);

Counters &counters();

} // namespace kiln::detail

#endif // KILN_FRONTEND_GRAPH_H

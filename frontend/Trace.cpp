//===- Trace.cpp - Recording ops into a thread's trace --------------------===//
//
// Each thread records into its own trace: nodes, the pending tensors they
// produce, shared constants, in-place assignment, and which trace owns a
// node when threads hand tensors to each other. Realize.cpp computes them.
//
//===----------------------------------------------------------------------===//
#include "kiln/frontend/ModuleBuilder.h"
#include "kiln/frontend/NodePool.h"
#include "kiln/frontend/Plan.h"
#include "kiln/frontend/Recording.h"
#include "kiln/ir/Shapes.h"
#include "kiln/runtime/Environment.h"
#include "kiln/runtime/Error.h"

#include "llvm/ADT/SmallPtrSet.h"

#include <algorithm>
#include <array>
#include <bit>
#include <climits>
#include <cstring>
#include <unordered_set>

namespace kiln::detail {

namespace {

/// Recording this many ops without a sync point realizes the trace, so a
/// loop that never syncs cannot grow without bound.
constexpr size_t kTraceLimit = 20000;

/// KILN_EAGER=1 realizes after every op (a debug mode); read once, since it
/// is consulted on every record.
bool eagerMode() {
  static const bool eager = runtime::envSwitch("KILN_EAGER", false);
  return eager;
}

} // namespace

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
  // Ops on a custom backward's placeholders are only recorded, into its
  // function: they never run on their own.
  bool symbolic = std::any_of(node->inputs.begin(), node->inputs.end(),
                              [](auto &in) { return in->symbolic; });
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
  // (A gradient request with create_graph is history too: its results
  // get it once recorded.)
  if (tracksGrad || node->gradFunction)
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
    impl->symbolic = symbolic;
    // In place too: a weak_ptr built aside and copied in was a quarter of
    // the time of a record.
    pending_.emplace_back(impl, impl.get());
  }
  if ((++recordedSinceRealize_ >= kTraceLimit || eagerMode()) && !symbolic) {
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

void Trace::startRecording() {
  // Constants are shared within one recording, from one realize to the
  // next, so that the same code records the same graph each time: a
  // constant kept from the last recording would be older than the ops
  // around it, and order the nodes differently. (Only the trace's own
  // thread touches them; another may realize here while it records.)
  if (currentTrace != this)
    return;
  for (CachedConstant &entry : constants_)
    entry.impl.reset();
  nextConstant_ = 0;
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
    // A recorded gradient request differentiates the old value too, and a
    // custom function's backward reads the old value it saved.
    if (GradFunction *fn = node->gradFunction.get()) {
      for (auto &arg : fn->args)
        if (arg == target)
          arg = snapshot;
      for (auto &inner : fn->nodes)
        if (seen.insert(inner.get()).second)
          stack.push_back(inner.get());
      for (auto &hook : fn->hooks) {
        for (auto &arg : hook.second->args)
          if (arg == target)
            arg = snapshot;
        for (auto &inner : hook.second->nodes)
          if (seen.insert(inner.get()).second)
            stack.push_back(inner.get());
      }
    }
    if (CustomFunction *fn = node->customFunction.get()) {
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
  if (value.impl()->symbolic && !target.impl()->symbolic)
    fail(loc, "assign",
         "a custom autograd Function's backward cannot write into a tensor "
         "from outside it (it is recorded once and runs later); compute a "
         "new tensor instead");
  if (target.sizes() != value.sizes() || target.dtype() != value.dtype())
    fail(loc, "assign",
         "cannot write a " + std::string(dtype_name(value.dtype())) + " " +
             ir::formatShape(value.sizes()) + " value into a " +
             std::string(dtype_name(target.dtype())) + " " +
             ir::formatShape(target.sizes()) + " tensor");
  Trace::current().assign(target.impl_ptr(), value.impl_ptr());
}

void realize(TensorImpl &impl) {
  if (impl.symbolic)
    throw kiln::Error(
        "cannot read a gradient inside a custom autograd Function's "
        "backward or a tensor hook: Kiln records those once, on placeholder "
        "gradients, and runs them within the compiled backward pass, so "
        "they can compute with the gradient but not read it (item(), "
        "data_ptr(), printing) or keep it (use retain_grad() to see a "
        "gradient)");
  if (impl.pending())
    Trace::current().realizeForeign(impl);
}

} // namespace kiln::detail

//===- Autograd.cpp - backward() and autograd::grad as kiln.grad requests -===//
#include "kiln/frontend/Autograd.h"
#include "kiln/frontend/Graph.h"
#include "kiln/frontend/Recording.h"
#include "kiln/ir/Shapes.h"
#include "kiln/runtime/Error.h"

#include "llvm/ADT/SmallPtrSet.h"

#include <algorithm>
#include <cctype>
#include <unordered_map>
#include <unordered_set>

namespace kiln {

using namespace detail;

namespace detail {

namespace {
thread_local bool gradMode = true;
} // namespace

bool gradModeEnabled() { return gradMode; }
void setGradMode(bool enabled) { gradMode = enabled; }

} // namespace detail

NoGradGuard::NoGradGuard() : previous_(gradModeEnabled()) {
  setGradMode(false);
}
NoGradGuard::~NoGradGuard() { setGradMode(previous_); }

AutoGradMode::AutoGradMode(bool enabled) : previous_(gradModeEnabled()) {
  setGradMode(enabled);
}
AutoGradMode::~AutoGradMode() { setGradMode(previous_); }

bool autograd::GradMode::is_enabled() { return gradModeEnabled(); }
void autograd::GradMode::set_enabled(bool enabled) { setGradMode(enabled); }

namespace {

/// The recorded forward computation of `output`, from the tensors without
/// history (leaves and constants) that it depends on, and from the tensors
/// in `cut`, which become parameters too (to differentiate with respect to
/// intermediate values).
std::shared_ptr<GradFunction>
collectForward(const Tensor &output, std::string_view op, const Loc &loc,
               const std::unordered_set<TensorImpl *> &cut = {}) {
  TensorImpl &out = *output.impl();
  if (!out.requires_grad || !out.history)
    fail(loc, op,
         "the tensor does not require grad and has no grad_fn "
         "(no input of its computation requires grad)");
  auto fn = std::make_shared<GradFunction>();
  fn->output = out.history;
  fn->outputResult = out.result;
  llvm::SmallPtrSet<Node *, 32> seen = {out.history.get()};
  std::vector<std::shared_ptr<Node>> stack = {out.history};
  while (!stack.empty()) {
    std::shared_ptr<Node> node = std::move(stack.back());
    stack.pop_back();
    if (node->freed)
      fail(loc, op,
           "trying to backward through the graph a second time: its "
           "history was released by an earlier backward; pass "
           "retain_graph=true to the first one");
    uint64_t versions = 0;
    for (auto &input : node->inputs)
      versions += input->version;
    if (versions != node->inputVersions)
      fail(loc, op,
           "a tensor that " + std::string(node->op) + " (at " +
               node->loc.file_name() + ":" + std::to_string(node->loc.line()) +
               ") read was changed in place since, and its gradient needs "
               "the old value");
    for (auto &input : node->inputs)
      if (input->requires_grad && input->history && !cut.count(input.get()) &&
          seen.insert(input->history.get()).second)
        stack.push_back(input->history);
    fn->nodes.push_back(std::move(node));
  }
  std::sort(fn->nodes.begin(), fn->nodes.end(),
            [](auto &a, auto &b) { return a->id < b->id; });
  // The function's parameters, in order of first use.
  std::unordered_set<TensorImpl *> args;
  for (auto &node : fn->nodes)
    for (auto &input : node->inputs)
      if (!(input->requires_grad && input->history &&
            !cut.count(input.get())) &&
          args.insert(input.get()).second)
        fn->args.push_back(input);
  // The hooks of the values computed in the function, recorded now (as
  // PyTorch runs them during backward); what they read joins the
  // parameters.
  std::unordered_set<TensorImpl *> hooked;
  auto addHooks = [&](const std::shared_ptr<TensorImpl> &value) {
    if (value->hooks.empty() || !hooked.insert(value.get()).second)
      return;
    if (auto hooks = recordGradientHooks(*value, loc)) {
      for (size_t i = 1; i < hooks->args.size(); ++i)
        if (args.insert(hooks->args[i].get()).second)
          fn->args.push_back(hooks->args[i]);
      fn->hooks.emplace_back(value, std::move(hooks));
    }
  };
  for (auto &node : fn->nodes)
    for (auto &input : node->inputs)
      if (input->requires_grad && input->history && !cut.count(input.get()))
        addHooks(input);
  addHooks(output.impl_ptr());
  return fn;
}

/// Without retain_graph, a backward releases the history it went through.
void releaseHistory(const GradFunction &fn) {
  for (auto &node : fn.nodes)
    node->freed = true;
}

/// Records the kiln.grad node for `fn` and returns the gradient of each
/// `wrt` parameter, in order.
std::vector<Tensor> recordGrad(const std::shared_ptr<GradFunction> &fn,
                               const Tensor &output, Tensor seed,
                               bool create_graph, std::string_view op,
                               const Loc &loc) {
  if (!seed.defined()) {
    if (output.numel() != 1)
      fail(loc, op,
           "a gradient can be created implicitly only for scalar "
           "outputs, the output has shape " +
               ir::formatShape(output.sizes()));
    // kiln.grad seeds 0-d losses itself; a [1]-shaped one gets a seed.
    if (output.dim() != 0)
      seed = splat(output.sizes(), output.dtype(), 1, loc);
  }
  if (seed.defined()) {
    if (seed.sizes() != output.sizes() || seed.dtype() != output.dtype())
      fail(loc, op,
           "the gradient " + ir::formatShape(seed.sizes()) + " " +
               std::string(dtype_name(seed.dtype())) +
               " must match the output " + ir::formatShape(output.sizes()) +
               " " + std::string(dtype_name(output.dtype())));
    fn->seeded = true;
  }
  NodeInputs inputs(fn->args.begin(), fn->args.end());
  ResultTypes results = {output.impl()->type};
  for (int64_t w : fn->wrt)
    results.push_back(fn->args[w]->type);
  if (seed.defined())
    inputs.push_back(seed.impl_ptr());
  auto outs = Trace::current().record("kiln.grad", std::move(inputs), {},
                                      std::move(results), loc, fn);
  std::vector<Tensor> grads;
  for (size_t i = 1; i < outs.size(); ++i) {
    if (create_graph) {
      outs[i]->requires_grad = true;
      outs[i]->history = outs[i]->node;
    }
    grads.emplace_back(outs[i]);
  }
  return grads;
}

} // namespace

const Tensor &Tensor::requires_grad_(bool requires_grad, Loc loc) const {
  checkDefined(*this, "requires_grad_", loc);
  if (requires_grad && !is_floating_point())
    fail(loc, "requires_grad_",
         "only tensors of floating point dtype can "
         "require gradients, this one is " +
             std::string(dtype_name(dtype())));
  if (impl_->history)
    fail(loc, "requires_grad_",
         "can only change the flag of leaf tensors; "
         "use detach() for a tensor without history");
  // A leaf must have a value that every later graph can read.
  detail::realize(*impl_);
  impl_->requires_grad = requires_grad;
  return *this;
}

bool Tensor::requires_grad() const { return defined() && impl_->requires_grad; }

const Tensor &Tensor::grad() const {
  static const Tensor undefined;
  return defined() ? impl_->grad : undefined;
}

Tensor &Tensor::mutable_grad() const {
  if (!defined())
    throw Error("mutable_grad: the tensor is undefined");
  return impl_->grad;
}

bool Tensor::is_leaf() const { return !defined() || !impl_->history; }

namespace {

/// The autograd::Node of a recorded op, its edges read when asked.
std::shared_ptr<autograd::Node> gradFnOf(std::shared_ptr<Node> node) {
  std::string name;
  if (node->customFunction) {
    name = node->customFunction->name + "Backward";
  } else {
    // kiln.reduce_sum -> ReduceSumBackward0.
    std::string_view op = node->op.substr(node->op.find('.') + 1);
    bool upper = true;
    for (char c : op) {
      if (c == '_') {
        upper = true;
        continue;
      }
      name += upper ? static_cast<char>(std::toupper(c)) : c;
      upper = false;
    }
    name += "Backward0";
  }
  std::string op(node->op), file = node->loc.file_name();
  unsigned line = node->loc.line();
  auto edges = [node = std::move(node)] {
    autograd::edge_list edges;
    for (const auto &input : node->inputs) {
      autograd::Edge edge;
      if (input && input->history) {
        edge.function = gradFnOf(input->history);
        edge.input_nr = static_cast<uint32_t>(input->result);
      } else if (input && input->requires_grad) {
        edge.function =
            std::make_shared<autograd::Node>("AccumulateGrad", "a leaf", "", 0);
      }
      edges.push_back(std::move(edge));
    }
    return edges;
  };
  return std::make_shared<autograd::Node>(std::move(name), std::move(op),
                                          std::move(file), line, edges);
}

} // namespace

const autograd::edge_list &autograd::Node::next_edges() const {
  if (!edgeCache_)
    edgeCache_ = edges_ ? edges_() : edge_list{};
  return *edgeCache_;
}

std::shared_ptr<autograd::Node> Tensor::grad_fn() const {
  if (!defined() || !impl_->history)
    return nullptr;
  return gradFnOf(impl_->history);
}

namespace {
/// The view and write of detach: the same elements.
std::function<Tensor(const Tensor &)> detachedView() {
  return [](const Tensor &base) {
    NoGradGuard noGrad;
    return record("kiln.reshape", {base}, {}, base.impl()->type,
                  Loc::current());
  };
}
std::function<Tensor(const Tensor &, const Tensor &)> sameValue() {
  return [](const Tensor &, const Tensor &value) { return value; };
}
} // namespace

Tensor Tensor::detach() const {
  if (!defined())
    return {};
  if (!is_pending()) {
    auto impl = std::make_shared<TensorImpl>();
    impl->type = impl_->type;
    impl->device = impl_->device;
    impl->storage = impl_->storage; // shares the memory, as in PyTorch
    // A write goes through to the original, as in PyTorch.
    impl->isView = true;
    impl->viewOf = std::make_shared<ViewOf>(
        ViewOf{impl_, detachedView(), sameValue(), impl_->version});
    return Tensor(impl);
  }
  NoGradGuard noGrad;
  return markView(
      record("kiln.reshape", {*this}, {}, impl_->type, Loc::current()), *this,
      detachedView(), sameValue());
}

const Tensor &Tensor::detach_() const {
  if (defined()) {
    impl_->history.reset();
    impl_->requires_grad = false;
  }
  return *this;
}

const Tensor &Tensor::zero_(Loc loc) const {
  checkDefined(*this, "zero_", loc);
  checkNotView(*this, "zero_", loc);
  NoGradGuard noGrad;
  assignThroughViews(*this, zeros(sizes(), dtype(), loc), loc);
  return *this;
}

unsigned Tensor::registerHook(std::function<Tensor(const Tensor &)> hook,
                              Loc loc) const {
  checkDefined(*this, "register_hook", loc);
  if (!impl_->requires_grad)
    fail(loc, "register_hook",
         "cannot register a hook on a tensor that does not require grad");
  impl_->hooks.push_back(std::move(hook));
  return static_cast<unsigned>(impl_->hooks.size() - 1);
}

void Tensor::remove_hook(unsigned handle) const {
  if (!defined() || handle >= impl_->hooks.size() || !impl_->hooks[handle])
    throw Error("remove_hook: no hook " + std::to_string(handle) +
                " on this tensor");
  impl_->hooks[handle] = nullptr;
}

bool Tensor::retains_grad() const {
  return defined() && impl_->history && impl_->retainsGrad;
}

void Tensor::retain_grad() {
  if (!defined())
    throw Error("retain_grad: the tensor is undefined");
  if (!impl_->requires_grad)
    throw Error("retain_grad: the tensor does not require grad");
  if (impl_->history)
    impl_->retainsGrad = true;
}

namespace {

/// Adds `grad` into the .grad() slot of `impl` (leaves accumulate, as in
/// PyTorch).
void accumulate(TensorImpl &impl, Tensor grad) {
  for (const auto &hook : impl.hooks)
    if (hook)
      if (Tensor replaced = hook(grad); replaced.defined()) {
        if (replaced.sizes() != grad.sizes())
          throw Error("register_hook: a hook returned a gradient of shape " +
                      ir::formatShape(replaced.sizes()) +
                      " for a tensor of "
                      "shape " +
                      ir::formatShape(grad.sizes()));
        grad = replaced.to(grad.dtype());
      }
  impl.grad = impl.grad.defined() ? impl.grad + grad : grad;
}

/// The gradients of `output` with respect to the leaves `leaves` and the
/// intermediate values `intermediates` (each list in order), as one kiln.grad
/// request over the whole history for the leaves and one over the history
/// cut at the intermediates for them.
std::pair<std::vector<Tensor>, std::vector<Tensor>>
gradients(const Tensor &output, const Tensor &seed,
          const std::vector<TensorImpl *> &leaves,
          const std::vector<TensorImpl *> &intermediates, bool retain_graph,
          bool create_graph, std::string_view op, const Loc &loc) {
  auto request = [&](const std::vector<TensorImpl *> &wrt,
                     const std::unordered_set<TensorImpl *> &cut,
                     std::shared_ptr<GradFunction> &fn) {
    fn = collectForward(output, op, loc, cut);
    for (TensorImpl *impl : wrt) {
      auto it = std::find_if(fn->args.begin(), fn->args.end(),
                             [&](auto &arg) { return arg.get() == impl; });
      fn->wrt.push_back(it - fn->args.begin());
    }
  };
  std::shared_ptr<GradFunction> whole, cutFn;
  request(leaves, {}, whole);
  if (!intermediates.empty())
    request(intermediates, {intermediates.begin(), intermediates.end()}, cutFn);
  std::pair<std::vector<Tensor>, std::vector<Tensor>> result;
  if (!leaves.empty())
    result.first = recordGrad(whole, output, seed, create_graph, op, loc);
  if (cutFn)
    result.second = recordGrad(cutFn, output, seed, create_graph, op, loc);
  if (!retain_graph)
    releaseHistory(*whole);
  return result;
}

} // namespace

void Tensor::backward(const Tensor &gradient, std::optional<bool> retainGraph,
                      bool create_graph, std::optional<TensorList> inputs,
                      Loc loc) const {
  checkDefined(*this, "backward", loc);
  bool retain_graph = retainGraph.value_or(create_graph);
  // With `inputs`, only those tensors (leaves or not) receive gradients.
  std::unordered_set<const TensorImpl *> wanted;
  if (inputs) {
    if (inputs->empty())
      fail(loc, "backward", "inputs, when given, must not be empty");
    for (const Tensor &t : *inputs) {
      checkDefined(t, "backward", loc);
      wanted.insert(t.impl_ptr().get());
    }
  }
  auto receives = [&](const TensorImpl *t) {
    return !inputs || wanted.count(t);
  };
  if (impl_->requires_grad && !impl_->history) {
    if (!receives(impl_.get()))
      return;
    // A leaf: its gradient with respect to itself is the seed.
    if (!gradient.defined() && numel() != 1)
      fail(loc, "backward",
           "a gradient can be created implicitly only for scalar outputs, "
           "the tensor has shape " +
               ir::formatShape(sizes()));
    if (gradient.defined() &&
        (gradient.sizes() != sizes() || gradient.dtype() != dtype()))
      fail(loc, "backward",
           "the gradient " + ir::formatShape(gradient.sizes()) + " " +
               std::string(dtype_name(gradient.dtype())) +
               " must match the tensor " + ir::formatShape(sizes()) + " " +
               std::string(dtype_name(dtype())));
    NoGradGuard noGrad;
    accumulate(*impl_, gradient.defined() ? gradient.detach()
                                          : full(sizes(), 1, dtype(), loc));
    return;
  }
  auto fn = collectForward(*this, "backward", loc);
  std::vector<TensorImpl *> leaves, retained;
  for (auto &arg : fn->args)
    if (arg->requires_grad && receives(arg.get()))
      leaves.push_back(arg.get());
  std::unordered_set<TensorImpl *> seen;
  for (auto &node : fn->nodes)
    for (auto &input : node->inputs)
      if ((inputs ? wanted.count(input.get()) > 0 : input->retainsGrad) &&
          input->history && seen.insert(input.get()).second)
        retained.push_back(input.get());
  auto [leafGrads, retainedGrads] =
      gradients(*this, gradient, leaves, retained, retain_graph, create_graph,
                "backward", loc);
  std::optional<NoGradGuard> noGrad;
  if (!create_graph)
    noGrad.emplace();
  for (size_t i = 0; i < leaves.size(); ++i)
    accumulate(*leaves[i], leafGrads[i]);
  for (size_t i = 0; i < retained.size(); ++i)
    accumulate(*retained[i], retainedGrads[i]);
  // The output's own gradient is the seed.
  if (inputs ? wanted.count(impl_.get()) > 0 : impl_->retainsGrad)
    accumulate(*impl_,
               gradient.defined() ? gradient : full(sizes(), 1, dtype(), loc));
}

std::vector<Tensor> autograd::grad(const std::vector<Tensor> &outputs,
                                   const std::vector<Tensor> &inputs,
                                   const std::vector<Tensor> &grad_outputs,
                                   std::optional<bool> retainGraph,
                                   bool create_graph, bool allow_unused,
                                   Loc loc) {
  bool retain_graph = retainGraph.value_or(create_graph);
  if (outputs.empty())
    fail(loc, "autograd::grad", "needs at least one output");
  if (!grad_outputs.empty() && grad_outputs.size() != outputs.size())
    fail(loc, "autograd::grad",
         "needs one grad_output per output, got " +
             std::to_string(grad_outputs.size()) + " for " +
             std::to_string(outputs.size()));
  for (const Tensor &out : outputs)
    checkDefined(out, "autograd::grad", loc);
  // Several outputs are differentiated through their weighted sum, the
  // vector-Jacobian product PyTorch computes.
  Tensor output = outputs[0];
  std::vector<Tensor> seeds = grad_outputs;
  if (outputs.size() > 1) {
    Tensor total;
    for (size_t i = 0; i < outputs.size(); ++i) {
      if (!outputs[i].requires_grad())
        continue;
      if (seeds.empty() && outputs[i].numel() != 1)
        fail(loc, "autograd::grad",
             "a gradient can be created implicitly only for scalar outputs, "
             "output " +
                 std::to_string(i) + " has shape " +
                 ir::formatShape(outputs[i].sizes()));
      Tensor term = seeds.empty() ? outputs[i].sum(loc)
                                  : (outputs[i] * seeds[i]).sum(loc);
      total = total.defined() ? total + term : term;
    }
    if (!total.defined())
      fail(loc, "autograd::grad", "no output requires grad");
    output = total;
    seeds.clear();
  }
  auto fn = collectForward(output, "autograd::grad", loc);
  std::unordered_set<const detail::Node *> nodes;
  for (auto &node : fn->nodes)
    nodes.insert(node.get());
  // Each input is a leaf (a parameter of the forward), an intermediate value
  // of it, or unused. Index: >= 0 into leaves, < -1 into intermediates.
  std::vector<TensorImpl *> leaves, intermediates;
  std::vector<int64_t> where;
  for (const Tensor &input : inputs) {
    checkDefined(input, "autograd::grad", loc);
    TensorImpl *impl = input.impl();
    auto find = [&](std::vector<TensorImpl *> &list) {
      auto it = std::find(list.begin(), list.end(), impl);
      if (it == list.end())
        it = list.insert(list.end(), impl);
      return static_cast<int64_t>(it - list.begin());
    };
    bool isArg = std::any_of(fn->args.begin(), fn->args.end(),
                             [&](auto &arg) { return arg.get() == impl; });
    if (isArg && impl->requires_grad) {
      where.push_back(find(leaves));
    } else if (impl->history && nodes.count(impl->history.get())) {
      where.push_back(-2 - find(intermediates));
    } else if (allow_unused) {
      where.push_back(-1);
    } else {
      fail(loc, "autograd::grad",
           "one of the differentiated tensors was not used to compute the "
           "output (pass allow_unused=true to get an undefined gradient)");
    }
  }
  Tensor seed = seeds.empty() ? Tensor() : seeds[0];
  auto [leafGrads, intermediateGrads] =
      gradients(output, seed, leaves, intermediates, retain_graph, create_graph,
                "autograd::grad", loc);
  std::vector<Tensor> result;
  for (int64_t w : where)
    result.push_back(w >= 0    ? leafGrads[w]
                     : w == -1 ? Tensor()
                               : intermediateGrads[-2 - w]);
  return result;
}

} // namespace kiln

namespace kiln::autograd {

void backward(const std::vector<Tensor> &tensors,
              const std::vector<Tensor> &grad_tensors,
              std::optional<bool> retain_graph, bool create_graph, Loc loc) {
  if (tensors.empty())
    throw Error("autograd::backward: no tensors to differentiate");
  if (!grad_tensors.empty() && grad_tensors.size() != tensors.size())
    throw Error("autograd::backward: " + std::to_string(tensors.size()) +
                " tensors but " + std::to_string(grad_tensors.size()) +
                " gradients");
  // One request for the weighted sum: each leaf gets the sum of what every
  // tensor contributes, as separate backwards would accumulate.
  Tensor total;
  for (size_t i = 0; i < tensors.size(); ++i) {
    const Tensor &t = tensors[i];
    detail::checkDefined(t, "autograd::backward", loc);
    Tensor term;
    if (grad_tensors.empty() || !grad_tensors[i].defined()) {
      if (t.numel() != 1)
        throw Error("autograd::backward: grad can be implicitly created "
                    "only for scalar outputs; tensor " +
                    std::to_string(i) + " has shape " +
                    ir::formatShape(t.sizes()));
      term = t.sum(loc);
    } else {
      term = (t * grad_tensors[i]).sum(loc);
    }
    total = total.defined() ? total + term : term;
  }
  total.backward({}, retain_graph, create_graph, loc);
}

Tensor make_variable(const Tensor &data, bool requires_grad) {
  Tensor leaf = data.detach();
  if (requires_grad)
    leaf.requires_grad_(true);
  return leaf;
}

} // namespace kiln::autograd

//===- Autograd.cpp - backward() and autograd::grad as kiln.grad requests -===//
#include "kiln/frontend/Autograd.h"
#include "kiln/frontend/Graph.h"
#include "kiln/ir/Shapes.h"
#include "kiln/runtime/Error.h"

#include <algorithm>
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

namespace {

/// The recorded forward computation of `output`, from the tensors without
/// history (leaves and constants) that it depends on.
std::shared_ptr<GradFunction>
collectForward(const Tensor &output, std::string_view op, const Loc &loc) {
  TensorImpl &out = *output.impl();
  if (!out.requires_grad || !out.history)
    fail(loc, op,
         "the tensor does not require grad and has no grad_fn "
         "(no input of its computation requires grad)");
  auto fn = std::make_shared<GradFunction>();
  fn->output = out.history;
  fn->outputResult = out.result;
  std::unordered_set<Node *> seen = {out.history.get()};
  std::vector<std::shared_ptr<Node>> stack = {out.history};
  while (!stack.empty()) {
    std::shared_ptr<Node> node = std::move(stack.back());
    stack.pop_back();
    if (node->freed)
      fail(loc, op,
           "trying to backward through the graph a second time: its "
           "history was released by an earlier backward; pass "
           "retain_graph=true to the first one");
    for (auto &input : node->inputs)
      if (input->requires_grad && input->history &&
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
      if (!(input->requires_grad && input->history) &&
          args.insert(input.get()).second)
        fn->args.push_back(input);
  return fn;
}

/// Records the kiln.grad node for `fn` and returns the gradient of each
/// `wrt` parameter, in order.
std::vector<Tensor> recordGrad(const std::shared_ptr<GradFunction> &fn,
                               const Tensor &output, Tensor seed,
                               bool retain_graph, bool create_graph,
                               std::string_view op, const Loc &loc) {
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
  std::vector<std::shared_ptr<TensorImpl>> inputs = fn->args;
  std::vector<ValueType> results = {output.impl()->type};
  for (int64_t w : fn->wrt)
    results.push_back(fn->args[w]->type);
  if (seed.defined())
    inputs.push_back(seed.impl_ptr());
  auto outs = Trace::current().record("kiln.grad", std::move(inputs), {},
                                      std::move(results), loc, fn);
  if (!retain_graph)
    for (auto &node : fn->nodes)
      node->freed = true;
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

Tensor &Tensor::requires_grad_(bool requires_grad, Loc loc) {
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

Tensor &Tensor::mutable_grad() {
  if (!defined())
    throw Error("mutable_grad: the tensor is undefined");
  return impl_->grad;
}

bool Tensor::is_leaf() const { return !defined() || !impl_->history; }

std::string Tensor::grad_fn() const {
  if (!defined() || !impl_->history)
    return "";
  const Node &node = *impl_->history;
  return std::string(node.op) + " (at " + node.loc.file_name() + ":" +
         std::to_string(node.loc.line()) + ")";
}

Tensor Tensor::detach() const {
  if (!defined())
    return {};
  if (!is_pending()) {
    auto impl = std::make_shared<TensorImpl>();
    impl->type = impl_->type;
    impl->device = impl_->device;
    impl->storage = impl_->storage; // shares the memory, as in PyTorch
    return Tensor(impl);
  }
  NoGradGuard noGrad;
  return record("kiln.reshape", {*this}, {}, impl_->type, Loc::current());
}

Tensor &Tensor::zero_(Loc loc) {
  checkDefined(*this, "zero_", loc);
  NoGradGuard noGrad;
  assign(*this, zeros(sizes(), dtype(), loc), loc);
  return *this;
}

void Tensor::backward(const Tensor &gradient, bool retain_graph,
                      bool create_graph, Loc loc) const {
  checkDefined(*this, "backward", loc);
  auto fn = collectForward(*this, "backward", loc);
  for (size_t i = 0; i < fn->args.size(); ++i)
    if (fn->args[i]->requires_grad)
      fn->wrt.push_back(static_cast<int64_t>(i));
  std::vector<Tensor> grads = recordGrad(fn, *this, gradient, retain_graph,
                                         create_graph, "backward", loc);
  // Leaves accumulate, as in PyTorch.
  std::optional<NoGradGuard> noGrad;
  if (!create_graph)
    noGrad.emplace();
  for (size_t i = 0; i < fn->wrt.size(); ++i) {
    Tensor &slot = fn->args[fn->wrt[i]]->grad;
    slot = slot.defined() ? slot + grads[i] : grads[i];
  }
}

std::vector<Tensor> autograd::grad(const std::vector<Tensor> &outputs,
                                   const std::vector<Tensor> &inputs,
                                   const std::vector<Tensor> &grad_outputs,
                                   bool retain_graph, bool create_graph,
                                   bool allow_unused, Loc loc) {
  if (outputs.size() != 1)
    fail(loc, "autograd::grad",
         "differentiates one output at a time, got " +
             std::to_string(outputs.size()));
  if (grad_outputs.size() > 1)
    fail(loc, "autograd::grad", "needs at most one grad_output per output");
  const Tensor &output = outputs[0];
  checkDefined(output, "autograd::grad", loc);
  auto fn = collectForward(output, "autograd::grad", loc);
  std::vector<int64_t> position; // into fn->wrt, or -1 when unused
  for (const Tensor &input : inputs) {
    checkDefined(input, "autograd::grad", loc);
    if (!input.is_leaf())
      fail(loc, "autograd::grad",
           "inputs must be leaves (tensors without history) for now");
    auto it = std::find(fn->args.begin(), fn->args.end(), input.impl_ptr());
    if (it == fn->args.end()) {
      if (!allow_unused)
        fail(loc, "autograd::grad",
             "one of the differentiated tensors was not used to compute the "
             "output (pass allow_unused=true to get an undefined gradient)");
      position.push_back(-1);
      continue;
    }
    int64_t arg = it - fn->args.begin();
    auto w = std::find(fn->wrt.begin(), fn->wrt.end(), arg);
    position.push_back(w - fn->wrt.begin());
    if (w == fn->wrt.end())
      fn->wrt.push_back(arg);
  }
  Tensor seed = grad_outputs.empty() ? Tensor() : grad_outputs[0];
  std::vector<Tensor> grads = recordGrad(fn, output, seed, retain_graph,
                                         create_graph, "autograd::grad", loc);
  std::vector<Tensor> result;
  for (int64_t p : position)
    result.push_back(p < 0 ? Tensor() : grads[p]);
  return result;
}

} // namespace kiln

//===- CustomFunction.cpp - Recording a custom function's backward --------===//
#include "kiln/frontend/CustomFunction.h"
#include "kiln/frontend/Graph.h"
#include "kiln/frontend/Recording.h"
#include "kiln/ir/Shapes.h"
#include "kiln/runtime/Error.h"

#include "llvm/ADT/DenseSet.h"

#include <algorithm>
#include <cstdlib>
#include <cxxabi.h>
#include <unordered_set>

namespace kiln {

namespace autograd {

std::string IValue::tagKind() const {
  static const char *const kinds[] = {"None",    "Bool",      "Int",
                                      "Double",  "String",    "Tensor",
                                      "IntList", "DoubleList"};
  return kinds[value_.index()];
}

void IValue::wrongKind(const char *wanted) const {
  throw Error("IValue: expected " + std::string(wanted) + ", it holds " +
              (isNone() ? std::string("nothing (None)") : "a " + tagKind()));
}

void AutogradContext::save_for_backward(variable_list to_save) {
  saved_ = std::move(to_save);
}

variable_list AutogradContext::get_saved_variables() const { return saved_; }

void AutogradContext::mark_non_differentiable(const variable_list &outputs) {
  for (const Tensor &output : outputs)
    if (output.defined())
      nonDifferentiable_.push_back(output.impl());
}

void AutogradContext::set_materialize_grads(bool value) {
  materializeGrads_ = value;
}

bool AutogradContext::needs_input_grad(size_t index) const {
  if (index >= needsInputGrad_.size())
    throw Error("needs_input_grad: index " + std::to_string(index) +
                " is out of range for a function of " +
                std::to_string(needsInputGrad_.size()) + " inputs");
  return needsInputGrad_[index];
}

} // namespace autograd

namespace detail {

namespace {

bool needsGrad(const std::optional<Tensor> &input) {
  return input && input->defined() && input->requires_grad();
}

/// The backward function: the nodes computed from the placeholders that
/// the gradients depend on; whatever else they read becomes a saved value.
std::shared_ptr<CustomFunction>
collectBackward(std::vector<std::shared_ptr<TensorImpl>> placeholders,
                const std::vector<std::shared_ptr<TensorImpl>> &gradients) {
  auto fn = std::make_shared<CustomFunction>();
  llvm::DenseSet<Node *> seen;
  std::vector<std::shared_ptr<Node>> stack;
  auto visit = [&](const std::shared_ptr<TensorImpl> &value) {
    if (value->symbolic && value->node && seen.insert(value->node.get()).second)
      stack.push_back(value->node);
  };
  for (auto &gradient : gradients)
    visit(gradient);
  while (!stack.empty()) {
    std::shared_ptr<Node> node = std::move(stack.back());
    stack.pop_back();
    for (auto &input : node->inputs)
      visit(input);
    fn->nodes.push_back(std::move(node));
  }
  std::sort(fn->nodes.begin(), fn->nodes.end(),
            [](auto &a, auto &b) { return a->id < b->id; });
  // The parameters: the placeholders, then the values from outside in
  // order of first use.
  fn->args = std::move(placeholders);
  std::unordered_set<TensorImpl *> args;
  for (auto &arg : fn->args)
    args.insert(arg.get());
  auto addSaved = [&](const std::shared_ptr<TensorImpl> &value) {
    if (!(value->symbolic && value->node) && args.insert(value.get()).second)
      fn->args.push_back(value);
  };
  for (auto &node : fn->nodes)
    for (auto &input : node->inputs)
      addSaved(input);
  for (auto &gradient : gradients)
    addSaved(gradient);
  fn->outputs = gradients;
  return fn;
}

} // namespace

std::shared_ptr<CustomFunction> recordGradientHooks(const TensorImpl &value,
                                                    const SourceLocation &loc) {
  if (std::none_of(value.hooks.begin(), value.hooks.end(),
                   [](auto &hook) { return static_cast<bool>(hook); }))
    return nullptr;
  auto placeholder = std::make_shared<TensorImpl>();
  placeholder->type = value.type;
  placeholder->device = value.device;
  placeholder->symbolic = true;
  Tensor grad(placeholder);
  {
    NoGradGuard noGrad;
    for (const auto &hook : value.hooks) {
      if (!hook)
        continue;
      Tensor replaced = hook(grad);
      if (!replaced.defined())
        continue;
      if (replaced.sizes() != grad.sizes())
        fail(loc, "register_hook",
             "a hook returned a gradient of shape " +
                 ir::formatShape(replaced.sizes()) + " for a tensor of shape " +
                 ir::formatShape(grad.sizes()));
      grad = replaced.to(grad.dtype());
    }
  }
  return collectBackward({placeholder}, {grad.impl_ptr()});
}

bool CustomFunctionRecorder::prepare(
    autograd::AutogradContext &ctx,
    const std::vector<std::optional<Tensor>> &inputs) {
  bool any = false;
  for (const auto &input : inputs) {
    ctx.needsInputGrad_.push_back(needsGrad(input));
    any |= ctx.needsInputGrad_.back();
  }
  return any && gradModeEnabled();
}

std::vector<Tensor>
CustomFunctionRecorder::record(autograd::AutogradContext &ctx,
                               const std::vector<std::optional<Tensor>> &inputs,
                               std::vector<Tensor> outputs,
                               const Backward &backward, const char *function) {
  std::string name = function;
  int status = 0;
  if (char *readable =
          abi::__cxa_demangle(function, nullptr, nullptr, &status)) {
    name = readable;
    std::free(readable);
  }
  // Where forward computed its first output: the user's source line.
  Loc loc = Loc::current();
  for (const Tensor &output : outputs)
    if (output.defined() && output.impl()->node) {
      loc = output.impl()->node->loc;
      break;
    }
  auto error = [&](const std::string &message) {
    fail(loc, "custom_function", name + ": " + message);
  };
  if (outputs.empty())
    error("forward returned no tensor");
  for (size_t i = 0; i < outputs.size(); ++i)
    if (!outputs[i].defined())
      error("forward returned an undefined tensor as output " +
            std::to_string(i));

  // Backward, recorded on placeholder gradients (one per output, as
  // PyTorch materializes them), without history of its own: its ops are
  // differentiated as IR when a gradient of gradients asks.
  std::vector<std::shared_ptr<TensorImpl>> placeholders;
  autograd::variable_list grads;
  for (const Tensor &output : outputs) {
    auto placeholder = std::make_shared<TensorImpl>();
    placeholder->type = output.impl()->type;
    placeholder->device = output.impl()->device;
    placeholder->symbolic = true;
    placeholders.push_back(placeholder);
    grads.emplace_back(placeholder);
  }
  autograd::variable_list returned;
  {
    NoGradGuard noGrad;
    returned = backward(std::move(grads));
  }

  // One gradient per input; extra undefined ones are allowed (as in
  // PyTorch).
  if (returned.size() > inputs.size() &&
      std::all_of(returned.begin() + inputs.size(), returned.end(),
                  [](const Tensor &t) { return !t.defined(); }))
    returned.resize(inputs.size());
  if (returned.size() != inputs.size())
    error("backward returned an incorrect number of gradients (expected " +
          std::to_string(inputs.size()) + ", got " +
          std::to_string(returned.size()) + ")");
  NodeInputs nodeInputs;
  IntList gradients;
  std::vector<std::shared_ptr<TensorImpl>> gradientValues;
  int64_t primal = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Tensor &gradient = returned[i];
    if (!inputs[i]) {
      if (gradient.defined())
        error("backward returned a defined gradient at position " +
              std::to_string(i) +
              ", but the corresponding forward input is not a tensor");
      continue;
    }
    if (!needsGrad(inputs[i]))
      continue;
    const Tensor &input = *inputs[i];
    if (gradient.defined()) {
      if (gradient.sizes() != input.sizes())
        error("backward returned a gradient of shape " +
              ir::formatShape(gradient.sizes()) + " at position " +
              std::to_string(i) + ", but the input has shape " +
              ir::formatShape(input.sizes()));
      Tensor cast = gradient.dtype() == input.dtype()
                        ? gradient
                        : gradient.to(input.dtype());
      gradients.push_back(primal);
      gradientValues.push_back(cast.impl_ptr());
    }
    nodeInputs.push_back(input.impl_ptr());
    ++primal;
  }
  std::shared_ptr<CustomFunction> fn =
      collectBackward(std::move(placeholders), gradientValues);
  for (const Tensor &output : outputs)
    nodeInputs.push_back(output.impl_ptr());
  for (size_t i = outputs.size(); i < fn->args.size(); ++i)
    nodeInputs.push_back(fn->args[i]);

  auto node = Trace::newNode("kiln.custom_vjp", loc);
  node->inputs = std::move(nodeInputs);
  node->attrs.emplace_back("gradients", std::move(gradients));
  for (const Tensor &output : outputs)
    node->results.push_back(output.impl()->type);
  // The unqualified type name, for grad_fn()->name().
  std::string shortName = name;
  if (size_t colon = shortName.rfind("::"); colon != std::string::npos)
    shortName = shortName.substr(colon + 2);
  fn->name = shortName;
  node->customFunction = std::move(fn);
  NodeOutputs results = Trace::current().record(std::move(node));

  std::vector<Tensor> wrapped;
  for (size_t i = 0; i < results.size(); ++i) {
    TensorImpl &impl = *results[i];
    impl.device = outputs[i].impl()->device;
    if (std::find(ctx.nonDifferentiable_.begin(), ctx.nonDifferentiable_.end(),
                  outputs[i].impl()) != ctx.nonDifferentiable_.end()) {
      impl.requires_grad = false;
      impl.history.reset();
    }
    wrapped.emplace_back(results[i]);
  }
  return wrapped;
}

} // namespace detail
} // namespace kiln

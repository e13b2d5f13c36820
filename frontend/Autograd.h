//===- Autograd.h - Gradient requests and the no-grad mode ------*- C++ -*-===//
//
// Gradients are not taped: backward() and autograd::grad() record a request
// (a kiln.grad op over the recorded forward), and the kiln-autodiff compiler
// pass writes the backward graph next to the forward one.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_AUTOGRAD_H
#define KILN_FRONTEND_AUTOGRAD_H

#include "kiln/frontend/Tensor.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kiln {

/// While alive, ops on this thread record no autograd history (their
/// results do not require grad), as torch::NoGradGuard.
class NoGradGuard {
public:
  NoGradGuard();
  ~NoGradGuard();
  NoGradGuard(const NoGradGuard &) = delete;
  NoGradGuard &operator=(const NoGradGuard &) = delete;

private:
  bool previous_;
};

/// While alive, history recording on this thread is `enabled` or not (as
/// torch::AutoGradMode): AutoGradMode(true) inside a NoGradGuard records
/// again.
class AutoGradMode {
public:
  explicit AutoGradMode(bool enabled);
  ~AutoGradMode();
  AutoGradMode(const AutoGradMode &) = delete;
  AutoGradMode &operator=(const AutoGradMode &) = delete;

private:
  bool previous_;
};

namespace autograd {

/// The thread's grad mode, as torch::autograd::GradMode.
struct GradMode {
  static bool is_enabled();
  static void set_enabled(bool enabled);
};

class Node;

/// An input of a Node: the node its gradient flows to (an "AccumulateGrad"
/// node for a leaf that requires grad; null for an input without
/// gradient), as torch::autograd::Edge.
struct Edge {
  std::shared_ptr<Node> function;
  uint32_t input_nr = 0;
  bool is_valid() const { return function != nullptr; }
};
using edge_list = std::vector<Edge>;

/// What computed a tensor that has autograd history: Tensor::grad_fn().
class Node {
public:
  Node(std::string name, std::string op, std::string file, unsigned line,
       std::function<edge_list()> edges = {})
      : name_(std::move(name)), op_(std::move(op)), file_(std::move(file)),
        line_(line), edges_(std::move(edges)) {}
  /// As PyTorch names backward nodes: "MulBackward0" for kiln.mul,
  /// "ReduceSumBackward0" for kiln.reduce_sum, "<Function>Backward" for a
  /// custom autograd Function, "AccumulateGrad" for a leaf.
  const std::string &name() const { return name_; }
  /// Kiln's own: the recorded op and the source line that recorded it,
  /// "kiln.mul (at model.cpp:12)".
  std::string str() const {
    return op_ + " (at " + file_ + ":" + std::to_string(line_) + ")";
  }
  /// One edge per input of the recorded op, in order. Kiln records its own
  /// ops, so a composite op (mean, say) shows the ops it is made of.
  const edge_list &next_edges() const;
  const Edge &next_edge(size_t i) const { return next_edges().at(i); }
  uint32_t num_outputs() const {
    return static_cast<uint32_t>(next_edges().size());
  }

private:
  std::string name_, op_, file_;
  unsigned line_;
  std::function<edge_list()> edges_;
  mutable std::optional<edge_list> edgeCache_;
};

/// The gradients of `outputs` (the sum of each output weighted by its
/// `grad_outputs` entry, required for non-scalar outputs) with respect to
/// `inputs`, leaves or intermediate values, without accumulating into
/// `.grad()`. With `create_graph` the gradients have history themselves
/// (grad of grad). `retain_graph` (keep the history for another backward)
/// defaults to `create_graph`, as in PyTorch. An input the outputs do not
/// depend on is an error unless `allow_unused`, which gives an undefined
/// tensor for it.
std::vector<Tensor> grad(const std::vector<Tensor> &outputs,
                         const std::vector<Tensor> &inputs,
                         const std::vector<Tensor> &grad_outputs = {},
                         std::optional<bool> retain_graph = std::nullopt,
                         bool create_graph = false, bool allow_unused = false,
                         Loc loc = Loc::current());

/// Accumulates into the leaves' `.grad()` the gradient of the sum of
/// `tensors`, each weighted by its `grad_tensors` entry (none for a
/// scalar), as torch::autograd::backward.
void backward(const std::vector<Tensor> &tensors,
              const std::vector<Tensor> &grad_tensors = {},
              std::optional<bool> retain_graph = std::nullopt,
              bool create_graph = false, Loc loc = Loc::current());

/// A tensor of `data`'s values without its history, a leaf that requires
/// grad if asked (LibTorch's make_variable).
Tensor make_variable(const Tensor &data, bool requires_grad = false);

} // namespace autograd
} // namespace kiln

#endif // KILN_FRONTEND_AUTOGRAD_H

//===- NN.h - Modules, layers and losses (kiln::nn) -------------*- C++ -*-===//
//
// PyTorch's nn without LibTorch's ModuleHolder/Impl pair: a module is a plain
// class derived from nn::Module. Hold it by value or by shared_ptr, nest it
// with register_module, and reach its tensors with parameters().
//
//   struct Net : kiln::nn::Module {
//     std::shared_ptr<kiln::nn::Linear> fc1 = register_module("fc1",
//     kiln::nn::Linear(784, 256)); kiln::Tensor forward(const kiln::Tensor &x)
//     override { return kiln::relu(fc1->forward(x)); }
//   };
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_NN_H
#define KILN_FRONTEND_NN_H

#include "kiln/frontend/Tensor.h"

#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace kiln::nn {

/// The base of every layer and model.
class Module {
public:
  virtual ~Module() = default;

  /// The computation of single-input modules (what Sequential chains);
  /// modules with other signatures define their own forward and leave this
  /// one, which throws.
  virtual Tensor forward(const Tensor &input);

  /// One line describing the module and its options, e.g.
  /// "Linear(in_features=784, out_features=10, bias=true)".
  virtual std::string name() const { return "Module"; }

  /// Parameters of this module and (with `recurse`) its descendants, in
  /// registration order.
  std::vector<Tensor> parameters(bool recurse = true) const;
  /// The same with PyTorch's dotted names ("features.0.weight").
  std::vector<std::pair<std::string, Tensor>>
  named_parameters(bool recurse = true) const;
  std::vector<Tensor> buffers(bool recurse = true) const;
  std::vector<std::pair<std::string, Tensor>>
  named_buffers(bool recurse = true) const;
  /// Direct submodules.
  std::vector<std::shared_ptr<Module>> children() const;
  std::vector<std::pair<std::string, std::shared_ptr<Module>>>
  named_children() const;

  /// Training mode (dropout active, batch norm on batch statistics), for
  /// this module and every descendant.
  void train(bool on = true);
  void eval() { train(false); }
  bool is_training() const { return training_; }

  /// Clears (set_to_none) or zeroes the gradients of every parameter.
  void zero_grad(bool set_to_none = true);

  /// The number of parameter elements, recursively.
  int64_t num_parameters() const;

protected:
  /// Registers `value` as parameter `name` (requiring grad) and returns it.
  Tensor register_parameter(const std::string &name, Tensor value,
                            bool requires_grad = true);
  /// Registers state that is saved but not trained (running statistics).
  Tensor register_buffer(const std::string &name, Tensor value);
  /// Registers a submodule, taking ownership of it.
  template <typename M>
  std::shared_ptr<M> register_module(const std::string &name, M module) {
    auto shared = std::make_shared<M>(std::move(module));
    registerChild(name, shared);
    return shared;
  }
  template <typename M>
  std::shared_ptr<M> register_module(const std::string &name,
                                     std::shared_ptr<M> module) {
    registerChild(name, module);
    return module;
  }

private:
  void registerChild(const std::string &name, std::shared_ptr<Module> child);
  void collect(const std::string &prefix, bool recurse, bool buffers,
               std::vector<std::pair<std::string, Tensor>> &out) const;
  void print(std::ostream &os, const std::string &indent) const;
  friend std::ostream &operator<<(std::ostream &os, const Module &module);

  std::vector<std::pair<std::string, Tensor>> parameters_;
  std::vector<std::pair<std::string, Tensor>> buffers_;
  std::vector<std::pair<std::string, std::shared_ptr<Module>>> children_;
  bool training_ = true;
};

/// Prints the module tree with each layer's options and parameter counts,
/// and the total.
std::ostream &operator<<(std::ostream &os, const Module &module);

/// y = x W^T + b, with PyTorch's default initialization (uniform in
/// +-1/sqrt(in_features) for both).
class Linear : public Module {
public:
  Linear(int64_t in_features, int64_t out_features, bool bias = true);
  Tensor forward(const Tensor &input) override;
  std::string name() const override;

  Tensor weight; ///< [out_features, in_features]
  Tensor bias;   ///< [out_features], undefined without bias

private:
  int64_t in_, out_;
};

class ReLU : public Module {
public:
  Tensor forward(const Tensor &input) override;
  std::string name() const override { return "ReLU()"; }
};

class Tanh : public Module {
public:
  Tensor forward(const Tensor &input) override;
  std::string name() const override { return "Tanh()"; }
};

/// Zeroes elements with probability p in training mode.
class Dropout : public Module {
public:
  explicit Dropout(double p = 0.5) : p_(p) {}
  Tensor forward(const Tensor &input) override;
  std::string name() const override;

private:
  double p_;
};

/// Runs its modules in order, each on the previous one's output.
class Sequential : public Module {
public:
  Sequential() = default;
  template <typename... Ms> explicit Sequential(Ms... modules) {
    (push_back(std::move(modules)), ...);
  }
  template <typename M> void push_back(M module) {
    register_module(std::to_string(size_++), std::move(module));
  }
  Tensor forward(const Tensor &input) override;
  std::string name() const override { return "Sequential"; }
  size_t size() const { return size_; }

private:
  size_t size_ = 0;
};

namespace functional {

/// Mean (or sum, or per-sample with "none") negative log likelihood of the
/// target classes (int64 [N]) under log-probabilities [N, C].
Tensor nll_loss(const Tensor &log_probs, const Tensor &target,
                const std::string &reduction = "mean",
                Loc loc = Loc::current());
/// nll_loss(log_softmax(logits, 1), target).
Tensor cross_entropy(const Tensor &logits, const Tensor &target,
                     const std::string &reduction = "mean",
                     Loc loc = Loc::current());
Tensor mse_loss(const Tensor &input, const Tensor &target,
                const std::string &reduction = "mean",
                Loc loc = Loc::current());

} // namespace functional
} // namespace kiln::nn

#endif // KILN_FRONTEND_NN_H

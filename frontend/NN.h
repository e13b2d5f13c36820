//===- NN.h - Modules, layers and losses (kiln::nn) -------------*- C++ -*-===//
//
// PyTorch's nn without LibTorch's ModuleHolder/Impl pair: a module is a plain
// class derived from nn::Module. Hold it by value or by shared_ptr, nest it
// with register_module, and reach its tensors with parameters().
//
//   struct Net : kiln::nn::Module {
//     std::shared_ptr<kiln::nn::Linear> fc1 =
//         register_module("fc1", kiln::nn::Linear(784, 256));
//     kiln::Tensor forward(const kiln::Tensor &x) override {
//       return kiln::relu(fc1->forward(x));
//     }
//   };
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_NN_H
#define KILN_FRONTEND_NN_H

#include "kiln/frontend/Functional.h"
#include "kiln/frontend/NNFunctional.h"
#include "kiln/frontend/Serialize.h"
#include "kiln/frontend/Tensor.h"

#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <tuple>
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
  /// This module (first, unless `include_self` is false) and every
  /// descendant, depth first in registration order.
  std::vector<Module *> modules(bool include_self = true);
  /// The same with dotted names ("" for this module, "features.0", ...).
  std::vector<std::pair<std::string, Module *>>
  named_modules(bool include_self = true);
  /// Calls `fn` on every descendant, then on this module (PyTorch's order),
  /// e.g. to initialize weights: `model.apply([](nn::Module &m) {...})`.
  void apply(const std::function<void(Module &)> &fn);

  /// Training mode (dropout active, batch norm on batch statistics), for
  /// this module and every descendant.
  void train(bool on = true);
  void eval() { train(false); }
  bool is_training() const { return training_; }

  /// Clears (set_to_none) or zeroes the gradients of every parameter.
  void zero_grad(bool set_to_none = true);

  /// The number of parameter elements, recursively.
  int64_t num_parameters() const;

  /// Converts every floating point parameter and buffer to `dtype` in place
  /// (computing what is pending first), as PyTorch's module.to(dtype):
  /// every handle to them, such as a layer's `weight`, sees the converted
  /// tensor. Gradients are cleared.
  void to(ScalarType dtype);
  /// Moves parameters and buffers to `device`: the CPU (where they are);
  /// other devices are not available in this build (a kiln::Error).
  void to(Device device);

  /// Parameters and buffers with their dotted names, as PyTorch names them
  /// (save it with kiln::save).
  StateDict state_dict() const;
  /// Copies values into the parameters and buffers of the same names
  /// (converting dtypes). With `strict`, missing or unexpected names are an
  /// error that lists them; a shape mismatch always is.
  void load_state_dict(const StateDict &state, bool strict = true);

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

class Sigmoid : public Module {
public:
  Tensor forward(const Tensor &input) override;
  std::string name() const override { return "Sigmoid()"; }
};

class GELU : public Module {
public:
  explicit GELU(std::string approximate = "none")
      : approximate_(std::move(approximate)) {}
  Tensor forward(const Tensor &input) override;
  std::string name() const override;

private:
  std::string approximate_;
};

class LeakyReLU : public Module {
public:
  explicit LeakyReLU(double negative_slope = 0.01) : slope_(negative_slope) {}
  Tensor forward(const Tensor &input) override;
  std::string name() const override;

private:
  double slope_;
};

/// x * sigmoid(x).
class SiLU : public Module {
public:
  Tensor forward(const Tensor &input) override;
  std::string name() const override { return "SiLU()"; }
};

class Softmax : public Module {
public:
  explicit Softmax(int64_t dim) : dim_(dim) {}
  Tensor forward(const Tensor &input) override;
  std::string name() const override;

private:
  int64_t dim_;
};

class LogSoftmax : public Module {
public:
  explicit LogSoftmax(int64_t dim) : dim_(dim) {}
  Tensor forward(const Tensor &input) override;
  std::string name() const override;

private:
  int64_t dim_;
};

class Identity : public Module {
public:
  Tensor forward(const Tensor &input) override { return input; }
  std::string name() const override { return "Identity()"; }
};

/// Flattens dimensions start_dim..end_dim (by default all but the batch).
class Flatten : public Module {
public:
  explicit Flatten(int64_t start_dim = 1, int64_t end_dim = -1)
      : start_(start_dim), end_(end_dim) {}
  Tensor forward(const Tensor &input) override;
  std::string name() const override;

private:
  int64_t start_, end_;
};

/// 2-D convolution with PyTorch's default initialization.
class Conv2d : public Module {
public:
  Conv2d(int64_t in_channels, int64_t out_channels, int64_t kernel_size,
         int64_t stride = 1, int64_t padding = 0, int64_t dilation = 1,
         int64_t groups = 1, bool bias = true);
  Tensor forward(const Tensor &input) override;
  std::string name() const override;

  Tensor weight; ///< [out, in / groups, kernel, kernel]
  Tensor bias;   ///< [out], undefined without bias

private:
  int64_t in_, out_, kernel_, stride_, padding_, dilation_, groups_;
};

/// 1-D convolution over [N, C, L] inputs, with PyTorch's default
/// initialization.
class Conv1d : public Module {
public:
  Conv1d(int64_t in_channels, int64_t out_channels, int64_t kernel_size,
         int64_t stride = 1, int64_t padding = 0, int64_t dilation = 1,
         int64_t groups = 1, bool bias = true);
  Tensor forward(const Tensor &input) override;
  std::string name() const override;

  Tensor weight; ///< [out, in / groups, kernel]
  Tensor bias;   ///< [out], undefined without bias

private:
  int64_t in_, out_, kernel_, stride_, padding_, dilation_, groups_;
};

/// Transposed 2-D convolution, which upsamples by `stride`: the gradient of
/// a Conv2d with respect to its input. PyTorch's default initialization.
class ConvTranspose2d : public Module {
public:
  ConvTranspose2d(int64_t in_channels, int64_t out_channels,
                  int64_t kernel_size, int64_t stride = 1, int64_t padding = 0,
                  int64_t output_padding = 0, int64_t groups = 1,
                  bool bias = true, int64_t dilation = 1);
  Tensor forward(const Tensor &input) override;
  std::string name() const override;

  Tensor weight; ///< [in, out / groups, kernel, kernel]
  Tensor bias;   ///< [out], undefined without bias

private:
  int64_t in_, out_, kernel_, stride_, padding_, outputPadding_, groups_,
      dilation_;
};

class MaxPool2d : public Module {
public:
  explicit MaxPool2d(int64_t kernel_size, std::optional<int64_t> stride = {},
                     int64_t padding = 0)
      : kernel_(kernel_size), stride_(stride.value_or(kernel_size)),
        padding_(padding) {}
  Tensor forward(const Tensor &input) override;
  std::string name() const override;

private:
  int64_t kernel_, stride_, padding_;
};

class AvgPool2d : public Module {
public:
  explicit AvgPool2d(int64_t kernel_size, std::optional<int64_t> stride = {},
                     int64_t padding = 0)
      : kernel_(kernel_size), stride_(stride.value_or(kernel_size)),
        padding_(padding) {}
  Tensor forward(const Tensor &input) override;
  std::string name() const override;

private:
  int64_t kernel_, stride_, padding_;
};

/// Average pooling to a fixed grid (one number for a square one) whatever
/// the input's size.
class AdaptiveAvgPool2d : public Module {
public:
  explicit AdaptiveAvgPool2d(int64_t output_size)
      : size_{output_size, output_size} {}
  explicit AdaptiveAvgPool2d(Shape output_size)
      : size_(std::move(output_size)) {}
  Tensor forward(const Tensor &input) override;
  std::string name() const override;

private:
  Shape size_;
};

/// Batch normalization over channels of [N, C] (1d) or [N, C, H, W] (2d)
/// inputs, with running statistics as buffers; training mode normalizes with
/// batch statistics and updates the running ones.
class BatchNorm : public Module {
public:
  BatchNorm(int64_t num_features, double eps = 1e-5, double momentum = 0.1,
            bool affine = true, int64_t expected_rank = 0);
  Tensor forward(const Tensor &input) override;
  std::string name() const override;

  Tensor weight, bias, running_mean, running_var;

private:
  int64_t features_;
  double eps_, momentum_;
  int64_t rank_;
};
/// BatchNorm for [N, C] inputs.
class BatchNorm1d : public BatchNorm {
public:
  explicit BatchNorm1d(int64_t num_features, double eps = 1e-5,
                       double momentum = 0.1, bool affine = true)
      : BatchNorm(num_features, eps, momentum, affine, 2) {}
};
/// BatchNorm for [N, C, H, W] inputs.
class BatchNorm2d : public BatchNorm {
public:
  explicit BatchNorm2d(int64_t num_features, double eps = 1e-5,
                       double momentum = 0.1, bool affine = true)
      : BatchNorm(num_features, eps, momentum, affine, 4) {}
};

class LayerNorm : public Module {
public:
  /// With `elementwise_affine`, a weight (ones) and, with `bias`, a bias
  /// (zeros) of `normalized_shape`, as PyTorch's LayerNorm.
  explicit LayerNorm(Shape normalized_shape, double eps = 1e-5,
                     bool elementwise_affine = true, bool bias = true);
  Tensor forward(const Tensor &input) override;
  std::string name() const override;

  Tensor weight, bias;

private:
  Shape shape_;
  double eps_;
};

/// Normalization over groups of channels of [N, C, ...] inputs, the same in
/// training and evaluation; `weight` and `bias` are per channel.
class GroupNorm : public Module {
public:
  GroupNorm(int64_t num_groups, int64_t num_channels, double eps = 1e-5,
            bool affine = true);
  Tensor forward(const Tensor &input) override;
  std::string name() const override;

  Tensor weight, bias; ///< [num_channels], undefined without affine

private:
  int64_t groups_, channels_;
  double eps_;
};

/// A lookup table of `num_embeddings` vectors of size `embedding_dim`,
/// initialized from N(0, 1) as in PyTorch.
class Embedding : public Module {
public:
  Embedding(int64_t num_embeddings, int64_t embedding_dim);
  Tensor forward(const Tensor &indices) override;
  std::string name() const override;

  Tensor weight;

private:
  int64_t num_, dim_;
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

/// Holds submodules in a list, named "0", "1", ... as in Sequential, but
/// with no forward of its own: its owner decides how to call them.
class ModuleList : public Module {
public:
  ModuleList() = default;
  template <typename... Ms> explicit ModuleList(Ms... modules) {
    (push_back(std::move(modules)), ...);
  }
  template <typename M> void push_back(M module) {
    modules_.push_back(
        register_module(std::to_string(modules_.size()), std::move(module)));
  }
  /// The module at `index`; an index out of range is an error.
  const std::shared_ptr<Module> &operator[](size_t index) const;
  size_t size() const { return modules_.size(); }
  auto begin() const { return modules_.begin(); }
  auto end() const { return modules_.end(); }
  std::string name() const override { return "ModuleList"; }

private:
  std::vector<std::shared_ptr<Module>> modules_;
};

/// Holds submodules by key, in insertion order; a key is its module's name
/// in named_parameters() and the state dict.
class ModuleDict : public Module {
public:
  ModuleDict() = default;
  explicit ModuleDict(
      std::vector<std::pair<std::string, std::shared_ptr<Module>>> modules);
  /// Adds `module` (a module, or a shared_ptr to one) under `key`, which
  /// must be new, non-empty and free of dots, and returns the held module.
  template <typename M> auto insert(const std::string &key, M module) {
    checkNewKey(key);
    auto held = register_module(key, std::move(module));
    modules_.emplace_back(key, held);
    return held;
  }
  /// The module under `key`; a missing key is an error that lists the keys.
  const std::shared_ptr<Module> &operator[](const std::string &key) const;
  bool contains(const std::string &key) const;
  std::vector<std::string> keys() const;
  size_t size() const { return modules_.size(); }
  std::string name() const override { return "ModuleDict"; }

private:
  void checkNewKey(const std::string &key) const;

  std::vector<std::pair<std::string, std::shared_ptr<Module>>> modules_;
};

/// Multi-head scaled dot-product attention with PyTorch's parameters: one
/// packed input projection (xavier-uniform weight, zero bias) and an output
/// Linear (zero bias).
class MultiheadAttention : public Module {
public:
  MultiheadAttention(int64_t embed_dim, int64_t num_heads, double dropout = 0.0,
                     bool bias = true, bool batch_first = false);
  /// Attends from `query` [L, N, E] ([N, L, E] with batch_first, [L, E]
  /// unbatched) to `key` and `value` [S, N, E]. `key_padding_mask` [N, S]
  /// and `attn_mask` [L, S] or [N * num_heads, L, S] mask out keys where
  /// they are true (bool) or are added to the attention scores (float).
  /// Returns the output, shaped like `query`, and with `need_weights` the
  /// attention weights after dropout, [N, L, S] averaged over heads (or
  /// [N, num_heads, L, S] without `average_attn_weights`); without, an
  /// undefined tensor. `is_causal` is PyTorch's hint that `attn_mask` is
  /// the causal mask (generate_square_subsequent_mask); like PyTorch, it
  /// needs that mask given.
  std::tuple<Tensor, Tensor>
  forward(const Tensor &query, const Tensor &key, const Tensor &value,
          const Tensor &key_padding_mask = {}, bool need_weights = true,
          const Tensor &attn_mask = {}, bool average_attn_weights = true,
          bool is_causal = false);
  using Module::forward;
  std::string name() const override;

  Tensor in_proj_weight; ///< [3 E, E]: the query, key and value projections
  Tensor in_proj_bias;   ///< [3 E], undefined without bias
  std::shared_ptr<Linear> out_proj;

private:
  int64_t embedDim_, numHeads_;
  double dropout_;
  bool batchFirst_;
};

/// The mask that lets position i attend to positions 0..i only (PyTorch's
/// `nn.Transformer.generate_square_subsequent_mask`): [sz, sz], 0 on and
/// below the diagonal, -inf above, to pass as `attn_mask` or `src_mask`.
Tensor generate_square_subsequent_mask(int64_t sz, ScalarType dtype = kFloat32);

/// Self-attention and a feed-forward network, each with a residual
/// connection and layer norm (after the residual, or before each block with
/// `norm_first`), as PyTorch's layer. `activation` is "relu" or "gelu".
class TransformerEncoderLayer : public Module {
public:
  TransformerEncoderLayer(int64_t d_model, int64_t nhead,
                          int64_t dim_feedforward = 2048, double dropout = 0.1,
                          std::string activation = "relu",
                          double layer_norm_eps = 1e-5,
                          bool batch_first = false, bool norm_first = false,
                          bool bias = true);
  Tensor forward(const Tensor &src) override;
  /// `src_mask` and `src_key_padding_mask` are MultiheadAttention's
  /// `attn_mask` and `key_padding_mask`; `is_causal` its hint.
  Tensor forward(const Tensor &src, const Tensor &src_mask,
                 const Tensor &src_key_padding_mask = {},
                 bool is_causal = false);
  std::string name() const override;

  std::shared_ptr<MultiheadAttention> self_attn;
  std::shared_ptr<Linear> linear1;
  std::shared_ptr<Dropout> dropout;
  std::shared_ptr<Linear> linear2;
  std::shared_ptr<LayerNorm> norm1, norm2;
  std::shared_ptr<Dropout> dropout1, dropout2;

private:
  int64_t dModel_, nhead_, feedforward_;
  double dropoutP_;
  std::string activation_;
  bool batchFirst_, normFirst_;
};

/// PyTorch's nn.init: each function fills `tensor` in place (without
/// recording gradient history) from the generator that manual_seed seeds,
/// and returns it.
namespace init {

/// The gain recommended for a nonlinearity: 1 for "linear", "conv1d",
/// "conv2d", "conv_transpose2d" and "sigmoid", 5/3 for "tanh", sqrt(2) for
/// "relu", sqrt(2 / (1 + slope^2)) for "leaky_relu" (`param` is the slope,
/// 0.01 by default) and 3/4 for "selu".
double calculate_gain(const std::string &nonlinearity,
                      std::optional<double> param = {},
                      Loc loc = Loc::current());

/// Uniform in [a, b).
Tensor uniform_(Tensor tensor, double a = 0, double b = 1,
                Loc loc = Loc::current());
/// Normal with mean `mean` and standard deviation `std`.
Tensor normal_(Tensor tensor, double mean = 0, double std = 1,
               Loc loc = Loc::current());
Tensor constant_(Tensor tensor, Scalar val, Loc loc = Loc::current());
Tensor ones_(Tensor tensor, Loc loc = Loc::current());
Tensor zeros_(Tensor tensor, Loc loc = Loc::current());

/// Glorot: uniform in +-gain sqrt(6 / (fan_in + fan_out)). The fans of a
/// [out, in, k...] tensor are in and out times the kernel's size.
Tensor xavier_uniform_(Tensor tensor, double gain = 1.0,
                       Loc loc = Loc::current());
/// Glorot: normal with std gain sqrt(2 / (fan_in + fan_out)).
Tensor xavier_normal_(Tensor tensor, double gain = 1.0,
                      Loc loc = Loc::current());

/// He: uniform in +-gain sqrt(3 / fan), with the gain of `nonlinearity`
/// (whose slope is `a` for "leaky_relu") and the fan `mode` ("fan_in" or
/// "fan_out").
Tensor kaiming_uniform_(Tensor tensor, double a = 0,
                        const std::string &mode = "fan_in",
                        const std::string &nonlinearity = "leaky_relu",
                        Loc loc = Loc::current());
/// He: normal with std gain / sqrt(fan).
Tensor kaiming_normal_(Tensor tensor, double a = 0,
                       const std::string &mode = "fan_in",
                       const std::string &nonlinearity = "leaky_relu",
                       Loc loc = Loc::current());

} // namespace init

} // namespace kiln::nn

#endif // KILN_FRONTEND_NN_H

//===- NN.cpp - Modules, layers and losses --------------------------------===//
#include "kiln/frontend/NN.h"
#include "kiln/frontend/Autograd.h"
#include "kiln/frontend/Functional.h"
#include "kiln/frontend/Graph.h"
#include "kiln/frontend/Recording.h"
#include "kiln/frontend/Stats.h"
#include "kiln/ir/Shapes.h"
#include "kiln/runtime/Error.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

namespace kiln::nn {

using detail::fail;

Tensor Module::forward(const Tensor &) {
  throw Error(name() + " has no single-tensor forward");
}

Tensor Module::register_parameter(const std::string &name, Tensor value,
                                  bool requires_grad) {
  if (value.defined() && requires_grad)
    value.requires_grad_();
  else if (value.defined())
    detail::realize(*value.impl());
  parameters_.emplace_back(name, value);
  return value;
}

Tensor Module::register_buffer(const std::string &name, Tensor value) {
  if (value.defined())
    detail::realize(*value.impl());
  buffers_.emplace_back(name, value);
  return value;
}

void Module::registerChild(const std::string &name,
                           std::shared_ptr<Module> child) {
  if (!child)
    throw Error("register_module: module '" + name + "' is null");
  for (auto &[existing, _] : children_)
    if (existing == name)
      throw Error("register_module: a submodule named '" + name +
                  "' already exists");
  child->train(training_);
  children_.emplace_back(name, std::move(child));
}

void Module::collect(const std::string &prefix, bool recurse, bool buffers,
                     std::vector<std::pair<std::string, Tensor>> &out) const {
  for (auto &[name, tensor] : buffers ? buffers_ : parameters_)
    if (tensor.defined())
      out.emplace_back(prefix + name, tensor);
  if (recurse)
    for (auto &[name, child] : children_)
      child->collect(prefix + name + ".", true, buffers, out);
}

std::vector<std::pair<std::string, Tensor>>
Module::named_parameters(bool recurse) const {
  std::vector<std::pair<std::string, Tensor>> out;
  collect("", recurse, false, out);
  return out;
}

std::vector<Tensor> Module::parameters(bool recurse) const {
  std::vector<Tensor> out;
  for (auto &[_, tensor] : named_parameters(recurse))
    out.push_back(tensor);
  return out;
}

std::vector<std::pair<std::string, Tensor>>
Module::named_buffers(bool recurse) const {
  std::vector<std::pair<std::string, Tensor>> out;
  collect("", recurse, true, out);
  return out;
}

std::vector<Tensor> Module::buffers(bool recurse) const {
  std::vector<Tensor> out;
  for (auto &[_, tensor] : named_buffers(recurse))
    out.push_back(tensor);
  return out;
}

std::vector<std::shared_ptr<Module>> Module::children() const {
  std::vector<std::shared_ptr<Module>> out;
  for (auto &[_, child] : children_)
    out.push_back(child);
  return out;
}

std::vector<std::pair<std::string, std::shared_ptr<Module>>>
Module::named_children() const {
  return children_;
}

std::vector<std::pair<std::string, Module *>>
Module::named_modules(bool include_self) {
  std::vector<std::pair<std::string, Module *>> out;
  if (include_self)
    out.emplace_back("", this);
  for (auto &[name, child] : children_)
    for (auto &[inner, module] : child->named_modules())
      out.emplace_back(inner.empty() ? name : name + "." + inner, module);
  return out;
}

std::vector<Module *> Module::modules(bool include_self) {
  std::vector<Module *> out;
  for (auto &[_, module] : named_modules(include_self))
    out.push_back(module);
  return out;
}

void Module::apply(const std::function<void(Module &)> &fn) {
  for (auto &[_, child] : children_)
    child->apply(fn);
  fn(*this);
}

void Module::to(Device device) {
  if (!device.is_cpu())
    throw Error("Module::to: device " + device.str() +
                " is not available: this build of Kiln runs on the cpu");
}

void Module::train(bool on) {
  training_ = on;
  for (auto &[_, child] : children_)
    child->train(on);
}

void Module::zero_grad(bool set_to_none) {
  for (Tensor &p : parameters()) {
    if (set_to_none)
      p.mutable_grad() = Tensor();
    else if (p.grad().defined())
      p.mutable_grad().zero_();
  }
}

int64_t Module::num_parameters() const {
  int64_t n = 0;
  for (const Tensor &p : parameters())
    n += p.numel();
  return n;
}

void Module::to(ScalarType dtype) {
  if (!is_floating_point(dtype))
    throw Error("Module::to: dtype must be floating point, got " +
                std::string(dtype_name(dtype)));
  // Recorded ops read their operands' old types, so none may be pending.
  sync();
  NoGradGuard noGrad;
  for (auto &[name, tensor] : state_dict()) {
    if (!tensor.is_floating_point() || tensor.dtype() == dtype)
      continue;
    Tensor converted = tensor.to(dtype);
    detail::realize(*converted.impl());
    detail::TensorImpl &impl = *tensor.impl();
    impl.type = converted.impl()->type;
    impl.storage = converted.impl()->storage;
    impl.grad = Tensor();
  }
}

StateDict Module::state_dict() const {
  StateDict state = named_parameters();
  for (auto &entry : named_buffers())
    state.push_back(entry);
  return state;
}

void Module::load_state_dict(const StateDict &state, bool strict) {
  StateDict own = state_dict();
  std::map<std::string, const Tensor *> incoming;
  for (auto &[name, tensor] : state)
    incoming[name] = &tensor;
  std::vector<std::string> missing, unexpected, mismatched;
  for (auto &[name, tensor] : own) {
    auto it = incoming.find(name);
    if (it == incoming.end())
      missing.push_back(name);
    else if (it->second->sizes() != tensor.sizes())
      mismatched.push_back(name + ": checkpoint " +
                           ir::formatShape(it->second->sizes()) + ", model " +
                           ir::formatShape(tensor.sizes()));
  }
  for (auto &[name, tensor] : state)
    if (std::none_of(own.begin(), own.end(),
                     [&](auto &entry) { return entry.first == name; }))
      unexpected.push_back(name);
  auto list = [](const std::vector<std::string> &names) {
    std::string s;
    for (auto &n : names)
      s += (s.empty() ? "" : ", ") + n;
    return s;
  };
  std::string problems;
  if (strict && !missing.empty())
    problems += "\n  missing keys: " + list(missing);
  if (strict && !unexpected.empty())
    problems += "\n  unexpected keys: " + list(unexpected);
  if (!mismatched.empty())
    problems += "\n  shape mismatches: " + list(mismatched);
  if (!problems.empty())
    throw Error("load_state_dict: the state dict does not fit " + name() + ":" +
                problems);
  NoGradGuard noGrad;
  for (auto &[name, tensor] : own)
    if (auto it = incoming.find(name); it != incoming.end())
      detail::assign(tensor, it->second->to(tensor.dtype()));
  sync();
}

void Module::print(std::ostream &os, const std::string &indent) const {
  int64_t own = 0;
  for (auto &[_, p] : parameters_)
    own += p.defined() ? p.numel() : 0;
  os << name();
  if (own > 0)
    os << "  # " << own << " parameters";
  if (!children_.empty()) {
    os << " (\n";
    for (auto &[childName, child] : children_) {
      os << indent << "  (" << childName << "): ";
      child->print(os, indent + "  ");
      os << "\n";
    }
    os << indent << ")";
  }
}

std::ostream &operator<<(std::ostream &os, const Module &module) {
  module.print(os, "");
  return os << "\nTotal parameters: " << module.num_parameters();
}

Linear::Linear(int64_t in_features, int64_t out_features, bool withBias)
    : in_(in_features), out_(out_features) {
  if (in_features < 1 || out_features < 1)
    throw Error("Linear: in_features and out_features must be positive, got " +
                std::to_string(in_features) + " and " +
                std::to_string(out_features));
  // PyTorch's default: kaiming_uniform_(a=sqrt(5)) for the weight, which is
  // uniform in +-1/sqrt(in_features), and the same bound for the bias.
  double bound = 1.0 / std::sqrt(static_cast<double>(in_features));
  NoGradGuard noGrad;
  weight = register_parameter(
      "weight", rand({out_features, in_features}) * (2 * bound) - bound);
  if (withBias)
    bias =
        register_parameter("bias", rand({out_features}) * (2 * bound) - bound);
}

Tensor Linear::forward(const Tensor &input) {
  if (!input.defined() || input.dim() < 1 || input.size(-1) != in_)
    throw Error("Linear(" + std::to_string(in_) + ", " + std::to_string(out_) +
                "): expected an input with last dimension " +
                std::to_string(in_) + ", got " +
                (input.defined() ? ir::formatShape(input.sizes())
                                 : std::string("an undefined tensor")));
  Tensor y = input.matmul(weight.t());
  return bias.defined() ? y + bias : y;
}

std::string Linear::name() const {
  return "Linear(in_features=" + std::to_string(in_) +
         ", out_features=" + std::to_string(out_) +
         ", bias=" + (bias.defined() ? "true" : "false") + ")";
}

Tensor ReLU::forward(const Tensor &input) { return relu(input); }
Tensor Tanh::forward(const Tensor &input) { return tanh(input); }

Tensor Dropout::forward(const Tensor &input) {
  return dropout(input, p_, is_training());
}

std::string Dropout::name() const {
  std::ostringstream os;
  os << "Dropout(p=" << p_ << ")";
  return os.str();
}

Tensor Sequential::forward(const Tensor &input) {
  Tensor x = input;
  for (auto &child : children())
    x = child->forward(x);
  return x;
}

namespace {

std::string
join(std::initializer_list<std::pair<const char *, std::string>> fields) {
  std::string s;
  for (auto &[name, value] : fields)
    s += (s.empty() ? "" : ", ") + std::string(name) + "=" + value;
  return s;
}

std::string str(int64_t v) { return std::to_string(v); }

/// Uniform in +-bound, PyTorch's default for convolution and linear layers.
Tensor uniformInit(const Shape &shape, double bound) {
  NoGradGuard noGrad;
  return rand(shape) * (2 * bound) - bound;
}

} // namespace

Tensor Sigmoid::forward(const Tensor &input) { return sigmoid(input); }

Tensor GELU::forward(const Tensor &input) { return gelu(input, approximate_); }
std::string GELU::name() const {
  return "GELU(approximate='" + approximate_ + "')";
}

Tensor LeakyReLU::forward(const Tensor &input) {
  return leaky_relu(input, slope_);
}
std::string LeakyReLU::name() const {
  std::ostringstream os;
  os << "LeakyReLU(negative_slope=" << slope_ << ")";
  return os.str();
}

Tensor SiLU::forward(const Tensor &input) { return silu(input); }

Tensor Softmax::forward(const Tensor &input) { return softmax(input, dim_); }
std::string Softmax::name() const { return "Softmax(dim=" + str(dim_) + ")"; }

Tensor LogSoftmax::forward(const Tensor &input) {
  return log_softmax(input, dim_);
}
std::string LogSoftmax::name() const {
  return "LogSoftmax(dim=" + str(dim_) + ")";
}

Tensor Flatten::forward(const Tensor &input) {
  return input.flatten(start_, end_);
}
std::string Flatten::name() const {
  return "Flatten(" +
         join({{"start_dim", str(start_)}, {"end_dim", str(end_)}}) + ")";
}

Conv2d::Conv2d(int64_t in, int64_t out, int64_t kernel, int64_t stride,
               int64_t padding, int64_t dilation, int64_t groups, bool withBias)
    : in_(in), out_(out), kernel_(kernel), stride_(stride), padding_(padding),
      dilation_(dilation), groups_(groups) {
  if (in < 1 || out < 1 || kernel < 1 || groups < 1 || in % groups != 0 ||
      out % groups != 0)
    throw Error("Conv2d: invalid channels, kernel or groups (in=" + str(in) +
                ", out=" + str(out) + ", kernel=" + str(kernel) +
                ", groups=" + str(groups) + ")");
  double bound =
      1.0 / std::sqrt(static_cast<double>(in / groups * kernel * kernel));
  weight = register_parameter(
      "weight", uniformInit({out, in / groups, kernel, kernel}, bound));
  if (withBias)
    bias = register_parameter("bias", uniformInit({out}, bound));
}

Tensor Conv2d::forward(const Tensor &input) {
  return conv2d(input, weight, bias, {stride_}, {padding_}, {dilation_},
                groups_);
}

std::string Conv2d::name() const {
  return "Conv2d(" +
         join({{"in_channels", str(in_)},
               {"out_channels", str(out_)},
               {"kernel_size", str(kernel_)},
               {"stride", str(stride_)},
               {"padding", str(padding_)},
               {"bias", bias.defined() ? "true" : "false"}}) +
         ")";
}

Conv1d::Conv1d(int64_t in, int64_t out, int64_t kernel, int64_t stride,
               int64_t padding, int64_t dilation, int64_t groups, bool withBias)
    : in_(in), out_(out), kernel_(kernel), stride_(stride), padding_(padding),
      dilation_(dilation), groups_(groups) {
  if (in < 1 || out < 1 || kernel < 1 || groups < 1 || in % groups != 0 ||
      out % groups != 0)
    throw Error("Conv1d: invalid channels, kernel or groups (in=" + str(in) +
                ", out=" + str(out) + ", kernel=" + str(kernel) +
                ", groups=" + str(groups) + ")");
  double bound = 1.0 / std::sqrt(static_cast<double>(in / groups * kernel));
  weight = register_parameter("weight",
                              uniformInit({out, in / groups, kernel}, bound));
  if (withBias)
    bias = register_parameter("bias", uniformInit({out}, bound));
}

Tensor Conv1d::forward(const Tensor &input) {
  return conv1d(input, weight, bias, stride_, padding_, dilation_, groups_);
}

std::string Conv1d::name() const {
  return "Conv1d(" +
         join({{"in_channels", str(in_)},
               {"out_channels", str(out_)},
               {"kernel_size", str(kernel_)},
               {"stride", str(stride_)},
               {"padding", str(padding_)},
               {"dilation", str(dilation_)},
               {"groups", str(groups_)},
               {"bias", bias.defined() ? "true" : "false"}}) +
         ")";
}

ConvTranspose2d::ConvTranspose2d(int64_t in, int64_t out, int64_t kernel,
                                 int64_t stride, int64_t padding,
                                 int64_t outputPadding, int64_t groups,
                                 bool withBias, int64_t dilation)
    : in_(in), out_(out), kernel_(kernel), stride_(stride), padding_(padding),
      outputPadding_(outputPadding), groups_(groups), dilation_(dilation) {
  if (in < 1 || out < 1 || kernel < 1 || groups < 1 || in % groups != 0 ||
      out % groups != 0)
    throw Error("ConvTranspose2d: invalid channels, kernel or groups (in=" +
                str(in) + ", out=" + str(out) + ", kernel=" + str(kernel) +
                ", groups=" + str(groups) + ")");
  if (outputPadding < 0 || outputPadding >= stride)
    throw Error("ConvTranspose2d: output_padding " + str(outputPadding) +
                " must be non-negative and smaller than stride " + str(stride));
  // PyTorch computes the fan-in from the weight's dimension 1, which for a
  // transposed convolution holds the output channels.
  double bound =
      1.0 / std::sqrt(static_cast<double>(out / groups * kernel * kernel));
  weight = register_parameter(
      "weight", uniformInit({in, out / groups, kernel, kernel}, bound));
  if (withBias)
    bias = register_parameter("bias", uniformInit({out}, bound));
}

Tensor ConvTranspose2d::forward(const Tensor &input) {
  return conv_transpose2d(input, weight, bias, {stride_}, {padding_},
                          {outputPadding_}, groups_, {dilation_});
}

std::string ConvTranspose2d::name() const {
  return "ConvTranspose2d(" +
         join({{"in_channels", str(in_)},
               {"out_channels", str(out_)},
               {"kernel_size", str(kernel_)},
               {"stride", str(stride_)},
               {"padding", str(padding_)},
               {"output_padding", str(outputPadding_)},
               {"groups", str(groups_)},
               {"dilation", str(dilation_)},
               {"bias", bias.defined() ? "true" : "false"}}) +
         ")";
}

Tensor MaxPool2d::forward(const Tensor &input) {
  return max_pool2d(input, {kernel_}, {stride_}, {padding_});
}
std::string MaxPool2d::name() const {
  return "MaxPool2d(" +
         join({{"kernel_size", str(kernel_)},
               {"stride", str(stride_)},
               {"padding", str(padding_)}}) +
         ")";
}

Tensor AvgPool2d::forward(const Tensor &input) {
  return avg_pool2d(input, {kernel_}, {stride_}, {padding_});
}
std::string AvgPool2d::name() const {
  return "AvgPool2d(" +
         join({{"kernel_size", str(kernel_)},
               {"stride", str(stride_)},
               {"padding", str(padding_)}}) +
         ")";
}

Tensor AdaptiveAvgPool2d::forward(const Tensor &input) {
  return adaptive_avg_pool2d(input, size_);
}
std::string AdaptiveAvgPool2d::name() const {
  if (size_.size() == 2 && size_[0] != size_[1])
    return "AdaptiveAvgPool2d(output_size=(" + str(size_[0]) + ", " +
           str(size_[1]) + "))";
  return "AdaptiveAvgPool2d(output_size=" +
         (size_.empty() ? std::string("()") : str(size_[0])) + ")";
}

BatchNorm::BatchNorm(int64_t features, double eps, double momentum, bool affine,
                     int64_t rank)
    : features_(features), eps_(eps), momentum_(momentum), rank_(rank) {
  if (features < 1)
    throw Error("BatchNorm: num_features must be positive");
  if (affine) {
    weight = register_parameter("weight", ones({features}));
    bias = register_parameter("bias", zeros({features}));
  }
  running_mean = register_buffer("running_mean", zeros({features}));
  running_var = register_buffer("running_var", ones({features}));
}

Tensor BatchNorm::forward(const Tensor &input) {
  if (!input.defined() || (rank_ != 0 && input.dim() != rank_) ||
      input.dim() < 2 || input.size(1) != features_)
    throw Error(name() + ": expected a " +
                (rank_ ? std::to_string(rank_) + "-d " : std::string()) +
                "input with " + str(features_) +
                " channels in dimension 1, got " +
                (input.defined() ? ir::formatShape(input.sizes())
                                 : std::string("an undefined tensor")));
  return batch_norm(input, running_mean, running_var, weight, bias,
                    is_training(), momentum_, eps_);
}

std::string BatchNorm::name() const {
  std::ostringstream os;
  os << "BatchNorm"
     << (rank_ == 4   ? "2d"
         : rank_ == 2 ? "1d"
                      : "")
     << "(" << features_ << ", eps=" << eps_ << ", momentum=" << momentum_
     << ", affine=" << (weight.defined() ? "true" : "false") << ")";
  return os.str();
}

LayerNorm::LayerNorm(Shape shape, double eps, bool affine, bool withBias)
    : shape_(std::move(shape)), eps_(eps) {
  if (affine) {
    weight = register_parameter("weight", ones(shape_));
    if (withBias)
      bias = register_parameter("bias", zeros(shape_));
  }
}

Tensor LayerNorm::forward(const Tensor &input) {
  return layer_norm(input, shape_, weight, bias, eps_);
}

std::string LayerNorm::name() const {
  std::ostringstream os;
  os << "LayerNorm(" << ir::formatShape(shape_) << ", eps=" << eps_
     << ", elementwise_affine=" << (weight.defined() ? "true" : "false");
  if (weight.defined() && !bias.defined())
    os << ", bias=false";
  os << ")";
  return os.str();
}

GroupNorm::GroupNorm(int64_t groups, int64_t channels, double eps, bool affine)
    : groups_(groups), channels_(channels), eps_(eps) {
  if (groups < 1 || channels < 1 || channels % groups != 0)
    throw Error("GroupNorm: num_groups " + str(groups) +
                " must be positive and divide num_channels " + str(channels));
  if (affine) {
    weight = register_parameter("weight", ones({channels}));
    bias = register_parameter("bias", zeros({channels}));
  }
}

Tensor GroupNorm::forward(const Tensor &input) {
  if (!input.defined() || input.dim() < 2 || input.size(1) != channels_)
    throw Error(name() + ": expected an input [N, " + str(channels_) +
                ", ...], got " +
                (input.defined() ? ir::formatShape(input.sizes())
                                 : std::string("an undefined tensor")));
  return group_norm(input, groups_, weight, bias, eps_);
}

std::string GroupNorm::name() const {
  std::ostringstream os;
  os << "GroupNorm(" << groups_ << ", " << channels_ << ", eps=" << eps_
     << ", affine=" << (weight.defined() ? "true" : "false") << ")";
  return os.str();
}

Embedding::Embedding(int64_t num, int64_t dim) : num_(num), dim_(dim) {
  if (num < 1 || dim < 1)
    throw Error("Embedding: num_embeddings and embedding_dim must be positive");
  NoGradGuard noGrad;
  weight = register_parameter("weight", randn({num, dim}));
}

Tensor Embedding::forward(const Tensor &indices) {
  return embedding(weight, indices);
}

std::string Embedding::name() const {
  return "Embedding(" + str(num_) + ", " + str(dim_) + ")";
}

const std::shared_ptr<Module> &ModuleList::operator[](size_t index) const {
  if (index >= modules_.size())
    throw Error("ModuleList: index " + std::to_string(index) +
                " is out of range for " + std::to_string(modules_.size()) +
                " modules");
  return modules_[index];
}

ModuleDict::ModuleDict(
    std::vector<std::pair<std::string, std::shared_ptr<Module>>> modules) {
  for (auto &[key, module] : modules)
    insert(key, std::move(module));
}

void ModuleDict::checkNewKey(const std::string &key) const {
  if (key.empty() || key.find('.') != std::string::npos)
    throw Error("ModuleDict: key '" + key +
                "' must be non-empty and contain no '.'");
  if (contains(key))
    throw Error("ModuleDict: key '" + key + "' already exists");
}

const std::shared_ptr<Module> &
ModuleDict::operator[](const std::string &key) const {
  for (auto &[existing, module] : modules_)
    if (existing == key)
      return module;
  std::string known;
  for (auto &k : keys())
    known += (known.empty() ? "" : ", ") + k;
  throw Error("ModuleDict: no module under key '" + key + "' (keys: " + known +
              ")");
}

bool ModuleDict::contains(const std::string &key) const {
  return std::any_of(modules_.begin(), modules_.end(),
                     [&](auto &entry) { return entry.first == key; });
}

std::vector<std::string> ModuleDict::keys() const {
  std::vector<std::string> out;
  for (auto &[key, _] : modules_)
    out.push_back(key);
  return out;
}

} // namespace kiln::nn

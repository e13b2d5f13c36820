//===- CustomFunction.h - Autograd functions with their own backward -*- C++ -*-===//
//
// torch::autograd::Function<T> in Kiln: a struct with static forward and
// backward, called through T::apply(args...). forward runs at once, without
// history; backward is recorded once, at apply, on placeholder gradients,
// and becomes the gradient of a kiln.custom_vjp op that kiln-autodiff
// expands like any other: a custom function trains, differentiates twice
// and compiles into the same program as the ops around it.
//
//   struct Exp : kiln::autograd::Function<Exp> {
//     static Tensor forward(AutogradContext *ctx, Tensor x) {
//       Tensor y = x.exp();
//       ctx->save_for_backward({y});
//       return y;
//     }
//     static variable_list backward(AutogradContext *ctx,
//                                   variable_list grad_outputs) {
//       return {grad_outputs[0] * ctx->get_saved_variables()[0]};
//     }
//   };
//   Tensor y = Exp::apply(x);
//
// What backward may not do, since it is recorded rather than run: read a
// value (item(), data_ptr(), printing) computed from its gradients, or write
// in place into a tensor from outside it. Both are errors that say so.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_CUSTOMFUNCTION_H
#define KILN_FRONTEND_CUSTOMFUNCTION_H

#include "kiln/frontend/Autograd.h"
#include "kiln/frontend/Tensor.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

namespace kiln::detail {
struct CustomFunctionRecorder;
} // namespace kiln::detail

namespace kiln::autograd {

/// LibTorch's name for a tensor in autograd code.
using Variable = Tensor;
using variable_list = std::vector<Tensor>;
using tensor_list = std::vector<Tensor>;

/// A value kept in AutogradContext::saved_data: none, a bool, an integer, a
/// double, a string, a tensor or a list of integers or doubles, as
/// at::IValue holds them. Reading it as another kind is a kiln::Error.
class IValue {
public:
  IValue() = default;
  IValue(bool value) : value_(value) {}
  template <typename T>
    requires(std::is_integral_v<T> && !std::is_same_v<T, bool>)
  IValue(T value) : value_(static_cast<int64_t>(value)) {}
  IValue(double value) : value_(value) {}
  IValue(float value) : value_(static_cast<double>(value)) {}
  IValue(std::string value) : value_(std::move(value)) {}
  IValue(const char *value) : value_(std::string(value)) {}
  IValue(Tensor value) : value_(std::move(value)) {}
  IValue(std::vector<int64_t> value) : value_(std::move(value)) {}
  IValue(IntArrayRef value)
      : value_(std::vector<int64_t>(value.begin(), value.end())) {}
  IValue(std::vector<double> value) : value_(std::move(value)) {}

  bool isNone() const { return value_.index() == 0; }
  bool isBool() const { return holds<bool>(); }
  bool isInt() const { return holds<int64_t>(); }
  bool isDouble() const { return holds<double>(); }
  bool isString() const { return holds<std::string>(); }
  bool isTensor() const { return holds<Tensor>(); }
  bool isIntList() const { return holds<std::vector<int64_t>>(); }
  bool isDoubleList() const { return holds<std::vector<double>>(); }

  bool toBool() const { return get<bool>("a bool"); }
  int64_t toInt() const { return get<int64_t>("an int"); }
  /// An integer reads as a double too, as at::IValue's does not; Kiln is
  /// lenient there because `saved_data["k"] = 2` is easy to write for 2.0.
  double toDouble() const {
    if (isInt())
      return static_cast<double>(std::get<int64_t>(value_));
    return get<double>("a double");
  }
  const std::string &toStringRef() const {
    return get<std::string>("a string");
  }
  const Tensor &toTensor() const { return get<Tensor>("a tensor"); }
  const std::vector<int64_t> &toIntVector() const {
    return get<std::vector<int64_t>>("a list of ints");
  }
  const std::vector<double> &toDoubleVector() const {
    return get<std::vector<double>>("a list of doubles");
  }
  /// "None", "Bool", "Int", "Double", "String", "Tensor", "IntList" or
  /// "DoubleList".
  std::string tagKind() const;

private:
  template <typename T> bool holds() const {
    return std::holds_alternative<T>(value_);
  }
  template <typename T> const T &get(const char *wanted) const {
    if (!holds<T>())
      wrongKind(wanted);
    return std::get<T>(value_);
  }
  [[noreturn]] void wrongKind(const char *wanted) const;

  std::variant<std::monostate, bool, int64_t, double, std::string, Tensor,
               std::vector<int64_t>, std::vector<double>>
      value_;
};

/// What forward leaves for backward, as torch::autograd::AutogradContext.
class AutogradContext {
public:
  AutogradContext() = default;
  AutogradContext(const AutogradContext &) = delete;
  AutogradContext &operator=(const AutogradContext &) = delete;

  /// Keeps tensors for backward (inputs, outputs or anything forward
  /// computed); get_saved_variables() gives them back in order.
  void save_for_backward(variable_list to_save);
  variable_list get_saved_variables() const;
  /// Outputs that get no gradient: they do not require grad, and backward
  /// receives zeros for them.
  void mark_non_differentiable(const variable_list &outputs);
  /// Kiln always hands backward defined gradients (zeros for an output
  /// that received none), which is what PyTorch does by default; with
  /// `false` PyTorch would pass undefined tensors instead, and code written
  /// for that (treating undefined as zero) reads zeros the same way.
  void set_materialize_grads(bool value);
  /// Whether input `index` of apply (counting every argument) requires a
  /// gradient.
  bool needs_input_grad(size_t index) const;

  /// Anything else backward needs: numbers, strings, tensors.
  std::unordered_map<std::string, IValue> saved_data;

private:
  friend struct ::kiln::detail::CustomFunctionRecorder;
  variable_list saved_;
  std::vector<bool> needsInputGrad_;
  std::vector<const ::kiln::detail::TensorImpl *> nonDifferentiable_;
  bool materializeGrads_ = true;
};

} // namespace kiln::autograd

namespace kiln::detail {

/// The non-template half of Function<T>::apply.
struct CustomFunctionRecorder {
  using Backward =
      std::function<autograd::variable_list(autograd::variable_list)>;
  /// Before forward: the tensors among apply's arguments (undefined for
  /// one that is not a tensor) and whether any needs a gradient.
  static bool prepare(autograd::AutogradContext &ctx,
                      const std::vector<std::optional<Tensor>> &inputs);
  /// After forward: records backward on placeholders and returns the
  /// outputs with the custom function as their history.
  static std::vector<Tensor>
  record(autograd::AutogradContext &ctx,
         const std::vector<std::optional<Tensor>> &inputs,
         std::vector<Tensor> outputs, const Backward &backward,
         const char *function);

  template <typename A> static std::optional<Tensor> input(const A &arg) {
    using Plain = std::decay_t<A>;
    if constexpr (std::is_same_v<Plain, Tensor>)
      return arg;
    else if constexpr (std::is_same_v<Plain, std::optional<Tensor>>)
      return arg ? *arg : Tensor();
    else
      return std::nullopt;
  }
};

} // namespace kiln::detail

namespace kiln::autograd {

/// The base of a custom autograd function `T`, with
///   static R forward(AutogradContext *ctx, Args... args);
///   static variable_list backward(AutogradContext *ctx,
///                                 variable_list grad_outputs);
/// where R is Tensor or variable_list. backward returns one gradient per
/// argument of forward (after ctx): undefined for arguments that are not
/// tensors or need none. T::apply(args...) calls forward.
template <class T> struct Function {
  template <typename X = T, typename... Args>
  static auto apply(Args &&...args) {
    std::vector<std::optional<Tensor>> inputs = {
        detail::CustomFunctionRecorder::input(args)...};
    AutogradContext ctx;
    bool needsGrad = detail::CustomFunctionRecorder::prepare(ctx, inputs);
    using Result = decltype(X::forward(&ctx, std::forward<Args>(args)...));
    static_assert(std::is_same_v<Result, Tensor> ||
                      std::is_same_v<Result, variable_list>,
                  "forward must return a Tensor or a variable_list");
    Result result = [&] {
      NoGradGuard noGrad;
      return X::forward(&ctx, std::forward<Args>(args)...);
    }();
    if (!needsGrad)
      return result;
    auto backward = [&ctx](variable_list grads) {
      return X::backward(&ctx, std::move(grads));
    };
    if constexpr (std::is_same_v<Result, Tensor>) {
      return std::move(detail::CustomFunctionRecorder::record(
          ctx, inputs, {std::move(result)}, backward, typeid(X).name())[0]);
    } else {
      return detail::CustomFunctionRecorder::record(
          ctx, inputs, std::move(result), backward, typeid(X).name());
    }
  }
};

} // namespace kiln::autograd

#endif // KILN_FRONTEND_CUSTOMFUNCTION_H

//===- Module.h - nn::Module, its holders and KILN_MODULE -------*- C++ -*-===//
//
// LibTorch's module pattern: a layer's implementation `LinearImpl` derives
// from nn::Module, and `Linear`, declared by KILN_MODULE(Linear), is a
// ModuleHolder: a handle with reference semantics, as a Python variable is.
// Copies of a handle are the same module (its parameters, its train/eval
// mode), `linear->weight` reaches the module's members, `linear(x)` and
// `linear->forward(x)` call it, and `nn::Linear fc{nullptr}` is an empty
// handle that a constructor fills later with register_module.
//
//   struct NetImpl : kiln::nn::Module {
//     NetImpl() { fc = register_module("fc", kiln::nn::Linear(784, 10)); }
//     kiln::Tensor forward(kiln::Tensor x) { return fc(x); }
//     kiln::nn::Linear fc{nullptr};
//   };
//   KILN_MODULE(Net);
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_MODULE_H
#define KILN_FRONTEND_MODULE_H

#include "kiln/frontend/OrderedDict.h"
#include "kiln/frontend/Serialize.h"
#include "kiln/frontend/Tensor.h"

#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

namespace kiln::nn {
template <typename Contained> class ModuleHolder;
class Module;
} // namespace kiln::nn

namespace kiln::serialize {
class OutputArchive;
class InputArchive;
} // namespace kiln::serialize

namespace kiln::detail {
/// Whether T is (derived from) a ModuleHolder.
template <typename T> struct IsModuleHolder {
  template <typename C> static std::true_type test(const nn::ModuleHolder<C> *);
  static std::false_type test(...);
  static constexpr bool value =
      decltype(test(std::declval<std::decay_t<T> *>()))::value;
};
[[noreturn]] void throwEmptyHolder(const char *typeName);
std::string demangle(const char *mangled);
} // namespace kiln::detail

namespace kiln::nn {

/// The base of every layer and model.
class Module : public std::enable_shared_from_this<Module> {
public:
  /// A module named after its class ("Net", "kiln::nn::LinearImpl").
  Module();
  /// A module with the name `name`.
  explicit Module(std::string name);
  Module(const Module &) = default;
  Module &operator=(const Module &) = default;
  Module(Module &&) noexcept = default;
  Module &operator=(Module &&) noexcept = default;
  virtual ~Module() = default;

  /// The module's name: the one given to the constructor, or the class's.
  virtual const std::string &name() const;
  /// One line describing the module and its options, e.g.
  /// "kiln::nn::Linear(in_features=784, out_features=10, bias=true)";
  /// printing a module prints this for each module of the tree.
  virtual void pretty_print(std::ostream &stream) const;

  // --- Parameters, buffers and submodules
  /// Parameters of this module and (with `recurse`) its descendants, in
  /// registration order.
  std::vector<Tensor> parameters(bool recurse = true) const;
  /// The same by PyTorch's dotted names ("features.0.weight").
  OrderedDict<std::string, Tensor> named_parameters(bool recurse = true) const;
  std::vector<Tensor> buffers(bool recurse = true) const;
  OrderedDict<std::string, Tensor> named_buffers(bool recurse = true) const;
  /// Direct submodules.
  std::vector<std::shared_ptr<Module>> children() const;
  OrderedDict<std::string, std::shared_ptr<Module>> named_children() const;
  /// This module (first, unless `include_self` is false) and every
  /// descendant, depth first in registration order.
  std::vector<std::shared_ptr<Module>> modules(bool include_self = true);
  /// The same by dotted names, each prefixed with `name_prefix` ("" or the
  /// prefix for this module).
  OrderedDict<std::string, std::shared_ptr<Module>>
  named_modules(const std::string &name_prefix = std::string(),
                bool include_self = true);

  /// Calls `fn` on this module, then on every descendant, depth first.
  void apply(const std::function<void(Module &)> &fn);
  void apply(const std::function<void(const Module &)> &fn) const;
  /// The same with each module's dotted name (prefixed by `name_prefix`).
  void apply(const std::function<void(const std::string &, Module &)> &fn,
             const std::string &name_prefix = std::string());
  void apply(const std::function<void(const std::string &, const Module &)> &fn,
             const std::string &name_prefix = std::string()) const;
  /// The same with each module's shared pointer (and name).
  void apply(const std::function<void(const std::shared_ptr<Module> &)> &fn);
  void apply(const std::function<void(const std::string &,
                                      const std::shared_ptr<Module> &)> &fn,
             const std::string &name_prefix = std::string());

  // --- Modes
  /// Training mode (dropout active, batch norm on batch statistics), for
  /// this module and every descendant.
  virtual void train(bool on = true);
  void eval() { train(false); }
  virtual bool is_training() const noexcept { return training_; }

  /// Clears (set_to_none, as PyTorch 2) or zeroes the gradient of every
  /// parameter.
  virtual void zero_grad(bool set_to_none = true);

  /// The number of parameter elements, recursively (Kiln's addition).
  int64_t num_parameters() const;

  /// Converts every floating point parameter and buffer to `dtype` in place
  /// (computing what is pending first), as PyTorch's module.to(dtype):
  /// every handle to them, such as a layer's `weight`, sees the converted
  /// tensor. Gradients are cleared.
  virtual void to(ScalarType dtype, bool non_blocking = false);
  /// Moves parameters and buffers to `device`: the CPU (where they are);
  /// other devices are not available in this build (a kiln::Error).
  virtual void to(Device device, bool non_blocking = false);
  virtual void to(Device device, ScalarType dtype, bool non_blocking = false);

  /// Parameters and buffers with their dotted names, as PyTorch names them
  /// (save it with kiln::save).
  StateDict state_dict() const;
  /// Copies values into the parameters and buffers of the same names
  /// (converting dtypes). With `strict`, missing or unexpected names are an
  /// error that lists them; a shape mismatch always is.
  void load_state_dict(const StateDict &state, bool strict = true);
  /// Writes the parameters and buffers to `archive` under their state_dict()
  /// names (what kiln::save(module, path) does).
  virtual void save(serialize::OutputArchive &archive) const;
  /// Reads them back from `archive`, which must hold exactly this module's
  /// names with the same shapes (a kiln::Error lists what differs).
  virtual void load(serialize::InputArchive &archive);

  /// A deep copy: a new module of the same type, options and training mode
  /// whose parameters and buffers are copies of these (on `device` when
  /// given). The built-in layers have it; a module of your own gets it by
  /// deriving from nn::Cloneable<Self> and defining reset(). Others throw
  /// a kiln::Error that says so.
  virtual std::shared_ptr<Module>
  clone(const std::optional<Device> &device = std::nullopt) const;

  // --- Registration (public, as in LibTorch)
  /// Registers `tensor` as parameter `name` (requiring grad unless
  /// `requires_grad` is false) and returns it. The name must be non-empty,
  /// free of dots and new to this module.
  Tensor &register_parameter(std::string name, Tensor tensor,
                             bool requires_grad = true);
  /// Registers state that is saved but not trained (running statistics).
  Tensor &register_buffer(std::string name, Tensor tensor);
  /// Registers a submodule and returns it.
  template <typename M>
  std::shared_ptr<M> register_module(std::string name,
                                     std::shared_ptr<M> module) {
    registerChild(std::move(name), module);
    return module;
  }
  template <typename M>
  std::shared_ptr<M> register_module(std::string name, ModuleHolder<M> module) {
    return register_module(std::move(name), module.ptr());
  }
  /// Kiln's addition: a module given by value is moved into a new shared
  /// one.
  template <typename M,
            typename = std::enable_if_t<std::is_base_of_v<Module, M>>>
  std::shared_ptr<M> register_module(std::string name, M &&module) {
    return register_module(
        std::move(name), std::make_shared<std::decay_t<M>>(std::move(module)));
  }
  /// Replaces the submodule `name` (which must exist) and returns the new
  /// one.
  template <typename M>
  std::shared_ptr<M> replace_module(const std::string &name,
                                    std::shared_ptr<M> module) {
    replaceChild(name, module);
    return module;
  }
  template <typename M>
  std::shared_ptr<M> replace_module(const std::string &name,
                                    ModuleHolder<M> module) {
    return replace_module(name, module.ptr());
  }
  /// Removes the submodule `name` (which must exist).
  void unregister_module(const std::string &name);

  /// This module as a `T` (an implementation type, or a holder type for its
  /// implementation), or null when it is not one.
  template <typename T> auto *as() noexcept {
    if constexpr (detail::IsModuleHolder<T>::value)
      return dynamic_cast<typename T::ContainedType *>(this);
    else
      return dynamic_cast<T *>(this);
  }
  template <typename T> const auto *as() const noexcept {
    if constexpr (detail::IsModuleHolder<T>::value)
      return dynamic_cast<const typename T::ContainedType *>(this);
    else
      return dynamic_cast<const T *>(this);
  }

protected:
  /// For clone(): forgets every registration (the members keep their
  /// values; reset() registers new ones).
  void clearRegistrations();
  /// For clone(): copies the values of `source`'s parameters and buffers,
  /// which must have the same names and shapes, into this module's, and
  /// its training mode; then moves to `device` when given.
  void copyStateFrom(const Module &source, const std::optional<Device> &device);

private:
  void registerChild(std::string name, std::shared_ptr<Module> child);
  void replaceChild(const std::string &name, std::shared_ptr<Module> child);
  void collect(const std::string &prefix, bool recurse, bool buffers,
               OrderedDict<std::string, Tensor> &out) const;
  void print(std::ostream &os, const std::string &indent, bool counts) const;
  std::shared_ptr<Module> self();
  friend std::ostream &operator<<(std::ostream &os, const Module &module);
  friend std::string summary(const Module &module);

  OrderedDict<std::string, Tensor> parameters_{"Parameter"};
  OrderedDict<std::string, Tensor> buffers_{"Buffer"};
  OrderedDict<std::string, std::shared_ptr<Module>> children_{"Submodule"};
  mutable std::string name_;
  bool training_ = true;
};

/// Prints the module tree as LibTorch does: each module's pretty_print,
/// then its children, one per line, as "(name): ...".
std::ostream &operator<<(std::ostream &os, const Module &module);
/// The module tree with each module's parameter count, and the total.
std::string summary(const Module &module);
template <typename Contained>
std::string summary(const ModuleHolder<Contained> &module) {
  return summary(*module);
}

/// A module of your own that clone() copies, as LibTorch's: `Derived`
/// defines reset(), which registers its parameters, buffers and submodules
/// (its constructor calls it too). clone() copies the module, has the copy
/// register new ones with reset(), and copies the values into them.
template <typename Derived> class Cloneable : public Module {
public:
  using Module::Module;
  virtual void reset() = 0;

  std::shared_ptr<Module>
  clone(const std::optional<Device> &device = std::nullopt) const override {
    auto copy = std::make_shared<Derived>(static_cast<const Derived &>(*this));
    copy->clearRegistrations();
    copy->reset();
    copy->copyStateFrom(*this, device);
    return copy;
  }
};

} // namespace kiln::nn

namespace kiln::detail {
/// The built-in layers' clone(): a new `Derived` made from the same options,
/// given the values of this one's parameters and buffers.
template <typename Derived, typename Base = nn::Module>
class ClonableFromOptions : public Base {
public:
  using Base::Base;
  std::shared_ptr<nn::Module>
  clone(const std::optional<Device> &device = std::nullopt) const override {
    const auto &self = static_cast<const Derived &>(*this);
    if constexpr (requires { Derived(self.options); }) {
      auto copy = std::make_shared<Derived>(self.options);
      copy->copyStateFrom(*this, device);
      return copy;
    } else if constexpr (std::is_copy_constructible_v<Derived>) {
      // A layer without options or state (an activation): a copy is a
      // clone.
      if (this->parameters().empty() && this->buffers().empty() &&
          this->children().empty()) {
        auto copy = std::make_shared<Derived>(self);
        copy->copyStateFrom(*this, device);
        return copy;
      }
      return Base::clone(device);
    } else {
      return Base::clone(device);
    }
  }
};
} // namespace kiln::detail

namespace kiln::nn {

/// A handle to a module of type `Contained`, shared by copies (LibTorch's
/// ModuleHolder). KILN_MODULE(Name) derives `Name` from
/// ModuleHolder<NameImpl>.
template <typename Contained> class ModuleHolder {
public:
  using ContainedType = Contained;

  /// A new module made by `Contained`'s default constructor. For a module
  /// without one, start empty: `Linear fc{nullptr};`.
  ModuleHolder() : impl_(makeDefault()) {}
  /// The empty handle; using it is a kiln::Error until it is assigned.
  ModuleHolder(std::nullptr_t) {}
  /// A new module made by `Contained`'s constructor from `args`.
  template <typename Head, typename... Tail,
            typename = std::enable_if_t<
                !(sizeof...(Tail) == 0 &&
                  (std::is_same_v<std::decay_t<Head>, std::nullptr_t> ||
                   std::is_base_of_v<ModuleHolder, std::decay_t<Head>> ||
                   std::is_convertible_v<Head, std::shared_ptr<Contained>>)) &&
                std::is_constructible_v<Contained, Head, Tail...>>>
  explicit ModuleHolder(Head &&head, Tail &&...tail)
      : impl_(std::make_shared<Contained>(std::forward<Head>(head),
                                          std::forward<Tail>(tail)...)) {}
  /// A handle to `module` (what register_module returns).
  ModuleHolder(std::shared_ptr<Contained> module) : impl_(std::move(module)) {}

  bool is_empty() const noexcept { return impl_ == nullptr; }
  explicit operator bool() const noexcept { return !is_empty(); }

  Contained *operator->() { return get(); }
  const Contained *operator->() const { return get(); }
  Contained &operator*() { return *get(); }
  const Contained &operator*() const { return *get(); }
  const std::shared_ptr<Contained> &ptr() const {
    check();
    return impl_;
  }
  Contained *get() {
    check();
    return impl_.get();
  }
  const Contained *get() const {
    check();
    return impl_.get();
  }

  /// Calls the module's forward: `model(x)`.
  template <typename... Args, typename Self = Contained>
  auto operator()(Args &&...args)
      -> decltype(std::declval<Self &>().forward(std::forward<Args>(args)...)) {
    return get()->forward(std::forward<Args>(args)...);
  }
  /// Indexes the module (Sequential, ModuleList, ModuleDict).
  template <typename Arg, typename Self = Contained>
  auto operator[](Arg &&arg)
      -> decltype(std::declval<Self &>()[std::forward<Arg>(arg)]) {
    return (*get())[std::forward<Arg>(arg)];
  }

  /// Converts to the shared module pointer, as LibTorch's holders do.
  operator std::shared_ptr<Module>() const { return ptr(); }

protected:
  std::shared_ptr<Contained> impl_;

private:
  static std::shared_ptr<Contained> makeDefault() {
    static_assert(std::is_default_constructible_v<Contained>,
                  "this module has no default constructor: construct it "
                  "with its arguments, or start empty with nullptr "
                  "(`Linear fc{nullptr};`) and assign it later");
    if constexpr (std::is_default_constructible_v<Contained>)
      return std::make_shared<Contained>();
    else
      return nullptr;
  }
  void check() const {
    if (!impl_)
      detail::throwEmptyHolder(typeid(Contained).name());
  }
};

template <typename Contained>
std::ostream &operator<<(std::ostream &os,
                         const ModuleHolder<Contained> &module) {
  return os << *module;
}

} // namespace kiln::nn

namespace kiln::detail {
/// A module given as a holder, a shared_ptr or by value, as a shared
/// pointer to its own type.
template <typename M> auto toTypedSharedModule(M &&module) {
  using D = std::decay_t<M>;
  if constexpr (IsModuleHolder<D>::value)
    return module.ptr();
  else if constexpr (std::is_base_of_v<nn::Module, D>)
    return std::make_shared<D>(std::forward<M>(module));
  else
    return D(std::forward<M>(module)); // a shared_ptr to a module
}
/// The same as a pointer to the base class.
template <typename M> std::shared_ptr<nn::Module> toSharedModule(M &&module) {
  return toTypedSharedModule(std::forward<M>(module));
}
} // namespace kiln::detail

namespace kiln::nn {} // namespace kiln::nn

/// Declares `Name`, the holder of `Impl` (LibTorch's TORCH_MODULE_IMPL).
#define KILN_MODULE_IMPL(Name, ImplType)                                       \
  class Name : public ::kiln::nn::ModuleHolder<ImplType> {                     \
  public:                                                                      \
    using ::kiln::nn::ModuleHolder<ImplType>::ModuleHolder;                    \
    using Impl = ImplType;                                                     \
  }

/// Declares `Name`, the holder of `NameImpl` (LibTorch's TORCH_MODULE).
#define KILN_MODULE(Name) KILN_MODULE_IMPL(Name, Name##Impl)

#endif // KILN_FRONTEND_MODULE_H

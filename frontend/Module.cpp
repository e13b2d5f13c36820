//===- Module.cpp - nn::Module ---------------------------------------------===//
#include "kiln/frontend/Module.h"
#include "kiln/frontend/Autograd.h"
#include "kiln/frontend/Graph.h"
#include "kiln/frontend/Recording.h"
#include "kiln/ir/Shapes.h"
#include "kiln/runtime/Error.h"

#include <cxxabi.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>
#include <sstream>

namespace kiln::detail {

std::string demangle(const char *mangled) {
  int status = 0;
  std::unique_ptr<char, void (*)(void *)> name(
      abi::__cxa_demangle(mangled, nullptr, nullptr, &status), std::free);
  return status == 0 && name ? std::string(name.get()) : std::string(mangled);
}

void throwEmptyHolder(const char *typeName) {
  throw Error("the " + demangle(typeName) +
              " module is empty (made from nullptr): assign it a module, "
              "e.g. with register_module, before using it");
}

} // namespace kiln::detail

namespace kiln::nn {

namespace {

/// A registered name must be usable as one component of a dotted path.
void checkName(const char *what, const std::string &name) {
  if (name.empty())
    throw Error(std::string(what) + " name must not be empty");
  if (name.find('.') != std::string::npos)
    throw Error(std::string(what) + " name '" + name +
                "' must not contain a dot");
}

} // namespace

Module::Module() = default;

Module::Module(std::string name) : name_(std::move(name)) {}

const std::string &Module::name() const {
  if (name_.empty())
    name_ = detail::demangle(typeid(*this).name());
  return name_;
}

void Module::pretty_print(std::ostream &stream) const { stream << name(); }

Tensor &Module::register_parameter(std::string name, Tensor tensor,
                                   bool requires_grad) {
  checkName("Parameter", name);
  if (buffers_.contains(name) || children_.contains(name))
    throw Error("register_parameter: '" + name +
                "' is already a buffer or submodule of " + this->name());
  if (tensor.defined() && requires_grad)
    tensor.requires_grad_();
  else if (tensor.defined())
    kiln::detail::realize(*tensor.impl());
  return parameters_.insert(std::move(name), std::move(tensor));
}

Tensor &Module::register_buffer(std::string name, Tensor tensor) {
  checkName("Buffer", name);
  if (parameters_.contains(name) || children_.contains(name))
    throw Error("register_buffer: '" + name +
                "' is already a parameter or submodule of " + this->name());
  if (tensor.defined())
    kiln::detail::realize(*tensor.impl());
  return buffers_.insert(std::move(name), std::move(tensor));
}

void Module::registerChild(std::string name, std::shared_ptr<Module> child) {
  checkName("Submodule", name);
  if (!child)
    throw Error("register_module: module '" + name + "' is null");
  if (parameters_.contains(name) || buffers_.contains(name))
    throw Error("register_module: '" + name +
                "' is already a parameter or buffer of " + this->name());
  child->train(training_);
  children_.insert(std::move(name), std::move(child));
}

void Module::replaceChild(const std::string &name,
                          std::shared_ptr<Module> child) {
  if (!child)
    throw Error("replace_module: module '" + name + "' is null");
  std::shared_ptr<Module> *existing = children_.find(name);
  if (!existing)
    throw Error("replace_module: " + this->name() +
                " has no submodule named '" + name + "'");
  *existing = std::move(child);
}

std::shared_ptr<Module> Module::clone(const std::optional<Device> &) const {
  throw Error(name() +
              ": clone() is not implemented for this module; derive "
              "it from nn::Cloneable<" +
              name() +
              "> and define reset(), which registers its parameters, "
              "buffers and submodules");
}

void Module::clearRegistrations() {
  parameters_.clear();
  buffers_.clear();
  children_.clear();
}

namespace {
std::string joined(const std::vector<std::string> &names) {
  std::string out;
  for (const std::string &n : names)
    out += (out.empty() ? "" : ", ") + n;
  return "[" + out + "]";
}
} // namespace

void Module::copyStateFrom(const Module &source,
                           const std::optional<Device> &device) {
  NoGradGuard noGrad;
  auto mineParams = named_parameters(), theirParams = source.named_parameters();
  auto mineBuffers = named_buffers(), theirBuffers = source.named_buffers();
  // A source converted to another floating dtype converts the copy first.
  for (const auto &item : theirParams)
    if (is_floating_point(item.value().dtype())) {
      if (const Tensor *mine = mineParams.find(item.key());
          mine && mine->dtype() != item.value().dtype())
        to(item.value().dtype());
      break;
    }
  auto copyAll = [&](const OrderedDict<std::string, Tensor> &mine,
                     const OrderedDict<std::string, Tensor> &theirs,
                     const char *kind) {
    if (mine.keys() != theirs.keys())
      throw Error(source.name() + ": clone() made a module whose " + kind +
                  " are " + joined(mine.keys()) + ", but the original has " +
                  joined(theirs.keys()) +
                  " (reset() must register what the constructor does)");
    for (const auto &item : theirs) {
      Tensor dst = mine[item.key()];
      const Tensor &src = item.value();
      if (dst.sizes() != src.sizes())
        throw Error(source.name() + ": clone() made " + kind + " '" +
                    item.key() + "' of shape " + ir::formatShape(dst.sizes()) +
                    ", but the original's is " + ir::formatShape(src.sizes()));
      dst.copy_(src.clone());
      if (dst.requires_grad() != src.requires_grad())
        dst.requires_grad_(src.requires_grad());
    }
  };
  copyAll(named_parameters(), theirParams, "parameters");
  copyAll(named_buffers(), theirBuffers, "buffers");
  // Each submodule keeps its original's mode.
  std::function<void(Module &, const Module &)> modes =
      [&](Module &mine, const Module &theirs) {
        mine.training_ = theirs.training_;
        for (const auto &[name, child] : theirs.children_)
          if (auto *module = mine.children_.find(name))
            modes(**module, *child);
      };
  modes(*this, source);
  if (device)
    to(*device);
}

void Module::unregister_module(const std::string &name) {
  if (!children_.contains(name))
    throw Error("unregister_module: " + this->name() +
                " has no submodule named '" + name + "'");
  children_.erase(name);
}

void Module::collect(const std::string &prefix, bool recurse, bool buffers,
                     OrderedDict<std::string, Tensor> &out) const {
  for (auto &[name, tensor] : buffers ? buffers_ : parameters_)
    if (tensor.defined())
      out.insert(prefix + name, tensor);
  if (recurse)
    for (auto &[name, child] : children_)
      child->collect(prefix + name + ".", true, buffers, out);
}

OrderedDict<std::string, Tensor> Module::named_parameters(bool recurse) const {
  OrderedDict<std::string, Tensor> out;
  collect("", recurse, false, out);
  return out;
}

std::vector<Tensor> Module::parameters(bool recurse) const {
  return named_parameters(recurse).values();
}

OrderedDict<std::string, Tensor> Module::named_buffers(bool recurse) const {
  OrderedDict<std::string, Tensor> out;
  collect("", recurse, true, out);
  return out;
}

std::vector<Tensor> Module::buffers(bool recurse) const {
  return named_buffers(recurse).values();
}

std::vector<std::shared_ptr<Module>> Module::children() const {
  return children_.values();
}

OrderedDict<std::string, std::shared_ptr<Module>>
Module::named_children() const {
  return children_;
}

std::shared_ptr<Module> Module::self() {
  // A module made by value (`Net net;`) is not owned by a shared_ptr: hand
  // out a pointer that does not own it.
  if (std::shared_ptr<Module> owned = weak_from_this().lock())
    return owned;
  return std::shared_ptr<Module>(std::shared_ptr<Module>(), this);
}

OrderedDict<std::string, std::shared_ptr<Module>>
Module::named_modules(const std::string &name_prefix, bool include_self) {
  OrderedDict<std::string, std::shared_ptr<Module>> out;
  if (include_self)
    out.insert(name_prefix, self());
  for (auto &[name, child] : children_) {
    std::string path = name_prefix.empty() ? name : name_prefix + "." + name;
    for (auto &[inner, module] : child->named_modules(path))
      out.insert(inner, module);
  }
  return out;
}

std::vector<std::shared_ptr<Module>> Module::modules(bool include_self) {
  return named_modules("", include_self).values();
}

void Module::apply(const std::function<void(Module &)> &fn) {
  fn(*this);
  for (auto &[_, child] : children_)
    child->apply(fn);
}

void Module::apply(const std::function<void(const Module &)> &fn) const {
  fn(*this);
  for (auto &[_, child] : children_)
    static_cast<const Module &>(*child).apply(fn);
}

void Module::apply(const std::function<void(const std::string &, Module &)> &fn,
                   const std::string &name_prefix) {
  fn(name_prefix, *this);
  for (auto &[name, child] : children_)
    child->apply(fn, name_prefix.empty() ? name : name_prefix + "." + name);
}

void Module::apply(
    const std::function<void(const std::shared_ptr<Module> &)> &fn) {
  fn(self());
  for (auto &[_, child] : children_)
    child->apply(fn);
}

namespace {
std::string childName(const std::string &prefix, const std::string &name) {
  return prefix.empty() ? name : prefix + "." + name;
}
} // namespace

void Module::apply(
    const std::function<void(const std::string &, const Module &)> &fn,
    const std::string &name_prefix) const {
  fn(name_prefix, *this);
  for (auto &[name, child] : children_)
    static_cast<const Module &>(*child).apply(fn, childName(name_prefix, name));
}

void Module::apply(
    const std::function<void(const std::string &,
                             const std::shared_ptr<Module> &)> &fn,
    const std::string &name_prefix) {
  fn(name_prefix, self());
  for (auto &[name, child] : children_)
    child->apply(fn, childName(name_prefix, name));
}

void Module::to(Device device, bool) {
  if (!device.is_cpu())
    throw Error("Module::to: device " + device.str() +
                " is not available: this build of Kiln runs on the cpu");
}

void Module::to(Device device, ScalarType dtype, bool non_blocking) {
  to(device, non_blocking);
  to(dtype, non_blocking);
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

void Module::to(ScalarType dtype, bool) {
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
    kiln::detail::realize(*converted.impl());
    kiln::detail::TensorImpl &impl = *tensor.impl();
    impl.type = converted.impl()->type;
    impl.storage = converted.impl()->storage;
    impl.grad = Tensor();
  }
}

StateDict Module::state_dict() const {
  StateDict state = named_parameters().pairs();
  for (auto &entry : named_buffers())
    state.push_back(entry.pair());
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
    throw Error("load_state_dict: the state dict does not fit " + this->name() +
                ":" + problems);
  NoGradGuard noGrad;
  for (auto &[name, tensor] : own)
    if (auto it = incoming.find(name); it != incoming.end())
      kiln::detail::assign(tensor, it->second->to(tensor.dtype()));
  sync();
}

void Module::print(std::ostream &os, const std::string &indent,
                   bool counts) const {
  int64_t own = 0;
  for (auto &[_, p] : parameters_)
    own += p.defined() ? p.numel() : 0;
  pretty_print(os);
  if (counts && own > 0)
    os << "  # " << own << " parameters";
  if (!children_.empty()) {
    os << (counts ? " (\n" : "(\n");
    for (auto &[childName, child] : children_) {
      os << indent << "  (" << childName << "): ";
      child->print(os, indent + "  ", counts);
      os << "\n";
    }
    os << indent << ")";
  }
}

std::ostream &operator<<(std::ostream &os, const Module &module) {
  module.print(os, "", /*counts=*/false);
  return os;
}

std::string summary(const Module &module) {
  std::ostringstream os;
  module.print(os, "", /*counts=*/true);
  os << "\nTotal parameters: " << module.num_parameters();
  return os.str();
}

} // namespace kiln::nn

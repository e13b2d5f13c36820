//===- Archive.cpp - OutputArchive, InputArchive and what they hold --------===//
#include "kiln/frontend/Archive.h"
#include "kiln/frontend/Autograd.h"
#include "kiln/frontend/Graph.h"
#include "kiln/frontend/Recording.h"
#include "kiln/ir/Shapes.h"
#include "kiln/runtime/Error.h"

#include <algorithm>

namespace kiln::serialize {

namespace {

void checkKey(const std::string &key, const char *op) {
  if (key.empty())
    throw Error(std::string(op) + ": the key must not be empty");
}

bool hasKey(const StateDict &tensors, const std::string &key) {
  return std::any_of(tensors.begin(), tensors.end(),
                     [&](auto &entry) { return entry.first == key; });
}

} // namespace

void OutputArchive::write(const std::string &key, const Tensor &tensor, bool) {
  checkKey(key, "OutputArchive::write");
  if (!tensor.defined())
    throw Error("OutputArchive::write: tensor '" + key + "' is undefined");
  if (hasKey(tensors_, key))
    throw Error("OutputArchive::write: the key '" + key +
                "' is already written");
  tensors_.emplace_back(key, tensor);
}

void OutputArchive::write(const std::string &key, const OutputArchive &nested) {
  checkKey(key, "OutputArchive::write");
  for (auto &[name, tensor] : nested.tensors_)
    write(key + "." + name, tensor);
}

void OutputArchive::save_to(const std::string &filename) const {
  kiln::save(tensors_, filename);
}

void OutputArchive::save_to(std::ostream &stream) const {
  kiln::save(tensors_, stream);
}

void InputArchive::load_from(const std::string &filename,
                             std::optional<Device> device) {
  if (device && !device->is_cpu())
    throw Error("InputArchive::load_from: device " + device->str() +
                " is not available: this build of Kiln runs on the cpu");
  tensors_ = kiln::load(filename);
}

void InputArchive::load_from(std::istream &stream,
                             std::optional<Device> device) {
  if (device && !device->is_cpu())
    throw Error("InputArchive::load_from: device " + device->str() +
                " is not available: this build of Kiln runs on the cpu");
  tensors_ = kiln::load(stream);
}

bool InputArchive::try_read(const std::string &key, Tensor &tensor, bool) {
  auto it = std::find_if(tensors_.begin(), tensors_.end(),
                         [&](auto &entry) { return entry.first == key; });
  if (it == tensors_.end())
    return false;
  const Tensor &value = it->second;
  if (!tensor.defined()) {
    tensor = value;
    return true;
  }
  if (tensor.sizes() != value.sizes())
    throw Error("InputArchive::read: '" + key + "' is " +
                ir::formatShape(value.sizes()) + " in the archive but " +
                ir::formatShape(tensor.sizes()) + " in the destination");
  NoGradGuard noGrad;
  detail::assign(tensor, value.to(tensor.dtype()));
  return true;
}

void InputArchive::read(const std::string &key, Tensor &tensor,
                        bool is_buffer) {
  if (!try_read(key, tensor, is_buffer)) {
    std::string known;
    for (auto &[name, _] : tensors_)
      known += (known.empty() ? "" : ", ") + name;
    throw Error("InputArchive::read: no tensor '" + key +
                "' in the archive (it has: " +
                (known.empty() ? std::string("nothing") : known) + ")");
  }
}

bool InputArchive::try_read(const std::string &key, InputArchive &nested) {
  std::string prefix = key + ".";
  nested.tensors_.clear();
  for (auto &[name, tensor] : tensors_)
    if (name.size() > prefix.size() && name.starts_with(prefix))
      nested.tensors_.emplace_back(name.substr(prefix.size()), tensor);
  return !nested.tensors_.empty();
}

void InputArchive::read(const std::string &key, InputArchive &nested) {
  if (!try_read(key, nested))
    throw Error("InputArchive::read: no archive '" + key +
                "' (no key starts with '" + key + ".')");
}

std::vector<std::string> InputArchive::keys() const {
  std::vector<std::string> out;
  for (auto &[name, _] : tensors_)
    out.push_back(name);
  return out;
}

OutputArchive &operator<<(OutputArchive &archive, const Tensor &tensor) {
  archive.write("0", tensor);
  return archive;
}

OutputArchive &operator<<(OutputArchive &archive,
                          const std::vector<Tensor> &tensors) {
  for (size_t i = 0; i < tensors.size(); ++i)
    archive.write(std::to_string(i), tensors[i]);
  return archive;
}

OutputArchive &operator<<(OutputArchive &archive, const StateDict &tensors) {
  for (auto &[name, tensor] : tensors)
    archive.write(name, tensor);
  return archive;
}

OutputArchive &operator<<(OutputArchive &archive,
                          const std::shared_ptr<nn::Module> &module) {
  if (!module)
    throw Error("save: the module is empty");
  module->save(archive);
  return archive;
}

OutputArchive &operator<<(OutputArchive &archive,
                          const optim::Optimizer &optimizer) {
  return archive << optimizer.state_dict();
}

InputArchive &operator>>(InputArchive &archive, Tensor &tensor) {
  archive.read("0", tensor);
  return archive;
}

InputArchive &operator>>(InputArchive &archive, std::vector<Tensor> &tensors) {
  tensors.clear();
  for (size_t i = 0;; ++i) {
    Tensor t;
    if (!archive.try_read(std::to_string(i), t))
      break;
    tensors.push_back(t);
  }
  if (tensors.size() != archive.tensors().size())
    throw Error("load: the archive does not hold a list of tensors (keys "
                "0, 1, ...)");
  return archive;
}

InputArchive &operator>>(InputArchive &archive, StateDict &tensors) {
  tensors = archive.tensors();
  return archive;
}

InputArchive &operator>>(InputArchive &archive,
                         const std::shared_ptr<nn::Module> &module) {
  if (!module)
    throw Error("load: the module is empty");
  module->load(archive);
  return archive;
}

InputArchive &operator>>(InputArchive &archive, optim::Optimizer &optimizer) {
  optimizer.load_state_dict(archive.tensors());
  return archive;
}

} // namespace kiln::serialize

namespace kiln::nn {

void Module::save(serialize::OutputArchive &archive) const {
  for (auto &[name, tensor] : parameters_)
    if (tensor.defined())
      archive.write(name, tensor);
  for (auto &[name, tensor] : buffers_)
    if (tensor.defined())
      archive.write(name, tensor, /*is_buffer=*/true);
  for (auto &[name, child] : children_) {
    serialize::OutputArchive nested;
    child->save(nested);
    archive.write(name, nested);
  }
}

void Module::load(serialize::InputArchive &archive) {
  // The module's state must match the archive's exactly, as
  // load_state_dict(strict) checks; then every tensor is read in place.
  load_state_dict(archive.tensors(), /*strict=*/true);
}

} // namespace kiln::nn

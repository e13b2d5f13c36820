//===- Archive.h - torch::save/load of modules, optimizers, tensors -*- C++ -*-===//
//
// LibTorch's serialization API over Kiln's file format: an OutputArchive
// collects named tensors (nested archives add a dotted prefix) and writes
// them as one safetensors file; an InputArchive reads one back. A module
// archives its parameters and buffers under their state_dict() names, so
// `kiln::save(model, "model.pt")` writes what `kiln::save(model->
// state_dict(), ...)` does, and either loads in PyTorch's safetensors. The
// file is data: nothing in it is executed.
//
//   kiln::save(model, "model.pt");       // a module holder or shared_ptr
//   kiln::load(model, "model.pt");       // into a model of the same layout
//   kiln::save(optimizer, "optim.pt");
//   kiln::save(std::vector<kiln::Tensor>{a, b}, "tensors.pt");
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_ARCHIVE_H
#define KILN_FRONTEND_ARCHIVE_H

#include "kiln/frontend/Module.h"
#include "kiln/frontend/Optim.h"
#include "kiln/frontend/Serialize.h"
#include "kiln/frontend/Tensor.h"

#include <iosfwd>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace kiln::serialize {

/// Named tensors to write (LibTorch's OutputArchive).
class OutputArchive {
public:
  /// Adds `tensor` under `key` (a new key). `is_buffer` is accepted for
  /// LibTorch's signature; buffers and parameters are stored alike.
  void write(const std::string &key, const Tensor &tensor,
             bool is_buffer = false);
  /// Adds every tensor of `nested` under "key.".
  void write(const std::string &key, const OutputArchive &nested);
  /// Writes the tensors to `filename` atomically, or to `stream`.
  void save_to(const std::string &filename) const;
  void save_to(std::ostream &stream) const;
  /// The tensors written so far, in order.
  const StateDict &tensors() const { return tensors_; }

private:
  StateDict tensors_;
};

/// Named tensors read from a file or stream (LibTorch's InputArchive).
class InputArchive {
public:
  /// Reads every tensor of `filename` (or `stream`); a missing, truncated or
  /// corrupt file is a kiln::Error naming it. `device` must be the CPU.
  void load_from(const std::string &filename,
                 std::optional<Device> device = std::nullopt);
  void load_from(std::istream &stream,
                 std::optional<Device> device = std::nullopt);
  /// Reads `key` into `tensor`: into its storage, keeping its flags, when
  /// it is defined (the shapes must match; dtypes convert), else by
  /// assignment. Returns false when the key is missing.
  bool try_read(const std::string &key, Tensor &tensor, bool is_buffer = false);
  /// The same; a missing key is a kiln::Error naming it.
  void read(const std::string &key, Tensor &tensor, bool is_buffer = false);
  /// The tensors under "key." as an archive of their own.
  bool try_read(const std::string &key, InputArchive &nested);
  void read(const std::string &key, InputArchive &nested);
  /// The keys, in file order.
  std::vector<std::string> keys() const;
  const StateDict &tensors() const { return tensors_; }

private:
  StateDict tensors_;
};

// --- What an archive holds (the operators kiln::save and kiln::load use)

OutputArchive &operator<<(OutputArchive &archive, const Tensor &tensor);
OutputArchive &operator<<(OutputArchive &archive,
                          const std::vector<Tensor> &tensors);
OutputArchive &operator<<(OutputArchive &archive, const StateDict &tensors);
OutputArchive &operator<<(OutputArchive &archive,
                          const std::shared_ptr<nn::Module> &module);
OutputArchive &operator<<(OutputArchive &archive,
                          const optim::Optimizer &optimizer);
template <typename M>
OutputArchive &operator<<(OutputArchive &archive,
                          const nn::ModuleHolder<M> &module) {
  return archive << std::static_pointer_cast<nn::Module>(module.ptr());
}

InputArchive &operator>>(InputArchive &archive, Tensor &tensor);
InputArchive &operator>>(InputArchive &archive, std::vector<Tensor> &tensors);
InputArchive &operator>>(InputArchive &archive, StateDict &tensors);
InputArchive &operator>>(InputArchive &archive,
                         const std::shared_ptr<nn::Module> &module);
InputArchive &operator>>(InputArchive &archive, optim::Optimizer &optimizer);
template <typename M>
InputArchive &operator>>(InputArchive &archive, nn::ModuleHolder<M> &module) {
  return archive >> std::static_pointer_cast<nn::Module>(module.ptr());
}

/// Anything with LibTorch's `save(OutputArchive&) const` and
/// `load(InputArchive&)` members (a sampler, a dataset of your own) writes
/// and reads itself.
template <typename T>
  requires requires(const T &value, OutputArchive &archive) {
    value.save(archive);
  }
OutputArchive &operator<<(OutputArchive &archive, const T &value) {
  value.save(archive);
  return archive;
}
template <typename T>
  requires requires(T &value, InputArchive &archive) { value.load(archive); }
InputArchive &operator>>(InputArchive &archive, T &value) {
  value.load(archive);
  return archive;
}

} // namespace kiln::serialize

namespace kiln {

/// Writes `value` (a module holder or shared_ptr, an optimizer, a tensor, a
/// vector of tensors) to a file or stream, as LibTorch's torch::save.
template <typename Value, typename Target>
  requires(!std::is_same_v<std::decay_t<Value>, StateDict> ||
           !std::is_convertible_v<Target, std::string>)
void save(const Value &value, Target &&target) {
  serialize::OutputArchive archive;
  archive << value;
  archive.save_to(std::forward<Target>(target));
}

/// Reads what save wrote into `value` (of the same layout), as LibTorch's
/// torch::load.
template <typename Value, typename Source>
void load(Value &value, Source &&source,
          std::optional<Device> device = std::nullopt) {
  serialize::InputArchive archive;
  archive.load_from(std::forward<Source>(source), device);
  archive >> value;
}

} // namespace kiln

#endif // KILN_FRONTEND_ARCHIVE_H

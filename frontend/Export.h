//===- Export.h - Exported models and AOT compilation -----------*- C++ -*-===//
//
// export_model traces a forward in eval mode into a folder `name.kiln/`:
// `graph.mlir` (the kiln dialect, inputs and weights as named arguments),
// `weights.safetensors` and `meta.json`. load_model runs such a folder
// through the JIT; compile_model (`kiln compile`) turns it into an object
// file and a C header that need no Kiln at run time.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_EXPORT_H
#define KILN_FRONTEND_EXPORT_H

#include "kiln/frontend/Module.h"
#include "kiln/frontend/Serialize.h"
#include "kiln/frontend/Tensor.h"

#include <concepts>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace kiln {

namespace detail {
/// export_model of a module, tracing `forward`.
void exportModule(nn::Module &module,
                  const std::function<Tensor(const Tensor &)> &forward,
                  const std::vector<Tensor> &example_inputs,
                  const std::string &path);
} // namespace detail

/// Traces `module.forward(example_inputs[0])` in eval mode (restoring the
/// module's mode afterwards) and writes it to the folder `path` (by
/// convention `name.kiln`), replacing an earlier export there atomically.
/// Shapes are those of the example inputs: the batch size is fixed. The
/// weights are the parameters and buffers the forward reads, under their
/// state_dict() names.
template <typename M>
  requires std::derived_from<M, nn::Module>
void export_model(M &module, const std::vector<Tensor> &example_inputs,
                  const std::string &path) {
  detail::exportModule(
      module, [&module](const Tensor &input) { return module.forward(input); },
      example_inputs, path);
}
/// The same for a module given by its holder (`export_model(model, ...)`
/// with `Net model;`).
template <typename Contained>
void export_model(nn::ModuleHolder<Contained> &module,
                  const std::vector<Tensor> &example_inputs,
                  const std::string &path) {
  export_model(*module, example_inputs, path);
}

/// The same for any function of several inputs and outputs. `weights` names
/// the tensors it reads besides its inputs (others it reads become weights
/// named "constant.N"); `input_names` default to "input0", "input1", ...
void export_model(
    const std::function<std::vector<Tensor>(const std::vector<Tensor> &)>
        &forward,
    const std::vector<Tensor> &example_inputs, const std::string &path,
    const StateDict &weights = {},
    const std::vector<std::string> &input_names = {});

/// An exported model loaded and compiled by the JIT.
class ExportedModel {
public:
  /// The name, dtype and shape of an input or output.
  struct Signature {
    std::string name;
    ScalarType dtype;
    std::vector<int64_t> shape;
  };

  /// Runs the model. Inputs must have exactly the exported dtypes and
  /// shapes; anything else is a kiln::Error naming the input.
  std::vector<Tensor> forward(const std::vector<Tensor> &inputs) const;
  /// For a model of one input and one output.
  Tensor forward(const Tensor &input) const;

  const std::vector<Signature> &inputs() const;
  const std::vector<Signature> &outputs() const;
  /// The weights, by name, as the model reads them.
  const StateDict &weights() const;

  /// Runs on raw buffers, one per input and output (dense, row-major, of
  /// the signatures' sizes), without checks: what `kiln bench` times.
  void run(const std::vector<const void *> &inputs,
           const std::vector<void *> &outputs) const;

  struct Impl;

private:
  friend ExportedModel load_model(const std::string &path);
  std::shared_ptr<const Impl> impl_;
};

/// Loads a folder written by export_model. A missing folder or file, a
/// graph.mlir that does not parse or verify, or weights that are missing or
/// of another shape or dtype than the graph takes are a kiln::Error naming
/// the file and the problem.
ExportedModel load_model(const std::string &path);

/// How compile_model builds the object.
struct CompileOptions {
  /// The prefix of the C API (`name_create`, `name_run`, ...) and of the
  /// files `name.o` and `name.h`.
  std::string name = "model";
  /// "host", or an x86-64 CPU name ("x86-64-v3", "znver3") for objects that
  /// run on other machines; or "cuda": the forward's CUDA kernels compiled
  /// with NVRTC (NAME.cu, NAME.sm_80.cubin, NAME.sm_90.cubin, NAME.ptx and
  /// their launch table NAME.launches.txt).
  std::string target = "host";
  /// Call Kiln's static runtime (oneDNN for matmuls and convolutions,
  /// threads). Off: the object needs only libc and libm.
  bool library_calls = true;
  /// Read the weights from the exported weights.safetensors at `name_create`
  /// instead of carrying them in the object.
  bool external_weights = false;
};

/// What compile_model wrote.
struct CompiledModel {
  /// For CUDA: the first cubin and the kernel source.
  std::string object_path, header_path;
  std::vector<std::string> files; ///< every file written
  int64_t object_bytes = 0;
  int64_t workspace_bytes = 0; ///< the planned temporaries of one run
  int64_t weight_bytes = 0;
  double compile_seconds = 0;
};

/// Compiles the exported model at `path` ahead of time into
/// `output_dir/NAME.o` and `output_dir/NAME.h` (written atomically).
CompiledModel compile_model(const std::string &path,
                            const std::string &output_dir,
                            const CompileOptions &options = {});

} // namespace kiln

#endif // KILN_FRONTEND_EXPORT_H

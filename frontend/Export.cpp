//===- Export.cpp - Exported models: trace, reload, compile ahead of time -===//
#include "kiln/frontend/Export.h"
#include "kiln/codegen/cpu/Aot.h"
#include "kiln/codegen/cpu/Jit.h"
#include "kiln/codegen/cuda/Compile.h"
#include "kiln/codegen/cuda/CudaProgram.h"
#include "kiln/frontend/Autograd.h"
#include "kiln/frontend/Graph.h"
#include "kiln/frontend/Json.h"
#include "kiln/frontend/NN.h"
#include "kiln/frontend/Safetensors.h"
#include "kiln/ir/KilnDialect.h"
#include "kiln/ir/KilnOps.h"
#include "kiln/ir/ModelFile.h"
#include "kiln/runtime/AtomicFile.h"
#include "kiln/runtime/Environment.h"
#include "kiln/runtime/Error.h"
#include "kiln/runtime/System.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/SourceMgr.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <functional>
#include <signal.h>
#include <sstream>
#include <stdio.h>
#include <unistd.h>
#include <unordered_map>

namespace fs = std::filesystem;

namespace kiln {

namespace {

constexpr int kFormat = 1;

/// The safetensors spelling of a dtype, used in meta.json too.
const char *dtypeTag(ScalarType t) {
  switch (t) {
  case kBool:
    return "BOOL";
  case kUInt8:
    return "U8";
  case kInt8:
    return "I8";
  case kInt16:
    return "I16";
  case kInt32:
    return "I32";
  case kInt64:
    return "I64";
  case kFloat16:
    return "F16";
  case kBFloat16:
    return "BF16";
  case kFloat32:
    return "F32";
  case kFloat64:
    return "F64";
  }
  return "?";
}

std::optional<ScalarType> dtypeFromElement(mlir::Type t) {
  if (t.isF32())
    return kFloat32;
  if (t.isF64())
    return kFloat64;
  if (t.isF16())
    return kFloat16;
  if (t.isBF16())
    return kBFloat16;
  if (t.isInteger(64))
    return kInt64;
  if (t.isInteger(32))
    return kInt32;
  if (t.isInteger(16))
    return kInt16;
  if (t.isInteger(8)) // the IR's i8 is int8 or uint8; see ModuleBuilder
    return kInt8;
  if (t.isInteger(1))
    return kBool;
  return std::nullopt;
}

std::string describe(ScalarType dtype, const std::vector<int64_t> &shape) {
  std::string text = std::string(dtype_name(dtype)).substr(5) + " [";
  for (size_t i = 0; i < shape.size(); ++i)
    text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

std::string readFile(const fs::path &path, const std::string &what) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw Error(what + ": cannot read " + path.string());
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

/// A context that parses kiln modules; diagnostics go to `messages`.
struct ModelContext {
  mlir::MLIRContext context{mlir::MLIRContext::Threading::DISABLED};
  std::string messages;
  std::optional<mlir::ScopedDiagnosticHandler> handler;

  ModelContext() {
    context.loadDialect<ir::KilnDialect, mlir::func::FuncDialect>();
    handler.emplace(&context, [this](mlir::Diagnostic &d) {
      llvm::raw_string_ostream os(messages);
      if (auto loc = llvm::dyn_cast<mlir::FileLineColLoc>(d.getLocation()))
        os << loc.getFilename().str() << ":" << loc.getLine() << ":"
           << loc.getColumn() << ": ";
      os << d << "\n";
      return mlir::success();
    });
  }
};

/// graph.mlir of a model folder, parsed and verified, with its @forward.
struct Graph {
  std::unique_ptr<ModelContext> holder = std::make_unique<ModelContext>();
  mlir::OwningOpRef<mlir::ModuleOp> module;
  mlir::func::FuncOp forward;
};

Graph parseGraph(const std::string &dir, const std::string &what) {
  fs::path file = fs::path(dir) / "graph.mlir";
  std::string text = readFile(file, what);
  std::string nesting;
  if (mlir::failed(ir::checkNesting(text, nesting)))
    throw Error(what + ": " + file.string() + ": " + nesting);
  Graph graph;
  llvm::SourceMgr sources;
  sources.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(text, file.string()), llvm::SMLoc());
  graph.module = mlir::parseSourceFile<mlir::ModuleOp>(
      sources, mlir::ParserConfig(&graph.holder->context));
  if (!graph.module)
    throw Error(what + ": " + file.string() + " does not parse:\n" +
                graph.holder->messages);
  // A model file is data: only what an export writes, before anything reads
  // or compiles it.
  if (mlir::failed(ir::verifyModuleFromFile(*graph.module,
                                            ir::ModuleSource::ExportedModel)))
    throw Error(what + ": " + file.string() + " is not a Kiln model:\n" +
                graph.holder->messages);
  if (mlir::failed(mlir::verify(*graph.module)))
    throw Error(what + ": " + file.string() + " does not verify:\n" +
                graph.holder->messages);
  graph.forward = graph.module->lookupSymbol<mlir::func::FuncOp>("forward");
  if (!graph.forward || graph.forward.isDeclaration())
    throw Error(what + ": " + file.string() + " has no func.func @forward");
  for (unsigned i = 0; i < graph.forward.getNumArguments(); ++i)
    if (!graph.forward.getArgAttr(i, ir::InputNameAttr::getNameStr()) &&
        !graph.forward.getArgAttr(i, ir::WeightNameAttr::getNameStr()))
      throw Error(what + ": " + file.string() + ": argument " +
                  std::to_string(i) +
                  " of @forward has neither a kiln.input nor a kiln.weight "
                  "name");
  return graph;
}

/// The signature of a tensor type; an unsupported one is an error.
ExportedModel::Signature signatureOf(mlir::Type type, std::string name,
                                     const std::string &what) {
  auto tensor = llvm::dyn_cast<mlir::RankedTensorType>(type);
  std::optional<ScalarType> dtype =
      tensor ? dtypeFromElement(tensor.getElementType()) : std::nullopt;
  if (!dtype || !tensor.hasStaticShape())
    throw Error(what + ": '" + name + "' is not a statically shaped tensor");
  return {
      std::move(name), *dtype,
      std::vector<int64_t>(tensor.getShape().begin(), tensor.getShape().end())};
}

/// The weights graph.mlir takes, from weights.safetensors, checked.
StateDict loadWeights(const std::string &dir, mlir::func::FuncOp forward,
                      const std::string &what) {
  std::string file = (fs::path(dir) / "weights.safetensors").string();
  StateDict stored = load(file);
  std::unordered_map<std::string, Tensor> byName(stored.begin(), stored.end());
  StateDict weights;
  for (unsigned i = 0; i < forward.getNumArguments(); ++i) {
    auto name = forward.getArgAttrOfType<mlir::StringAttr>(
        i, ir::WeightNameAttr::getNameStr());
    if (!name)
      continue;
    auto it = byName.find(name.str());
    if (it == byName.end())
      throw Error(what + ": " + file + " has no tensor '" + name.str() +
                  "', which graph.mlir takes");
    ExportedModel::Signature expected =
        signatureOf(forward.getArgumentTypes()[i], name.str(), what);
    const Tensor &t = it->second;
    if (t.dtype() != expected.dtype || t.sizes() != expected.shape)
      throw Error(what + ": " + file + ": '" + name.str() + "' is " +
                  describe(t.dtype(), t.sizes()) + " but graph.mlir takes " +
                  describe(expected.dtype, expected.shape));
    weights.emplace_back(name.str(), t);
  }
  return weights;
}

/// Transposes of weights happen once, here, instead of on every run: a
/// weight that the graph only reads through kiln.transpose ops of one
/// permutation (nn::Linear reads W^T) is stored transposed, and the ops go.
void prepackWeights(mlir::func::FuncOp forward, StateDict &weights) {
  size_t w = 0;
  llvm::SmallVector<mlir::Type> types(forward.getArgumentTypes());
  for (unsigned i = 0; i < forward.getNumArguments(); ++i) {
    if (!forward.getArgAttr(i, ir::WeightNameAttr::getNameStr()))
      continue;
    Tensor &weight = weights[w++].second;
    mlir::BlockArgument arg = forward.getArgument(i);
    llvm::SmallVector<ir::TransposeOp> transposes;
    for (mlir::Operation *user : arg.getUsers()) {
      auto transpose = llvm::dyn_cast<ir::TransposeOp>(user);
      if (!transpose ||
          (!transposes.empty() &&
           transpose.getPermutation() != transposes.front().getPermutation())) {
        transposes.clear();
        break;
      }
      transposes.push_back(transpose);
    }
    if (transposes.empty())
      continue;
    llvm::ArrayRef<int64_t> permutation = transposes.front().getPermutation();
    weight = weight.permute(
        std::vector<int64_t>(permutation.begin(), permutation.end()));
    weight.data_ptr(); // computed now, not at the first run
    arg.setType(transposes.front().getType());
    types[i] = arg.getType();
    for (ir::TransposeOp transpose : transposes) {
      transpose.replaceAllUsesWith(arg);
      transpose.erase();
    }
  }
  forward.setType(mlir::FunctionType::get(forward.getContext(), types,
                                          forward.getResultTypes()));
}

llvm::json::Array
signaturesJson(const std::vector<ExportedModel::Signature> &signatures) {
  llvm::json::Array list;
  for (const auto &s : signatures) {
    llvm::json::Array shape;
    for (int64_t d : s.shape)
      shape.push_back(d);
    list.push_back(llvm::json::Object{{"name", s.name},
                                      {"dtype", dtypeTag(s.dtype)},
                                      {"shape", std::move(shape)}});
  }
  return list;
}

/// The files an export writes. A folder holding anything else is not an
/// export, and export_model never replaces (and so deletes) it.
constexpr const char *kModelFiles[] = {"graph.mlir", "weights.safetensors",
                                       "meta.json"};

/// Whether process `pid` is gone (its scratch folders are stale).
bool processEnded(long pid) {
  return pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

/// Removes what killed exports to `target` left beside it: folders named
/// `<name>.tmp.<pid>.<n>` or `<name>.old.<pid>.<n>`, and files named
/// `<name>.weights.<pid>` (older versions), whose process has ended.
void removeStaleScratch(const fs::path &target) {
  std::string prefix = target.filename().string() + ".";
  std::error_code ec;
  for (const fs::directory_entry &entry :
       fs::directory_iterator(target.parent_path(), ec)) {
    std::string name = entry.path().filename().string();
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix))
      continue;
    llvm::StringRef rest = llvm::StringRef(name).drop_front(prefix.size());
    if (!rest.consume_front("tmp.") && !rest.consume_front("old.") &&
        !rest.consume_front("weights."))
      continue;
    long pid = 0;
    if (rest.consumeInteger(10, pid) || !(rest.empty() || rest[0] == '.') ||
        !processEnded(pid))
      continue;
    std::error_code ignored;
    fs::remove_all(entry.path(), ignored);
  }
}

/// Flushes `path` (a file or a folder) to the disk.
void syncPath(const fs::path &path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

/// Fills a new folder with `fill` and puts it at `path` as one step, so
/// that a reader (or a kill at any moment) sees the old model or the new
/// one, never none or a mix: the new folder is filled beside the path, then
/// swapped in by one atomic exchange of names (Linux's renameat2), and the
/// old one is removed. An existing folder is replaced only if it holds
/// nothing but an export's files.
void writeFolderAtomically(const std::string &path,
                           const std::function<void(const fs::path &)> &fill,
                           const std::string &what) {
  fs::path target = fs::absolute(path);
  std::error_code ec;
  if (fs::exists(target, ec)) {
    if (!fs::is_directory(target, ec))
      throw Error(what + ": " + path +
                  " exists and is not an exported model; not replacing it");
    for (const fs::directory_entry &entry : fs::directory_iterator(target, ec))
      if (llvm::none_of(kModelFiles, [&](const char *file) {
            return entry.path().filename() == file;
          }))
        throw Error(what + ": " + path + " holds " +
                    entry.path().filename().string() +
                    ", which export_model did not write; not replacing the "
                    "folder (remove it, or export elsewhere)");
  }
  removeStaleScratch(target);
  static std::atomic<int> counter{0};
  std::string suffix =
      "." + std::to_string(::getpid()) + "." + std::to_string(counter++);
  fs::path staging = target;
  staging += ".tmp" + suffix;
  fs::create_directories(staging, ec);
  if (ec)
    throw Error(what + ": cannot create " + staging.string() + ": " +
                ec.message());
  try {
    fill(staging);
    for (const char *file : kModelFiles)
      syncPath(staging / file);
    syncPath(staging);
    // Into place: a plain rename where nothing is, else an exchange.
    if (::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, target.c_str(),
                    RENAME_NOREPLACE) != 0) {
      if (errno == EINVAL || errno == ENOSYS) {
        // A file system without renameat2's flags: two renames, with a
        // moment between them when the path holds no model.
        fs::path old = target;
        old += ".old" + suffix;
        bool replacing = fs::exists(target, ec);
        if (replacing)
          fs::rename(target, old);
        fs::rename(staging, target);
        if (replacing)
          fs::remove_all(old, ec);
        syncPath(target.parent_path());
        return;
      }
      if (errno != EEXIST)
        throw Error(what + ": cannot move " + staging.string() + " to " + path +
                    ": " + std::strerror(errno));
      if (::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, target.c_str(),
                      RENAME_EXCHANGE) != 0)
        throw Error(what + ": cannot replace " + path + ": " +
                    std::strerror(errno));
      // The old model is now at the staging path.
      fs::remove_all(staging, ec);
    }
    syncPath(target.parent_path());
  } catch (const fs::filesystem_error &e) {
    fs::remove_all(staging, ec);
    throw Error(what + ": " + e.what());
  } catch (...) {
    fs::remove_all(staging, ec);
    throw;
  }
}

std::string tensorBytes(const Tensor &t) {
  const char *data = static_cast<const char *>(t.data_ptr());
  return std::string(data, data + t.numel() * element_size(t.dtype()));
}

} // namespace

void detail::exportModule(nn::Module &module,
                          const std::function<Tensor(const Tensor &)> &forward,
                          const std::vector<Tensor> &example_inputs,
                          const std::string &path) {
  if (example_inputs.size() != 1)
    throw Error("export_model: a Module's forward takes one input, given " +
                std::to_string(example_inputs.size()) +
                " example inputs (export a function for several)");
  bool training = module.is_training();
  module.eval();
  try {
    export_model(
        [&](const std::vector<Tensor> &inputs) {
          return std::vector<Tensor>{forward(inputs[0])};
        },
        example_inputs, path, module.state_dict());
  } catch (...) {
    module.train(training);
    throw;
  }
  module.train(training);
}

void export_model(
    const std::function<std::vector<Tensor>(const std::vector<Tensor> &)>
        &forward,
    const std::vector<Tensor> &example_inputs, const std::string &path,
    const StateDict &weights, const std::vector<std::string> &input_names) {
  const std::string what = "export_model";
  if (!input_names.empty() && input_names.size() != example_inputs.size())
    throw Error(what + ": " + std::to_string(input_names.size()) +
                " input names for " + std::to_string(example_inputs.size()) +
                " example inputs");
  // Weights must be values, not pending computations of this trace.
  for (const auto &[name, w] : weights)
    if (w.defined())
      detail::realize(*w.impl_ptr());
  // Fresh copies of the inputs: each is an argument of its own, even when
  // the caller passes one tensor twice or a weight as an input.
  std::vector<Tensor> inputs;
  std::vector<detail::TensorImpl *> arguments;
  std::vector<ExportedModel::Signature> inputSignatures;
  for (size_t i = 0; i < example_inputs.size(); ++i) {
    const Tensor &x = example_inputs[i];
    if (!x.defined())
      throw Error(what + ": example input " + std::to_string(i) +
                  " is undefined");
    auto copy = detail::makeRealized(x.impl_ptr()->type);
    std::memcpy(copy->storage->data, x.data_ptr(), copy->type.bytes());
    inputs.emplace_back(copy);
    arguments.push_back(copy.get());
    inputSignatures.push_back(
        {input_names.empty() ? "input" + std::to_string(i) : input_names[i],
         x.dtype(), x.sizes()});
  }

  std::vector<Tensor> outputs;
  {
    NoGradGuard noGrad;
    outputs = forward(inputs);
  }
  if (outputs.empty())
    throw Error(what + ": the forward returns no tensor");
  std::vector<detail::TensorImpl *> outputImpls;
  std::vector<ExportedModel::Signature> outputSignatures;
  detail::Trace &trace = detail::Trace::current();
  for (size_t i = 0; i < outputs.size(); ++i) {
    const Tensor &y = outputs[i];
    if (!y.defined())
      throw Error(what + ": output " + std::to_string(i) + " is undefined");
    if (!y.impl_ptr()->pending() || y.impl_ptr()->node->trace != &trace)
      throw Error(what + ": output " + std::to_string(i) +
                  " is not computed by the forward from its inputs (it "
                  "returns an input or a weight unchanged, or a value "
                  "computed before)");
    outputImpls.push_back(y.impl_ptr().get());
    outputSignatures.push_back(
        {"output" + std::to_string(i), y.dtype(), y.sizes()});
  }
  size_t numInputs = arguments.size();
  ModelContext building;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      trace.exportGraph(outputImpls, arguments, building.context);

  // The other arguments are the weights the forward reads: by their names
  // in `weights`, else as constants.
  std::unordered_map<detail::TensorImpl *, std::string> names;
  for (const auto &[name, w] : weights)
    if (w.defined())
      names.try_emplace(w.impl_ptr().get(), name);
  StateDict used;
  std::vector<std::string> weightNames;
  int constants = 0;
  for (size_t i = numInputs; i < arguments.size(); ++i) {
    auto it = names.find(arguments[i]);
    std::string name = it != names.end()
                           ? it->second
                           : "constant." + std::to_string(constants++);
    weightNames.push_back(name);
    used.emplace_back(name, Tensor(arguments[i]->shared_from_this()));
  }

  // Name the arguments and results, and call the function @forward.
  auto fn = module->lookupSymbol<mlir::func::FuncOp>("main");
  mlir::Builder b(&building.context);
  fn.setName("forward");
  for (size_t i = 0; i < arguments.size(); ++i)
    fn.setArgAttr(i,
                  i < numInputs ? ir::InputNameAttr::getNameStr()
                                : ir::WeightNameAttr::getNameStr(),
                  b.getStringAttr(i < numInputs ? inputSignatures[i].name
                                                : weightNames[i - numInputs]));
  for (size_t i = 0; i < outputSignatures.size(); ++i)
    fn.setResultAttr(i, ir::OutputNameAttr::getNameStr(),
                     b.getStringAttr(outputSignatures[i].name));
  // What load_model will accept: names that are printable, among others.
  if (mlir::failed(
          ir::verifyModuleFromFile(*module, ir::ModuleSource::ExportedModel)))
    throw Error(what + ": " + building.messages);
  std::string graph;
  {
    llvm::raw_string_ostream os(graph);
    os << "// A model exported by Kiln " << runtime::kilnVersion()
       << ": @forward takes its inputs, then its weights (in "
          "weights.safetensors).\n";
    module->print(os, mlir::OpPrintingFlags().enableDebugInfo(
                          /*enable=*/true, /*prettyForm=*/false));
  }

  llvm::json::Object meta{{"format", kFormat},
                          {"kiln_version", runtime::kilnVersion()},
                          {"function", "forward"},
                          {"inputs", signaturesJson(inputSignatures)},
                          {"outputs", signaturesJson(outputSignatures)},
                          {"weights", "weights.safetensors"},
                          {"num_weights", static_cast<int64_t>(used.size())}};
  std::string metaText;
  {
    llvm::raw_string_ostream os(metaText);
    os << llvm::formatv("{0:2}", llvm::json::Value(std::move(meta))) << "\n";
  }
  writeFolderAtomically(
      path,
      [&](const fs::path &folder) {
        for (const auto &[name, text] :
             {std::pair{"graph.mlir", &graph}, {"meta.json", &metaText}}) {
          std::ofstream out(folder / name, std::ios::binary);
          out.write(text->data(), static_cast<std::streamsize>(text->size()));
          out.close();
          if (!out)
            throw Error(what + ": cannot write " + (folder / name).string());
        }
        save(used, (folder / "weights.safetensors").string());
      },
      what);
}

//===----------------------------------------------------------------------===//
// load_model
//===----------------------------------------------------------------------===//

struct ExportedModel::Impl {
  std::vector<Signature> inputs, outputs;
  StateDict weights;
  std::vector<const void *> weightData;
  std::unique_ptr<codegen::JitFunction> function;
};

namespace {

/// meta.json: checked against the graph, which is what runs.
void checkMeta(const std::string &dir, const std::string &what) {
  fs::path file = fs::path(dir) / "meta.json";
  std::string text = readFile(file, what);
  llvm::json::Value meta =
      detail::parseJson(text, what + ": " + file.string() + " is not JSON");
  const llvm::json::Object *object = meta.getAsObject();
  std::optional<int64_t> format =
      object ? object->getInteger("format") : std::nullopt;
  if (!format)
    throw Error(what + ": " + file.string() + " has no \"format\"");
  if (*format != kFormat)
    throw Error(what + ": " + file.string() + " is format " +
                std::to_string(*format) + "; this Kiln reads format " +
                std::to_string(kFormat));
}

/// The model folder at `path`: its meta.json checked, its graph parsed.
Graph openModel(const std::string &path, const std::string &what) {
  std::error_code ec;
  if (!fs::is_directory(path, ec))
    throw Error(what + ": " + path +
                ": no such model (a folder written by export_model)");
  checkMeta(path, what);
  return parseGraph(path, what);
}

} // namespace

ExportedModel load_model(const std::string &path) {
  const std::string what = "load_model";
  Graph graph = openModel(path, what);
  auto impl = std::make_shared<ExportedModel::Impl>();
  mlir::func::FuncOp fn = graph.forward;
  for (unsigned i = 0; i < fn.getNumArguments(); ++i)
    if (auto name = fn.getArgAttrOfType<mlir::StringAttr>(
            i, ir::InputNameAttr::getNameStr()))
      impl->inputs.push_back(
          signatureOf(fn.getArgumentTypes()[i], name.str(), what));
  for (unsigned i = 0; i < fn.getNumResults(); ++i) {
    auto name = fn.getResultAttrOfType<mlir::StringAttr>(
        i, ir::OutputNameAttr::getNameStr());
    impl->outputs.push_back(
        signatureOf(fn.getResultTypes()[i],
                    name ? name.str() : "output" + std::to_string(i), what));
  }
  impl->weights = loadWeights(path, fn, what);
  prepackWeights(fn, impl->weights);
  for (const auto &[name, w] : impl->weights)
    impl->weightData.push_back(w.data_ptr());

  fn.removeArgAttrsAttr();
  fn.removeResAttrsAttr();
  codegen::CodegenOptions options;
  if (runtime::envSwitch("KILN_DISK_CACHE", true))
    options.cacheDirectory = runtime::cacheDirectory();
  std::string error;
  impl->function =
      codegen::JitFunction::compile(*graph.module, "forward", error, options);
  if (!impl->function)
    throw Error(what + ": compiling " + path + " failed: " + error + "\n" +
                graph.holder->messages);
  ExportedModel model;
  model.impl_ = std::move(impl);
  return model;
}

const std::vector<ExportedModel::Signature> &ExportedModel::inputs() const {
  return impl_->inputs;
}
const std::vector<ExportedModel::Signature> &ExportedModel::outputs() const {
  return impl_->outputs;
}
const StateDict &ExportedModel::weights() const { return impl_->weights; }

void ExportedModel::run(const std::vector<const void *> &inputs,
                        const std::vector<void *> &outputs) const {
  std::vector<void *> arguments;
  for (const void *p : inputs)
    arguments.push_back(const_cast<void *>(p));
  for (const void *p : impl_->weightData)
    arguments.push_back(const_cast<void *>(p));
  impl_->function->run(arguments, outputs);
}

std::vector<Tensor>
ExportedModel::forward(const std::vector<Tensor> &inputs) const {
  if (inputs.size() != impl_->inputs.size())
    throw Error("forward: the model takes " +
                std::to_string(impl_->inputs.size()) + " inputs, given " +
                std::to_string(inputs.size()));
  std::vector<const void *> data;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Signature &s = impl_->inputs[i];
    const Tensor &x = inputs[i];
    if (!x.defined() || x.dtype() != s.dtype || x.sizes() != s.shape)
      throw Error("forward: input " + std::to_string(i) + " ('" + s.name +
                  "') must be " + describe(s.dtype, s.shape) + ", given " +
                  (x.defined() ? describe(x.dtype(), x.sizes())
                               : std::string("an undefined tensor")));
    data.push_back(x.data_ptr());
  }
  std::vector<Tensor> outputs;
  std::vector<void *> outputData;
  for (const Signature &s : impl_->outputs) {
    auto impl = detail::makeRealized({s.shape, s.dtype});
    outputData.push_back(impl->storage->data);
    outputs.emplace_back(std::move(impl));
  }
  run(data, outputData);
  return outputs;
}

Tensor ExportedModel::forward(const Tensor &input) const {
  if (impl_->outputs.size() != 1)
    throw Error("forward: the model has " +
                std::to_string(impl_->outputs.size()) +
                " outputs; call forward with a vector of inputs");
  return forward(std::vector<Tensor>{input})[0];
}

//===----------------------------------------------------------------------===//
// compile_model
//===----------------------------------------------------------------------===//

namespace {

/// The safetensors file's first bytes (length and JSON header) and each
/// named tensor's byte range in its data section.
struct SafetensorsLayout {
  std::string header;
  std::unordered_map<std::string, std::pair<uint64_t, uint64_t>> ranges;
};

SafetensorsLayout readLayout(const std::string &file, const std::string &what) {
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw Error(what + ": cannot read " + file);
  detail::SafetensorsHeader header =
      detail::readSafetensorsHeader(in, file, what);
  SafetensorsLayout layout;
  layout.header = std::move(header.prefix);
  for (const detail::SafetensorsEntry &e : header.entries)
    layout.ranges[e.name] = {e.begin, e.end};
  return layout;
}

bool isIdentifier(const std::string &name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0])))
    return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

} // namespace

namespace {

/// compile_model for the CUDA target: the forward function's kernels as
/// CUDA C++ (NAME.cu), compiled with NVRTC into a cubin per architecture and
/// PTX for later ones, and the launch table (NAME.launches.txt). The weights
/// stay the model's: they are the program's trailing inputs.
CompiledModel compileForCuda(Graph &graph, const std::string &path,
                             const std::string &output_dir,
                             const CompileOptions &options,
                             std::chrono::steady_clock::time_point start) {
  const std::string what = "compile_model";
  std::unique_ptr<codegen::cuda::CudaProgram> program;
  try {
    codegen::cuda::CudaOptions cuda;
    cuda.hostExecution = false;
    program =
        codegen::cuda::CudaProgram::compile(*graph.module, "forward", cuda);
  } catch (const Error &e) {
    throw Error(what + ": " + path + ": " + e.what());
  }
  std::error_code ec;
  fs::create_directories(output_dir, ec);
  if (ec)
    throw Error(what + ": cannot create " + output_dir + ": " + ec.message());
  CompiledModel result;
  auto write = [&](const std::string &file, std::string_view bytes) {
    std::string target = (fs::path(output_dir) / file).string();
    runtime::writeFileAtomically(target, what,
                                 [&](std::ostream &out) { out << bytes; });
    result.files.push_back(target);
    return target;
  };
  const codegen::cuda::CudaProgramSpec &spec = program->spec();
  result.header_path =
      write(options.name + ".cu", codegen::cuda::nvrtcSource(spec));
  write(options.name + ".launches.txt",
        codegen::cuda::describe(spec, "forward"));
  for (const auto &[arch, binary] : program->binaries()) {
    std::string cubin = write(options.name + "." + arch + ".cubin",
                              {binary.cubin.data(), binary.cubin.size()});
    if (result.object_path.empty())
      result.object_path = cubin;
    result.object_bytes += static_cast<int64_t>(binary.cubin.size());
  }
  // The newest architecture's PTX, which drivers compile for later GPUs.
  write(options.name + ".ptx", program->binaries().rbegin()->second.ptx);
  result.workspace_bytes = spec.arenaBytes;
  result.compile_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  return result;
}

} // namespace

CompiledModel compile_model(const std::string &path,
                            const std::string &output_dir,
                            const CompileOptions &options) {
  const std::string what = "compile_model";
  auto start = std::chrono::steady_clock::now();
  if (!isIdentifier(options.name))
    throw Error(what + ": the name '" + options.name +
                "' is not a C identifier (it prefixes the C API)");
  Graph graph = openModel(path, what);
  if (options.target == "cuda")
    return compileForCuda(graph, path, output_dir, options, start);
  StateDict weights = loadWeights(path, graph.forward, what);

  codegen::AotOptions aot;
  aot.prefix = options.name;
  aot.target = options.target;
  aot.runtimeCalls = options.library_calls;
  aot.externalWeights = options.external_weights;
  std::vector<std::string> bytes;
  std::vector<codegen::AotWeight> weightData;
  // External weights are read as the file has them; embedded ones can be
  // stored as the graph reads them.
  if (!options.external_weights)
    prepackWeights(graph.forward, weights);
  if (options.external_weights) {
    std::string file = (fs::path(path) / "weights.safetensors").string();
    SafetensorsLayout layout = readLayout(file, what);
    aot.weightsHeader = layout.header;
    for (const auto &[name, w] : weights) {
      auto range = layout.ranges.find(name);
      if (range == layout.ranges.end())
        throw Error(what + ": " + file + " has no tensor '" + name + "'");
      weightData.push_back({{}, range->second.first, range->second.second});
    }
  } else {
    for (const auto &[name, w] : weights)
      bytes.push_back(tensorBytes(w));
    for (const std::string &b : bytes)
      weightData.push_back({b, 0, 0});
  }
  std::string error;
  std::optional<codegen::AotArtifacts> artifacts =
      codegen::compileAot(*graph.module, "forward", weightData, aot, error);
  if (!artifacts)
    throw Error(what + ": " + path + ": " + error + "\n" +
                graph.holder->messages);

  std::error_code ec;
  fs::create_directories(output_dir, ec);
  if (ec)
    throw Error(what + ": cannot create " + output_dir + ": " + ec.message());
  CompiledModel result;
  result.object_path = (fs::path(output_dir) / (options.name + ".o")).string();
  result.header_path = (fs::path(output_dir) / (options.name + ".h")).string();
  result.files = {result.object_path, result.header_path};
  runtime::writeFileAtomically(
      result.object_path, what,
      [&](std::ostream &out) { out << artifacts->object; });
  runtime::writeFileAtomically(
      result.header_path, what,
      [&](std::ostream &out) { out << artifacts->header; });
  if (options.external_weights) {
    std::string weightsFile =
        readFile(fs::path(path) / "weights.safetensors", what);
    runtime::writeFileAtomically(
        (fs::path(output_dir) / (options.name + ".safetensors")).string(), what,
        [&](std::ostream &out) { out << weightsFile; });
  }
  result.object_bytes = static_cast<int64_t>(artifacts->object.size());
  result.workspace_bytes = artifacts->workspaceBytes;
  result.weight_bytes = artifacts->weightBytes;
  result.compile_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  return result;
}

} // namespace kiln

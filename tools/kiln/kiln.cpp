//===- kiln.cpp - The kiln command line
//------------------------------------===//
#include "kiln/codegen/cpu/Jit.h"
#include "kiln/codegen/cpu/Object.h"
#include "kiln/frontend/Config.h"
#include "kiln/frontend/Export.h"
#include "kiln/frontend/Tensor.h"
#include "kiln/ir/KilnOps.h"
#include "kiln/runtime/Error.h"
#include "kiln/runtime/System.h"
#include "kiln/tools/Registration.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr const char *kUsage = R"(usage: kiln <command> [options]

Commands:
  info               Versions, CUDA/NVRTC availability, threads, cache folder
  dump FILE          Parse and verify kiln IR (a .mlir file or an exported
                     model folder), then print it after any compiler stage
  plan FILE          The memory plan of each function: buffers, lifetimes,
                     arena offsets, and the arena against its lower bound
  compile MODEL      Compile an exported model ahead of time: an object file
                     and a C header that need no Kiln at run time
  run MODEL          Run an exported model on .npy inputs
  bench MODEL        Latency and throughput of a model, JIT against AOT
  cache info|clear   The disk cache of compiled programs: its size, or empty it

MODEL is a folder written by kiln::export_model (name.kiln/).

Run `kiln <command> --help` for a command's options.
)";

constexpr const char *kInfoUsage = R"(usage: kiln info

Prints Kiln's version, the LLVM/MLIR and oneDNN it was built with, whether a
CUDA driver and NVRTC can be loaded, the thread count (OMP_NUM_THREADS) and
the kernel cache folder (KILN_CACHE_DIR).
)";

constexpr const char *kDumpUsage = R"(usage: kiln dump FILE [options]

Parses FILE (a .mlir file, an exported model folder name.kiln whose
graph.mlir it reads, or "-" for standard input), verifies it and prints it.
Errors are reported as FILE:LINE:COL and exit with status 1.

Options:
  --stage=S     print the IR after a compiler stage: traced (as read, the
                default), autodiff (kiln.grad expanded), decomposed
                (composite ops rewritten), fused (ops grouped into
                kiln.fusion regions), lowered (linalg on tensors),
                planned (bufferized, contractions as oneDNN calls,
                temporaries in one arena), llvm (the LLVM dialect the
                JIT compiles), or all (each of them in turn, each under
                a "// ===== stage S =====" line)
  --format=F    mlir (the default) or dot: the graph of each function for
                Graphviz, ops as boxes, kiln.fusion regions as clusters
  --generic     print operations in MLIR's generic form
  --debuginfo   print source locations (the user's file:line for traced ops)
  --no-fusion   compile as kiln::set_fusion_enabled(false) does: no
                kiln.fusion regions, one loop nest per op
  --no-post-ops compile as kiln::set_post_ops_enabled(false) does: a
                matmul's or convolution's bias and activation stay loops
  -o FILE       write to FILE instead of standard output
)";

constexpr const char *kPlanUsage = R"(usage: kiln plan FILE [--svg=OUT.svg]

Compiles each function of FILE (a .mlir file, an exported model folder, or
"-" for standard input) up to the memory plan and prints it: every temporary
buffer with its type, bytes, live steps (top-level ops of the bufferized
function, see `kiln dump --stage=planned`) and offset in the arena; then the
arena size against the lower bound (the most bytes live at one step) and
against the bytes of the buffers apart.

Options:
  --svg=OUT.svg   also draw the plan as a timeline: steps to the right, arena
                  offsets downwards, each buffer a rectangle over its live
                  steps (hover for its size, offset and steps)
)";

constexpr const char *kCacheUsage = R"(usage: kiln cache info|clear [DIR]

The disk cache holds compiled programs, so that a later run loads them
instead of compiling. DIR defaults to KILN_CACHE_DIR (else ~/.cache/kiln).

  info    the folder, whether Kiln uses it, its entries and their bytes
  clear   removes every entry
)";

constexpr const char *kCompileUsage =
    R"(usage: kiln compile MODEL -o DIR [options]

Compiles the exported model MODEL (a folder written by kiln::export_model)
ahead of time into DIR/NAME.o, a position-independent object holding the
forward with its static memory plan and the weights, and DIR/NAME.h, its C
API: NAME_create / NAME_run / NAME_destroy, or NAME_run_with_workspace with
a caller-provided workspace; input and output shapes as constants; error
codes, never an abort. NAME_run allocates nothing.

Options:
  -o DIR                output folder (created if missing)
  --name=NAME           prefix of the C API and of the files (default: model)
  --target=CPU          host (the default: this machine's CPU) or an x86-64
                        CPU name such as x86-64, x86-64-v3 or znver3
  --weights=W           embedded (the default: read-only data in the object)
                        or external (NAME_create reads DIR/NAME.safetensors,
                        a copy of the model's weights, and checks that it is
                        the file compiled against)
  --no-library-calls    link with nothing but libc and libm: matmuls and
                        convolutions are generated loops, and the model runs
                        on the calling thread. Otherwise link with Kiln's
                        static runtime (libKilnRuntime.a -ldnnl -lgomp
                        -lstdc++ -lm), which calls oneDNN and runs large
                        loops on OMP_NUM_THREADS threads.
)";

constexpr const char *kRunUsage =
    R"(usage: kiln run MODEL --input X.npy [--input ...] [--output Y.npy ...]

Runs the exported model MODEL through the JIT on inputs read from .npy files
(one --input per model input, in order; dtype and shape must match the
export), then writes each output to its --output file, or prints it.
)";

constexpr const char *kBenchUsage = R"(usage: kiln bench MODEL [options]

Times one call of the exported model MODEL on random inputs at its exported
shapes: through the JIT (kiln::load_model) and through the object `kiln
compile` builds, loaded into this process. Prints latency percentiles and
throughput (samples/s, the first input dimension being the batch); export
with a larger example batch to measure throughput at that batch.

Options:
  --iterations=N        timed calls per path (default 2000)
  --no-library-calls    time the object built with --no-library-calls
)";

bool isHelp(std::string_view arg) {
  return arg == "--help" || arg == "-h" || arg == "-help";
}

int runInfo(const std::vector<std::string_view> &args) {
  for (std::string_view arg : args) {
    if (isHelp(arg)) {
      llvm::outs() << kInfoUsage;
      return 0;
    }
    llvm::errs() << "kiln info: unknown option '" << arg << "'\n" << kInfoUsage;
    return 2;
  }
  llvm::outs() << kiln::show_config();
  return 0;
}

/// A kiln IR file parsed and verified, with diagnostics printed as
/// FILE:LINE:COL: error: message.
struct Loaded {
  mlir::MLIRContext context;
  llvm::SourceMgr sourceMgr;
  std::optional<mlir::SourceMgrDiagnosticHandler> handler;
  mlir::OwningOpRef<mlir::ModuleOp> module;

  Loaded() {
    mlir::DialectRegistry registry;
    kiln::registerKilnDialects(registry);
    context.appendDialectRegistry(registry);
  }

  bool load(std::string input, llvm::StringRef command) {
    // An exported model: its graph.
    std::error_code ec;
    if (std::filesystem::is_directory(input, ec))
      input = (std::filesystem::path(input) / "graph.mlir").string();
    std::string error;
    auto buffer = mlir::openInputFile(input, &error);
    if (!buffer) {
      llvm::errs() << command << ": " << error << "\n";
      return false;
    }
    sourceMgr.AddNewSourceBuffer(std::move(buffer), llvm::SMLoc());
    handler.emplace(sourceMgr, &context);
    module = mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr, &context);
    return module && mlir::succeeded(mlir::verify(*module));
  }
};

/// Writes the functions of `module` as a Graphviz graph: one cluster per
/// function, an ellipse per argument, a box per op (name and result types),
/// a filled cluster per kiln.fusion holding its ops, edges along SSA uses.
void printDot(mlir::ModuleOp module, llvm::raw_ostream &os) {
  llvm::DenseMap<mlir::Value, std::string> producer;
  int nodes = 0, clusters = 0;
  auto escape = [](std::string text) {
    std::string escaped;
    for (char c : text) {
      if (c == '"' || c == '\\')
        escaped += '\\';
      escaped += c;
    }
    return escaped;
  };
  auto typeText = [](mlir::TypeRange types) {
    std::string text;
    llvm::raw_string_ostream ts(text);
    llvm::interleaveComma(types, ts);
    return text;
  };
  std::string edges;
  llvm::raw_string_ostream es(edges);
  std::function<void(mlir::Block &, int)> emitBlock = [&](mlir::Block &block,
                                                          int depth) {
    std::string indent(2 * depth, ' ');
    for (mlir::Operation &op : block) {
      if (auto fusion = llvm::dyn_cast<kiln::ir::FusionOp>(op)) {
        // Inner ops read the fusion's inputs directly.
        mlir::Block &body = fusion.getBody().front();
        for (auto [arg, input] :
             llvm::zip(body.getArguments(), fusion.getInputs()))
          producer[arg] = producer.lookup(input);
        os << indent << "subgraph cluster_" << clusters++ << " {\n"
           << indent << "  label=\"kiln.fusion\"; style=filled; "
           << "color=lightblue;\n";
        emitBlock(body, depth + 1);
        os << indent << "}\n";
        auto yield = body.getTerminator();
        for (auto [result, value] :
             llvm::zip(fusion.getResults(), yield->getOperands()))
          producer[result] = producer.lookup(value);
        continue;
      }
      if (llvm::isa<kiln::ir::YieldOp>(op))
        continue;
      std::string id = "n" + std::to_string(nodes++);
      std::string label = escape(op.getName().getStringRef().str());
      if (op.getNumResults())
        label += "\\n" + escape(typeText(op.getResultTypes()));
      os << indent << id << " [label=\"" << label << "\"];\n";
      for (mlir::Value operand : op.getOperands())
        if (std::string from = producer.lookup(operand); !from.empty())
          es << "  " << from << " -> " << id << ";\n";
      for (mlir::Value result : op.getResults())
        producer[result] = id;
    }
  };
  os << "digraph kiln {\n  node [shape=box, fontname=\"monospace\"];\n";
  for (auto fn : module.getOps<mlir::func::FuncOp>()) {
    if (fn.isDeclaration())
      continue;
    os << "  subgraph cluster_" << clusters++ << " {\n    label=\"@"
       << escape(fn.getName().str()) << "\";\n";
    for (mlir::BlockArgument arg : fn.getArguments()) {
      std::string id = "n" + std::to_string(nodes++);
      os << "    " << id << " [shape=ellipse, label=\"%arg"
         << arg.getArgNumber() << "\\n"
         << escape(typeText(fn.getArgumentTypes().slice(arg.getArgNumber(), 1)))
         << "\"];\n";
      producer[arg] = id;
    }
    emitBlock(fn.getBody().front(), 2);
    os << "  }\n";
  }
  os << edges << "}\n";
}

int runDump(const std::vector<std::string_view> &args) {
  std::string input, output = "-";
  std::optional<kiln::codegen::Stage> stage;
  mlir::OpPrintingFlags flags;
  kiln::codegen::CodegenOptions options;
  bool dot = false, allStages = false;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (isHelp(arg)) {
      llvm::outs() << kDumpUsage;
      return 0;
    }
    if (arg.starts_with("--stage=")) {
      std::string_view name = arg.substr(8);
      if (name == "autodiff")
        stage = kiln::codegen::Stage::Autodiff;
      else if (name == "decomposed")
        stage = kiln::codegen::Stage::Decomposed;
      else if (name == "lowered")
        stage = kiln::codegen::Stage::Lowered;
      else if (name == "fused")
        stage = kiln::codegen::Stage::Fused;
      else if (name == "planned")
        stage = kiln::codegen::Stage::Planned;
      else if (name == "llvm")
        stage = kiln::codegen::Stage::LLVM;
      else if (name == "all")
        allStages = true;
      else if (name != "traced") {
        llvm::errs() << "kiln dump: unknown stage '" << name << "'\n"
                     << kDumpUsage;
        return 2;
      }
    } else if (arg == "--generic") {
      flags.printGenericOpForm();
    } else if (arg == "--format=mlir") {
      dot = false;
    } else if (arg == "--format=dot") {
      dot = true;
    } else if (arg == "--debuginfo") {
      flags.enableDebugInfo(/*enable=*/true, /*prettyForm=*/false);
    } else if (arg == "--no-fusion") {
      options.fuse = false;
    } else if (arg == "--no-post-ops") {
      options.epilogues = false;
    } else if (arg == "-o" && i + 1 < args.size()) {
      output = std::string(args[++i]);
    } else if (arg.size() > 1 && arg[0] == '-') {
      llvm::errs() << "kiln dump: unknown option '" << arg << "'\n"
                   << kDumpUsage;
      return 2;
    } else if (input.empty()) {
      input = std::string(arg);
    } else {
      llvm::errs() << "kiln dump: more than one input file\n" << kDumpUsage;
      return 2;
    }
  }
  if (input.empty()) {
    llvm::errs() << "kiln dump: no input file\n" << kDumpUsage;
    return 2;
  }

  if (allStages && dot) {
    llvm::errs() << "kiln dump: --stage=all prints MLIR, not dot\n";
    return 2;
  }

  Loaded loaded;
  if (!loaded.load(input, "kiln dump"))
    return 1;
  mlir::ModuleOp module = *loaded.module;
  if (stage && mlir::failed(kiln::codegen::lowerTo(module, *stage, options)))
    return 1;

  std::string error;
  auto out = mlir::openOutputFile(output, &error);
  if (!out) {
    llvm::errs() << "kiln dump: " << error << "\n";
    return 1;
  }
  if (allStages) {
    // Each stage from a fresh copy of the input, in pipeline order.
    using kiln::codegen::Stage;
    const std::pair<const char *, std::optional<Stage>> stages[] = {
        {"traced", std::nullopt},
        {"autodiff", Stage::Autodiff},
        {"decomposed", Stage::Decomposed},
        {"fused", Stage::Fused},
        {"lowered", Stage::Lowered},
        {"planned", Stage::Planned},
        {"llvm", Stage::LLVM}};
    for (const auto &[name, step] : stages) {
      mlir::OwningOpRef<mlir::ModuleOp> copy = module.clone();
      if (step && mlir::failed(kiln::codegen::lowerTo(*copy, *step, options)))
        return 1;
      out->os() << "// ===== stage " << name << " =====\n";
      copy->print(out->os(), flags);
      out->os() << "\n";
    }
    out->keep();
    return 0;
  }
  if (dot)
    printDot(module, out->os());
  else
    module->print(out->os(), flags);
  out->keep();
  return 0;
}

int runCache(const std::vector<std::string_view> &args) {
  if (args.empty() || args.size() > 2) {
    llvm::errs() << kCacheUsage;
    return 2;
  }
  if (isHelp(args[0])) {
    llvm::outs() << kCacheUsage;
    return 0;
  }
  std::string directory =
      args.size() == 2 ? std::string(args[1]) : kiln::runtime::cacheDirectory();
  auto entries = [&] {
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (auto &entry : std::filesystem::directory_iterator(directory, ec))
      if (entry.path().extension() == ".kobj" ||
          entry.path().filename().string().find(".kobj.tmp.") !=
              std::string::npos)
        files.push_back(entry.path());
    return files;
  };
  if (args[0] == "info") {
    std::string warning;
    kiln::codegen::DiskCache cache(directory, &warning);
    uintmax_t bytes = 0;
    std::vector<std::filesystem::path> files = entries();
    for (auto &file : files) {
      std::error_code ec;
      bytes += std::filesystem::file_size(file, ec);
    }
    llvm::outs() << "cache folder: " << directory << "\n"
                 << (cache.enabled() ? "in use" : warning) << "\n"
                 << files.size() << " entries, " << bytes << " bytes\n";
    return 0;
  }
  if (args[0] == "clear") {
    size_t removed = 0;
    for (auto &file : entries()) {
      std::error_code ec;
      removed += std::filesystem::remove(file, ec);
    }
    llvm::outs() << "removed " << removed << " entries from " << directory
                 << "\n";
    return 0;
  }
  llvm::errs() << "kiln cache: unknown action '" << args[0] << "'\n"
               << kCacheUsage;
  return 2;
}

/// Splits "--key=value" into its value when `arg` starts with `key=`.
std::optional<std::string> optionValue(std::string_view arg,
                                       std::string_view key) {
  if (arg.size() > key.size() && arg.starts_with(key) && arg[key.size()] == '=')
    return std::string(arg.substr(key.size() + 1));
  return std::nullopt;
}

/// One function's plan, drawn as a timeline: steps to the right, arena
/// offsets downwards, each buffer a rectangle over its live steps.
struct PlanTimeline {
  std::string name;
  int64_t arenaBytes = 0, steps = 0;
  llvm::SmallVector<llvm::SmallVector<int64_t, 4>>
      buffers; ///< bytes, first, last, offset
};

void writeTimelineSvg(llvm::raw_ostream &svg,
                      const std::vector<PlanTimeline> &plans) {
  constexpr double width = 800, panel = 320, left = 90, right = 20, top = 40,
                   bottom = 40;
  double plotWidth = width - left - right, plotHeight = panel - top - bottom;
  svg << llvm::formatv("<svg xmlns=\"http://www.w3.org/2000/svg\" "
                       "width=\"{0:F0}\" height=\"{1:F0}\" "
                       "font-family=\"sans-serif\" font-size=\"12\">\n",
                       width, panel * plans.size())
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  const char *colors[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
                          "#9467bd", "#8c564b", "#e377c2", "#17becf"};
  for (size_t k = 0; k < plans.size(); ++k) {
    const PlanTimeline &plan = plans[k];
    double y0 = k * panel + top;
    double steps = std::max<int64_t>(plan.steps, 1);
    double bytes = std::max<int64_t>(plan.arenaBytes, 1);
    svg << llvm::formatv("<text x=\"{0}\" y=\"{1}\" font-weight=\"bold\">@{2}: "
                         "arena {3} bytes, {4} buffers over {5} steps</text>\n",
                         left, y0 - 14, plan.name, plan.arenaBytes,
                         plan.buffers.size(), plan.steps)
        << llvm::formatv("<rect x=\"{0}\" y=\"{1}\" width=\"{2}\" "
                         "height=\"{3}\" fill=\"none\" stroke=\"#999\"/>\n",
                         left, y0, plotWidth, plotHeight)
        << llvm::formatv(
               "<text x=\"{0}\" y=\"{1}\" text-anchor=\"end\">0</text>\n"
               "<text x=\"{0}\" y=\"{2}\" text-anchor=\"end\">{3} B</text>\n",
               left - 6, y0 + 4, y0 + plotHeight, plan.arenaBytes)
        << llvm::formatv(
               "<text x=\"{0}\" y=\"{1}\" text-anchor=\"middle\">step "
               "(top-level op of the planned function)</text>\n",
               left + plotWidth / 2, y0 + plotHeight + 28);
    for (size_t i = 0; i < plan.buffers.size(); ++i) {
      const auto &b = plan.buffers[i];
      double x = left + plotWidth * b[1] / steps;
      double w = std::max(plotWidth * (b[2] - b[1] + 1) / steps, 1.0);
      double y = y0 + plotHeight * b[3] / bytes;
      double h = std::max(plotHeight * b[0] / bytes, 1.0);
      svg << llvm::formatv(
          "<rect x=\"{0:F1}\" y=\"{1:F1}\" width=\"{2:F1}\" "
          "height=\"{3:F1}\" fill=\"{4}\" fill-opacity=\"0.7\" "
          "stroke=\"black\" stroke-width=\"0.5\"><title>buffer "
          "{5}: {6} bytes at offset {7}, steps {8}-{9}</title>"
          "</rect>\n",
          x, y, w, h, colors[i % 8], i, b[0], b[3], b[1], b[2]);
    }
  }
  svg << "</svg>\n";
}

int runPlan(const std::vector<std::string_view> &args) {
  std::string input, svgPath;
  for (std::string_view arg : args) {
    if (isHelp(arg)) {
      llvm::outs() << kPlanUsage;
      return 0;
    }
    if (auto v = optionValue(arg, "--svg")) {
      svgPath = *v;
      continue;
    }
    if (arg.size() > 1 && arg[0] == '-') {
      llvm::errs() << "kiln plan: unknown option '" << arg << "'\n"
                   << kPlanUsage;
      return 2;
    }
    if (!input.empty()) {
      llvm::errs() << "kiln plan: more than one input file\n" << kPlanUsage;
      return 2;
    }
    input = std::string(arg);
  }
  if (input.empty()) {
    llvm::errs() << "kiln plan: no input file\n" << kPlanUsage;
    return 2;
  }
  Loaded loaded;
  if (!loaded.load(input, "kiln plan"))
    return 1;
  mlir::ModuleOp module = *loaded.module;
  if (mlir::failed(
          kiln::codegen::lowerTo(module, kiln::codegen::Stage::Planned)))
    return 1;

  llvm::raw_ostream &os = llvm::outs();
  std::vector<PlanTimeline> timelines;
  for (auto fn : module.getOps<mlir::func::FuncOp>()) {
    auto buffers = fn->getAttrOfType<mlir::ArrayAttr>("kiln.arena_buffers");
    if (!buffers)
      continue;
    auto integer = [&](llvm::StringRef name) {
      return fn->getAttrOfType<mlir::IntegerAttr>(name).getInt();
    };
    // The views of the arena (its last argument), in the order of the plan.
    mlir::Value arena = fn.getArguments().back();
    llvm::SmallVector<mlir::Type> types;
    for (mlir::Operation *user : arena.getUsers())
      types.push_back(user->getResult(0).getType());
    std::reverse(types.begin(), types.end()); // use lists run newest first
    int64_t bytes = integer("kiln.arena_bytes");
    int64_t bound = integer("kiln.arena_lower_bound");
    os << "@" << fn.getName() << ": " << buffers.size() << " buffers, "
       << integer("kiln.kernels") << " kernels\n";
    os << llvm::formatv("  {0,-6} {1,-36} {2,12} {3,12} {4,12}\n", "buffer",
                        "type", "bytes", "live steps", "offset");
    for (auto [i, attr] : llvm::enumerate(buffers)) {
      auto b = llvm::cast<mlir::DenseI64ArrayAttr>(attr).asArrayRef();
      std::string type;
      llvm::raw_string_ostream typeOs(type);
      if (i < types.size())
        typeOs << types[i];
      os << llvm::formatv("  {0,-6} {1,-36} {2,12} {3,12} {4,12}\n", i, type,
                          b[0], llvm::formatv("{0}-{1}", b[1], b[2]).str(),
                          b[3]);
    }
    os << llvm::formatv("  arena {0} bytes, lower bound {1} bytes "
                        "(ratio {2:F3}), buffers apart {3} bytes\n",
                        bytes, bound, bound ? double(bytes) / bound : 1.0,
                        integer("kiln.arena_naive_bytes"));
    PlanTimeline &timeline = timelines.emplace_back();
    timeline.name = fn.getName().str();
    timeline.arenaBytes = bytes;
    timeline.steps =
        static_cast<int64_t>(fn.getBody().front().getOperations().size());
    for (mlir::Attribute attr : buffers) {
      auto b = llvm::cast<mlir::DenseI64ArrayAttr>(attr).asArrayRef();
      timeline.buffers.emplace_back(b.begin(), b.end());
    }
  }
  if (!svgPath.empty()) {
    std::string error;
    auto svg = mlir::openOutputFile(svgPath, &error);
    if (!svg) {
      llvm::errs() << "kiln plan: " << error << "\n";
      return 1;
    }
    writeTimelineSvg(svg->os(), timelines);
    svg->keep();
    os << "wrote the timeline to " << svgPath << "\n";
  }
  return 0;
}

int runCompile(const std::vector<std::string_view> &args) {
  std::string model, output;
  kiln::CompileOptions options;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (isHelp(arg)) {
      llvm::outs() << kCompileUsage;
      return 0;
    }
    if (arg == "-o" && i + 1 < args.size()) {
      output = std::string(args[++i]);
    } else if (auto v = optionValue(arg, "--name")) {
      options.name = *v;
    } else if (auto v = optionValue(arg, "--target")) {
      options.target = *v;
    } else if (auto v = optionValue(arg, "--weights")) {
      if (*v != "embedded" && *v != "external") {
        llvm::errs() << "kiln compile: --weights is embedded or external, not '"
                     << *v << "'\n";
        return 2;
      }
      options.external_weights = *v == "external";
    } else if (arg == "--no-library-calls") {
      options.library_calls = false;
    } else if (arg.starts_with("-")) {
      llvm::errs() << "kiln compile: unknown option '" << arg << "'\n"
                   << kCompileUsage;
      return 2;
    } else if (model.empty()) {
      model = std::string(arg);
    } else {
      llvm::errs() << "kiln compile: more than one model\n" << kCompileUsage;
      return 2;
    }
  }
  if (model.empty() || output.empty()) {
    llvm::errs() << "kiln compile: "
                 << (model.empty() ? "no model" : "no output folder (-o DIR)")
                 << "\n"
                 << kCompileUsage;
    return 2;
  }
  try {
    kiln::CompiledModel compiled = kiln::compile_model(model, output, options);
    llvm::outs() << llvm::formatv(
        "wrote {0} ({1} bytes, weights {2} bytes) and {3}; workspace {4} "
        "bytes; compiled in {5:F2} s\n",
        compiled.object_path, compiled.object_bytes, compiled.weight_bytes,
        compiled.header_path, compiled.workspace_bytes,
        compiled.compile_seconds);
    return 0;
  } catch (const std::exception &e) {
    llvm::errs() << "kiln compile: " << e.what() << "\n";
    return 1;
  }
}

int runRun(const std::vector<std::string_view> &args) {
  std::string model;
  std::vector<std::string> inputs, outputs;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (isHelp(arg)) {
      llvm::outs() << kRunUsage;
      return 0;
    }
    if ((arg == "--input" || arg == "--output") && i + 1 < args.size()) {
      (arg == "--input" ? inputs : outputs).emplace_back(args[++i]);
    } else if (auto v = optionValue(arg, "--input")) {
      inputs.push_back(*v);
    } else if (auto v = optionValue(arg, "--output")) {
      outputs.push_back(*v);
    } else if (arg.starts_with("-")) {
      llvm::errs() << "kiln run: unknown option '" << arg << "'\n" << kRunUsage;
      return 2;
    } else if (model.empty()) {
      model = std::string(arg);
    } else {
      llvm::errs() << "kiln run: more than one model\n" << kRunUsage;
      return 2;
    }
  }
  if (model.empty()) {
    llvm::errs() << "kiln run: no model\n" << kRunUsage;
    return 2;
  }
  try {
    kiln::ExportedModel loaded = kiln::load_model(model);
    if (inputs.size() != loaded.inputs().size())
      throw kiln::Error(
          "the model takes " + std::to_string(loaded.inputs().size()) +
          " inputs, given " + std::to_string(inputs.size()) + " --input files");
    if (!outputs.empty() && outputs.size() != loaded.outputs().size())
      throw kiln::Error("the model has " +
                        std::to_string(loaded.outputs().size()) +
                        " outputs, given " + std::to_string(outputs.size()) +
                        " --output files");
    std::vector<kiln::Tensor> values;
    for (const std::string &file : inputs)
      values.push_back(kiln::load_npy(file));
    std::vector<kiln::Tensor> results = loaded.forward(values);
    for (size_t i = 0; i < results.size(); ++i) {
      if (!outputs.empty()) {
        kiln::save_npy(results[i], outputs[i]);
      } else {
        std::ostringstream text;
        text << loaded.outputs()[i].name << " = " << results[i] << "\n";
        llvm::outs() << text.str();
      }
    }
    return 0;
  } catch (const std::exception &e) {
    llvm::errs() << "kiln run: " << e.what() << "\n";
    return 1;
  }
}

/// Median and tail of `seconds`, in microseconds.
std::string percentiles(std::vector<double> seconds) {
  std::sort(seconds.begin(), seconds.end());
  auto at = [&](double q) {
    return seconds[std::min(seconds.size() - 1,
                            static_cast<size_t>(q * seconds.size()))] *
           1e6;
  };
  return llvm::formatv("p50 {0,8:F2} us  p90 {1,8:F2} us  p99 {2,8:F2} us",
                       at(0.5), at(0.9), at(0.99))
      .str();
}

/// Calls `fn(first, buffers...)` for C functions of all-pointer arguments.
int callWithPointers(void *fn, void *first, const std::vector<void *> &b) {
  using P = void *;
  switch (b.size()) {
  case 1:
    return reinterpret_cast<int (*)(P, P)>(fn)(first, b[0]);
  case 2:
    return reinterpret_cast<int (*)(P, P, P)>(fn)(first, b[0], b[1]);
  case 3:
    return reinterpret_cast<int (*)(P, P, P, P)>(fn)(first, b[0], b[1], b[2]);
  case 4:
    return reinterpret_cast<int (*)(P, P, P, P, P)>(fn)(first, b[0], b[1], b[2],
                                                        b[3]);
  case 5:
    return reinterpret_cast<int (*)(P, P, P, P, P, P)>(fn)(first, b[0], b[1],
                                                           b[2], b[3], b[4]);
  case 6:
    return reinterpret_cast<int (*)(P, P, P, P, P, P, P)>(fn)(
        first, b[0], b[1], b[2], b[3], b[4], b[5]);
  }
  throw kiln::Error("kiln bench times models of at most 6 inputs and outputs");
}

int runBench(const std::vector<std::string_view> &args) {
  std::string model;
  int iterations = 2000;
  bool libraryCalls = true;
  for (std::string_view arg : args) {
    if (isHelp(arg)) {
      llvm::outs() << kBenchUsage;
      return 0;
    }
    if (auto v = optionValue(arg, "--iterations")) {
      iterations = std::atoi(v->c_str());
      if (iterations < 1) {
        llvm::errs() << "kiln bench: --iterations must be a positive number\n";
        return 2;
      }
    } else if (arg == "--no-library-calls") {
      libraryCalls = false;
    } else if (arg.starts_with("-")) {
      llvm::errs() << "kiln bench: unknown option '" << arg << "'\n"
                   << kBenchUsage;
      return 2;
    } else if (model.empty()) {
      model = std::string(arg);
    } else {
      llvm::errs() << "kiln bench: more than one model\n" << kBenchUsage;
      return 2;
    }
  }
  if (model.empty()) {
    llvm::errs() << "kiln bench: no model\n" << kBenchUsage;
    return 2;
  }
  try {
    kiln::ExportedModel jit = kiln::load_model(model);
    std::vector<kiln::Tensor> keep;
    std::vector<const void *> in;
    std::vector<void *> out, buffers;
    for (const auto &s : jit.inputs()) {
      keep.push_back(kiln::randn(s.shape).to(s.dtype));
      in.push_back(keep.back().data_ptr());
      buffers.push_back(const_cast<void *>(in.back()));
    }
    for (const auto &s : jit.outputs()) {
      keep.push_back(kiln::zeros(s.shape, s.dtype));
      out.push_back(keep.back().data_ptr());
      buffers.push_back(out.back());
    }
    int64_t batch = jit.inputs().empty() || jit.inputs()[0].shape.empty()
                        ? 1
                        : jit.inputs()[0].shape[0];
    auto time = [&](const std::function<void()> &call) {
      for (int i = 0; i < std::min(iterations, 100); ++i)
        call();
      std::vector<double> seconds;
      for (int i = 0; i < iterations; ++i) {
        auto start = std::chrono::steady_clock::now();
        call();
        seconds.push_back(std::chrono::duration<double>(
                              std::chrono::steady_clock::now() - start)
                              .count());
      }
      return seconds;
    };
    auto report = [&](const char *path, const std::vector<double> &seconds) {
      std::vector<double> sorted = seconds;
      std::sort(sorted.begin(), sorted.end());
      double median = sorted[sorted.size() / 2];
      llvm::outs() << llvm::formatv("{0,-5} {1}  {2,12:F0} samples/s\n", path,
                                    percentiles(seconds), batch / median);
    };
    llvm::outs() << llvm::formatv("{0}: batch {1}, {2} thread(s), {3} calls "
                                  "per path\n",
                                  model, batch, kiln::get_num_threads(),
                                  iterations);
    report("jit", time([&] { jit.run(in, out); }));

    // The object `kiln compile` writes, loaded into this process.
    llvm::SmallString<128> dir;
    if (std::error_code ec =
            llvm::sys::fs::createUniqueDirectory("kiln-bench", dir))
      throw kiln::Error("cannot create a temporary folder: " + ec.message());
    kiln::CompileOptions options;
    options.name = "bench";
    options.library_calls = libraryCalls;
    kiln::CompiledModel compiled;
    std::string object;
    try {
      compiled = kiln::compile_model(model, dir.str().str(), options);
      auto buffer = llvm::MemoryBuffer::getFile(compiled.object_path);
      if (!buffer)
        throw kiln::Error("cannot read " + compiled.object_path);
      object = (*buffer)->getBuffer().str();
    } catch (...) {
      std::filesystem::remove_all(dir.str().str());
      throw;
    }
    std::filesystem::remove_all(dir.str().str());
    std::string error;
    auto aot = kiln::codegen::loadObject(object, error);
    if (!aot)
      throw kiln::Error("loading the object: " + error);
    auto lookup = [&](const char *name) {
      auto symbol = aot->lookup(name);
      if (!symbol)
        throw kiln::Error(llvm::toString(symbol.takeError()));
      return symbol->toPtr<void *>();
    };
    void *handle = nullptr;
    if (reinterpret_cast<int (*)(void **)>(lookup("bench_create"))(&handle))
      throw kiln::Error("bench_create failed");
    void *run = lookup("bench_run");
    report("aot", time([&] { callWithPointers(run, handle, buffers); }));
    reinterpret_cast<void (*)(void *)>(lookup("bench_destroy"))(handle);
    llvm::outs() << llvm::formatv(
        "aot object: {0} bytes ({1} of weights), workspace {2} bytes, "
        "compiled in {3:F2} s{4}\n",
        compiled.object_bytes, compiled.weight_bytes, compiled.workspace_bytes,
        compiled.compile_seconds, libraryCalls ? "" : " (--no-library-calls)");
    return 0;
  } catch (const std::exception &e) {
    llvm::errs() << "kiln bench: " << e.what() << "\n";
    return 1;
  }
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 2) {
    llvm::errs() << kUsage;
    return 2;
  }
  std::string_view command = argv[1];
  std::vector<std::string_view> args(argv + 2, argv + argc);
  if (isHelp(command)) {
    llvm::outs() << kUsage;
    return 0;
  }
  if (command == "--version") {
    llvm::outs() << "kiln " << kiln::version() << " (LLVM "
                 << LLVM_VERSION_STRING << ")\n";
    return 0;
  }
  if (command == "info")
    return runInfo(args);
  if (command == "dump")
    return runDump(args);
  if (command == "plan")
    return runPlan(args);
  if (command == "cache")
    return runCache(args);
  if (command == "compile")
    return runCompile(args);
  if (command == "run")
    return runRun(args);
  if (command == "bench")
    return runBench(args);
  llvm::errs() << "kiln: unknown command '" << command << "'\n" << kUsage;
  return 2;
}

//===- kiln.cpp - The kiln command line -----------------------------------===//
#include "kiln/codegen/cpu/Jit.h"
#include "kiln/codegen/cpu/Object.h"
#include "kiln/codegen/cpu/Pipeline.h"
#include "kiln/codegen/cuda/Compile.h"
#include "kiln/frontend/Config.h"
#include "kiln/frontend/Export.h"
#include "kiln/frontend/Tensor.h"
#include "kiln/ir/KilnOps.h"
#include "kiln/ir/ModelFile.h"
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
#include "llvm/ADT/StringExtras.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/Support/CommandLine.h"
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

namespace cl = llvm::cl;

// The command line, parsed by LLVM's CommandLine library: every option takes
// `--opt value` and `--opt=value` (one dash works too), each subcommand has
// its own options and `--help`, and a mistake names the subcommand's help.

constexpr const char *kOverview =
    R"(Kiln's command line: inspect the IR at every compiler stage, compile
exported models ahead of time, run and time them.

FILE is a .mlir file, "-" (standard input) or an exported model folder (its
graph.mlir); MODEL is a folder written by kiln::export_model (name.kiln/).
)";

cl::SubCommand
    infoCommand("info",
                "Versions, CUDA/NVRTC availability, threads, cache folder");
cl::SubCommand
    dumpCommand("dump",
                "Parse and verify kiln IR (a .mlir file or an exported model "
                "folder), then print it after any compiler stage");
cl::SubCommand
    planCommand("plan",
                "The memory plan of each function: buffers, lifetimes, arena "
                "offsets, and the arena against its lower bound");
cl::SubCommand compileCommand(
    "compile", "Compile an exported model ahead of time: an object file and "
               "a C header that need no Kiln at run time");
cl::SubCommand runCommand("run", "Run an exported model on .npy inputs");
cl::SubCommand
    benchCommand("bench", "Latency and throughput of a model, JIT against AOT");
cl::SubCommand
    cacheCommand("cache",
                 "The disk cache of compiled programs: its size, or empty it");

/// The stages of `kiln dump --stage`, from the pipeline's table, as a
/// paragraph of lines under 80 columns.
std::string stagesHelp() {
  std::string text = "Stages, in pipeline order:";
  for (const kiln::codegen::StageInfo &stage : kiln::codegen::pipelineStages())
    text += " " + std::string(stage.name) + " (" + stage.description + "),";
  text += " or all (each of them in turn, each under a \"// ===== stage S "
          "=====\" line); or cuda: the CUDA backend's program for each "
          "function (its launches and buffers, then its CUDA C++ source).";
  std::string wrapped, line;
  for (llvm::StringRef rest = text; !rest.empty();) {
    auto [word, tail] = rest.split(' ');
    if (!line.empty() && line.size() + 1 + word.size() > 76) {
      wrapped += line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word.str();
    rest = tail;
  }
  return wrapped + line + "\n";
}

/// What `kiln COMMAND --help` prints above the options.
const std::pair<cl::SubCommand *, const char *> kCommandHelp[] = {
    {&infoCommand,
     R"(Prints Kiln's version, the LLVM/MLIR and oneDNN it was built with, whether a
CUDA driver and NVRTC can be loaded, the thread count (OMP_NUM_THREADS) and
the kernel cache folder (KILN_CACHE_DIR).
)"},
    {&dumpCommand,
     R"(Parses FILE (a .mlir file, an exported model folder name.kiln whose
graph.mlir it reads, or "-" for standard input), verifies it and prints it.
Errors are reported as FILE:LINE:COL and exit with status 1.
)"},
    {&planCommand,
     R"(Compiles each function of FILE (a .mlir file, an exported model folder, or
"-" for standard input) up to the memory plan and prints it: every temporary
buffer with its type, bytes, live steps (top-level ops of the bufferized
function, see `kiln dump --stage=planned`) and offset in the arena; then the
arena size against the lower bound (the most bytes live at one step) and
against the bytes of the buffers apart.
)"},
    {&compileCommand,
     R"(Compiles the exported model MODEL (a folder written by kiln::export_model)
ahead of time into DIR/NAME.o, a position-independent object holding the
forward with its static memory plan and the weights, and DIR/NAME.h, its C
API: NAME_create / NAME_run / NAME_destroy, or NAME_run_with_workspace with
a caller-provided workspace; input and output shapes as constants; error
codes, never an abort. NAME_run allocates nothing.

Without --no-library-calls, link the object with Kiln's static runtime
(libKilnRuntime.a -ldnnl -lgomp -lstdc++ -lm), which calls oneDNN and runs
large loops on OMP_NUM_THREADS threads.
)"},
    {&runCommand,
     R"(Runs the exported model MODEL through the JIT on inputs read from .npy files
(one --input per model input, in order; dtype and shape must match the
export), then writes each output to its --output file, or prints it.
)"},
    {&benchCommand,
     R"(Times one call of the exported model MODEL on random inputs at its exported
shapes: through the JIT (kiln::load_model) and through the object `kiln
compile` builds, loaded into this process. Prints latency percentiles and
throughput (samples/s, the first input dimension being the batch); export
with a larger example batch to measure throughput at that batch.
)"},
    {&cacheCommand,
     R"(The disk cache holds compiled programs, so that a later run loads them
instead of compiling. DIR defaults to KILN_CACHE_DIR (else ~/.cache/kiln).

  info    the folder, whether Kiln uses it, its entries and their bytes
  clear   removes every entry
)"},
};

cl::OptionCategory dumpOptions("kiln dump options");
cl::OptionCategory planOptions("kiln plan options");
cl::OptionCategory compileOptions("kiln compile options");
cl::OptionCategory runOptions("kiln run options");
cl::OptionCategory benchOptions("kiln bench options");
cl::OptionCategory cacheOptions("kiln cache options");

// kiln dump
cl::list<std::string> dumpInput(cl::Positional, cl::desc("<FILE>"),
                                cl::sub(dumpCommand), cl::cat(dumpOptions));
// The stage names come from the pipeline's table (constant-initialized, so
// readable while these options are built).
const std::string kStageOptionHelp =
    "print the IR after a compiler stage: " + kiln::codegen::stageNames() +
    ", all, or cuda (the CUDA kernels' source)";
cl::opt<std::string> dumpStage("stage", cl::value_desc("S"), cl::init("traced"),
                               cl::desc(kStageOptionHelp), cl::sub(dumpCommand),
                               cl::cat(dumpOptions));
enum class DumpFormat { Mlir, Dot };
cl::opt<DumpFormat> dumpFormat(
    "format", cl::value_desc("F"), cl::init(DumpFormat::Mlir),
    cl::desc("the form of the output"),
    cl::values(clEnumValN(DumpFormat::Mlir, "mlir", "MLIR text (the default)"),
               clEnumValN(DumpFormat::Dot, "dot",
                          "the graph of each function for Graphviz: ops as "
                          "boxes, kiln.fusion regions as clusters")),
    cl::sub(dumpCommand), cl::cat(dumpOptions));
cl::opt<bool> dumpGeneric("generic",
                          cl::desc("print operations in MLIR's generic form"),
                          cl::sub(dumpCommand), cl::cat(dumpOptions));
cl::opt<bool> dumpDebugInfo(
    "debuginfo",
    cl::desc("print source locations (the user's file:line for traced ops)"),
    cl::sub(dumpCommand), cl::cat(dumpOptions));
cl::opt<bool>
    dumpNoFusion("no-fusion",
                 cl::desc("compile as kiln::set_fusion_enabled(false) does: no "
                          "kiln.fusion regions, one loop nest per op"),
                 cl::sub(dumpCommand), cl::cat(dumpOptions));
cl::opt<bool> dumpNoPostOps(
    "no-post-ops",
    cl::desc("compile as kiln::set_post_ops_enabled(false) does: a matmul's "
             "or convolution's bias and activation stay loops"),
    cl::sub(dumpCommand), cl::cat(dumpOptions));
cl::opt<std::string>
    dumpOutput("o", cl::value_desc("FILE"), cl::init("-"),
               cl::desc("write to FILE instead of standard output"),
               cl::sub(dumpCommand), cl::cat(dumpOptions));

// kiln plan
cl::list<std::string> planInput(cl::Positional, cl::desc("<FILE>"),
                                cl::sub(planCommand), cl::cat(planOptions));
cl::opt<std::string> planSvg(
    "svg", cl::value_desc("OUT.svg"),
    cl::desc("also draw the plan as a timeline: steps to the right, arena "
             "offsets downwards, each buffer a rectangle over its live steps"),
    cl::sub(planCommand), cl::cat(planOptions));

// kiln compile
cl::list<std::string> compileModel(cl::Positional, cl::desc("<MODEL>"),
                                   cl::sub(compileCommand),
                                   cl::cat(compileOptions));
cl::opt<std::string>
    compileOutput("o", cl::value_desc("DIR"),
                  cl::desc("output folder (created if missing)"),
                  cl::sub(compileCommand), cl::cat(compileOptions));
cl::opt<std::string>
    compileName("name", cl::value_desc("NAME"), cl::init("model"),
                cl::desc("prefix of the C API and of the files (default: "
                         "model)"),
                cl::sub(compileCommand), cl::cat(compileOptions));
cl::opt<std::string> compileTarget(
    "target", cl::value_desc("CPU"), cl::init("host"),
    cl::desc("host (the default: this machine's CPU), an x86-64 CPU name "
             "such as x86-64, x86-64-v3 or znver3, or cuda (the kernels as "
             "CUDA C++ and cubins for sm_80 and sm_90)"),
    cl::sub(compileCommand), cl::cat(compileOptions));
enum class Weights { Embedded, External };
cl::opt<Weights> compileWeights(
    "weights", cl::value_desc("W"), cl::init(Weights::Embedded),
    cl::desc("where NAME_create finds the weights"),
    cl::values(
        clEnumValN(Weights::Embedded, "embedded",
                   "read-only data in the object (the default)"),
        clEnumValN(Weights::External, "external",
                   "DIR/NAME.safetensors, a copy of the model's weights, "
                   "checked to be the file compiled against")),
    cl::sub(compileCommand), cl::cat(compileOptions));
cl::opt<bool> compileNoLibraryCalls(
    "no-library-calls",
    cl::desc("link with nothing but libc and libm: matmuls and convolutions "
             "are generated loops, and the model runs on the calling thread"),
    cl::sub(compileCommand), cl::cat(compileOptions));

// kiln run
cl::list<std::string> runModel(cl::Positional, cl::desc("<MODEL>"),
                               cl::sub(runCommand), cl::cat(runOptions));
cl::list<std::string>
    runInputs("input", cl::value_desc("X.npy"),
              cl::desc("a model input, once per input in order"),
              cl::sub(runCommand), cl::cat(runOptions));
cl::list<std::string> runOutputs(
    "output", cl::value_desc("Y.npy"),
    cl::desc("where to write a model output, once per output in order "
             "(default: print them)"),
    cl::sub(runCommand), cl::cat(runOptions));

// kiln bench
cl::list<std::string> benchModel(cl::Positional, cl::desc("<MODEL>"),
                                 cl::sub(benchCommand), cl::cat(benchOptions));
cl::opt<int> benchIterations("iterations", cl::value_desc("N"), cl::init(2000),
                             cl::desc("timed calls per path (default 2000)"),
                             cl::sub(benchCommand), cl::cat(benchOptions));

cl::opt<bool> benchNoLibraryCalls(
    "no-library-calls",
    cl::desc("time the object built with kiln compile --no-library-calls"),
    cl::sub(benchCommand), cl::cat(benchOptions));

// kiln cache
cl::list<std::string> cacheArgs(cl::Positional, cl::desc("info|clear [DIR]"),
                                cl::sub(cacheCommand), cl::cat(cacheOptions));

/// A usage mistake: the message, where to read more, status 2.
int usageError(llvm::StringRef command, const llvm::Twine &message) {
  llvm::errs() << "kiln " << command << ": " << message << "\n"
               << "Run 'kiln " << command << " --help' for its options.\n";
  return 2;
}

/// The one positional argument of a command, or a usage error.
std::optional<std::string> single(llvm::StringRef command,
                                  const cl::list<std::string> &values,
                                  llvm::StringRef what) {
  if (values.empty()) {
    usageError(command, "no " + what);
    return std::nullopt;
  }
  if (values.size() > 1) {
    usageError(command, "more than one " + what + " ('" + values[0] + "', '" +
                            values[1] + "')");
    return std::nullopt;
  }
  return values.front();
}

int runInfo() {
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
    // A file is data: bounded nesting before the (recursive) parser, and
    // only what Kiln writes before any pass runs on it.
    std::string nesting;
    if (mlir::failed(kiln::ir::checkNesting(buffer->getBuffer(), nesting))) {
      llvm::errs() << input << ": " << nesting << "\n";
      return false;
    }
    sourceMgr.AddNewSourceBuffer(std::move(buffer), llvm::SMLoc());
    handler.emplace(sourceMgr, &context);
    module = mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr, &context);
    return module &&
           mlir::succeeded(kiln::ir::verifyModuleFromFile(
               *module, kiln::ir::ModuleSource::Program)) &&
           mlir::succeeded(mlir::verify(*module));
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

int runDump() {
  std::optional<std::string> input = single("dump", dumpInput, "input file");
  if (!input)
    return 2;
  const kiln::codegen::StageInfo *stage = nullptr;
  bool allStages = dumpStage == "all";
  bool cuda = dumpStage == "cuda";
  if (!allStages && !cuda) {
    stage = kiln::codegen::findStage(dumpStage);
    if (!stage)
      return usageError("dump", "unknown stage '" + dumpStage + "' (" +
                                    kiln::codegen::stageNames() +
                                    ", all or cuda)");
  }
  mlir::OpPrintingFlags flags;
  if (dumpGeneric)
    flags.printGenericOpForm();
  if (dumpDebugInfo)
    flags.enableDebugInfo(/*enable=*/true, /*prettyForm=*/false);
  kiln::codegen::CodegenOptions options;
  options.fuse = !dumpNoFusion;
  options.epilogues = !dumpNoPostOps;
  bool dot = dumpFormat == DumpFormat::Dot;
  std::string output = dumpOutput;

  if ((allStages || cuda) && dot)
    return usageError("dump", "--stage=" + dumpStage + " prints " +
                                  (cuda ? "CUDA C++" : "MLIR") + ", not dot");

  Loaded loaded;
  if (!loaded.load(*input, "kiln dump"))
    return 1;
  mlir::ModuleOp module = *loaded.module;
  if (stage && !cuda &&
      mlir::failed(kiln::codegen::lowerTo(module, stage->stage, options)))
    return 1;

  std::string error;
  auto out = mlir::openOutputFile(output, &error);
  if (!out) {
    llvm::errs() << "kiln dump: " << error << "\n";
    return 1;
  }
  if (cuda) {
    // One program per function, each from a fresh copy of the input.
    std::vector<std::string> names;
    for (auto fn : module.getOps<mlir::func::FuncOp>())
      if (!fn.isExternal() && fn.isPublic())
        names.push_back(fn.getName().str());
    out->os() << kiln::codegen::cuda::kernelHelpers();
    for (const std::string &name : names) {
      mlir::OwningOpRef<mlir::ModuleOp> copy = module.clone();
      try {
        out->os() << kiln::codegen::cuda::describe(
            kiln::codegen::cuda::emitFunction(*copy, name, options.fuse), name);
      } catch (const kiln::Error &e) {
        llvm::errs() << "kiln dump: " << e.what() << "\n";
        return 1;
      }
    }
    out->keep();
    return 0;
  }
  if (allStages) {
    // Each stage from a fresh copy of the input, in pipeline order.
    for (const kiln::codegen::StageInfo &step :
         kiln::codegen::pipelineStages()) {
      mlir::OwningOpRef<mlir::ModuleOp> copy = module.clone();
      if (mlir::failed(kiln::codegen::lowerTo(*copy, step.stage, options)))
        return 1;
      out->os() << "// ===== stage " << step.name << " =====\n";
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

int runCache() {
  const cl::list<std::string> &args = cacheArgs;
  if (args.empty())
    return usageError("cache", "no action (info or clear)");
  if (args.size() > 2)
    return usageError("cache", "more than one folder ('" + args[1] + "', '" +
                                   args[2] + "')");
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
  return usageError("cache",
                    "unknown action '" + args[0] + "' (info or clear)");
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

int runPlan() {
  std::optional<std::string> input = single("plan", planInput, "input file");
  if (!input)
    return 2;
  std::string svgPath = planSvg;
  Loaded loaded;
  if (!loaded.load(*input, "kiln plan"))
    return 1;
  mlir::ModuleOp module = *loaded.module;
  if (mlir::failed(
          kiln::codegen::lowerTo(module, kiln::codegen::Stage::Planned)))
    return 1;

  llvm::raw_ostream &os = llvm::outs();
  std::vector<PlanTimeline> timelines;
  for (auto fn : module.getOps<mlir::func::FuncOp>()) {
    std::optional<kiln::ir::MemoryPlanAttrs> plan =
        kiln::ir::MemoryPlanAttrs::read(fn);
    if (!plan)
      continue;
    // The views of the arena (its last argument), in the order of the plan.
    mlir::Value arena = fn.getArguments().back();
    llvm::SmallVector<mlir::Type> types;
    for (mlir::Operation *user : arena.getUsers())
      types.push_back(user->getResult(0).getType());
    std::reverse(types.begin(), types.end()); // use lists run newest first
    int64_t bytes = plan->arenaBytes;
    int64_t bound = plan->arenaLowerBound;
    os << "@" << fn.getName() << ": " << plan->buffers.size() << " buffers, "
       << plan->kernels << " kernels\n";
    os << llvm::formatv("  {0,-6} {1,-36} {2,12} {3,12} {4,12}\n", "buffer",
                        "type", "bytes", "live steps", "offset");
    for (auto [i, b] : llvm::enumerate(plan->buffers)) {
      std::string type;
      llvm::raw_string_ostream typeOs(type);
      if (i < types.size())
        typeOs << types[i];
      os << llvm::formatv(
          "  {0,-6} {1,-36} {2,12} {3,12} {4,12}\n", i, type, b.bytes,
          llvm::formatv("{0}-{1}", b.firstStep, b.lastStep).str(), b.offset);
    }
    os << llvm::formatv("  arena {0} bytes, lower bound {1} bytes "
                        "(ratio {2:F3}), buffers apart {3} bytes\n",
                        bytes, bound, bound ? double(bytes) / bound : 1.0,
                        plan->naiveBytes);
    PlanTimeline &timeline = timelines.emplace_back();
    timeline.name = fn.getName().str();
    timeline.arenaBytes = bytes;
    timeline.steps =
        static_cast<int64_t>(fn.getBody().front().getOperations().size());
    for (const kiln::ir::MemoryPlanAttrs::Buffer &b : plan->buffers)
      timeline.buffers.push_back({b.bytes, b.firstStep, b.lastStep, b.offset});
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

int runCompile() {
  std::optional<std::string> model = single("compile", compileModel, "model");
  if (!model)
    return 2;
  if (compileOutput.empty())
    return usageError("compile", "no output folder (-o DIR)");
  std::string output = compileOutput;
  kiln::CompileOptions options;
  options.name = compileName;
  options.target = compileTarget;
  options.external_weights = compileWeights == Weights::External;
  options.library_calls = !compileNoLibraryCalls;
  try {
    kiln::CompiledModel compiled = kiln::compile_model(*model, output, options);
    if (options.target == "cuda") {
      llvm::outs() << llvm::formatv(
          "wrote {0}; arena {1} bytes; compiled in {2:F2} s\n",
          llvm::join(compiled.files, ", "), compiled.workspace_bytes,
          compiled.compile_seconds);
      return 0;
    }
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

int runRun() {
  std::optional<std::string> model = single("run", runModel, "model");
  if (!model)
    return 2;
  const std::vector<std::string> &inputs = runInputs, &outputs = runOutputs;
  try {
    kiln::ExportedModel loaded = kiln::load_model(*model);
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
/// (Generated code has no type signature for -fsanitize=function to check.)
__attribute__((no_sanitize("function"))) int
callWithPointers(void *fn, void *first, const std::vector<void *> &b) {
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

__attribute__((no_sanitize("function"))) int runBench() {
  std::optional<std::string> model = single("bench", benchModel, "model");
  if (!model)
    return 2;
  if (benchIterations < 1)
    return usageError("bench", "--iterations must be a positive number");
  int iterations = benchIterations;
  bool libraryCalls = !benchNoLibraryCalls;
  try {
    kiln::ExportedModel jit = kiln::load_model(*model);
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
                                  *model, batch, kiln::get_num_threads(),
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
      compiled = kiln::compile_model(*model, dir.str().str(), options);
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

/// Whether `args` ask LLVM's parser to print help or the version.
bool asksForHelp(llvm::ArrayRef<const char *> args) {
  return llvm::any_of(args, [](llvm::StringRef arg) {
    return arg.starts_with("--help") || arg.starts_with("-help") ||
           arg == "--version" || arg == "-version" ||
           arg.starts_with("--print-") || arg.starts_with("-print-");
  });
}

int main(int argc, char **argv) {
  // "-h" as "--help".
  std::vector<const char *> args(argv, argv + argc);
  for (const char *&arg : args)
    if (std::string_view(arg) == "-h")
      arg = "--help";
  if (args.size() < 2) {
    llvm::errs() << "usage: kiln <command> [options]; run 'kiln --help' for "
                    "the commands\n";
    return 2;
  }
  // The command's name and what it does, and which command it is.
  std::string overview = kOverview;
  cl::SubCommand *named = nullptr;
  for (auto [command, help] : kCommandHelp)
    if (command->getName() == args[1]) {
      named = command;
      overview = help;
    }
  if (named == &dumpCommand)
    overview += "\n" + stagesHelp();
  if (!named && args[1][0] != '-') {
    llvm::errs() << "kiln: unknown command '" << args[1]
                 << "'\nRun 'kiln --help' for the commands.\n";
    return 2;
  }
  // LLVM's parser starts its messages with the program's name: "kiln dump"
  // for a command's mistakes, but "kiln" where it prints help ("USAGE:
  // kiln dump [options]").
  std::string program = named && !asksForHelp(args)
                            ? "kiln " + named->getName().str()
                            : std::string("kiln");
  args[0] = program.c_str();

  cl::SetVersionPrinter([](llvm::raw_ostream &os) {
    os << "kiln " << kiln::version() << " (LLVM " << LLVM_VERSION_STRING
       << ")\n";
  });
  // The options LLVM and MLIR register for their own tools stay hidden.
  const cl::OptionCategory *ours[] = {&dumpOptions,    &planOptions,
                                      &compileOptions, &runOptions,
                                      &benchOptions,   &cacheOptions};
  cl::HideUnrelatedOptions(ours);
  for (auto [command, help] : kCommandHelp)
    cl::HideUnrelatedOptions(ours, *command);

  std::string errors;
  llvm::raw_string_ostream errorStream(errors);
  if (!cl::ParseCommandLineOptions(static_cast<int>(args.size()), args.data(),
                                   overview, &errorStream)) {
    // LLVM's hint names the top-level help; ours names the command's.
    llvm::SmallVector<llvm::StringRef> lines;
    llvm::StringRef(errors).split(lines, '\n', -1, /*KeepEmpty=*/false);
    for (llvm::StringRef line : lines)
      llvm::errs() << line.take_front(line.find(".  Try: '")) << "\n";
    llvm::errs() << "Run '" << program << " --help' for "
                 << (named ? "its options" : "the commands") << ".\n";
    return 2;
  }
  if (infoCommand)
    return runInfo();
  if (dumpCommand)
    return runDump();
  if (planCommand)
    return runPlan();
  if (compileCommand)
    return runCompile();
  if (runCommand)
    return runRun();
  if (benchCommand)
    return runBench();
  if (cacheCommand)
    return runCache();
  llvm::errs() << "usage: kiln <command> [options]; run 'kiln --help' for "
                  "the commands\n";
  return 2;
}

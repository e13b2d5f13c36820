//===- kiln.cpp - The kiln command line: info, dump, plan, cache ----------===//
#include "kiln/codegen/cpu/Jit.h"
#include "kiln/codegen/cpu/Object.h"
#include "kiln/frontend/Config.h"
#include "kiln/ir/KilnOps.h"
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
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr const char *kUsage = R"(usage: kiln <command> [options]

Commands:
  info               Versions, CUDA/NVRTC availability, threads, cache folder
  dump FILE.mlir     Parse and verify a kiln IR file, then print it
  plan FILE.mlir     The memory plan of each function: buffers, lifetimes,
                     arena offsets, and the arena against its lower bound
  cache info|clear   The disk cache of compiled programs: its size, or empty it

Run `kiln <command> --help` for a command's options.
)";

constexpr const char *kInfoUsage = R"(usage: kiln info

Prints Kiln's version, the LLVM/MLIR and oneDNN it was built with, whether a
CUDA driver and NVRTC can be loaded, the thread count (OMP_NUM_THREADS) and
the kernel cache folder (KILN_CACHE_DIR).
)";

constexpr const char *kDumpUsage = R"(usage: kiln dump FILE.mlir [options]

Parses FILE.mlir ("-" reads standard input), verifies it and prints it.
Errors are reported as FILE:LINE:COL and exit with status 1.

Options:
  --stage=S     print the IR after a compiler stage: traced (as read, the
                default), autodiff (kiln.grad expanded), decomposed
                (composite ops rewritten), fused (ops grouped into
                kiln.fusion regions), lowered (linalg on tensors),
                planned (bufferized, temporaries in one arena) or llvm
                (the LLVM dialect the JIT compiles)
  --format=F    mlir (the default) or dot: the graph of each function for
                Graphviz, ops as boxes, kiln.fusion regions as clusters
  --generic     print operations in MLIR's generic form
  --debuginfo   print source locations (the user's file:line for traced ops)
  -o FILE       write to FILE instead of standard output
)";

constexpr const char *kPlanUsage = R"(usage: kiln plan FILE.mlir

Compiles each function of FILE.mlir ("-" reads standard input) up to the
memory plan and prints it: every temporary buffer with its type, bytes, live
steps (top-level ops of the bufferized function, see
`kiln dump --stage=planned`) and offset in the arena; then the arena size
against the lower bound (the most bytes live at one step) and against the
bytes of the buffers apart.
)";

constexpr const char *kCacheUsage = R"(usage: kiln cache info|clear [DIR]

The disk cache holds compiled programs, so that a later run loads them
instead of compiling. DIR defaults to KILN_CACHE_DIR (else ~/.cache/kiln).

  info    the folder, whether Kiln uses it, its entries and their bytes
  clear   removes every entry
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

  bool load(const std::string &input, llvm::StringRef command) {
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
  bool dot = false;
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

  Loaded loaded;
  if (!loaded.load(input, "kiln dump"))
    return 1;
  mlir::ModuleOp module = *loaded.module;
  if (stage && mlir::failed(kiln::codegen::lowerTo(module, *stage)))
    return 1;

  std::string error;
  auto out = mlir::openOutputFile(output, &error);
  if (!out) {
    llvm::errs() << "kiln dump: " << error << "\n";
    return 1;
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

int runPlan(const std::vector<std::string_view> &args) {
  std::string input;
  for (std::string_view arg : args) {
    if (isHelp(arg)) {
      llvm::outs() << kPlanUsage;
      return 0;
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
  }
  return 0;
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
  llvm::errs() << "kiln: unknown command '" << command << "'\n" << kUsage;
  return 2;
}

//===- ModelFile.cpp - What IR read from a file may contain ---------------===//
#include "kiln/ir/ModelFile.h"
#include "kiln/ir/KilnDialect.h"
#include "kiln/ir/KilnOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"

using namespace mlir;

namespace kiln::ir {

namespace {

/// Scans `text` for brackets outside strings and `//` comments, without
/// recursion; returns the offset where the nesting first exceeds `limit`
/// (npos if never).
size_t scanNesting(llvm::StringRef text, unsigned limit) {
  unsigned depth = 0;
  for (size_t i = 0, e = text.size(); i < e; ++i) {
    char c = text[i];
    if (c == '"') {
      // A string: up to the next unescaped quote.
      for (++i; i < e && text[i] != '"'; ++i)
        if (text[i] == '\\')
          ++i;
    } else if (c == '/' && i + 1 < e && text[i + 1] == '/') {
      i = text.find('\n', i);
      if (i == llvm::StringRef::npos)
        break;
    } else if (c == '(' || c == '[' || c == '{' || c == '<') {
      if (++depth > limit)
        return i;
    } else if ((c == ')' || c == ']' || c == '}' ||
                (c == '>' && (i == 0 || text[i - 1] != '-'))) &&
               depth > 0) {
      --depth;
    }
  }
  return llvm::StringRef::npos;
}

} // namespace

LogicalResult checkNesting(llvm::StringRef text, std::string &error) {
  size_t at = scanNesting(text, kMaxNesting);
  if (at == llvm::StringRef::npos)
    return success();
  size_t line = 1 + text.take_front(at).count('\n');
  error = "brackets nest deeper than " + std::to_string(kMaxNesting) +
          " levels at line " + std::to_string(line) +
          "; Kiln never writes such IR";
  return failure();
}

namespace {

/// The discardable attributes a function argument or result may carry.
bool allowedArgAttr(llvm::StringRef name, ModuleSource source) {
  return name == InputNameAttr::getNameStr() ||
         name == WeightNameAttr::getNameStr() ||
         (source == ModuleSource::Program &&
          name == DonatableAttr::getNameStr());
}

/// Whether `name` can name an input, output or weight: 1 to 1024 printable
/// ASCII characters (names reach generated C headers and messages).
bool printableName(mlir::Attribute value) {
  auto name = llvm::dyn_cast<StringAttr>(value);
  return name && !name.empty() && name.size() <= 1024 &&
         llvm::all_of(name.getValue(),
                      [](char c) { return c >= 0x20 && c <= 0x7e; });
}

/// The entries of an argument's or result's attribute dictionary, if any.
llvm::ArrayRef<NamedAttribute> argumentAttrs(DictionaryAttr dict) {
  return dict ? dict.getValue() : llvm::ArrayRef<NamedAttribute>();
}

/// A func.func's own attributes.
bool allowedFuncAttr(llvm::StringRef name) {
  return name == "sym_name" || name == "function_type" ||
         name == "sym_visibility" || name == "arg_attrs" || name == "res_attrs";
}

LogicalResult verifyFunction(func::FuncOp fn, ModuleSource source) {
  if (fn.isDeclaration())
    return fn.emitError() << "declares the external function @"
                          << fn.getSymName()
                          << "; a model file may only define functions";
  for (NamedAttribute attr : fn->getAttrs())
    if (!allowedFuncAttr(attr.getName()))
      return fn.emitError() << "has the attribute '" << attr.getName().str()
                            << "', which Kiln does not write";
  for (unsigned i = 0; i < fn.getNumArguments(); ++i)
    for (NamedAttribute attr : argumentAttrs(fn.getArgAttrDict(i))) {
      if (!allowedArgAttr(attr.getName(), source))
        return fn.emitError()
               << "argument " << i << " has the attribute '"
               << attr.getName().str() << "', which Kiln does not write";
      if (attr.getName() != DonatableAttr::getNameStr() &&
          !printableName(attr.getValue()))
        return fn.emitError() << "argument " << i << "'s "
                              << attr.getName().str() << " " << attr.getValue()
                              << " is not a name of 1 to 1024 printable "
                                 "characters";
    }
  for (unsigned i = 0; i < fn.getNumResults(); ++i)
    for (NamedAttribute attr : argumentAttrs(fn.getResultAttrDict(i))) {
      if (attr.getName() != OutputNameAttr::getNameStr())
        return fn.emitError()
               << "result " << i << " has the attribute '"
               << attr.getName().str() << "', which Kiln does not write";
      if (!printableName(attr.getValue()))
        return fn.emitError()
               << "result " << i << "'s kiln.output " << attr.getValue()
               << " is not a name of 1 to 1024 printable "
                  "characters";
    }
  // The body: kiln ops (with their regions) and func.return, nothing else.
  WalkResult walk = fn.getBody().walk([&](Operation *op) {
    bool kilnOp = llvm::isa<KilnDialect>(op->getDialect());
    if (!kilnOp && !llvm::isa<func::ReturnOp>(op)) {
      op->emitError() << "'" << op->getName()
                      << "' is not allowed in a model file: only kiln ops "
                         "and func.return";
      return WalkResult::interrupt();
    }
    if (!op->getDiscardableAttrDictionary().empty()) {
      op->emitError() << "has the attribute '"
                      << op->getDiscardableAttrs().begin()->getName().str()
                      << "', which Kiln does not write";
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return failure(walk.wasInterrupted());
}

} // namespace

LogicalResult verifyModuleFromFile(ModuleOp module, ModuleSource source) {
  if (!module->getAttrs().empty())
    return module.emitError() << "has the attribute '"
                              << module->getAttrs().front().getName().str()
                              << "', which Kiln does not write";
  for (Operation &op : module.getBody()->getOperations()) {
    auto fn = llvm::dyn_cast<func::FuncOp>(op);
    if (!fn)
      return op.emitError() << "'" << op.getName()
                            << "' is not allowed at the top of a model file: "
                               "only func.func";
    if (failed(verifyFunction(fn, source)))
      return failure();
  }
  // kiln.grad differentiates a function of the module; none may reach
  // itself (the autodiff pass would expand it forever). Depth-first over
  // the callee graph, with an explicit stack.
  llvm::DenseMap<Operation *, llvm::SmallVector<func::FuncOp>> callees;
  for (auto fn : module.getOps<func::FuncOp>())
    fn.walk([&](GradOp grad) {
      if (auto callee = module.lookupSymbol<func::FuncOp>(grad.getCalleeAttr()))
        callees[fn].push_back(callee);
    });
  enum class Mark { Unseen, Open, Done };
  llvm::DenseMap<Operation *, Mark> marks;
  for (auto root : module.getOps<func::FuncOp>()) {
    if (marks.lookup(root) != Mark::Unseen)
      continue;
    llvm::SmallVector<std::pair<func::FuncOp, size_t>> stack{{root, 0}};
    marks[root] = Mark::Open;
    while (!stack.empty()) {
      auto [fn, next] = stack.back();
      const llvm::SmallVector<func::FuncOp> &list = callees[fn];
      if (next == list.size()) {
        marks[fn] = Mark::Done;
        stack.pop_back();
        continue;
      }
      func::FuncOp callee = list[next];
      ++stack.back().second;
      Mark mark = marks.lookup(callee);
      if (mark == Mark::Open)
        return callee.emitError() << "@" << callee.getSymName()
                                  << " differentiates itself through kiln.grad";
      if (mark == Mark::Unseen) {
        marks[callee] = Mark::Open;
        stack.push_back({callee, 0});
      }
    }
  }
  return success();
}

} // namespace kiln::ir

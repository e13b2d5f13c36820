//===- ModuleBuilder.cpp - Recorded nodes to a kiln module ----------------===//
#include "kiln/frontend/ModuleBuilder.h"
#include "kiln/ir/KilnDialect.h"
#include "kiln/ir/KilnOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"

#include <string>
#include <unordered_map>

namespace kiln::detail {

ModuleBuilder::ModuleBuilder(mlir::MLIRContext &context) : context_(context) {
  context.loadDialect<ir::KilnDialect, mlir::func::FuncDialect>();
}

mlir::Type ModuleBuilder::elementType(ScalarType dtype) {
  mlir::Builder b(&context_);
  switch (dtype) {
  case kBool:
    return b.getI1Type();
  // uint8 is i8 in the IR, as MLIR's integers are signless: the frontend
  // records uint8's comparisons, divisions, extrema and widenings on its
  // zero-extended values, so every op the IR sees is sign-correct.
  case kUInt8:
  case kInt8:
    return b.getI8Type();
  case kInt16:
    return b.getI16Type();
  case kInt32:
    return b.getI32Type();
  case kInt64:
    return b.getI64Type();
  case kFloat16:
    return b.getF16Type();
  case kBFloat16:
    return b.getBF16Type();
  case kFloat32:
    return b.getF32Type();
  case kFloat64:
    return b.getF64Type();
  }
  return {};
}

mlir::RankedTensorType ModuleBuilder::tensorType(std::span<const int64_t> shape,
                                                 ScalarType dtype) {
  return mlir::RankedTensorType::get(
      llvm::ArrayRef<int64_t>(shape.data(), shape.size()), elementType(dtype));
}

mlir::Attribute ModuleBuilder::attribute(const AttrValue &value,
                                         const ResultType &result) {
  mlir::Builder b(&context_);
  return std::visit(
      [&](const auto &v) -> mlir::Attribute {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, int64_t>)
          return b.getI64IntegerAttr(v);
        else if constexpr (std::is_same_v<T, double>)
          return b.getF64FloatAttr(v);
        else if constexpr (std::is_same_v<T, bool>)
          return b.getBoolAttr(v);
        else if constexpr (std::is_same_v<T, UnitFlag>)
          return b.getUnitAttr();
        else if constexpr (std::is_same_v<T, EnumValue>)
          return b.getI32IntegerAttr(v.value);
        else if constexpr (std::is_same_v<T, IntList>)
          return b.getDenseI64ArrayAttr(v);
        else {
          auto type = tensorType(result.shape, result.dtype);
          mlir::Type element = type.getElementType();
          mlir::Attribute scalar;
          if (auto f = llvm::dyn_cast<mlir::FloatType>(element))
            scalar = b.getFloatAttr(f, v.floating);
          else
            scalar = b.getIntegerAttr(element, v.integer);
          return mlir::DenseElementsAttr::get(type, scalar);
        }
      },
      value);
}

mlir::Operation *ModuleBuilder::emitNode(mlir::OpBuilder &b,
                                         mlir::ModuleOp module,
                                         const Node &node,
                                         const ValueOf &valueOf) {
  auto loc = mlir::FileLineColLoc::get(&context_, node.loc.file_name(),
                                       node.loc.line(), node.loc.column());
  llvm::SmallVector<mlir::Value> operands;
  for (auto &input : node.inputs)
    operands.push_back(valueOf(input));
  llvm::SmallVector<mlir::Type> types;
  for (const ResultType &type : node.results)
    types.push_back(tensorType(type.shape, type.dtype));
  if (const GradFunction *fn = node.gradFunction.get()) {
    // The arguments, then the seed when there is one.
    mlir::func::FuncOp callee = emitGradFunction(module, *fn);
    auto args = llvm::ArrayRef(operands).take_front(fn->args.size());
    mlir::Value seed = fn->seeded ? operands.back() : mlir::Value();
    return b.create<ir::GradOp>(loc, types,
                                mlir::FlatSymbolRefAttr::get(callee), args,
                                seed, b.getDenseI64ArrayAttr(fn->wrt));
  }
  if (const CustomFunction *fn = node.customFunction.get()) {
    // The primals, the outputs (one per result), then the saved values.
    mlir::func::FuncOp backward = emitCustomBackward(module, *fn);
    size_t results = node.results.size();
    size_t saved = fn->args.size() - results;
    size_t primals = operands.size() - results - saved;
    auto all = llvm::ArrayRef(operands);
    auto gradients = std::get<IntList>(node.attrs[0].value);
    return b.create<ir::CustomVJPOp>(
        loc, types, mlir::FlatSymbolRefAttr::get(backward),
        all.take_front(primals), all.slice(primals, results),
        all.take_back(saved), b.getDenseI64ArrayAttr(gradients));
  }
  // Every other op by its recorded name: its attributes are the recorded
  // ones.
  mlir::OperationState state(loc, node.op);
  state.addOperands(operands);
  state.addTypes(types);
  for (const Attr &attr : node.attrs)
    state.addAttribute(attr.name, attribute(attr.value, node.results[0]));
  return b.create(state);
}

mlir::func::FuncOp ModuleBuilder::emitGradFunction(mlir::ModuleOp module,
                                                   const GradFunction &fn) {
  mlir::OpBuilder b(&context_);
  b.setInsertionPointToEnd(module.getBody());
  llvm::SmallVector<mlir::Type> argTypes;
  for (auto &arg : fn.args)
    argTypes.push_back(tensorType(arg->type.shape, arg->type.dtype));
  const ResultType &output = fn.output->results[fn.outputResult];
  mlir::Type resultType = tensorType(output.shape, output.dtype);
  auto func = b.create<mlir::func::FuncOp>(
      b.getUnknownLoc(), "grad_fn_" + std::to_string(functionCount_++),
      b.getFunctionType(argTypes, resultType));
  func.setPrivate();
  mlir::Block *body = func.addEntryBlock();
  b.setInsertionPointToEnd(body);
  std::unordered_map<TensorImpl *, mlir::Value> argValues;
  for (size_t i = 0; i < fn.args.size(); ++i)
    argValues[fn.args[i].get()] = body->getArgument(i);
  std::unordered_map<const Node *, mlir::Operation *> ops;
  // A value with gradient hooks is read through a kiln.custom_vjp whose
  // backward is the hooks: every use of it, before or after the hook was
  // registered, sends its gradient through them.
  std::unordered_map<TensorImpl *, mlir::Value> hooked;
  std::unordered_multimap<const Node *, size_t> hooksOf;
  for (size_t i = 0; i < fn.hooks.size(); ++i)
    hooksOf.emplace(fn.hooks[i].first->history.get(), i);
  ValueOf valueOf =
      [&](const std::shared_ptr<TensorImpl> &impl) -> mlir::Value {
    if (auto it = hooked.find(impl.get()); it != hooked.end())
      return it->second;
    if (auto it = argValues.find(impl.get()); it != argValues.end())
      return it->second;
    return ops.at(impl->history.get())->getResult(impl->result);
  };
  for (auto &node : fn.nodes) {
    mlir::Operation *op = emitNode(b, module, *node, valueOf);
    ops[node.get()] = op;
    auto [first, last] = hooksOf.equal_range(node.get());
    for (auto it = first; it != last; ++it) {
      auto &[impl, hooks] = fn.hooks[it->second];
      mlir::Value value = op->getResult(impl->result);
      llvm::SmallVector<mlir::Value> saved;
      for (size_t i = 1; i < hooks->args.size(); ++i)
        saved.push_back(argValues.at(hooks->args[i].get()));
      mlir::func::FuncOp backward = emitCustomBackward(module, *hooks);
      hooked[impl.get()] = b.create<ir::CustomVJPOp>(
                                op->getLoc(), value.getType(),
                                mlir::FlatSymbolRefAttr::get(backward), value,
                                value, saved, b.getDenseI64ArrayAttr({0}))
                               .getResult(0);
    }
  }
  mlir::Value returned = ops.at(fn.output.get())->getResult(fn.outputResult);
  for (auto &[impl, hooks] : fn.hooks)
    if (impl->history == fn.output && impl->result == fn.outputResult)
      returned = hooked.at(impl.get());
  b.create<mlir::func::ReturnOp>(b.getUnknownLoc(), returned);
  return func;
}

mlir::func::FuncOp ModuleBuilder::emitCustomBackward(mlir::ModuleOp module,
                                                     const CustomFunction &fn) {
  mlir::OpBuilder b(&context_);
  b.setInsertionPointToEnd(module.getBody());
  llvm::SmallVector<mlir::Type> argTypes, resultTypes;
  for (auto &arg : fn.args)
    argTypes.push_back(tensorType(arg->type.shape, arg->type.dtype));
  for (auto &output : fn.outputs)
    resultTypes.push_back(tensorType(output->type.shape, output->type.dtype));
  auto func = b.create<mlir::func::FuncOp>(
      b.getUnknownLoc(), "custom_backward_" + std::to_string(functionCount_++),
      b.getFunctionType(argTypes, resultTypes));
  func.setPrivate();
  mlir::Block *body = func.addEntryBlock();
  b.setInsertionPointToEnd(body);
  std::unordered_map<TensorImpl *, mlir::Value> argValues;
  for (size_t i = 0; i < fn.args.size(); ++i)
    argValues[fn.args[i].get()] = body->getArgument(i);
  std::unordered_map<const Node *, mlir::Operation *> ops;
  // The function's values are never computed on their own: they stay
  // pending, results of its nodes.
  ValueOf valueOf =
      [&](const std::shared_ptr<TensorImpl> &impl) -> mlir::Value {
    if (auto it = argValues.find(impl.get()); it != argValues.end())
      return it->second;
    return ops.at(impl->node.get())->getResult(impl->result);
  };
  for (auto &node : fn.nodes)
    ops[node.get()] = emitNode(b, module, *node, valueOf);
  llvm::SmallVector<mlir::Value> results;
  for (auto &output : fn.outputs)
    results.push_back(valueOf(output));
  b.create<mlir::func::ReturnOp>(b.getUnknownLoc(), results);
  return func;
}

mlir::OwningOpRef<mlir::ModuleOp> ModuleBuilder::build(const Plan &plan,
                                                       llvm::StringRef name) {
  functionCount_ = 0;
  mlir::OpBuilder b(&context_);
  mlir::OwningOpRef<mlir::ModuleOp> owned =
      mlir::ModuleOp::create(b.getUnknownLoc());
  mlir::ModuleOp module = *owned;
  llvm::SmallVector<mlir::Type> argTypes, resultTypes;
  for (TensorImpl *leaf : plan.leaves)
    argTypes.push_back(tensorType(leaf->type.shape, leaf->type.dtype));
  for (auto &out : plan.outputs)
    resultTypes.push_back(tensorType(out->type.shape, out->type.dtype));
  b.setInsertionPointToEnd(module.getBody());
  auto fn = b.create<mlir::func::FuncOp>(
      b.getUnknownLoc(), name, b.getFunctionType(argTypes, resultTypes));
  if (!plan.donatable.empty())
    ir::DonatableAttr(&context_).setAttr(
        fn, b.getDenseI64ArrayAttr(plan.donatable));
  mlir::Block *body = fn.addEntryBlock();
  b.setInsertionPointToEnd(body);

  std::unordered_map<TensorImpl *, mlir::Value> leafValues;
  for (size_t i = 0; i < plan.leaves.size(); ++i)
    leafValues[plan.leaves[i]] = body->getArgument(i);
  std::unordered_map<Node *, mlir::Operation *> ops;
  ValueOf valueOf =
      [&](const std::shared_ptr<TensorImpl> &impl) -> mlir::Value {
    if (impl->pending())
      return ops.at(impl->node.get())->getResult(impl->result);
    return leafValues.at(impl.get());
  };
  for (Node *node : plan.nodes)
    ops[node] = emitNode(b, module, *node, valueOf);
  llvm::SmallVector<mlir::Value> results;
  for (auto &out : plan.outputs)
    results.push_back(valueOf(out));
  b.create<mlir::func::ReturnOp>(b.getUnknownLoc(), results);
  return owned;
}

} // namespace kiln::detail

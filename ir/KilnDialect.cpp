//===- KilnDialect.cpp - The kiln dialect ---------------------------------===//
#include "kiln/ir/KilnDialect.h"
#include "kiln/ir/KilnOps.h"
#include "kiln/ir/Shapes.h"

using namespace mlir;
using namespace kiln::ir;

#include "ir/KilnDialect.cpp.inc"
#include "ir/KilnEnums.cpp.inc"

void KilnDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "ir/KilnOps.cpp.inc"
      >();
}

Operation *KilnDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                            Type type, Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return builder.create<ConstantOp>(loc, elements);
}

namespace {

/// Checks that `value`, the attribute `name` of `op`, is a `T` (`kind`).
template <typename T>
LogicalResult expect(Operation *op, StringRef name, Attribute value,
                     StringRef kind) {
  if (isa<T>(value))
    return success();
  return op->emitOpError() << "attribute '" << name << "' must be " << kind
                           << ", not " << value;
}

LogicalResult nonNegative(Operation *op, StringRef name,
                          llvm::ArrayRef<int64_t> values) {
  for (int64_t v : values)
    if (v < 0)
      return op->emitOpError()
             << "attribute '" << name << "' holds a negative number " << v;
  return success();
}

} // namespace

LogicalResult KilnDialect::verifyOperationAttribute(Operation *op,
                                                    NamedAttribute attr) {
  StringRef name = attr.getName().getValue();
  Attribute value = attr.getValue();
  auto integer = [&]() -> LogicalResult {
    if (failed(expect<IntegerAttr>(op, name, value, "an integer")))
      return failure();
    return nonNegative(op, name, {cast<IntegerAttr>(value).getInt()});
  };
  auto integers = [&]() -> LogicalResult {
    if (failed(expect<DenseI64ArrayAttr>(op, name, value, "an array of i64")))
      return failure();
    return nonNegative(op, name, cast<DenseI64ArrayAttr>(value).asArrayRef());
  };
  if (name == DonatableAttr::getNameStr() ||
      name == DonationsAttr::getNameStr()) {
    if (failed(integers()))
      return failure();
    if (name == DonationsAttr::getNameStr() &&
        cast<DenseI64ArrayAttr>(value).size() % 2 != 0)
      return op->emitOpError()
             << "attribute '" << name << "' must hold (input, result) pairs";
    return success();
  }
  if (name == NumInputsAttr::getNameStr() ||
      name == ArenaBytesAttr::getNameStr() ||
      name == ArenaLowerBoundAttr::getNameStr() ||
      name == ArenaNaiveBytesAttr::getNameStr() ||
      name == KernelsAttr::getNameStr())
    return integer();
  if (name == ArenaBuffersAttr::getNameStr()) {
    auto buffers = dyn_cast<ArrayAttr>(value);
    if (!buffers || !llvm::all_of(buffers, [](Attribute buffer) {
          auto fields = dyn_cast<DenseI64ArrayAttr>(buffer);
          return fields && fields.size() == 4;
        }))
      return op->emitOpError() << "attribute '" << name
                               << "' must be an array of [bytes, first step, "
                                  "last step, offset] arrays";
    return success();
  }
  if (name == EpilogueAttr::getNameStr()) {
    auto words = dyn_cast<ArrayAttr>(value);
    if (!words || !llvm::all_of(words, llvm::IsaPred<StringAttr>))
      return op->emitOpError()
             << "attribute '" << name << "' must be an array of strings";
    return success();
  }
  if (name == InputNameAttr::getNameStr() ||
      name == WeightNameAttr::getNameStr() ||
      name == OutputNameAttr::getNameStr())
    return op->emitOpError()
           << "'" << name << "' names an argument or a result, not an op";
  return op->emitOpError() << "unknown kiln attribute '" << name << "'";
}

LogicalResult KilnDialect::verifyRegionArgAttribute(Operation *op, unsigned,
                                                    unsigned argIndex,
                                                    NamedAttribute attr) {
  StringRef name = attr.getName().getValue();
  // A result's name moves to its argument when results become
  // out-parameters.
  if (name != InputNameAttr::getNameStr() &&
      name != WeightNameAttr::getNameStr() &&
      name != OutputNameAttr::getNameStr())
    return op->emitOpError()
           << "argument " << argIndex << " has an unknown kiln attribute '"
           << name << "'";
  return expect<StringAttr>(op, name, attr.getValue(), "a string");
}

LogicalResult KilnDialect::verifyRegionResultAttribute(Operation *op, unsigned,
                                                       unsigned resultIndex,
                                                       NamedAttribute attr) {
  StringRef name = attr.getName().getValue();
  if (name != OutputNameAttr::getNameStr())
    return op->emitOpError()
           << "result " << resultIndex << " has an unknown kiln attribute '"
           << name << "'";
  return expect<StringAttr>(op, name, attr.getValue(), "a string");
}

std::optional<MemoryPlanAttrs> MemoryPlanAttrs::read(Operation *op) {
  MLIRContext *context = op->getContext();
  MemoryPlanAttrs plan;
  auto bytes = ArenaBytesAttr(context).getAttr(op);
  auto bound = ArenaLowerBoundAttr(context).getAttr(op);
  auto naive = ArenaNaiveBytesAttr(context).getAttr(op);
  auto kernels = KernelsAttr(context).getAttr(op);
  if (!bytes || !bound || !naive || !kernels)
    return std::nullopt;
  plan.arenaBytes = bytes.getInt();
  plan.arenaLowerBound = bound.getInt();
  plan.naiveBytes = naive.getInt();
  plan.kernels = kernels.getInt();
  if (auto donations = DonationsAttr(context).getAttr(op))
    plan.donations.emplace(donations.asArrayRef());
  if (auto buffers = ArenaBuffersAttr(context).getAttr(op))
    for (Attribute buffer : buffers)
      if (auto f = dyn_cast<DenseI64ArrayAttr>(buffer); f && f.size() == 4)
        plan.buffers.push_back({f[0], f[1], f[2], f[3]});
  return plan;
}

void MemoryPlanAttrs::write(Operation *op) const {
  MLIRContext *context = op->getContext();
  Builder b(context);
  ArenaBytesAttr(context).setAttr(op, b.getI64IntegerAttr(arenaBytes));
  ArenaLowerBoundAttr(context).setAttr(op,
                                       b.getI64IntegerAttr(arenaLowerBound));
  ArenaNaiveBytesAttr(context).setAttr(op, b.getI64IntegerAttr(naiveBytes));
  SmallVector<Attribute> fields;
  for (const Buffer &buffer : buffers)
    fields.push_back(b.getDenseI64ArrayAttr(
        {buffer.bytes, buffer.firstStep, buffer.lastStep, buffer.offset}));
  ArenaBuffersAttr(context).setAttr(op, b.getArrayAttr(fields));
  KernelsAttr(context).setAttr(op, b.getI64IntegerAttr(kernels));
  if (donations)
    DonationsAttr(context).setAttr(op, b.getDenseI64ArrayAttr(*donations));
}

FusionClass kiln::ir::fusionClass(Operation *op) {
  if (auto constant = dyn_cast<ConstantOp>(op))
    return constant.getValue().isSplat() ? FusionClass::Constant
                                         : FusionClass::Opaque;
  if (op->hasTrait<BroadcastClass>())
    return FusionClass::Broadcast;
  if (op->hasTrait<OpTrait::Elementwise>())
    return FusionClass::Elementwise;
  if (op->hasTrait<ReductionClass>())
    return FusionClass::Reduction;
  if (op->hasTrait<ContractionClass>())
    return FusionClass::Contraction;
  if (op->hasTrait<InjectiveClass>())
    return FusionClass::Injective;
  return FusionClass::Opaque;
}

StringRef kiln::ir::fusionClassName(FusionClass c) {
  switch (c) {
  case FusionClass::Constant:
    return "constant";
  case FusionClass::Elementwise:
    return "elementwise";
  case FusionClass::Broadcast:
    return "broadcast";
  case FusionClass::Injective:
    return "injective";
  case FusionClass::Reduction:
    return "reduction";
  case FusionClass::Contraction:
    return "contraction";
  case FusionClass::Opaque:
    return "opaque";
  }
  return "?";
}

bool kiln::ir::fitsTensorLimit(ShapedType type) {
  return type.hasStaticShape() &&
         fitsTensorLimit(type.getShape(),
                         (type.getElementTypeBitWidth() + 7) / 8);
}

LogicalResult kiln::ir::verifyTensorSizes(Operation *op) {
  auto check = [&](Type type, const char *what, unsigned i) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || !tensor.hasStaticShape() || fitsTensorLimit(tensor))
      return success();
    int64_t elements = numElements(tensor.getShape());
    InFlightDiagnostic diag = op->emitOpError()
                              << what << " #" << i << " " << type
                              << " holds more than the 1 TiB a Kiln tensor "
                                 "may have (";
    if (elements == INT64_MAX)
      diag << "its element count overflows)";
    else
      diag << elements << " elements)";
    return failure();
  };
  for (auto [i, type] : llvm::enumerate(op->getOperandTypes()))
    if (failed(check(type, "operand", i)))
      return failure();
  for (auto [i, type] : llvm::enumerate(op->getResultTypes()))
    if (failed(check(type, "result", i)))
      return failure();
  return success();
}

//===- LibraryCalls.cpp - f32 contractions on buffers to oneDNN calls -----===//
#include "kiln/codegen/Passes.h"
#include "kiln/ir/KilnDialect.h"
#include "kiln/runtime/Onednn.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

#include <cmath>
#include <numbers>

#define DEBUG_TYPE "kiln-library-calls"

namespace kiln {
#define GEN_PASS_DEF_KILNLIBRARYCALLS
#include "codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using kiln::runtime::EpilogueOp;

namespace {

/// `memref<?x?xf32, strided<[?, ?], offset: ?>>` of `rank`: the one type the
/// runtime entry points take, whatever the static shape and layout.
MemRefType anyLayout(MLIRContext *context, int64_t rank) {
  SmallVector<int64_t> dynamic(rank, ShapedType::kDynamic);
  auto layout = StridedLayoutAttr::get(context, ShapedType::kDynamic, dynamic);
  return MemRefType::get(dynamic, Float32Type::get(context), layout);
}

/// The declaration of runtime function `name` taking memrefs of `ranks`
/// (as anyLayout) and then `scalars` i64 values.
func::FuncOp declare(ModuleOp module, StringRef name, ArrayRef<int64_t> ranks,
                     int scalars = 0) {
  if (auto fn = module.lookupSymbol<func::FuncOp>(name))
    return fn;
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  SmallVector<Type> inputs;
  for (int64_t rank : ranks)
    inputs.push_back(anyLayout(module.getContext(), rank));
  inputs.append(scalars, b.getI64Type());
  auto fn = b.create<func::FuncOp>(module.getLoc(), name,
                                   b.getFunctionType(inputs, {}));
  fn.setPrivate();
  fn->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(), b.getUnitAttr());
  return fn;
}

/// Whether `v` is an f32 constant equal to `expected` rounded to f32.
bool isConstant(Value v, double expected) {
  APFloat value(0.0f);
  return matchPattern(v, m_ConstantFloat(&value)) &&
         &value.getSemantics() == &APFloat::IEEEsingle() &&
         value.convertToFloat() == static_cast<float>(expected);
}

/// The buffer that `v` is a view of: an allocation or a block argument;
/// null when it is something else.
Value rootBuffer(Value v) {
  while (true) {
    if (auto view = v.getDefiningOp<ViewLikeOpInterface>())
      v = view.getViewSource();
    else if (auto transpose = v.getDefiningOp<memref::TransposeOp>())
      v = transpose.getIn();
    else
      break;
  }
  if (isa<BlockArgument>(v) || v.getDefiningOp<memref::AllocOp>() ||
      v.getDefiningOp<memref::AllocaOp>())
    return v;
  return {};
}

/// Matches the scalar code of an elementwise body, from the contraction's
/// value to the yield, as a sequence of epilogue operations. Each step
/// consumes the running value; every operation of the body must be part of
/// one step.
class EpilogueBody {
public:
  /// `bias` and `addend`: the block arguments of those inputs, or null.
  EpilogueBody(Value bias, Value addend) : bias_(bias), addend_(addend) {}

  /// The operations from `value` to `yield`, or failure.
  FailureOr<SmallVector<EpilogueOp>> match(Value value, linalg::YieldOp yield) {
    Block *body = yield->getBlock();
    bool biasAdded = false;
    while (true) {
      if (value.hasOneUse() && *value.getUsers().begin() == yield)
        break;
      if (ops_.size() == kiln::runtime::kMaxEpilogueOps)
        return failure();
      Value next;
      if (Value other = single<arith::AddFOp>(value); other && next_) {
        if (other == bias_ && !biasAdded && ops_.empty()) {
          biasAdded = true; // a bias is added before any post-op
        } else if (other == addend_ && addend_) {
          addend_ = {};
          ops_.push_back(EpilogueOp::Add);
        } else {
          return failure();
        }
        next = next_;
      } else if (Value zero = single<arith::MaximumFOp>(value);
                 zero && isConstant(zero, 0.0)) {
        ops_.push_back(EpilogueOp::Relu);
        next = next_;
      } else if (value.hasOneUse() &&
                 isa<math::TanhOp>(*value.getUsers().begin())) {
        next = take(*value.getUsers().begin());
        ops_.push_back(EpilogueOp::Tanh);
      } else if (Value sigmoid = matchSigmoid(value)) {
        next = sigmoid;
        ops_.push_back(EpilogueOp::Sigmoid);
      } else if (Value gelu = matchGelu(value)) {
        next = gelu;
      } else {
        return failure();
      }
      value = next;
    }
    // Nothing else may be computed: the call would drop it.
    for (Operation &op : body->without_terminator())
      if (!matched_.contains(&op) && !matchPattern(&op, m_Constant()))
        return failure();
    if (biasAdded != bool(bias_))
      return failure();
    return ops_;
  }

private:
  Value bias_, addend_;
  SmallVector<EpilogueOp> ops_;
  llvm::SmallPtrSet<Operation *, 16> matched_;
  Value next_; ///< the result of the last single<> match

  /// Records `op` as part of the epilogue; its result.
  Value take(Operation *op) {
    matched_.insert(op);
    return op->getResult(0);
  }

  /// The other operand when `value`'s one user is a binary `Op`; the user's
  /// result goes to next_.
  template <typename Op> Value single(Value value) {
    next_ = {};
    if (!value.hasOneUse())
      return {};
    auto op = dyn_cast<Op>(*value.getUsers().begin());
    if (!op || op->getNumOperands() != 2 || op.getLhs() == op.getRhs())
      return {};
    next_ = take(op);
    return op.getLhs() == value ? op.getRhs() : op.getLhs();
  }

  /// The binary `Op` among `users` with operands {x, y}; null if none.
  template <typename Op> static Op binary(Value x, Value y) {
    for (Operation *user : x.getUsers())
      if (auto op = dyn_cast<Op>(user))
        if ((op.getLhs() == x && op.getRhs() == y) ||
            (op.getLhs() == y && op.getRhs() == x))
          return op;
    return {};
  }

  /// The binary `Op` with operands {x, a constant equal to c}; null if none.
  template <typename Op> static Op withConstant(Value x, double c) {
    for (Operation *user : x.getUsers())
      if (auto op = dyn_cast<Op>(user)) {
        Value other = op.getLhs() == x ? op.getRhs() : op.getLhs();
        if (isConstant(other, c))
          return op;
      }
    return {};
  }

  /// Whether `op`'s one user is `user`.
  static bool onlyFeeds(Operation *op, Operation *user) {
    return op && op->getResult(0).hasOneUse() &&
           *op->getResult(0).getUsers().begin() == user;
  }

  /// 1 / (1 + exp(-x)) as KilnToLinalg writes sigmoid: its result.
  Value matchSigmoid(Value x) {
    if (!x.hasOneUse())
      return {};
    auto neg = dyn_cast<arith::NegFOp>(*x.getUsers().begin());
    if (!neg || !neg->hasOneUse())
      return {};
    auto exp = dyn_cast<math::ExpOp>(*neg->getUsers().begin());
    if (!exp || !exp->hasOneUse())
      return {};
    auto sum = withConstant<arith::AddFOp>(exp, 1.0);
    if (!sum || !sum->hasOneUse())
      return {};
    auto div = dyn_cast<arith::DivFOp>(*sum->getUsers().begin());
    if (!div || div.getRhs() != sum || !isConstant(div.getLhs(), 1.0))
      return {};
    for (Operation *op : {neg.getOperation(), exp.getOperation(),
                          sum.getOperation(), div.getOperation()})
      take(op);
    return div;
  }

  /// 0.5 x (1 + erf(x / sqrt 2)) or 0.5 x (1 + tanh(sqrt(2 / pi) (x +
  /// 0.044715 x^3))) as KilnToLinalg writes gelu: its result.
  Value matchGelu(Value x) {
    auto half = withConstant<arith::MulFOp>(x, 0.5);
    if (!half || !half->hasOneUse())
      return {};
    auto product = dyn_cast<arith::MulFOp>(*half->getUsers().begin());
    if (!product)
      return {};
    Value onePlus =
        product.getLhs() == half ? product.getRhs() : product.getLhs();
    auto sum = onePlus.getDefiningOp<arith::AddFOp>();
    if (!sum || !onlyFeeds(sum, product))
      return {};
    Value inner = isConstant(sum.getLhs(), 1.0) ? sum.getRhs() : sum.getLhs();
    if (!isConstant(sum.getLhs(), 1.0) && !isConstant(sum.getRhs(), 1.0))
      return {};
    SmallVector<Operation *> ops = {half, product, sum};
    EpilogueOp kind;
    if (auto erf = inner.getDefiningOp<math::ErfOp>()) {
      auto scaled = withConstant<arith::MulFOp>(x, 1.0 / std::numbers::sqrt2);
      if (!onlyFeeds(erf, sum) || !scaled ||
          erf.getOperand() != scaled.getResult() || !onlyFeeds(scaled, erf))
        return {};
      ops.append({erf, scaled});
      kind = EpilogueOp::GeluErf;
    } else if (auto tanh = inner.getDefiningOp<math::TanhOp>()) {
      auto square = binary<arith::MulFOp>(x, x);
      auto cube = square ? binary<arith::MulFOp>(x, square) : nullptr;
      auto term = cube ? withConstant<arith::MulFOp>(cube, 0.044715) : nullptr;
      auto poly = term ? binary<arith::AddFOp>(x, term) : nullptr;
      auto scaled = poly ? withConstant<arith::MulFOp>(
                               poly, std::sqrt(2.0 / std::numbers::pi))
                         : nullptr;
      if (!scaled || tanh.getOperand() != scaled.getResult() ||
          !onlyFeeds(tanh, sum) || !onlyFeeds(scaled, tanh) ||
          !onlyFeeds(poly, scaled) || !onlyFeeds(term, poly) ||
          !onlyFeeds(cube, term) || !onlyFeeds(square, cube))
        return {};
      ops.append({tanh, scaled, poly, term, cube, square});
      kind = EpilogueOp::GeluTanh;
    } else {
      return {};
    }
    // x feeds nothing but the gelu.
    for (Operation *user : x.getUsers())
      if (!llvm::is_contained(ops, user))
        return {};
    for (Operation *op : ops)
      take(op);
    ops_.push_back(kind);
    return product;
  }
};

/// Whether `op` may write (or, with `reads`, read) any of the buffers
/// `roots`: every access it makes must be to another known buffer.
bool mayTouch(Operation *op, ArrayRef<Value> roots, bool reads) {
  if (isMemoryEffectFree(op))
    return false;
  auto effects = dyn_cast<MemoryEffectOpInterface>(op);
  if (!effects)
    return true;
  SmallVector<MemoryEffects::EffectInstance> instances;
  effects.getEffects(instances);
  for (auto &instance : instances) {
    if (isa<MemoryEffects::Allocate>(instance.getEffect()) ||
        (!reads && isa<MemoryEffects::Read>(instance.getEffect())))
      continue;
    Value root =
        instance.getValue() ? rootBuffer(instance.getValue()) : Value();
    if (!root || llvm::is_contained(roots, root))
      return true;
  }
  return false;
}

/// Whether the operations strictly between `from` and `to` (in one block)
/// leave the buffers `roots` as they were.
bool unchangedBetween(Operation *from, Operation *to, ArrayRef<Value> roots) {
  for (Operation *between = from->getNextNode(); between != to;
       between = between->getNextNode())
    if (!between || mayTouch(between, roots, /*reads=*/false))
      return false;
  return true;
}

/// A matmul operand that is a transposed copy made only for it (a
/// linalg.transpose into a fresh buffer nothing else uses) becomes a
/// transposed view of the copy's source: oneDNN reads any strides, and the
/// copy goes, a loop nest and a temporary as large as the operand. This is
/// nn::Linear's weight (x @ w.t()) and most operands of a backward matmul.
/// The source must hold the same values when the contraction runs.
void readTransposesInPlace(linalg::LinalgOp op) {
  for (OpOperand *operand : op.getDpsInputOperands()) {
    auto alloc = operand->get().getDefiningOp<memref::AllocOp>();
    if (!alloc)
      continue;
    linalg::TransposeOp transpose;
    int usesByOp = 0;
    bool other = false;
    for (OpOperand &use : alloc->getUses()) {
      auto t = dyn_cast<linalg::TransposeOp>(use.getOwner());
      if (use.getOwner() == op)
        ++usesByOp;
      else if (t && !transpose && t.getInit() == alloc.getResult())
        transpose = t;
      else
        other = true;
    }
    if (other || usesByOp != 1 || !transpose ||
        transpose->getBlock() != op->getBlock() ||
        !transpose->isBeforeInBlock(op))
      continue;
    Value source = transpose.getInput();
    Value root = rootBuffer(source);
    if (!root || !unchangedBetween(transpose, op, {root}))
      continue;
    OpBuilder b(op);
    AffineMap permutation = AffineMap::getPermutationMap(
        transpose.getPermutation(), op->getContext());
    operand->set(b.create<memref::TransposeOp>(
        transpose.getLoc(), source, AffineMapAttr::get(permutation)));
    transpose->erase();
    alloc->erase();
  }
}

/// The linalg.fill that zeroes `op`'s output for it to add to, which a
/// call writing every element makes useless: null if there is none, or if
/// anything between them touches the output's buffer.
linalg::FillOp zeroFill(linalg::LinalgOp op) {
  Value init = op.getDpsInits()[0];
  Value root = rootBuffer(init);
  if (!root)
    return {};
  for (Operation *before = op->getPrevNode(); before;
       before = before->getPrevNode()) {
    auto fill = dyn_cast<linalg::FillOp>(before);
    if (fill && fill.getDpsInits()[0] == init)
      return isConstant(fill.getInputs()[0], 0.0) ? fill : linalg::FillOp();
    if (mayTouch(before, {root}, /*reads=*/true))
      return {};
  }
  return {};
}

/// A contraction's result that only an elementwise linalg.generic reads,
/// and what that generic computes from it: the library call can write the
/// generic's output directly.
struct Epilogue {
  linalg::LinalgOp contraction;
  linalg::FillOp fill;       ///< zeroes the contraction's output first
  linalg::GenericOp generic; ///< the call takes its place
  Value output;              ///< the generic's output buffer
  Value bias;                ///< [channels], or a view with unit dimensions
  Value addend;              ///< a buffer of the output's shape
  SmallVector<EpilogueOp> ops;

  /// The kiln.epilogue attribute's words: what a dump shows.
  SmallVector<StringRef> names() const {
    SmallVector<StringRef> result;
    if (bias)
      result.push_back("bias");
    for (EpilogueOp op : ops)
      switch (op) {
      case EpilogueOp::Relu:
        result.push_back("relu");
        break;
      case EpilogueOp::GeluTanh:
        result.push_back("gelu_tanh");
        break;
      case EpilogueOp::GeluErf:
        result.push_back("gelu_erf");
        break;
      case EpilogueOp::Tanh:
        result.push_back("tanh");
        break;
      case EpilogueOp::Sigmoid:
        result.push_back("sigmoid");
        break;
      case EpilogueOp::Add:
        result.push_back(addend == output ? "sum" : "add");
        break;
      }
    return result;
  }

  /// The operations as the runtime takes them: four bits each.
  int64_t code() const {
    int64_t result = 0;
    for (auto [i, op] : llvm::enumerate(ops))
      result |= static_cast<int64_t>(op) << (4 * i);
    return result;
  }
};

/// Whether `v` is a buffer that only the contraction `op` (with its output
/// zeroed by a linalg.fill) and then one elementwise generic use.
std::optional<Epilogue> matchEpilogue(linalg::LinalgOp op) {
  Epilogue e{op};
  Value result = op.getDpsInits()[0];
  auto alloc = result.getDefiningOp<memref::AllocOp>();
  if (!alloc || alloc->getBlock() != op->getBlock())
    return std::nullopt;
  for (Operation *user : alloc->getUsers()) {
    if (user == op)
      continue;
    auto fill = dyn_cast<linalg::FillOp>(user);
    auto generic = dyn_cast<linalg::GenericOp>(user);
    if (fill && !e.fill && fill.getDpsInits()[0] == result &&
        isConstant(fill.getInputs()[0], 0.0) && fill->isBeforeInBlock(op)) {
      e.fill = fill;
    } else if (generic && !e.generic && generic->getBlock() == op->getBlock() &&
               op->isBeforeInBlock(generic)) {
      e.generic = generic;
    } else {
      return std::nullopt; // another user: it needs the plain result
    }
  }
  linalg::GenericOp g = e.generic;
  if (!e.fill || !g || !g.hasPureBufferSemantics() || g.getNumDpsInits() != 1 ||
      g.getNumParallelLoops() != g.getNumLoops())
    return std::nullopt;
  auto type = cast<MemRefType>(result.getType());
  int64_t rank = type.getRank();
  int64_t channel = isa<linalg::Conv2DNchwFchwOp>(op) ? 1 : rank - 1;
  OpOperand *out = g.getDpsInitOperand(0);
  e.output = out->get();
  auto outType = dyn_cast<MemRefType>(e.output.getType());
  if (!outType || outType.getShape() != type.getShape() ||
      !outType.getElementType().isF32() ||
      !g.getMatchingIndexingMap(out).isIdentity() ||
      !g.getMatchingBlockArgument(out).use_empty())
    return std::nullopt;
  Value accumulator, biasArgument, addendArgument;
  for (OpOperand *input : g.getDpsInputOperands()) {
    auto inputType = dyn_cast<MemRefType>(input->get().getType());
    AffineMap map = g.getMatchingIndexingMap(input);
    BlockArgument argument = g.getMatchingBlockArgument(input);
    if (!inputType || !inputType.getElementType().isF32())
      return std::nullopt;
    if (input->get() == result && !accumulator && map.isIdentity()) {
      accumulator = argument;
    } else if (!e.addend && map.isIdentity() &&
               inputType.getShape() == type.getShape()) {
      e.addend = input->get();
      addendArgument = argument;
    } else if (!e.bias && map.getNumResults() == inputType.getRank()) {
      // Broadcast along every dimension but the channel: a bias.
      int64_t channelAt = -1;
      for (auto [i, expr] : llvm::enumerate(map.getResults())) {
        auto dim = dyn_cast<AffineDimExpr>(expr);
        auto constant = dyn_cast<AffineConstantExpr>(expr);
        if (dim && dim.getPosition() == channel && channelAt < 0)
          channelAt = i;
        else if (!constant || constant.getValue() != 0 ||
                 inputType.getDimSize(i) != 1)
          return std::nullopt;
      }
      if (channelAt < 0 ||
          inputType.getDimSize(channelAt) != type.getDimSize(channel))
        return std::nullopt;
      if (inputType.getRank() > 1 &&
          !memref::CollapseShapeOp::isGuaranteedCollapsible(
              inputType,
              {llvm::to_vector(llvm::seq<int64_t>(0, inputType.getRank()))}))
        return std::nullopt;
      e.bias = input->get();
      biasArgument = argument;
    } else {
      return std::nullopt;
    }
  }
  if (!accumulator)
    return std::nullopt;
  EpilogueBody body(biasArgument, addendArgument);
  auto ops = body.match(accumulator,
                        cast<linalg::YieldOp>(g.getBody()->getTerminator()));
  if (failed(ops) || (ops->empty() && !e.bias))
    return std::nullopt;
  e.ops = std::move(*ops);
  if (e.addend && !llvm::is_contained(e.ops, EpilogueOp::Add))
    return std::nullopt;

  // The call writes the output while it reads the operands: they must be
  // other buffers. The output's old contents are read only as oneDNN's sum
  // post-op, which must come first.
  Value outputRoot = rootBuffer(e.output);
  if (!outputRoot)
    return std::nullopt;
  SmallVector<Value> operands = {op.getDpsInputs()[0], op.getDpsInputs()[1]};
  if (e.bias)
    operands.push_back(e.bias);
  if (e.addend && e.addend != e.output)
    operands.push_back(e.addend);
  for (Value operand : operands) {
    Value root = rootBuffer(operand);
    if (!root || root == outputRoot)
      return std::nullopt;
  }
  if (e.addend == e.output && e.ops.front() != EpilogueOp::Add)
    return std::nullopt;

  // The call runs where the generic was, so the contraction's operands
  // must still hold their values there: what runs between writes only
  // other buffers.
  if (!unchangedBetween(
          op, g,
          {rootBuffer(op.getDpsInputs()[0]), rootBuffer(op.getDpsInputs()[1])}))
    return std::nullopt;
  return e;
}

struct LibraryCallsPass : kiln::impl::KilnLibraryCallsBase<LibraryCallsPass> {
  using KilnLibraryCallsBase::KilnLibraryCallsBase;

  /// `v` cast to anyLayout.
  Value cast(OpBuilder &b, Value v) {
    auto type = cast<MemRefType>(v.getType());
    return b.create<memref::CastOp>(
        v.getLoc(), anyLayout(&getContext(), type.getRank()), v);
  }

  /// The strides and dilations of `conv` as i64 values.
  void appendWindow(OpBuilder &b, linalg::Conv2DNchwFchwOp conv,
                    SmallVector<Value> &args) {
    for (auto attr : {conv.getStrides(), conv.getDilations()})
      for (APInt value : attr.getValues<APInt>())
        args.push_back(b.create<arith::ConstantIntOp>(
            conv.getLoc(), value.getSExtValue(), b.getI64Type()));
  }

  /// kiln_matmul_f32(A, B, C), kiln_batch_matmul_f32 or
  /// kiln_conv2d_f32(input, filter, output, strides..., dilations...).
  void callContraction(ModuleOp module, linalg::LinalgOp op) {
    // A matmul into a buffer zeroed just for it: the epilogue entry point
    // with nothing to apply overwrites the output instead of adding to it,
    // and the fill goes (two passes over the output fewer).
    linalg::FillOp zero =
        isa<linalg::Conv2DNchwFchwOp>(op) ? linalg::FillOp() : zeroFill(op);
    OpBuilder b(op);
    SmallVector<Value> args;
    for (Value operand : op->getOperands())
      args.push_back(cast(b, operand));
    int64_t rank = cast<MemRefType>(args[0].getType()).getRank();
    if (zero) {
      Location loc = op.getLoc();
      args.push_back(cast(b, b.create<memref::AllocaOp>(
                                 loc, MemRefType::get({0}, b.getF32Type()))));
      args.push_back(args[2]); // no addend
      args.push_back(b.create<arith::ConstantIntOp>(loc, 0, b.getI64Type()));
      func::FuncOp callee = declare(module,
                                    rank == 3 ? "kiln_batch_matmul_epilogue_f32"
                                              : "kiln_matmul_epilogue_f32",
                                    {rank, rank, rank, 1, rank}, 1);
      auto call = b.create<func::CallOp>(loc, callee, args);
      kiln::ir::EpilogueAttr(b.getContext())
          .setAttr(call, b.getStrArrayAttr({}));
      zero->erase();
      op->erase();
      return;
    }
    func::FuncOp callee;
    if (auto conv = dyn_cast<linalg::Conv2DNchwFchwOp>(op.getOperation())) {
      callee = declare(module, "kiln_conv2d_f32", {4, 4, 4}, 4);
      appendWindow(b, conv, args);
    } else {
      callee = declare(module,
                       rank == 3 ? "kiln_batch_matmul_f32" : "kiln_matmul_f32",
                       {rank, rank, rank});
    }
    b.create<func::CallOp>(op.getLoc(), callee, args);
    op->erase();
  }

  /// The contraction and its epilogue as one call, where the generic was:
  /// kiln_<matmul|batch_matmul|conv2d>_epilogue_f32(A, B, output, bias,
  /// addend, [strides..., dilations...,] operations).
  void callWithEpilogue(ModuleOp module, Epilogue &e) {
    OpBuilder b(e.generic);
    Location loc = e.generic.getLoc();
    int64_t rank = cast<MemRefType>(e.output.getType()).getRank();
    SmallVector<Value> args = {cast(b, e.contraction.getDpsInputs()[0]),
                               cast(b, e.contraction.getDpsInputs()[1]),
                               cast(b, e.output)};
    Value bias = e.bias;
    if (!bias) {
      // No elements: no bias.
      bias =
          b.create<memref::AllocaOp>(loc, MemRefType::get({0}, b.getF32Type()));
    } else if (auto type = cast<MemRefType>(bias.getType());
               type.getRank() > 1) {
      ReassociationIndices all =
          llvm::to_vector(llvm::seq<int64_t>(0, type.getRank()));
      bias = b.create<memref::CollapseShapeOp>(
          loc, bias, ArrayRef<ReassociationIndices>{all});
    }
    args.push_back(cast(b, bias));
    args.push_back(cast(b, e.addend ? e.addend : e.output));
    StringRef name = "kiln_matmul_epilogue_f32";
    int scalars = 1;
    auto conv =
        dyn_cast<linalg::Conv2DNchwFchwOp>(e.contraction.getOperation());
    if (conv) {
      name = "kiln_conv2d_epilogue_f32";
      scalars = 5;
      appendWindow(b, conv, args);
    } else if (rank == 3) {
      name = "kiln_batch_matmul_epilogue_f32";
    }
    args.push_back(
        b.create<arith::ConstantIntOp>(loc, e.code(), b.getI64Type()));
    func::FuncOp callee =
        declare(module, name, {rank, rank, rank, 1, rank}, scalars);
    auto call = b.create<func::CallOp>(loc, callee, args);
    kiln::ir::EpilogueAttr(b.getContext())
        .setAttr(call, b.getStrArrayAttr(e.names()));
    Value result = e.contraction.getDpsInits()[0];
    e.generic->erase();
    e.contraction->erase();
    e.fill->erase();
    if (result.use_empty())
      result.getDefiningOp()->erase();
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<linalg::LinalgOp> contractions;
    module.walk([&](linalg::LinalgOp op) {
      if (!isa<linalg::MatmulOp, linalg::BatchMatmulOp,
               linalg::Conv2DNchwFchwOp>(op) ||
          !op.hasPureBufferSemantics())
        return;
      bool f32 = llvm::all_of(op->getOperands(), [](Value v) {
        auto type = dyn_cast<MemRefType>(v.getType());
        return type && type.getElementType().isF32();
      });
      // A small contraction costs less as generated loops than the call:
      // oneDNN's dispatch takes microseconds.
      int64_t work = 1;
      for (int64_t range : op.getStaticLoopRanges())
        work = ShapedType::isDynamic(range) ? minWork : work * range;
      if (f32 && work >= minWork)
        contractions.push_back(op);
    });
    for (linalg::LinalgOp op : contractions)
      if (!isa<linalg::Conv2DNchwFchwOp>(op))
        readTransposesInPlace(op);
    // Every epilogue is matched before the calls change the IR, against the
    // contractions and generics as bufferization left them.
    SmallVector<Epilogue> fused;
    SmallVector<linalg::LinalgOp> plain;
    for (linalg::LinalgOp op : contractions) {
      std::optional<Epilogue> e =
          fuseEpilogues ? matchEpilogue(op) : std::nullopt;
      if (e)
        fused.push_back(std::move(*e));
      else
        plain.push_back(op);
    }
    for (Epilogue &e : fused) {
      callWithEpilogue(module, e);
      ++numCalls;
      ++numEpilogues;
    }
    for (linalg::LinalgOp op : plain) {
      callContraction(module, op);
      ++numCalls;
    }
  }
};

} // namespace

//===- KernelWriter.cpp - Writes one CUDA kernel's source -----------------===//
//
// The element rules: what each elementwise, broadcast, creation and
// injective kiln op computes at one index, in C++. They mirror the CPU
// lowering's scalar bodies (KilnToLinalgElementwise.cpp) so that both
// backends agree: NaN-propagating maximum, division by an integer zero
// giving 0, the same Philox counters.
//
//===----------------------------------------------------------------------===//
#include "kiln/codegen/cuda/KernelWriter.h"

#include "kiln/ir/KilnOps.h"
#include "kiln/runtime/Error.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/TypeSwitch.h"

#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numbers>

using namespace mlir;
using namespace kiln::ir;

namespace kiln::codegen::cuda {

namespace {

bool isFloat(Type t) { return isa<FloatType>(t); }
bool isHalf(Type t) { return t.isF16() || t.isBF16(); }
Type elementOf(Value v) {
  return cast<ShapedType>(v.getType()).getElementType();
}
llvm::ArrayRef<int64_t> shapeOf(Value v) {
  return cast<ShapedType>(v.getType()).getShape();
}

/// `name` of the float or double version of a libm function.
std::string math(const std::string &name, Type t) {
  return t.isF64() ? name : name + "f";
}

std::string join(const Index &index) { return llvm::join(index, ","); }

} // namespace

std::string storageType(Type type) {
  if (type.isF32())
    return "float";
  if (type.isF64())
    return "double";
  if (isHalf(type))
    return "unsigned short";
  if (type.isInteger(1))
    return "bool";
  if (type.isInteger(8))
    return "signed char";
  if (type.isInteger(16))
    return "short";
  if (type.isInteger(32))
    return "int";
  if (type.isInteger(64))
    return "long long";
  std::string text;
  llvm::raw_string_ostream os(text);
  os << type;
  throw Error("the CUDA backend has no element type " + text);
}

int64_t elementBytes(Type type) {
  if (type.isInteger(1))
    return 1;
  return std::max<int64_t>(type.getIntOrFloatBitWidth() / 8, 1);
}

std::string computeType(Type type) {
  return isHalf(type) ? "float" : storageType(type);
}

std::string literal(Type type, double value) {
  if (type.isInteger(1))
    return value != 0 ? "true" : "false";
  if (!isFloat(type)) {
    // Saturated: int64's extremes (a reduction's identity) are not doubles,
    // and 2^63 would overflow on the way back.
    long long integer = value >= 0x1p63    ? LLONG_MAX
                        : value <= -0x1p63 ? LLONG_MIN
                                           : static_cast<long long>(value);
    if (integer == LLONG_MIN) // no literal: 9223372036854775808 overflows
      return "(-9223372036854775807LL - 1)";
    if (type.isInteger(64))
      return std::to_string(integer) + "LL";
    if (type.getIntOrFloatBitWidth() < 32) // typed, as helpers deduce T
      return "((" + storageType(type) + ")" + std::to_string(integer) + ")";
    return std::to_string(integer);
  }
  bool single = !type.isF64();
  if (std::isnan(value))
    return single ? "__int_as_float(0x7fc00000)"
                  : "__longlong_as_double(0x7ff8000000000000LL)";
  if (std::isinf(value)) {
    if (single)
      return value > 0 ? "__int_as_float(0x7f800000)"
                       : "__int_as_float(0xff800000)";
    return value > 0 ? "__longlong_as_double(0x7ff0000000000000LL)"
                     : "__longlong_as_double(0xfff0000000000000LL)";
  }
  // The shortest decimal that reads back exactly, else hexadecimal.
  char buffer[64];
  for (int digits : {6, 9, 17}) {
    std::snprintf(buffer, sizeof buffer, "%.*g", digits, value);
    bool exact = single
                     ? std::strtof(buffer, nullptr) == static_cast<float>(value)
                     : std::strtod(buffer, nullptr) == value;
    if (exact)
      break;
  }
  std::string text = buffer;
  if (text.find_first_of(".en") == std::string::npos)
    text += ".0";
  if (value < 0)
    text = "(" + text + (single ? "f)" : ")");
  else if (single)
    text += "f";
  return text;
}

std::string linearize(const Index &index, llvm::ArrayRef<int64_t> shape) {
  std::string linear;
  for (size_t d = 0; d < index.size(); ++d) {
    if (shape[d] == 1)
      continue; // its index is 0
    if (linear.empty()) {
      linear = index[d];
    } else {
      linear =
          "(" + linear + ") * " + std::to_string(shape[d]) + "LL + " + index[d];
    }
  }
  return linear.empty() ? "0" : linear;
}

KernelWriter::KernelWriter(std::string name, BufferResolver &buffers)
    : name_(std::move(name)), resolver_(buffers) {
  scopes_.emplace_back();
}

void KernelWriter::computes(Operation *op) {
  ops_.insert(op);
  if (auto fusion = dyn_cast<FusionOp>(op)) {
    Block &body = fusion.getBody().front();
    for (auto [arg, input] :
         llvm::zip(body.getArguments(), fusion.getOperands()))
      outside_[arg] = input;
    for (Operation &inner : body)
      ops_.insert(&inner);
  }
}

std::string KernelWriter::param(int buffer, Type element, bool output) {
  for (size_t i = 0; i < buffers_.size(); ++i)
    if (buffers_[i] == buffer) {
      writable_[i] = writable_[i] || output;
      return "p" + std::to_string(i);
    }
  buffers_.push_back(buffer);
  params_.push_back(storageType(element));
  writable_.push_back(output);
  return "p" + std::to_string(buffers_.size() - 1);
}

std::string KernelWriter::pointerTo(Value value, bool output) {
  auto it = outside_.find(value);
  if (it != outside_.end())
    value = it->second;
  return param(resolver_.bufferOf(value), elementOf(value), output);
}

void KernelWriter::line(const std::string &text) {
  body_.append(2 * depth_, ' ');
  body_ += text;
  body_ += '\n';
}

void KernelWriter::insertLine(size_t &at, int depth, const std::string &text) {
  std::string indented = std::string(2 * depth, ' ') + text + "\n";
  body_.insert(at, indented);
  at += indented.size();
}

void KernelWriter::open(const std::string &head) {
  line(head + " {");
  ++depth_;
  scopes_.emplace_back();
}

void KernelWriter::close() {
  --depth_;
  scopes_.pop_back();
  line("}");
}

std::string KernelWriter::fresh(const std::string &prefix) {
  return prefix + std::to_string(counter_++);
}

std::string KernelWriter::let(const std::string &type,
                              const std::string &prefix,
                              const std::string &init) {
  std::string name = fresh(prefix);
  line("const " + type + " " + name + " = " + init + ";");
  return name;
}

Index KernelWriter::delinearize(const std::string &linear,
                                llvm::ArrayRef<int64_t> shape) {
  Index index(shape.size(), "0");
  int64_t stride = 1;
  for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
    if (shape[d] != 1) {
      std::string position =
          stride == 1 ? linear
                      : "(" + linear + ") / " + std::to_string(stride) + "LL";
      // The outermost dimension that is not 1 needs no remainder.
      bool outermost = true;
      for (int64_t e = 0; e < d; ++e)
        outermost = outermost && shape[e] == 1;
      index[d] =
          outermost
              ? let("long long", "i", position)
              : let("long long", "i",
                    "(" + position + ") % " + std::to_string(shape[d]) + "LL");
    }
    stride *= shape[d];
  }
  return index;
}

std::string KernelWriter::shared(const std::string &type,
                                 const std::string &name,
                                 const std::string &count) {
  shared_ += "  __shared__ " + type + " " + name + "[" + count + "];\n";
  return name;
}

std::string KernelWriter::lookup(const std::string &key) const {
  for (auto scope = scopes_.rbegin(); scope != scopes_.rend(); ++scope) {
    auto it = scope->find(key);
    if (it != scope->end())
      return it->second;
  }
  return {};
}

std::string KernelWriter::toStorage(Type element, const std::string &expr) {
  if (element.isBF16())
    return "kiln_float_to_bf16(" + expr + ")";
  if (element.isF16())
    return "kiln_float_to_f16(" + expr + ")";
  return expr;
}

std::string KernelWriter::fromStorage(Type element, const std::string &expr) {
  if (element.isBF16())
    return "kiln_bf16_to_float(" + expr + ")";
  if (element.isF16())
    return "kiln_f16_to_float(" + expr + ")";
  return expr;
}

std::string KernelWriter::load(Value value, const Index &index) {
  auto it = outside_.find(value);
  if (it != outside_.end())
    value = it->second;
  Type element = elementOf(value);
  if (auto constant = value.getDefiningOp<ConstantOp>()) {
    auto dense = dyn_cast<DenseElementsAttr>(constant.getValue());
    if (dense && dense.isSplat()) {
      if (isFloat(element))
        return literal(element,
                       dense.getSplatValue<APFloat>().convertToDouble());
      return literal(element, static_cast<double>(
                                  dense.getSplatValue<APInt>().getSExtValue()));
    }
  }
  std::string key =
      "load:" +
      std::to_string(reinterpret_cast<uintptr_t>(value.getAsOpaquePointer())) +
      "@" + join(index);
  if (std::string known = lookup(key); !known.empty())
    return known;
  std::string pointer = pointerTo(value);
  std::string loaded;
  if (vector_ && shapeOf(value) == llvm::ArrayRef(vector_->shape) &&
      index == vector_->root && element.getIntOrFloatBitWidth() == 32) {
    int buffer = resolver_.bufferOf(value);
    std::string lanes = vector_->load(buffer, element);
    loaded = lanes + "[" + vector_->lane + "]";
  } else {
    loaded = pointer + "[" + linearize(index, shapeOf(value)) + "]";
  }
  std::string name =
      let(computeType(element), "x", fromStorage(element, loaded));
  scopes_.back()[key] = name;
  return name;
}

std::string KernelWriter::valueAt(Value value, const Index &index) {
  Operation *def = value.getDefiningOp();
  if (!def || !ops_.contains(def))
    return load(value, index);
  if (auto constant = dyn_cast<ConstantOp>(def))
    return load(value, index);
  std::string key =
      "value:" +
      std::to_string(reinterpret_cast<uintptr_t>(value.getAsOpaquePointer())) +
      "@" + join(index);
  if (std::string known = lookup(key); !known.empty())
    return known;
  std::string result =
      compute(def, cast<OpResult>(value).getResultNumber(), index);
  scopes_.back()[key] = result;
  return result;
}

void KernelWriter::store(Value value, const std::string &linear,
                         const std::string &computed) {
  line(pointerTo(value, /*output=*/true) + "[" + linear +
       "] = " + toStorage(elementOf(value), computed) + ";");
}

std::string KernelWriter::compute(Operation *op, unsigned result,
                                  const Index &index) {
  Value out = op->getResult(result);
  Type element = elementOf(out);
  std::string type = computeType(element);
  auto shape = shapeOf(out);
  auto arg = [&](unsigned i) { return valueAt(op->getOperand(i), index); };
  // Results of f16 and bf16 ops are rounded to their type after each op,
  // as the CPU computes them.
  auto named = [&](const std::string &expr) {
    std::string rounded = expr;
    if (isHalf(element))
      rounded = fromStorage(element, toStorage(element, expr));
    return let(type, "v", rounded);
  };
  Type in = op->getNumOperands() ? elementOf(op->getOperand(0)) : element;
  bool f = isFloat(in);

  // Broadcast, creation and injective ops: another index of the operand.
  if (auto broadcast = dyn_cast<BroadcastToOp>(op)) {
    auto from = shapeOf(broadcast.getOperand());
    size_t offset = shape.size() - from.size();
    Index at;
    for (size_t d = 0; d < from.size(); ++d)
      at.push_back(from[d] == 1 ? "0" : index[d + offset]);
    return valueAt(broadcast.getOperand(), at);
  }
  if (auto fill = dyn_cast<FillOp>(op))
    return valueAt(fill.getValue(), {});
  if (auto reshape = dyn_cast<ReshapeOp>(op)) {
    std::string linear = let("long long", "l", linearize(index, shape));
    return valueAt(reshape.getOperand(),
                   delinearize(linear, shapeOf(reshape.getOperand())));
  }
  if (auto transpose = dyn_cast<TransposeOp>(op)) {
    Index at(index.size());
    for (auto [i, p] : llvm::enumerate(transpose.getPermutation()))
      at[p] = index[i];
    return valueAt(transpose.getOperand(), at);
  }
  if (auto slice = dyn_cast<SliceOp>(op)) {
    Index at;
    for (size_t d = 0; d < index.size(); ++d) {
      int64_t start = slice.getStart()[d], stride = slice.getStrides()[d];
      std::string i = index[d];
      if (stride != 1)
        i = "(" + i + ") * " + std::to_string(stride) + "LL";
      at.push_back(start ? std::to_string(start) + "LL + " + i : i);
    }
    return valueAt(slice.getOperand(), at);
  }
  if (auto concat = dyn_cast<ConcatOp>(op)) {
    int64_t dim = concat.getDim(), offset = 0;
    std::string v = fresh("v");
    line(type + " " + v + ";");
    size_t pieces = concat.getInputs().size();
    for (auto [i, input] : llvm::enumerate(concat.getInputs())) {
      int64_t size = shapeOf(input)[dim];
      Index at = index;
      if (offset)
        at[dim] = "(" + index[dim] + " - " + std::to_string(offset) + "LL)";
      std::string head =
          i == 0
              ? "if (" + index[dim] + " < " + std::to_string(offset + size) +
                    "LL)"
              : (i + 1 == pieces ? std::string("else")
                                 : "else if (" + index[dim] + " < " +
                                       std::to_string(offset + size) + "LL)");
      open(head);
      line(v + " = " + valueAt(input, at) + ";");
      close();
      offset += size;
    }
    return v;
  }
  if (auto pad = dyn_cast<PadOp>(op)) {
    auto from = shapeOf(pad.getOperand());
    std::string v = fresh("v");
    line(type + " " + v + " = " + valueAt(pad.getPaddingValue(), {}) + ";");
    Index at;
    std::string inside;
    for (size_t d = 0; d < index.size(); ++d) {
      int64_t low = pad.getLow()[d];
      std::string i =
          low ? "(" + index[d] + " - " + std::to_string(low) + "LL)" : index[d];
      at.push_back(i);
      if (!inside.empty())
        inside += " && ";
      inside += i + " >= 0 && " + i + " < " + std::to_string(from[d]) + "LL";
    }
    open("if (" + (inside.empty() ? std::string("true") : inside) + ")");
    line(v + " = " + valueAt(pad.getOperand(), at) + ";");
    close();
    return v;
  }
  if (auto gather = dyn_cast<GatherOp>(op)) {
    int64_t dim = gather.getDim();
    size_t rank = shapeOf(gather.getIndices()).size();
    int64_t size = shapeOf(gather.getOperand())[dim];
    Index positions(index.begin() + dim, index.begin() + dim + rank);
    std::string position =
        let("long long", "g",
            "(long long)" + valueAt(gather.getIndices(), positions));
    // An index out of range reads the nearest row, never outside memory.
    position = let("long long", "g",
                   position + " < 0 ? 0LL : (" + position +
                       " >= " + std::to_string(size) + "LL ? " +
                       std::to_string(size - 1) + "LL : " + position + ")");
    Index at(index.begin(), index.begin() + dim);
    at.push_back(position);
    at.append(index.begin() + dim + rank, index.end());
    return valueAt(gather.getOperand(), at);
  }
  if (auto iota = dyn_cast<IotaOp>(op))
    return named("(" + type + ")" + index[iota.getDim()]);
  if (isa<RngUniformOp, RngNormalOp>(op)) {
    std::string seed = valueAt(op->getOperand(0), {});
    std::string offset = valueAt(op->getOperand(1), {});
    std::string counter = "(unsigned long long)" + offset +
                          " + (unsigned long long)(" + linearize(index, shape) +
                          ")";
    if (isa<RngNormalOp>(op))
      return named("(" + type + ")kiln_normal(" + counter +
                   ", (unsigned long long)" + seed + ")");
    int bits = std::min<int>(cast<FloatType>(element).getFPMantissaWidth(), 53);
    return named(
        "(" + type + ")kiln_uniform(" + counter + ", (unsigned long long)" +
        seed + ", " + std::to_string(bits) + ", " +
        literal(Float64Type::get(op->getContext()), std::ldexp(1.0, -bits)) +
        ")");
  }

  // Elementwise ops on the operands at the same index.
  auto zero = [&] { return literal(in, 0); };
  return llvm::TypeSwitch<Operation *, std::string>(op)
      .Case([&](NegOp) { return named("-" + arg(0)); })
      .Case([&](AbsOp) {
        std::string a = arg(0);
        return named(f ? math("fabs", in) + "(" + a + ")"
                       : "(" + a + " < 0 ? -" + a + " : " + a + ")");
      })
      .Case([&](ExpOp) { return named(math("exp", in) + "(" + arg(0) + ")"); })
      .Case([&](LogOp) { return named(math("log", in) + "(" + arg(0) + ")"); })
      .Case([&](Log1pOp) {
        return named(math("log1p", in) + "(" + arg(0) + ")");
      })
      .Case([&](ErfOp) { return named(math("erf", in) + "(" + arg(0) + ")"); })
      .Case(
          [&](SqrtOp) { return named(math("sqrt", in) + "(" + arg(0) + ")"); })
      .Case([&](RsqrtOp) {
        return named(math("rsqrt", in) + "(" + arg(0) + ")");
      })
      .Case(
          [&](ReciprocalOp) { return named(literal(in, 1) + " / " + arg(0)); })
      .Case(
          [&](TanhOp) { return named(math("tanh", in) + "(" + arg(0) + ")"); })
      .Case([&](SigmoidOp) {
        return named(literal(in, 1) + " / (" + literal(in, 1) + " + " +
                     math("exp", in) + "(-" + arg(0) + "))");
      })
      .Case([&](ReluOp) {
        std::string a = arg(0);
        return named(f ? "kiln_maximum(" + a + ", " + zero() + ")"
                       : "(" + a + " > 0 ? " + a + " : " + zero() + ")");
      })
      .Case([&](SinOp) { return named(math("sin", in) + "(" + arg(0) + ")"); })
      .Case([&](CosOp) { return named(math("cos", in) + "(" + arg(0) + ")"); })
      .Case([&](SignOp) {
        std::string a = arg(0);
        return named("(" + type + ")((" + a + " > " + zero() + ") - (" + a +
                     " < " + zero() + "))");
      })
      .Case([&](FloorOp) {
        return named(math("floor", in) + "(" + arg(0) + ")");
      })
      .Case([&](NotOp) {
        return named(in.isInteger(1) ? "!" + arg(0) : "~" + arg(0));
      })
      .Case([&](GeluOp gelu) {
        std::string x = arg(0), inner;
        if (gelu.getApproximate() == GeluApproximation::tanh) {
          inner = math("tanh", in) + "(" +
                  literal(in, std::sqrt(2.0 / std::numbers::pi)) + " * (" + x +
                  " + " + literal(in, 0.044715) + " * (" + x + " * (" + x +
                  " * " + x + "))))";
        } else {
          inner = math("erf", in) + "(" + x + " * " +
                  literal(in, 1.0 / std::numbers::sqrt2) + ")";
        }
        return named(literal(in, 0.5) + " * " + x + " * (" + literal(in, 1) +
                     " + " + inner + ")");
      })
      .Case([&](AddOp) { return named(arg(0) + " + " + arg(1)); })
      .Case([&](SubOp) { return named(arg(0) + " - " + arg(1)); })
      .Case([&](MulOp) { return named(arg(0) + " * " + arg(1)); })
      .Case([&](DivOp) {
        return named(f ? arg(0) + " / " + arg(1)
                       : "kiln_div_int(" + arg(0) + ", " + arg(1) + ")");
      })
      .Case([&](PowOp) {
        return named(math("pow", in) + "(" + arg(0) + ", " + arg(1) + ")");
      })
      .Case([&](MaximumOp) {
        return named("kiln_maximum(" + arg(0) + ", " + arg(1) + ")");
      })
      .Case([&](MinimumOp) {
        return named("kiln_minimum(" + arg(0) + ", " + arg(1) + ")");
      })
      .Case([&](AndOp) {
        return named(in.isInteger(1) ? arg(0) + " && " + arg(1)
                                     : arg(0) + " & " + arg(1));
      })
      .Case([&](OrOp) {
        return named(in.isInteger(1) ? arg(0) + " || " + arg(1)
                                     : arg(0) + " | " + arg(1));
      })
      .Case([&](CompareOp compare) {
        static constexpr const char *operators[] = {"==", "!=", "<",
                                                    "<=", ">",  ">="};
        return named(arg(0) + " " +
                     operators[static_cast<int>(compare.getDirection())] + " " +
                     arg(1));
      })
      .Case([&](SelectOp) {
        return named(arg(0) + " ? " + arg(1) + " : " + arg(2));
      })
      .Case([&](ConvertOp) {
        std::string a = arg(0);
        if (element.isInteger(1))
          return named("(" + a + " != " + zero() + ")");
        // A float reaches a narrow integer through int, keeping the bits of
        // values in the unsigned reading's range (uint8's 200), as on the CPU.
        if (!isFloat(element) && element.getIntOrFloatBitWidth() < 32 &&
            isFloat(elementOf(op->getOperand(0))))
          return named("(" + type + ")(int)" + a);
        return named("(" + type + ")" + a);
      })
      .Default([&](Operation *other) -> std::string {
        throw Error("the CUDA backend cannot compute " +
                    other->getName().getStringRef().str() +
                    " inside a kernel of another op");
      });
}

std::string KernelWriter::source(unsigned launchBound) const {
  std::string text = "extern \"C\" __global__ void __launch_bounds__(" +
                     std::to_string(launchBound) + ") " + name_ + "(";
  for (size_t i = 0; i < params_.size(); ++i) {
    if (i)
      text += ", ";
    text += (writable_[i] ? "" : "const ") + params_[i] + "* __restrict__ p" +
            std::to_string(i);
  }
  text += ") {\n" + shared_ + body_ + "}\n";
  return text;
}

} // namespace kiln::codegen::cuda

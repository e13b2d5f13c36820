//===- TensorContraction.cpp - Contractions -------------------------------===//
//
// matmul, mm and bmm, with broadcasting of the batch dimensions.
//
//===----------------------------------------------------------------------===//
#include "kiln/frontend/Recording.h"
#include "kiln/frontend/Tensor.h"
#include "kiln/frontend/TensorInternal.h"

namespace kiln {

using namespace detail;

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

Tensor Tensor::matmul(const Tensor &other, Loc loc) const {
  checkDefined(*this, "matmul", loc);
  checkDefined(other, "matmul", loc);
  const Tensor &a = *this, &b = other;
  if (a.dim() == 0 || b.dim() == 0)
    fail(loc, "matmul",
         "both arguments need at least 1 dimension, got " + str(a.sizes()) +
             " and " + str(b.sizes()));
  if (a.dtype() != b.dtype())
    fail(loc, "matmul",
         "expected both operands to have the same dtype, got " +
             str(a.dtype()) + " and " + str(b.dtype()));
  if (a.dtype() == kBool)
    fail(loc, "matmul", "is not defined for bool tensors");
  // Vectors become matrices for the product and lose that dimension after.
  Tensor lhs = a.dim() == 1 ? a.unsqueeze(0, loc) : a;
  Tensor rhs = b.dim() == 1 ? b.unsqueeze(1, loc) : b;
  int64_t k1 = lhs.size(-1), k2 = rhs.size(-2);
  if (k1 != k2)
    fail(loc, "matmul",
         "shapes " + str(a.sizes()) + " and " + str(b.sizes()) +
             " cannot be multiplied (" + std::to_string(k1) + " vs " +
             std::to_string(k2) + ")");
  Shape lb(lhs.sizes().begin(), lhs.sizes().end() - 2);
  Shape rb(rhs.sizes().begin(), rhs.sizes().end() - 2);
  Shape shape = broadcastShapes(lb, rb, "matmul", loc);
  shape.push_back(lhs.size(-2));
  shape.push_back(rhs.size(-1));
  Tensor product =
      record("kiln.matmul", {lhs, rhs}, {}, {shape, a.dtype()}, loc);
  Shape out = shape;
  if (b.dim() == 1)
    out.erase(out.end() - 1);
  if (a.dim() == 1)
    out.erase(out.end() - (b.dim() == 1 ? 1 : 2));
  return out == shape ? product : product.reshape(out, loc);
}

Tensor Tensor::mm(const Tensor &other, Loc loc) const {
  checkDefined(*this, "mm", loc);
  checkDefined(other, "mm", loc);
  if (dim() != 2 || other.dim() != 2)
    fail(loc, "mm",
         "needs two 2-d tensors, got " + str(sizes()) + " and " +
             str(other.sizes()));
  return matmul(other, loc);
}

Tensor Tensor::bmm(const Tensor &other, Loc loc) const {
  checkDefined(*this, "bmm", loc);
  checkDefined(other, "bmm", loc);
  if (dim() != 3 || other.dim() != 3 || size(0) != other.size(0))
    fail(loc, "bmm",
         "needs two 3-d tensors with equal batch sizes, got " + str(sizes()) +
             " and " + str(other.sizes()));
  return matmul(other, loc);
}

Tensor matmul(const Tensor &a, const Tensor &b, Loc loc) {
  return a.matmul(b, loc);
}
Tensor mm(const Tensor &a, const Tensor &b, Loc loc) { return a.mm(b, loc); }
Tensor bmm(const Tensor &a, const Tensor &b, Loc loc) { return a.bmm(b, loc); }

} // namespace kiln

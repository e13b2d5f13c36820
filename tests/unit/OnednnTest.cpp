//===- OnednnTest.cpp - The runtime's oneDNN entry points with epilogues --===//
#include "kiln/runtime/Onednn.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

using kiln::runtime::EpilogueOp;
using kiln::runtime::MemRefDescriptor;

namespace {

/// A row-major descriptor of `data` with `sizes`.
template <int N>
MemRefDescriptor<N> describe(std::vector<float> &data,
                             const int64_t (&sizes)[N]) {
  MemRefDescriptor<N> d{data.data(), data.data(), 0, {}, {}};
  int64_t stride = 1;
  for (int i = N - 1; i >= 0; --i) {
    d.sizes[i] = sizes[i];
    d.strides[i] = stride;
    stride *= sizes[i];
  }
  return d;
}

std::vector<float> values(size_t n, double scale) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i)
    v[i] = static_cast<float>(std::sin(scale * (i + 1)));
  return v;
}

int64_t code(std::initializer_list<EpilogueOp> ops) {
  int64_t result = 0, shift = 0;
  for (EpilogueOp op : ops) {
    result |= static_cast<int64_t>(op) << shift;
    shift += 4;
  }
  return result;
}

/// relu(A @ B + bias + addend) or, with `bias` empty, without the bias.
std::vector<float> reference(const std::vector<float> &a,
                             const std::vector<float> &b,
                             const std::vector<float> &bias,
                             const std::vector<float> &addend, int64_t m,
                             int64_t k, int64_t n) {
  std::vector<float> c(m * n);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      double sum = 0;
      for (int64_t q = 0; q < k; ++q)
        sum += a[i * k + q] * b[q * n + j];
      if (!bias.empty())
        sum += bias[j];
      sum += addend[i * n + j];
      c[i * n + j] = static_cast<float>(std::max(sum, 0.0));
    }
  return c;
}

} // namespace

TEST(Onednn, MatmulAppliesBiasAdditionAndRelu) {
  int64_t m = 48, k = 64, n = 40;
  auto a = values(m * k, 0.3), b = values(k * n, 0.7), bias = values(n, 1.1),
       addend = values(m * n, 0.5);
  auto expected = reference(a, b, bias, addend, m, k, n);
  std::vector<float> dst(m * n, 123.0f); // not read
  auto ad = describe(a, {m, k}), bd = describe(b, {k, n}),
       cd = describe(dst, {m, n}), rd = describe(addend, {m, n});
  auto biasD = describe(bias, {n});
  _mlir_ciface_kiln_matmul_epilogue_f32(
      &ad, &bd, &cd, &biasD, &rd, code({EpilogueOp::Add, EpilogueOp::Relu}));
  for (int64_t i = 0; i < m * n; ++i)
    EXPECT_NEAR(dst[i], expected[i], 1e-4f * (1 + std::abs(expected[i])));
}

TEST(Onednn, AnAddendThatIsTheDestinationIsReadBeforeItIsWritten) {
  int64_t m = 32, k = 16, n = 24;
  auto a = values(m * k, 0.2), b = values(k * n, 0.9), dst = values(m * n, 0.4);
  auto expected = reference(a, b, {}, dst, m, k, n);
  std::vector<float> noBias;
  auto ad = describe(a, {m, k}), bd = describe(b, {k, n}),
       cd = describe(dst, {m, n});
  auto biasD = describe(noBias, {0});
  _mlir_ciface_kiln_matmul_epilogue_f32(
      &ad, &bd, &cd, &biasD, &cd, code({EpilogueOp::Add, EpilogueOp::Relu}));
  for (int64_t i = 0; i < m * n; ++i)
    EXPECT_NEAR(dst[i], expected[i], 1e-4f * (1 + std::abs(expected[i])));
}

TEST(Onednn, AnEmptyContractionStillAppliesTheEpilogue) {
  int64_t m = 3, n = 5;
  std::vector<float> a, b, bias = values(n, 1.3), zeros(m * n, 0.0f);
  std::vector<float> dst(m * n, 7.0f);
  auto expected = reference(a, b, bias, zeros, m, 0, n);
  auto ad = describe(a, {m, 0}), bd = describe(b, {0, n}),
       cd = describe(dst, {m, n});
  auto biasD = describe(bias, {n});
  _mlir_ciface_kiln_matmul_epilogue_f32(&ad, &bd, &cd, &biasD, &cd,
                                        code({EpilogueOp::Relu}));
  for (int64_t i = 0; i < m * n; ++i)
    EXPECT_FLOAT_EQ(dst[i], expected[i]);
}

TEST(Onednn, ConvolutionAppliesPerChannelBiasAndGelu) {
  int64_t batch = 2, c = 3, f = 4, h = 9, w = 9, kh = 3, kw = 3;
  int64_t oh = h - kh + 1, ow = w - kw + 1;
  auto x = values(batch * c * h * w, 0.37),
       filter = values(f * c * kh * kw, 0.71), bias = values(f, 1.7);
  std::vector<float> y(batch * f * oh * ow);
  auto xd = describe(x, {batch, c, h, w}),
       fd = describe(filter, {f, c, kh, kw}),
       yd = describe(y, {batch, f, oh, ow});
  auto biasD = describe(bias, {f});
  _mlir_ciface_kiln_conv2d_epilogue_f32(&xd, &fd, &yd, &biasD, &yd, 1, 1, 1, 1,
                                        code({EpilogueOp::GeluErf}));
  for (int64_t n = 0; n < batch; ++n)
    for (int64_t o = 0; o < f; ++o)
      for (int64_t i = 0; i < oh; ++i)
        for (int64_t j = 0; j < ow; ++j) {
          double sum = bias[o];
          for (int64_t q = 0; q < c; ++q)
            for (int64_t p = 0; p < kh; ++p)
              for (int64_t r = 0; r < kw; ++r)
                sum += x[((n * c + q) * h + i + p) * w + j + r] *
                       filter[((o * c + q) * kh + p) * kw + r];
          double gelu = 0.5 * sum * (1 + std::erf(sum / std::sqrt(2.0)));
          float got = y[((n * f + o) * oh + i) * ow + j];
          EXPECT_NEAR(got, gelu, 1e-4 * (1 + std::abs(gelu)));
        }
}

//===- Onednn.cpp - Matmul through oneDNN, callable from compiled code ----===//
//
// Primitives are created once per shape, layout and thread and cached; a
// call with a known shape only binds pointers and executes.
//
//===----------------------------------------------------------------------===//
#include "kiln/runtime/Onednn.h"

#include <oneapi/dnnl/dnnl.hpp>

#include <map>
#include <vector>

namespace {

using Dims = dnnl::memory::dims;

/// A memref's oneDNN descriptor (f32, its own strides) and data pointer.
template <int N>
std::pair<dnnl::memory::desc, float *>
describe(const kiln::runtime::MemRefDescriptor<N> &m, int rank) {
  Dims sizes, strides;
  for (int i = N - rank; i < N; ++i) {
    sizes.push_back(m.sizes[i]);
    // oneDNN rejects a zero stride; any value serves a size-1 dimension.
    strides.push_back(m.sizes[i] == 1 && m.strides[i] == 0 ? 1 : m.strides[i]);
  }
  return {dnnl::memory::desc(sizes, dnnl::memory::data_type::f32, strides),
          static_cast<float *>(m.aligned) + m.offset};
}

/// A sum post-op: results accumulate into the destination, as linalg's
/// matmul and convolution do.
dnnl::primitive_attr accumulating() {
  dnnl::post_ops ops;
  ops.append_sum(1.0f);
  dnnl::primitive_attr attr;
  attr.set_post_ops(ops);
  return attr;
}

struct MatmulKey {
  std::vector<int64_t> values;
  bool operator<(const MatmulKey &o) const { return values < o.values; }
};

struct Engine {
  dnnl::engine engine{dnnl::engine::kind::cpu, 0};
};

/// The calling thread's primitives. A oneDNN primitive keeps its scratchpad
/// with it, so one primitive executed by two threads at once corrupts
/// results: each thread creates its own.
std::map<MatmulKey, dnnl::matmul> &threadPrimitives() {
  thread_local std::map<MatmulKey, dnnl::matmul> primitives;
  return primitives;
}

Engine &engine() {
  static auto *e = new Engine; // never destroyed: compiled code may run late
  return *e;
}

/// C += A @ B by plain loops: the answer when oneDNN cannot take a layout.
template <int N>
void naiveMatmul(const kiln::runtime::MemRefDescriptor<N> &a,
                 const kiln::runtime::MemRefDescriptor<N> &b,
                 const kiln::runtime::MemRefDescriptor<N> &c) {
  int64_t batch = N == 3 ? c.sizes[0] : 1;
  int64_t m = c.sizes[N - 2], n = c.sizes[N - 1], k = a.sizes[N - 1];
  auto at = [](const kiln::runtime::MemRefDescriptor<N> &d, int64_t p,
               int64_t i, int64_t j) -> float & {
    int64_t index = d.offset + i * d.strides[N - 2] + j * d.strides[N - 1];
    if constexpr (N == 3)
      index += p * d.strides[0];
    return static_cast<float *>(d.aligned)[index];
  };
  for (int64_t p = 0; p < batch; ++p)
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        float sum = at(c, p, i, j);
        for (int64_t q = 0; q < k; ++q)
          sum += at(a, p, i, q) * at(b, p, q, j);
        at(c, p, i, j) = sum;
      }
}

/// C += A @ B, with A [batch?, M, K], B [batch?, K, N], C [batch?, M, N].
template <int N>
void matmul(kiln::runtime::MemRefDescriptor<N> *a,
            kiln::runtime::MemRefDescriptor<N> *b,
            kiln::runtime::MemRefDescriptor<N> *c) {
  if (a->sizes[N - 1] == 0 || c->sizes[N - 2] == 0 || c->sizes[N - 1] == 0 ||
      (N == 3 && c->sizes[0] == 0))
    return; // nothing to add
  // Compiled code has no unwind path: a oneDNN error falls back to loops.
  try {
    auto [aDesc, aData] = describe(*a, N);
    auto [bDesc, bData] = describe(*b, N);
    auto [cDesc, cData] = describe(*c, N);
    MatmulKey key;
    for (auto *m : {a, b, c}) {
      key.values.insert(key.values.end(), m->sizes, m->sizes + N);
      key.values.insert(key.values.end(), m->strides, m->strides + N);
    }
    Engine &e = engine();
    auto &primitives = threadPrimitives();
    auto it = primitives.find(key);
    if (it == primitives.end()) {
      dnnl::matmul::desc desc(aDesc, bDesc, cDesc);
      dnnl::matmul::primitive_desc pd(desc, accumulating(), e.engine);
      it = primitives.emplace(key, dnnl::matmul(pd)).first;
    }
    const dnnl::matmul &primitive = it->second;
    dnnl::stream stream(e.engine);
    dnnl::memory am(aDesc, e.engine, aData), bm(bDesc, e.engine, bData),
        cm(cDesc, e.engine, cData);
    primitive.execute(
        stream,
        {{DNNL_ARG_SRC, am}, {DNNL_ARG_WEIGHTS, bm}, {DNNL_ARG_DST, cm}});
    stream.wait();
  } catch (const dnnl::error &) {
    naiveMatmul(*a, *b, *c);
  }
}

/// The calling thread's convolution primitives (see threadPrimitives).
std::map<MatmulKey, dnnl::convolution_forward> &threadConvolutions() {
  thread_local std::map<MatmulKey, dnnl::convolution_forward> primitives;
  return primitives;
}

/// output += conv(input, filter) by plain loops (NCHW, FCHW, no padding).
void naiveConv2d(const kiln::runtime::MemRefDescriptor<4> &x,
                 const kiln::runtime::MemRefDescriptor<4> &w,
                 const kiln::runtime::MemRefDescriptor<4> &y, int64_t sh,
                 int64_t sw, int64_t dh, int64_t dw) {
  auto at = [](const kiln::runtime::MemRefDescriptor<4> &d, int64_t a,
               int64_t b, int64_t c, int64_t e) -> float & {
    return static_cast<float *>(
        d.aligned)[d.offset + a * d.strides[0] + b * d.strides[1] +
                   c * d.strides[2] + e * d.strides[3]];
  };
  for (int64_t n = 0; n < y.sizes[0]; ++n)
    for (int64_t f = 0; f < y.sizes[1]; ++f)
      for (int64_t i = 0; i < y.sizes[2]; ++i)
        for (int64_t j = 0; j < y.sizes[3]; ++j) {
          float sum = at(y, n, f, i, j);
          for (int64_t c = 0; c < w.sizes[1]; ++c)
            for (int64_t p = 0; p < w.sizes[2]; ++p)
              for (int64_t q = 0; q < w.sizes[3]; ++q)
                sum += at(x, n, c, i * sh + p * dh, j * sw + q * dw) *
                       at(w, f, c, p, q);
          at(y, n, f, i, j) = sum;
        }
}

} // namespace

extern "C" void
_mlir_ciface_kiln_conv2d_f32(kiln::runtime::MemRefDescriptor<4> *input,
                             kiln::runtime::MemRefDescriptor<4> *filter,
                             kiln::runtime::MemRefDescriptor<4> *output,
                             int64_t strideH, int64_t strideW,
                             int64_t dilationH, int64_t dilationW) {
  for (int i = 0; i < 4; ++i)
    if (output->sizes[i] == 0 || filter->sizes[i] == 0)
      return; // nothing to add
  try {
    auto [xDesc, xData] = describe(*input, 4);
    auto [wDesc, wData] = describe(*filter, 4);
    auto [yDesc, yData] = describe(*output, 4);
    MatmulKey key{{strideH, strideW, dilationH, dilationW}};
    for (auto *m : {input, filter, output}) {
      key.values.insert(key.values.end(), m->sizes, m->sizes + 4);
      key.values.insert(key.values.end(), m->strides, m->strides + 4);
    }
    Engine &e = engine();
    auto &primitives = threadConvolutions();
    auto it = primitives.find(key);
    if (it == primitives.end()) {
      // The input is already padded; oneDNN counts dilation from 0.
      dnnl::convolution_forward::desc desc(
          dnnl::prop_kind::forward_inference,
          dnnl::algorithm::convolution_direct, xDesc, wDesc, yDesc,
          {strideH, strideW}, {dilationH - 1, dilationW - 1}, {0, 0}, {0, 0});
      dnnl::convolution_forward::primitive_desc pd(desc, accumulating(),
                                                   e.engine);
      it = primitives.emplace(key, dnnl::convolution_forward(pd)).first;
    }
    dnnl::stream stream(e.engine);
    dnnl::memory xm(xDesc, e.engine, xData), wm(wDesc, e.engine, wData),
        ym(yDesc, e.engine, yData);
    it->second.execute(
        stream,
        {{DNNL_ARG_SRC, xm}, {DNNL_ARG_WEIGHTS, wm}, {DNNL_ARG_DST, ym}});
    stream.wait();
  } catch (const dnnl::error &) {
    naiveConv2d(*input, *filter, *output, strideH, strideW, dilationH,
                dilationW);
  }
}

extern "C" void
_mlir_ciface_kiln_matmul_f32(kiln::runtime::MemRefDescriptor<2> *a,
                             kiln::runtime::MemRefDescriptor<2> *b,
                             kiln::runtime::MemRefDescriptor<2> *c) {
  matmul(a, b, c);
}

extern "C" void
_mlir_ciface_kiln_batch_matmul_f32(kiln::runtime::MemRefDescriptor<3> *a,
                                   kiln::runtime::MemRefDescriptor<3> *b,
                                   kiln::runtime::MemRefDescriptor<3> *c) {
  matmul(a, b, c);
}

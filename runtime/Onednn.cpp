//===- Onednn.cpp - Matmul through oneDNN, callable from compiled code ----===//
//
// Primitives are created once per shape, layout and thread and cached; a
// call with a known shape only binds pointers and executes.
//
//===----------------------------------------------------------------------===//
#include "kiln/runtime/Onednn.h"

#include <oneapi/dnnl/dnnl.hpp>

#include <cmath>
#include <map>
#include <unordered_map>
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

using kiln::runtime::EpilogueOp;
using kiln::runtime::MemRefDescriptor;

/// What a library call does with a contraction's result: linalg's
/// semantics (dst += result) by default; with `fused`, dst = the result
/// plus `bias`, then each operation of `ops` in turn.
template <int N> struct Epilogue {
  bool fused = false;
  const MemRefDescriptor<1> *bias = nullptr;   ///< none when it has no elements
  const MemRefDescriptor<N> *addend = nullptr; ///< read by EpilogueOp::Add
  int64_t ops = 0; ///< EpilogueOp codes, four bits each, the first lowest

  bool hasBias() const { return bias && bias->sizes[0] > 0; }

  /// The operations in order; throws dnnl::error on an unknown code.
  std::vector<EpilogueOp> decoded() const {
    std::vector<EpilogueOp> result;
    for (int64_t rest = ops; rest != 0; rest >>= 4) {
      int64_t code = rest & 0xf;
      if (code < 1 || code > 6 ||
          result.size() == size_t(kiln::runtime::kMaxEpilogueOps))
        throw dnnl::error(dnnl_invalid_arguments, "unknown epilogue");
      result.push_back(static_cast<EpilogueOp>(code));
    }
    return result;
  }

  /// Whether the addend is the destination itself (oneDNN's sum post-op).
  bool addsToItself(const MemRefDescriptor<N> &dst) const {
    return addend && addend->aligned == dst.aligned &&
           addend->offset == dst.offset;
  }

  /// The values that select a primitive, beyond the contraction's own.
  void appendKey(std::vector<int64_t> &key,
                 const MemRefDescriptor<N> &dst) const {
    key.push_back(fused);
    key.push_back(ops);
    key.push_back(hasBias());
    if (hasBias())
      key.push_back(bias->strides[0]);
    if (fused && addend) {
      key.push_back(addsToItself(dst));
      key.insert(key.end(), addend->strides, addend->strides + N);
    }
  }

  /// The position of the binary post-op that adds the addend (its memory
  /// is bound to DNNL_ARG_ATTR_MULTIPLE_POST_OP(position) | DNNL_ARG_SRC_1);
  /// -1 when there is none.
  int binaryAddendIndex(const MemRefDescriptor<N> &dst) const {
    if (!fused || !addend || addsToItself(dst))
      return -1;
    int position = 0;
    for (int64_t rest = ops; rest != 0; rest >>= 4, ++position)
      if (static_cast<EpilogueOp>(rest & 0xf) == EpilogueOp::Add)
        return position;
    return -1;
  }

  /// The post-ops of the primitive.
  dnnl::primitive_attr attr(const MemRefDescriptor<N> &dst) const {
    dnnl::post_ops postOps;
    bool added = false;
    if (!fused) {
      // Results accumulate into the destination, as linalg's matmul and
      // convolution do.
      postOps.append_sum(1.0f);
    }
    for (EpilogueOp op : decoded()) {
      switch (op) {
      case EpilogueOp::Relu:
        postOps.append_eltwise(1.0f, dnnl::algorithm::eltwise_relu, 0, 0);
        break;
      case EpilogueOp::GeluTanh:
        postOps.append_eltwise(1.0f, dnnl::algorithm::eltwise_gelu_tanh, 0, 0);
        break;
      case EpilogueOp::GeluErf:
        postOps.append_eltwise(1.0f, dnnl::algorithm::eltwise_gelu_erf, 0, 0);
        break;
      case EpilogueOp::Tanh:
        postOps.append_eltwise(1.0f, dnnl::algorithm::eltwise_tanh, 0, 0);
        break;
      case EpilogueOp::Sigmoid:
        postOps.append_eltwise(1.0f, dnnl::algorithm::eltwise_logistic, 0, 0);
        break;
      case EpilogueOp::Add:
        if (!addend || added)
          throw dnnl::error(dnnl_invalid_arguments, "one addend per call");
        added = true;
        // The destination's old contents are read before they are
        // overwritten only by the sum post-op, and only as its first.
        if (addsToItself(dst)) {
          if (postOps.len() != 0)
            throw dnnl::error(dnnl_invalid_arguments, "late sum");
          postOps.append_sum(1.0f);
        } else {
          postOps.append_binary(dnnl::algorithm::binary_add,
                                describe(*addend, N).first);
        }
        break;
      }
    }
    dnnl::primitive_attr result;
    result.set_post_ops(postOps);
    return result;
  }

  /// The arguments beyond source, weights and destination.
  void bind(std::unordered_map<int, dnnl::memory> &args,
            const dnnl::engine &engine, const MemRefDescriptor<N> &dst) const {
    if (hasBias()) {
      auto data = static_cast<float *>(bias->aligned) + bias->offset;
      args[DNNL_ARG_BIAS] = dnnl::memory(biasDesc(), engine, data);
    }
    if (int addendIndex = binaryAddendIndex(dst); addendIndex >= 0) {
      auto [desc, data] = describe(*addend, N);
      args[DNNL_ARG_ATTR_MULTIPLE_POST_OP(addendIndex) | DNNL_ARG_SRC_1] =
          dnnl::memory(desc, engine, data);
    }
  }

  /// The bias as oneDNN takes it: [F] for a convolution, [1, (1,) N] for a
  /// matmul.
  dnnl::memory::desc biasDesc() const {
    int64_t n = bias->sizes[0];
    int64_t stride = n == 1 && bias->strides[0] == 0 ? 1 : bias->strides[0];
    if constexpr (N == 4)
      return dnnl::memory::desc({n}, dnnl::memory::data_type::f32, {stride});
    Dims sizes(N - 1, 1), strides(N - 1, n * stride);
    sizes.push_back(n);
    strides.push_back(stride);
    return dnnl::memory::desc(sizes, dnnl::memory::data_type::f32, strides);
  }

  /// The finished value of the element at `index` in the destination, whose
  /// contraction sums to `sum` and whose bias index is `channel`: what the
  /// fallback loops store.
  float finish(const MemRefDescriptor<N> &dst, const int64_t (&index)[N],
               int64_t channel, float sum) const {
    auto element = [&](const MemRefDescriptor<N> &d) -> float & {
      int64_t at = d.offset;
      for (int i = 0; i < N; ++i)
        at += index[i] * d.strides[i];
      return static_cast<float *>(d.aligned)[at];
    };
    if (!fused)
      return element(dst) + sum;
    float v = sum;
    if (hasBias())
      v += static_cast<float *>(
          bias->aligned)[bias->offset + channel * bias->strides[0]];
    for (int64_t rest = ops; rest != 0; rest >>= 4) {
      switch (static_cast<EpilogueOp>(rest & 0xf)) {
      case EpilogueOp::Relu:
        v = v > 0 ? v : 0;
        break;
      case EpilogueOp::GeluTanh:
        v = 0.5f * v *
            (1 + std::tanh(0.7978845608f * (v + 0.044715f * v * v * v)));
        break;
      case EpilogueOp::GeluErf:
        v = 0.5f * v * (1 + std::erf(v * 0.70710678f));
        break;
      case EpilogueOp::Tanh:
        v = std::tanh(v);
        break;
      case EpilogueOp::Sigmoid:
        v = 1 / (1 + std::exp(-v));
        break;
      case EpilogueOp::Add:
        if (addend) // each element is read before it is stored
          v += element(*addend);
        break;
      default:
        break;
      }
    }
    return v;
  }
};

/// dst = finish(A @ B) by plain loops: the answer when oneDNN cannot take a
/// layout or an epilogue.
template <int N>
void naiveMatmul(const MemRefDescriptor<N> &a, const MemRefDescriptor<N> &b,
                 const MemRefDescriptor<N> &c, const Epilogue<N> &epilogue) {
  int64_t batch = N == 3 ? c.sizes[0] : 1;
  int64_t m = c.sizes[N - 2], n = c.sizes[N - 1], k = a.sizes[N - 1];
  auto at = [](const MemRefDescriptor<N> &d, int64_t p, int64_t i,
               int64_t j) -> float & {
    int64_t index = d.offset + i * d.strides[N - 2] + j * d.strides[N - 1];
    if constexpr (N == 3)
      index += p * d.strides[0];
    return static_cast<float *>(d.aligned)[index];
  };
  for (int64_t p = 0; p < batch; ++p)
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        float sum = 0;
        for (int64_t q = 0; q < k; ++q)
          sum += at(a, p, i, q) * at(b, p, q, j);
        int64_t index[N];
        if constexpr (N == 3)
          index[0] = p;
        index[N - 2] = i;
        index[N - 1] = j;
        at(c, p, i, j) = epilogue.finish(c, index, j, sum);
      }
}

/// finish(A @ B) into C, with A [batch?, M, K], B [batch?, K, N],
/// C [batch?, M, N].
template <int N>
void matmul(MemRefDescriptor<N> *a, MemRefDescriptor<N> *b,
            MemRefDescriptor<N> *c, const Epilogue<N> &epilogue = {}) {
  if (c->sizes[N - 2] == 0 || c->sizes[N - 1] == 0 ||
      (N == 3 && c->sizes[0] == 0))
    return; // no elements
  if (a->sizes[N - 1] == 0) {
    if (epilogue.fused)
      naiveMatmul(*a, *b, *c, epilogue);
    return; // nothing to add
  }
  // Compiled code has no unwind path: an error falls back to loops.
  try {
    auto [aDesc, aData] = describe(*a, N);
    auto [bDesc, bData] = describe(*b, N);
    auto [cDesc, cData] = describe(*c, N);
    MatmulKey key;
    for (auto *m : {a, b, c}) {
      key.values.insert(key.values.end(), m->sizes, m->sizes + N);
      key.values.insert(key.values.end(), m->strides, m->strides + N);
    }
    epilogue.appendKey(key.values, *c);
    Engine &e = engine();
    auto &primitives = threadPrimitives();
    auto it = primitives.find(key);
    if (it == primitives.end()) {
      auto desc =
          epilogue.hasBias()
              ? dnnl::matmul::desc(aDesc, bDesc, epilogue.biasDesc(), cDesc)
              : dnnl::matmul::desc(aDesc, bDesc, cDesc);
      dnnl::matmul::primitive_desc pd(desc, epilogue.attr(*c), e.engine);
      it = primitives.emplace(key, dnnl::matmul(pd)).first;
    }
    dnnl::stream stream(e.engine);
    std::unordered_map<int, dnnl::memory> args = {
        {DNNL_ARG_SRC, dnnl::memory(aDesc, e.engine, aData)},
        {DNNL_ARG_WEIGHTS, dnnl::memory(bDesc, e.engine, bData)},
        {DNNL_ARG_DST, dnnl::memory(cDesc, e.engine, cData)}};
    epilogue.bind(args, e.engine, *c);
    it->second.execute(stream, args);
    stream.wait();
  } catch (const std::exception &) {
    naiveMatmul(*a, *b, *c, epilogue);
  }
}

/// The calling thread's convolution primitives (see threadPrimitives).
std::map<MatmulKey, dnnl::convolution_forward> &threadConvolutions() {
  thread_local std::map<MatmulKey, dnnl::convolution_forward> primitives;
  return primitives;
}

/// y = finish(conv(x, w)) by plain loops (NCHW, FCHW, no padding).
void naiveConv2d(const MemRefDescriptor<4> &x, const MemRefDescriptor<4> &w,
                 const MemRefDescriptor<4> &y, int64_t sh, int64_t sw,
                 int64_t dh, int64_t dw, const Epilogue<4> &epilogue) {
  auto at = [](const MemRefDescriptor<4> &d, int64_t a, int64_t b, int64_t c,
               int64_t e) -> float & {
    return static_cast<float *>(
        d.aligned)[d.offset + a * d.strides[0] + b * d.strides[1] +
                   c * d.strides[2] + e * d.strides[3]];
  };
  for (int64_t n = 0; n < y.sizes[0]; ++n)
    for (int64_t f = 0; f < y.sizes[1]; ++f)
      for (int64_t i = 0; i < y.sizes[2]; ++i)
        for (int64_t j = 0; j < y.sizes[3]; ++j) {
          float sum = 0;
          for (int64_t c = 0; c < w.sizes[1]; ++c)
            for (int64_t p = 0; p < w.sizes[2]; ++p)
              for (int64_t q = 0; q < w.sizes[3]; ++q)
                sum += at(x, n, c, i * sh + p * dh, j * sw + q * dw) *
                       at(w, f, c, p, q);
          at(y, n, f, i, j) = epilogue.finish(y, {n, f, i, j}, f, sum);
        }
}

/// finish(conv2d(input, filter)) into output (see kiln_conv2d_f32).
void conv2d(MemRefDescriptor<4> *input, MemRefDescriptor<4> *filter,
            MemRefDescriptor<4> *output, int64_t strideH, int64_t strideW,
            int64_t dilationH, int64_t dilationW,
            const Epilogue<4> &epilogue = {}) {
  for (int i = 0; i < 4; ++i)
    if (output->sizes[i] == 0)
      return; // no elements
  for (int i = 1; i < 4; ++i)
    if (filter->sizes[i] == 0) {
      if (epilogue.fused)
        naiveConv2d(*input, *filter, *output, strideH, strideW, dilationH,
                    dilationW, epilogue);
      return; // nothing to add
    }
  try {
    auto [xDesc, xData] = describe(*input, 4);
    auto [wDesc, wData] = describe(*filter, 4);
    auto [yDesc, yData] = describe(*output, 4);
    MatmulKey key{{strideH, strideW, dilationH, dilationW}};
    for (auto *m : {input, filter, output}) {
      key.values.insert(key.values.end(), m->sizes, m->sizes + 4);
      key.values.insert(key.values.end(), m->strides, m->strides + 4);
    }
    epilogue.appendKey(key.values, *output);
    Engine &e = engine();
    auto &primitives = threadConvolutions();
    auto it = primitives.find(key);
    if (it == primitives.end()) {
      // The input is already padded; oneDNN counts dilation from 0.
      Dims strides = {strideH, strideW};
      Dims dilations = {dilationH - 1, dilationW - 1};
      auto desc = epilogue.hasBias()
                      ? dnnl::convolution_forward::desc(
                            dnnl::prop_kind::forward_inference,
                            dnnl::algorithm::convolution_direct, xDesc, wDesc,
                            epilogue.biasDesc(), yDesc, strides, dilations,
                            {0, 0}, {0, 0})
                      : dnnl::convolution_forward::desc(
                            dnnl::prop_kind::forward_inference,
                            dnnl::algorithm::convolution_direct, xDesc, wDesc,
                            yDesc, strides, dilations, {0, 0}, {0, 0});
      dnnl::convolution_forward::primitive_desc pd(desc, epilogue.attr(*output),
                                                   e.engine);
      it = primitives.emplace(key, dnnl::convolution_forward(pd)).first;
    }
    dnnl::stream stream(e.engine);
    std::unordered_map<int, dnnl::memory> args = {
        {DNNL_ARG_SRC, dnnl::memory(xDesc, e.engine, xData)},
        {DNNL_ARG_WEIGHTS, dnnl::memory(wDesc, e.engine, wData)},
        {DNNL_ARG_DST, dnnl::memory(yDesc, e.engine, yData)}};
    epilogue.bind(args, e.engine, *output);
    it->second.execute(stream, args);
    stream.wait();
  } catch (const std::exception &) {
    naiveConv2d(*input, *filter, *output, strideH, strideW, dilationH,
                dilationW, epilogue);
  }
}

} // namespace

extern "C" void _mlir_ciface_kiln_conv2d_f32(MemRefDescriptor<4> *input,
                                             MemRefDescriptor<4> *filter,
                                             MemRefDescriptor<4> *output,
                                             int64_t strideH, int64_t strideW,
                                             int64_t dilationH,
                                             int64_t dilationW) {
  conv2d(input, filter, output, strideH, strideW, dilationH, dilationW);
}

extern "C" void _mlir_ciface_kiln_conv2d_epilogue_f32(
    MemRefDescriptor<4> *input, MemRefDescriptor<4> *filter,
    MemRefDescriptor<4> *output, MemRefDescriptor<1> *bias,
    MemRefDescriptor<4> *addend, int64_t strideH, int64_t strideW,
    int64_t dilationH, int64_t dilationW, int64_t epilogue) {
  conv2d(input, filter, output, strideH, strideW, dilationH, dilationW,
         {true, bias, addend, epilogue});
}

extern "C" void _mlir_ciface_kiln_matmul_f32(MemRefDescriptor<2> *a,
                                             MemRefDescriptor<2> *b,
                                             MemRefDescriptor<2> *c) {
  matmul(a, b, c);
}

extern "C" void _mlir_ciface_kiln_batch_matmul_f32(MemRefDescriptor<3> *a,
                                                   MemRefDescriptor<3> *b,
                                                   MemRefDescriptor<3> *c) {
  matmul(a, b, c);
}

extern "C" void _mlir_ciface_kiln_matmul_epilogue_f32(
    MemRefDescriptor<2> *a, MemRefDescriptor<2> *b, MemRefDescriptor<2> *dst,
    MemRefDescriptor<1> *bias, MemRefDescriptor<2> *addend, int64_t epilogue) {
  matmul(a, b, dst, {true, bias, addend, epilogue});
}

extern "C" void _mlir_ciface_kiln_batch_matmul_epilogue_f32(
    MemRefDescriptor<3> *a, MemRefDescriptor<3> *b, MemRefDescriptor<3> *dst,
    MemRefDescriptor<1> *bias, MemRefDescriptor<3> *addend, int64_t epilogue) {
  matmul(a, b, dst, {true, bias, addend, epilogue});
}

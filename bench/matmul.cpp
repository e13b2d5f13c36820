//===- matmul.cpp - Kiln's matmul against oneDNN called directly ----------===//
//
// GFLOPS at 64x784x256 (an MLP layer) and 1024^3, Kiln (record, cache hit,
// run) against a oneDNN matmul primitive created once and executed in the
// same run. Goal: Kiln within 10% of oneDNN. Then the same through Kiln's
// own loops, which use_deterministic_algorithms(true) selects. Last, a
// Linear layer's forward with relu, relu(x @ w.t() + b), with its bias and
// relu applied by the matmul's oneDNN call (post-ops) against the same
// program with them as a loop of their own (KILN_POST_OPS=0), with the
// kernel count of each.
//
//===----------------------------------------------------------------------===//
#include "BenchUtil.h"

#include <kiln/kiln.h>
#include <oneapi/dnnl/dnnl.hpp>

#include <atomic>
#include <cstdio>

static double onednnSeconds(int64_t m, int64_t k, int64_t n, int repeats,
                            const float *a, const float *b, float *c) {
  using tag = dnnl::memory::format_tag;
  using dt = dnnl::memory::data_type;
  dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  dnnl::stream stream(engine);
  dnnl::memory::desc ad({m, k}, dt::f32, tag::ab), bd({k, n}, dt::f32, tag::ab),
      cd({m, n}, dt::f32, tag::ab);
  dnnl::matmul primitive(
      dnnl::matmul::primitive_desc(dnnl::matmul::desc(ad, bd, cd), engine));
  dnnl::memory am(ad, engine, const_cast<float *>(a)),
      bm(bd, engine, const_cast<float *>(b)), cm(cd, engine, c);
  return kiln::bench::medianSeconds(repeats, [&] {
    primitive.execute(
        stream,
        {{DNNL_ARG_SRC, am}, {DNNL_ARG_WEIGHTS, bm}, {DNNL_ARG_DST, cm}});
    stream.wait();
  });
}

int main() {
  kiln::manual_seed(0);
  for (auto [m, k, n, repeats] :
       {std::tuple<int64_t, int64_t, int64_t, int>{64, 784, 256, 201},
        {1024, 1024, 1024, 11}}) {
    auto a = kiln::randn({m, k});
    auto b = kiln::randn({k, n});
    kiln::sync();
    auto run = [&] { a.matmul(b).data_ptr(); };
    run();
    double kilnS = kiln::bench::medianSeconds(repeats, run);
    std::vector<float> c(m * n);
    double dnnlS = onednnSeconds(m, k, n, repeats, a.data_ptr<float>(),
                                 b.data_ptr<float>(), c.data());
    double flops = 2.0 * m * k * n;
    std::printf("matmul %lldx%lldx%lld (median of %d, %d thread(s)): kiln "
                "%.1f GFLOPS, oneDNN direct %.1f GFLOPS (kiln/oneDNN %.2f)\n",
                static_cast<long long>(m), static_cast<long long>(k),
                static_cast<long long>(n), repeats, kiln::get_num_threads(),
                flops / kilnS * 1e-9, flops / dnnlS * 1e-9, dnnlS / kilnS);
    // The cost of use_deterministic_algorithms: Kiln's own loops.
    kiln::use_deterministic_algorithms(true);
    run();
    int deterministicRepeats = m * k * n > 100'000'000 ? 3 : 21;
    double loopsS = kiln::bench::medianSeconds(deterministicRepeats, run);
    kiln::use_deterministic_algorithms(false);
    std::printf("  with use_deterministic_algorithms(true) (median of %d): "
                "%.1f GFLOPS\n",
                deterministicRepeats, flops / loopsS * 1e-9);
  }
  for (auto [batch, in, out, repeats] :
       {std::tuple<int64_t, int64_t, int64_t, int>{64, 784, 256, 201},
        {512, 1024, 1024, 31}}) {
    kiln::nn::Linear fc(in, out);
    auto x = kiln::randn({batch, in});
    kiln::sync();
    auto run = [&] {
      kiln::NoGradGuard inference;
      // The pre-activation must not outlive the statement, or the program
      // would return it too.
      kiln::Tensor y = fc->forward(x).relu();
      y.data_ptr();
    };
    auto measure = [&](bool postOps) {
      kiln::set_post_ops_enabled(postOps);
      run(); // compile
      uint64_t kernels = kiln::stats().last_compiled.kernels;
      return std::pair{kiln::bench::medianSeconds(repeats, run), kernels};
    };
    auto [withS, withKernels] = measure(true);
    auto [withoutS, withoutKernels] = measure(false);
    kiln::set_post_ops_enabled(true);
    std::printf("Linear(%lld, %lld) + relu forward, batch %lld (median of %d, "
                "%d thread(s)): post-ops %.1f us (%llu kernels), without "
                "%.1f us (%llu kernels), speedup %.2fx\n",
                static_cast<long long>(in), static_cast<long long>(out),
                static_cast<long long>(batch), repeats, kiln::get_num_threads(),
                withS * 1e6, static_cast<unsigned long long>(withKernels),
                withoutS * 1e6, static_cast<unsigned long long>(withoutKernels),
                withoutS / withS);
  }
}

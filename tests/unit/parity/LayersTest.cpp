//===- LayersTest.cpp - 1-d and adaptive pooling, padding, activations -----===//
//
// LibTorch's MaxPool1d, AvgPool1d, adaptive pooling, the padding layers,
// PReLU, GLU, Softmin, Softsign, Tanhshrink, LogSigmoid, Hardsigmoid,
// PixelShuffle, PairwiseDistance and Embedding(Bag)::from_pretrained with
// max_norm and scale_grad_by_freq, module and functional forms, in
// LibTorch's spelling.
//
//===----------------------------------------------------------------------===//

#include "../TestUtil.h"

#include <kiln/compat/torch.h>
#include <kiln/kiln.h>

#include <cmath>

namespace {

using namespace kiln;
namespace F = kiln::nn::functional;
using kiln::testing::expectAllNear;
using kiln::testing::expectError;
using kiln::testing::expectGradientsMatchFiniteDifferences;
using kiln::testing::values;

TEST(ParityLayers, OneDimensionalPooling) {
  auto x = tensor({{{1.0f, 3.0f, 2.0f, 5.0f, 4.0f, 0.0f}}}); // [1, 1, 6]
  nn::MaxPool1d maxPool(nn::MaxPool1dOptions(2));
  expectAllNear(values(maxPool(x)), {3, 5, 4}, 0);
  nn::AvgPool1d avgPool(nn::AvgPool1dOptions(3).stride(3));
  expectAllNear(values(avgPool(x)), {2, 3}, 1e-6);
  expectAllNear(
      values(F::max_pool1d(x[0], F::MaxPool1dFuncOptions(3).stride(1))),
      {3, 5, 5, 5}, 0);
  nn::AdaptiveAvgPool1d adaptiveAvg(nn::AdaptiveAvgPool1dOptions(2));
  expectAllNear(values(adaptiveAvg(x)), {2, 3}, 1e-6);
  // Windows of 6 into 4: [0, 2), [1, 3), [3, 5), [4, 6).
  nn::AdaptiveMaxPool1d adaptiveMax(nn::AdaptiveMaxPool1dOptions(4));
  expectAllNear(values(adaptiveMax(x)), {3, 3, 5, 4}, 0);
  auto image = arange(20).to(kFloat32).reshape({1, 1, 4, 5});
  nn::AdaptiveMaxPool2d pool2(nn::AdaptiveMaxPool2dOptions({2, 3}));
  // Rows [0, 2), [2, 4); columns [0, 2), [1, 4), [3, 5).
  expectAllNear(values(pool2(image)), {6, 8, 9, 16, 18, 19}, 0);
  expectError([&] { maxPool(ones({2, 2, 2, 2})); },
              {"max_pool1d", "[N, C, L]"});
  expectGradientsMatchFiniteDifferences(
      [](const std::vector<Tensor> &in) {
        return (
            F::adaptive_max_pool2d(in[0], F::AdaptiveMaxPool2dFuncOptions(2))
                .pow(2)
                .sum() +
            F::avg_pool1d(in[0].reshape({1, 3, 3}),
                          F::AvgPool1dFuncOptions(2).stride(1))
                .sum());
      },
      {tensor({{{0.5, -1.0, 2.0}, {1.5, 0.25, -0.5}, {1.0, 2.5, 3.0}}},
              kFloat64)});
}

TEST(ParityLayers, PaddingLayers) {
  auto x = tensor({{{1.0f, 2.0f, 3.0f}}}); // [1, 1, 3]
  nn::ConstantPad1d constant(nn::ConstantPad1dOptions({1, 2}, 3.5));
  expectAllNear(values(constant(x)), {3.5, 1, 2, 3, 3.5, 3.5}, 0);
  nn::ReflectionPad1d reflect(nn::ReflectionPad1dOptions(2));
  expectAllNear(values(reflect(x)), {3, 2, 1, 2, 3, 2, 1}, 0);
  nn::ReplicationPad1d replicate(nn::ReplicationPad1dOptions({2, 0}));
  expectAllNear(values(replicate(x)), {1, 1, 1, 2, 3}, 0);
  auto image = tensor({{{{1.0f, 2.0f}, {3.0f, 4.0f}}}}); // [1, 1, 2, 2]
  nn::ZeroPad2d zero(nn::ZeroPad2dOptions({1, 0, 0, 1}));
  EXPECT_EQ(zero(image).sizes(), (std::vector<int64_t>{1, 1, 3, 3}));
  expectAllNear(values(zero(image)), {0, 1, 2, 0, 3, 4, 0, 0, 0}, 0);
  nn::ReplicationPad2d edge(nn::ReplicationPad2dOptions(1));
  EXPECT_EQ(edge(image).sizes(), (std::vector<int64_t>{1, 1, 4, 4}));
  EXPECT_EQ(edge(image).sum().item<float>(), 40.0f);
  nn::ConstantPad2d fill(nn::ConstantPad2dOptions(1, -1));
  EXPECT_EQ(fill(image).sum().item<float>(), 10.0f - 12.0f);
  nn::ReflectionPad2d mirror(nn::ReflectionPad2dOptions({1, 1, 0, 0}));
  expectAllNear(values(mirror(image)), {2, 1, 2, 1, 4, 3, 4, 3}, 0);
}

TEST(ParityLayers, Activations) {
  auto x = tensor({-2.0, -0.5, 0.0, 1.0, 4.0}, kFloat64);
  nn::Softsign softsign;
  expectAllNear(values(softsign(x)), {-2.0 / 3, -1.0 / 3, 0, 0.5, 0.8}, 1e-12);
  nn::Tanhshrink tanhshrink;
  expectAllNear(values(tanhshrink(x)),
                {-2 - std::tanh(-2.0), -0.5 - std::tanh(-0.5), 0,
                 1 - std::tanh(1.0), 4 - std::tanh(4.0)},
                1e-12);
  nn::LogSigmoid logSigmoid;
  EXPECT_NEAR(logSigmoid(x)[3].item<double>(), -std::log1p(std::exp(-1.0)),
              1e-12);
  nn::Hardsigmoid hardSigmoid;
  expectAllNear(values(hardSigmoid(x)), {1.0 / 6, 5.0 / 12, 0.5, 4.0 / 6, 1},
                1e-12);
  nn::Softmin softmin(1);
  auto rows = tensor({{1.0, 2.0}, {0.0, 0.0}}, kFloat64);
  expectAllNear(values(softmin(rows)),
                {1 / (1 + std::exp(-1.0)),
                 std::exp(-1.0) / (1 + std::exp(-1.0)), 0.5, 0.5},
                1e-12);
  nn::GLU glu;
  auto halves = tensor({{1.0, 2.0, 0.0, 100.0}}, kFloat64);
  expectAllNear(values(glu(halves)), {0.5, 2.0}, 1e-12);
  expectError([&] { glu(ones({2, 3})); }, {"glu", "even size"});

  nn::PReLU prelu;
  expectAllNear(values(prelu(x.to(kFloat32))), {-0.5, -0.125, 0, 1, 4}, 1e-6);
  nn::PReLU perChannel(nn::PReLUOptions().num_parameters(2).init(0.1));
  auto images = -ones({1, 2, 2, 2});
  {
    NoGradGuard noGrad;
    perChannel->weight[1].fill_(0.5);
  }
  expectAllNear(values(perChannel(images)),
                {-0.1, -0.1, -0.1, -0.1, -0.5, -0.5, -0.5, -0.5}, 1e-6);
  expectError([&] { perChannel(ones({1, 3, 2})); },
              {"prelu", "2 slopes", "3 channels"});
  // The slope trains.
  perChannel(images).sum().backward();
  expectAllNear(values(perChannel->weight.grad()), {-4, -4}, 1e-6);
  auto copy = std::dynamic_pointer_cast<nn::PReLUImpl>(perChannel->clone());
  ASSERT_NE(copy, nullptr);
  EXPECT_TRUE(equal(copy->weight, perChannel->weight));
  expectGradientsMatchFiniteDifferences(
      [](const std::vector<Tensor> &in) {
        return (F::prelu(in[0], in[1]) * F::glu(in[0].repeat({1, 2}))).sum() +
               F::softsign(in[0]).sum() + F::tanhshrink(in[0]).sum() +
               F::softmin(in[0], F::SoftminFuncOptions(1)).pow(2).sum();
      },
      {tensor({{0.5, -1.0}, {-1.5, 0.25}}, kFloat64),
       tensor({0.3, 0.7}, kFloat64)});
}

TEST(ParityLayers, PixelShuffleAndPairwiseDistance) {
  auto x = arange(16).to(kFloat32).reshape({1, 4, 2, 2});
  nn::PixelShuffle shuffle(2);
  auto up = shuffle(x);
  EXPECT_EQ(up.sizes(), (std::vector<int64_t>{1, 1, 4, 4}));
  // Output (h r + i, w r + j) reads channel i r + j at (h, w).
  expectAllNear(values(up[0][0][0]), {0, 4, 1, 5}, 0);
  expectAllNear(values(up[0][0][1]), {8, 12, 9, 13}, 0);
  nn::PixelUnshuffle unshuffle(2);
  EXPECT_TRUE(equal(unshuffle(up), x));
  expectError([&] { shuffle(ones({1, 3, 2, 2})); }, {"pixel_shuffle", "C r^2"});

  auto a = tensor({{0.0, 0.0}, {1.0, 1.0}}, kFloat64);
  auto b = tensor({{3.0, 4.0}, {1.0, 1.0}}, kFloat64);
  nn::PairwiseDistance distance;
  expectAllNear(values(distance(a, b)),
                {std::hypot(3 - 1e-6, 4 - 1e-6), std::sqrt(2.0) * 1e-6}, 1e-9);
  nn::PairwiseDistance l1(nn::PairwiseDistanceOptions().p(1).keepdim(true));
  EXPECT_EQ(l1(a, b).sizes(), (std::vector<int64_t>{2, 1}));
  expectGradientsMatchFiniteDifferences(
      [](const std::vector<Tensor> &in) {
        return F::pixel_shuffle(in[0], F::PixelShuffleFuncOptions(2))
                   .pow(2)
                   .mul(arange(16, kFloat64).reshape({1, 1, 4, 4}))
                   .sum() +
               F::pairwise_distance(in[0].reshape({4, 4}),
                                    in[0].reshape({4, 4}).flip({0}))
                   .sum();
      },
      {arange(16, kFloat64).reshape({1, 4, 2, 2}) * 0.3 - 2});
}

TEST(ParityLayers, EmbeddingFromPretrained) {
  auto weight = tensor({{1., 2.3, 3.}, {4., 5.1, 6.3}});
  nn::Embedding embedding = nn::Embedding::from_pretrained(weight);
  auto input = tensor({1}, kLong);
  EXPECT_TRUE(allclose(embedding(input), tensor({{4.0000, 5.1000, 6.3000}})));
  EXPECT_FALSE(embedding->weight.requires_grad()); // frozen by default
  EXPECT_TRUE(embedding->weight.is_same(weight));  // shared, not copied
  EXPECT_EQ(embedding->options.num_embeddings(), 2);
  EXPECT_EQ(embedding->options.embedding_dim(), 3);

  auto trained = nn::Embedding::from_pretrained(
      tensor({{1.0, 0.0}, {0.0, 1.0}}),
      nn::EmbeddingFromPretrainedOptions().freeze(false).padding_idx(0));
  EXPECT_TRUE(trained->weight.requires_grad());
  trained(tensor({0, 1, 1})).sum().backward();
  expectAllNear(values(trained->weight.grad()), {0, 0, 2, 2}, 0);
  expectError([] { nn::Embedding::from_pretrained(ones({3})); },
              {"from_pretrained", "2-dimensional"});

  auto bag = nn::EmbeddingBag::from_pretrained(
      tensor({{1., 2.}, {3., 4.}}),
      nn::EmbeddingBagFromPretrainedOptions().mode(kSum));
  expectAllNear(values(bag(tensor({{0, 1}, {1, 1}}))), {4, 6, 6, 8}, 0);
  EXPECT_FALSE(bag->weight.requires_grad());
}

TEST(ParityLayers, EmbeddingMaxNormAndGradScalingInTheModule) {
  nn::Embedding embedding(
      nn::EmbeddingOptions(4, 2).max_norm(1.0).scale_grad_by_freq(true));
  {
    NoGradGuard guard;
    embedding->weight.copy_(tensor({{3., 4.}, {0.3, 0.4}, {6., 8.}, {0., 2.}}));
  }
  auto out = embedding(tensor({0, 0, 1}));
  out.sum().backward();
  double s = 1.0 / (5.0 + 1e-7);
  expectAllNear(values(out), {3 * s, 4 * s, 3 * s, 4 * s, 0.3, 0.4}, 1e-6);
  // Rows not looked up keep their norm; each row's gradient is divided by
  // its count.
  expectAllNear(values(embedding->weight), {3 * s, 4 * s, 0.3, 0.4, 6, 8, 0, 2},
                1e-6);
  expectAllNear(values(embedding->weight.grad()), {1, 1, 1, 1, 0, 0, 0, 0},
                1e-6);

  nn::EmbeddingBag bag(nn::EmbeddingBagOptions(3, 2).max_norm(1.0).mode(kSum));
  {
    NoGradGuard guard;
    bag->weight.copy_(tensor({{3., 4.}, {0.3, 0.4}, {6., 8.}}));
  }
  expectAllNear(values(bag(tensor({{0, 1}}))), {3 * s + 0.3, 4 * s + 0.4},
                1e-6);
}

TEST(ParityLayers, EmbeddingPrintsItsOptions) {
  EXPECT_EQ(c10::str(nn::Embedding(nn::EmbeddingOptions(10, 2))),
            "kiln::nn::Embedding(num_embeddings=10, embedding_dim=2)");
  EXPECT_EQ(c10::str(nn::Embedding(
                nn::EmbeddingOptions(10, 2).padding_idx(3).max_norm(2))),
            "kiln::nn::Embedding(num_embeddings=10, embedding_dim=2, "
            "padding_idx=3, max_norm=2)");
  EXPECT_EQ(c10::str(nn::Embedding(nn::EmbeddingOptions(10, 2)
                                       .padding_idx(3)
                                       .max_norm(2)
                                       .norm_type(2.5)
                                       .scale_grad_by_freq(true)
                                       .sparse(true))),
            "kiln::nn::Embedding(num_embeddings=10, embedding_dim=2, "
            "padding_idx=3, max_norm=2, norm_type=2.5, "
            "scale_grad_by_freq=true, sparse=true)");
  EXPECT_EQ(c10::str(nn::EmbeddingBag(nn::EmbeddingBagOptions(10, 2)
                                          .max_norm(2)
                                          .norm_type(2.5)
                                          .scale_grad_by_freq(true)
                                          .sparse(true)
                                          .mode(kSum)
                                          .padding_idx(5))),
            "kiln::nn::EmbeddingBag(num_embeddings=10, embedding_dim=2, "
            "max_norm=2, norm_type=2.5, scale_grad_by_freq=true, "
            "sparse=true, mode=kSum, padding_idx=5)");
}

} // namespace

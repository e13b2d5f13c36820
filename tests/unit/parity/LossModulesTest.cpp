//===- LossModulesTest.cpp - Loss and activation modules, as LibTorch's ---===//
//
// `nn::CrossEntropyLoss(nn::CrossEntropyLossOptions().ignore_index(0))` and
// the activation modules as a LibTorch program declares and calls them:
// each computes its nn::functional counterpart with its options, prints as
// LibTorch's does, and keeps a class weight as a buffer.
//
//===----------------------------------------------------------------------===//
#include "../TestUtil.h"

#include <kiln/kiln.h>

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace {

namespace nn = kiln::nn;
namespace F = kiln::nn::functional;
using kiln::testing::expectError;

template <typename M> std::string printed(const M &module) {
  std::ostringstream os;
  module->pretty_print(os);
  return os.str();
}

struct LossModulesTest : ::testing::Test {
  void SetUp() override {
    kiln::manual_seed(3);
    x = kiln::randn({4, 3}, kiln::kFloat64);
    y = kiln::randn({4, 3}, kiln::kFloat64);
    probabilities = kiln::rand({4, 3}, kiln::kFloat64) * 0.9 + 0.05;
    labels = kiln::rand({4, 3}, kiln::kFloat64);
    classes = kiln::tensor({0, 2, 1, 0});
    weight = kiln::tensor({0.5, 1.5, 2.0}, kiln::kFloat64);
  }
  kiln::Tensor x, y, probabilities, labels, classes, weight;
};

TEST_F(LossModulesTest, RegressionLossesMatchTheirFunctions) {
  nn::MSELoss mse;
  EXPECT_TRUE(kiln::allclose(mse(x, y), F::mse_loss(x, y)));
  nn::MSELoss mseSum{nn::MSELossOptions(kiln::kSum)};
  EXPECT_TRUE(
      kiln::allclose(mseSum->forward(x, y),
                     F::mse_loss(x, y, F::MSELossFuncOptions(kiln::kSum))));
  nn::L1Loss l1(nn::L1LossOptions().reduction(kiln::kNone));
  EXPECT_TRUE(kiln::allclose(l1(x, y), (x - y).abs()));
  nn::SmoothL1Loss smooth(nn::SmoothL1LossOptions().beta(0.3));
  EXPECT_TRUE(kiln::allclose(
      smooth(x, y),
      F::smooth_l1_loss(x, y, F::SmoothL1LossFuncOptions().beta(0.3))));
  nn::HuberLoss huber(nn::HuberLossOptions().delta(0.3));
  EXPECT_TRUE(kiln::allclose(huber(x, y), smooth(x, y) * 0.3));
  nn::KLDivLoss kl(nn::KLDivLossOptions(kiln::kBatchMean).log_target(true));
  auto logp = x.log_softmax(1), logq = y.log_softmax(1);
  EXPECT_TRUE(
      kiln::allclose(kl(logp, logq), (logq.exp() * (logq - logp)).sum() / 4));
  EXPECT_EQ(printed(mse), "kiln::nn::MSELoss()");
  EXPECT_EQ(printed(l1), "kiln::nn::L1Loss()");
  EXPECT_EQ(printed(smooth), "kiln::nn::SmoothL1Loss()");
  EXPECT_EQ(printed(huber), "kiln::nn::HuberLoss()");
  EXPECT_EQ(printed(kl), "kiln::nn::KLDivLoss()");
  EXPECT_TRUE(mse->parameters().empty());
}

TEST_F(LossModulesTest, ClassificationLossesKeepTheirWeightAsABuffer) {
  nn::CrossEntropyLoss ce(
      nn::CrossEntropyLossOptions().ignore_index(0).weight(weight));
  EXPECT_TRUE(kiln::allclose(
      ce(x, classes),
      F::cross_entropy(
          x, classes,
          F::CrossEntropyFuncOptions().ignore_index(0).weight(weight))));
  EXPECT_EQ(ce->named_buffers().size(), 1u);
  EXPECT_TRUE(ce->named_buffers().contains("weight"));
  EXPECT_TRUE(ce->parameters().empty());
  nn::CrossEntropyLoss plain;
  EXPECT_TRUE(plain->named_buffers().is_empty());
  EXPECT_TRUE(kiln::allclose(plain(x, classes), F::cross_entropy(x, classes)));

  nn::NLLLoss nll(nn::NLLLossOptions().weight(weight).reduction(kiln::kSum));
  auto logp = x.log_softmax(1);
  EXPECT_TRUE(kiln::allclose(
      nll(logp, classes),
      F::nll_loss(
          logp, classes,
          F::NLLLossFuncOptions().weight(weight).reduction(kiln::kSum))));

  nn::BCELoss bce;
  EXPECT_TRUE(kiln::allclose(bce(probabilities, labels),
                             F::binary_cross_entropy(probabilities, labels)));
  auto posWeight = kiln::tensor({1.0, 2.0, 3.0}, kiln::kFloat64);
  nn::BCEWithLogitsLoss bceLogits(
      nn::BCEWithLogitsLossOptions().pos_weight(posWeight));
  EXPECT_TRUE(bceLogits->named_buffers().contains("pos_weight"));
  EXPECT_TRUE(kiln::allclose(
      bceLogits(x, labels),
      F::binary_cross_entropy_with_logits(
          x, labels,
          F::BinaryCrossEntropyWithLogitsFuncOptions().pos_weight(posWeight))));

  EXPECT_EQ(printed(ce), "kiln::nn::CrossEntropyLoss()");
  EXPECT_EQ(printed(nll), "kiln::nn::NLLLoss()");
  EXPECT_EQ(printed(bce), "kiln::nn::BCELoss()");
  EXPECT_EQ(printed(bceLogits), "kiln::nn::BCEWithLogitsLoss()");
}

TEST_F(LossModulesTest, LossesTrainAModel) {
  nn::Linear fc(3, 3);
  nn::CrossEntropyLoss criterion;
  kiln::optim::SGD opt(fc->parameters(), kiln::optim::SGDOptions(0.5));
  auto input = x.to(kiln::kFloat32);
  double first = 0, last = 0;
  for (int step = 0; step < 20; ++step) {
    opt.zero_grad();
    auto loss = criterion(fc(input), classes);
    loss.backward();
    opt.step();
    (step == 0 ? first : last) = loss.item<double>();
  }
  EXPECT_LT(last, first);
}

TEST_F(LossModulesTest, CosineSimilarity) {
  nn::CosineSimilarity cos(nn::CosineSimilarityOptions().dim(1).eps(1e-8));
  EXPECT_TRUE(kiln::allclose(cos(x, y), F::cosine_similarity(x, y)));
  EXPECT_EQ(printed(cos), "kiln::nn::CosineSimilarity(dim=1, eps=1e-08)");
}

TEST(ParityActivationModules, ComputeTheirFunctionsAndPrint) {
  kiln::manual_seed(1);
  auto x = kiln::randn({5, 4}) * 4;
  auto same = [&](auto module, const kiln::Tensor &expected,
                  const std::string &print) {
    EXPECT_TRUE(kiln::allclose(module(x), expected)) << print;
    EXPECT_EQ(printed(module), print);
  };
  same(nn::ReLU6(), F::relu6(x), "kiln::nn::ReLU6()");
  same(nn::Threshold(0.1, 20),
       F::threshold(x, F::ThresholdFuncOptions(0.1, 20)),
       "kiln::nn::Threshold(threshold=0.1, value=20)");
  same(nn::Softplus(nn::SoftplusOptions().beta(2)),
       F::softplus(x, F::SoftplusFuncOptions().beta(2)),
       "kiln::nn::Softplus(beta=2, threshold=20)");
  same(nn::Softshrink(0.5), F::softshrink(x), "kiln::nn::Softshrink(0.5)");
  same(nn::Hardshrink(nn::HardshrinkOptions().lambda(2)),
       F::hardshrink(x, F::HardshrinkFuncOptions(2)),
       "kiln::nn::Hardshrink(2)");
  same(nn::Hardtanh(nn::HardtanhOptions().min_val(-2).max_val(2)),
       x.clamp(-2, 2), "kiln::nn::Hardtanh(min_val=-2, max_val=2)");
  same(nn::ELU(nn::ELUOptions().alpha(0.5)),
       F::elu(x, F::ELUFuncOptions().alpha(0.5)), "kiln::nn::ELU(alpha=0.5)");
  same(nn::SELU(), F::selu(x), "kiln::nn::SELU()");
  same(nn::CELU(nn::CELUOptions().alpha(2)),
       F::celu(x, F::CELUFuncOptions().alpha(2)), "kiln::nn::CELU(alpha=2)");
  same(nn::Mish(), F::mish(x), "kiln::nn::Mish()");
  same(nn::Hardswish(), F::hardswish(x), "kiln::nn::Hardswish()");
  same(nn::LeakyReLU(nn::LeakyReLUOptions().negative_slope(0.2)),
       F::leaky_relu(x, 0.2), "kiln::nn::LeakyReLU(negative_slope=0.2)");
  same(nn::ReLU(nn::ReLUOptions().inplace(true)), kiln::relu(x),
       "kiln::nn::ReLU(inplace=true)");
  same(nn::GELU(nn::GELUOptions().approximate("tanh")), kiln::gelu(x, "tanh"),
       "kiln::nn::GELU(approximate='tanh')");
  // In a Sequential, as any module.
  nn::Sequential seq(nn::Linear(4, 4), nn::ELU(), nn::Hardtanh(), nn::Mish());
  EXPECT_EQ(seq->forward(x).sizes(), (std::vector<int64_t>{5, 4}));
  expectError([] { nn::Hardtanh(nn::HardtanhOptions().min_val(1).max_val(0)); },
              {"Hardtanh", "max_val"});
  // reset() checks the options again, after a change.
  nn::Hardtanh ht(nn::HardtanhOptions().min_val(-0.42).max_val(0.42));
  ht->options.min_val(0.42);
  expectError([&] { ht->reset(); }, {"max_val must be greater than min_val"});
}

} // namespace

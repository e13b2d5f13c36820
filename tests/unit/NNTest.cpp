//===- NNTest.cpp - Modules, losses, optimizers and a training loop -------===//
#include "TestUtil.h"

#include <kiln/kiln.h>

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

using namespace kiln;
using kiln::testing::trajectory;
using kiln::testing::values;
namespace F = kiln::nn::functional;

namespace {

struct NetImpl : nn::Module {
  NetImpl() : nn::Module("Net") {}
  nn::Linear fc1 = register_module("fc1", nn::Linear(4, 8));
  nn::Sequential head = register_module(
      "head", nn::Sequential(nn::ReLU(), nn::Linear(8, 3), nn::Dropout(0.1)));
  Tensor forward(const Tensor &x) { return head(fc1(x)); }
};
KILN_MODULE(Net);

TEST(NN, ModuleTreeNamesAndModes) {
  Net net;
  std::vector<std::string> names;
  for (auto &[name, p] : net->named_parameters())
    names.push_back(name);
  EXPECT_EQ(names, (std::vector<std::string>{"fc1.weight", "fc1.bias",
                                             "head.1.weight", "head.1.bias"}));
  EXPECT_EQ(net->num_parameters(), 4 * 8 + 8 + 8 * 3 + 3);
  EXPECT_EQ(net->children().size(), 2u);
  for (const Tensor &p : net->parameters()) {
    EXPECT_TRUE(p.requires_grad());
    EXPECT_TRUE(p.is_leaf());
  }
  net->eval();
  EXPECT_FALSE(net->head->children()[2]->is_training());
  net->train();
  EXPECT_TRUE(net->head->children()[2]->is_training());
  std::string counted = summary(*net);
  EXPECT_EQ(counted.find("Net ("), 0u) << counted;
  EXPECT_NE(counted.find("(fc1): kiln::nn::Linear(in_features=4, "
                         "out_features=8, bias=true)  # 40 parameters"),
            std::string::npos)
      << counted;
  EXPECT_NE(counted.find("(2): kiln::nn::Dropout(p=0.1, inplace=false)"),
            std::string::npos);
  EXPECT_NE(counted.find("Total parameters: 67"), std::string::npos);
  // Printing a module prints LibTorch's tree, without the counts.
  std::ostringstream os;
  os << *net;
  EXPECT_EQ(os.str().find("Net(\n  (fc1): kiln::nn::Linear(in_features=4, "
                          "out_features=8, bias=true)\n"),
            0u)
      << os.str();
  EXPECT_EQ(os.str().back(), ')');
  EXPECT_EQ(net->forward(zeros({5, 4})).sizes(), (Shape{5, 3}));
  EXPECT_THROW(net->fc1->forward(zeros({5, 3})), kiln::Error);
}

TEST(NN, LayersHaveTheRightShapesAndModes) {
  manual_seed(0);
  nn::Sequential cnn(nn::Conv2d(1, 4, 3, 1, 1), nn::BatchNorm2d(4), nn::ReLU(),
                     nn::MaxPool2d(2), nn::Conv2d(4, 8, 3), nn::AvgPool2d(2),
                     nn::Flatten(), nn::Linear(8, 10), nn::GELU("tanh"),
                     nn::Identity(), nn::Sigmoid());
  auto x = randn({2, 1, 8, 8});
  EXPECT_EQ(cnn->forward(x).sizes(), (Shape{2, 10}));
  std::vector<std::string> names;
  for (auto &[name, t] : cnn->named_buffers())
    names.push_back(name);
  EXPECT_EQ(names, (std::vector<std::string>{"1.running_mean", "1.running_var",
                                             "1.num_batches_tracked"}));
  EXPECT_EQ(cnn->num_parameters(),
            (4 * 9 + 4) + (4 + 4) + (8 * 4 * 9 + 8) + (8 * 10 + 10));
  // Batch norm: batch statistics in training (and running ones updated),
  // running statistics in eval.
  nn::BatchNorm1d bn(2);
  auto in = tensor({{1.0f, 10.0f}, {3.0f, 30.0f}});
  auto trained = bn->forward(in).to_vector<float>();
  EXPECT_NEAR(trained[0], -1, 1e-3);
  EXPECT_NEAR(trained[3], 1, 1e-3);
  EXPECT_NEAR(bn->running_mean.to_vector<float>()[1], 2.0f, 1e-6); // 0.1 * 20
  bn->eval();
  auto evaluated = bn->forward(in).to_vector<float>();
  EXPECT_NEAR(evaluated[1], (10 - 2) / std::sqrt(0.9 + 0.1 * 200 + 1e-5), 1e-4);
  EXPECT_THROW(bn->forward(zeros({2, 3})), kiln::Error);
  nn::LayerNorm ln(nn::LayerNormOptions({3}));
  EXPECT_NEAR(ln->forward(tensor({{1.0f, 2.0f, 3.0f}})).to_vector<float>()[2],
              1 / std::sqrt(2.0 / 3 + 1e-5), 1e-4);
  // bias=false (PyTorch 2.1): a weight and no bias.
  nn::LayerNorm noBias(nn::LayerNormOptions({3}).bias(false));
  EXPECT_EQ(noBias->named_parameters().size(), 1u);
  EXPECT_EQ(noBias->named_parameters()[0].key(), "weight");
  std::ostringstream printed;
  noBias->pretty_print(printed);
  EXPECT_EQ(printed.str(), "kiln::nn::LayerNorm([3], eps=1e-05, "
                           "elementwise_affine=true, bias=false)");
  noBias->weight = noBias->weight * 2;
  EXPECT_NEAR(
      noBias->forward(tensor({{1.0f, 2.0f, 3.0f}})).to_vector<float>()[2],
      2 / std::sqrt(2.0 / 3 + 1e-5), 1e-4);
  nn::Embedding emb(5, 3);
  EXPECT_EQ(emb->forward(tensor({{0, 4}, {1, 1}})).sizes(), (Shape{2, 2, 3}));
  EXPECT_EQ(emb->forward(tensor({4})).to_vector<float>(),
            emb->weight.index({4}).to_vector<float>());
  std::ostringstream os;
  os << cnn;
  EXPECT_NE(os.str().find("(0): kiln::nn::Conv2d(1, 4, kernel_size=[3, 3], "
                          "stride=[1, 1], padding=[1, 1])"),
            std::string::npos)
      << os.str();
  EXPECT_NE(os.str().find("(1): kiln::nn::BatchNorm2d(4, eps=1e-05, "
                          "momentum=0.1, affine=true, "
                          "track_running_stats=true)"),
            std::string::npos)
      << os.str();
}

TEST(NN, LinearComputesXWtPlusB) {
  nn::Linear fc(2, 2);
  // Default init is uniform in +-1/sqrt(2).
  for (double w : values(fc->weight))
    EXPECT_LE(std::abs(w), 1 / std::sqrt(2.0));
  auto x = tensor({{1.0f, 2.0f}});
  std::vector<float> w = fc->weight.to_vector<float>(),
                     b = fc->bias.to_vector<float>();
  auto y = fc->forward(x).to_vector<float>();
  EXPECT_NEAR(y[0], w[0] + 2 * w[1] + b[0], 1e-6);
  EXPECT_NEAR(y[1], w[2] + 2 * w[3] + b[1], 1e-6);
}

TEST(NN, LossesMatchHandComputedValues) {
  auto logits = tensor({{1.0, 2.0, 3.0}, {1.0, 1.0, 1.0}}, kFloat64);
  auto target = tensor({2, 0});
  double lse0 = std::log(std::exp(1) + std::exp(2) + std::exp(3));
  double expected = ((lse0 - 3) + std::log(3.0)) / 2;
  EXPECT_NEAR(F::cross_entropy(logits, target).item<double>(), expected, 1e-12);
  EXPECT_NEAR(F::cross_entropy(logits, target, "sum").item<double>(),
              2 * expected, 1e-12);
  EXPECT_EQ(F::cross_entropy(logits, target, "none").sizes(), (Shape{2}));
  EXPECT_NEAR(
      F::mse_loss(tensor({1.0, 3.0}, kFloat64), tensor({0.0, 1.0}, kFloat64))
          .item<double>(),
      2.5, 1e-12);
  EXPECT_THROW(F::cross_entropy(logits, tensor({3, 0})), kiln::Error);
  EXPECT_THROW(F::cross_entropy(logits, tensor({1.0, 0.0})), kiln::Error);
  EXPECT_THROW(F::mse_loss(logits, target), kiln::Error);
  // The gradient of cross entropy is softmax - onehot, over N.
  auto l = logits.detach().requires_grad_();
  F::cross_entropy(l, target).backward();
  auto g = values(l.grad());
  EXPECT_NEAR(g[2], (std::exp(3 - lse0) - 1) / 2, 1e-12);
  EXPECT_NEAR(g[4], (1.0 / 3) / 2, 1e-12);
}

TEST(Optim, SgdFollowsPyTorchsRule) {
  for (bool nesterov : {false, true}) {
    double lr = 0.1, mu = 0.9, wd = 0.01;
    auto got = trajectory(
        [&](std::vector<Tensor> p) {
          return optim::SGD(
              p, optim::SGDOptions(lr).momentum(mu).weight_decay(wd).nesterov(
                     nesterov));
        },
        5);
    double w[2] = {1, -2}, c[2] = {1, 3}, buf[2] = {0, 0};
    for (int step = 0; step < 5; ++step)
      for (int i = 0; i < 2; ++i) {
        double g = c[i] * w[i] + wd * w[i];
        buf[i] = step == 0 ? g : mu * buf[i] + g;
        w[i] -= lr * (nesterov ? g + mu * buf[i] : buf[i]);
        EXPECT_NEAR(got[step][i], w[i], 1e-12) << step << " " << nesterov;
      }
  }
}

TEST(Optim, AdamFollowsPyTorchsRule) {
  for (bool amsgrad : {false, true}) {
    double lr = 0.05, b1 = 0.9, b2 = 0.999, eps = 1e-8;
    auto got = trajectory(
        [&](std::vector<Tensor> p) {
          return optim::Adam(p, optim::AdamOptions(lr).amsgrad(amsgrad));
        },
        6);
    double w[2] = {1, -2}, c[2] = {1, 3}, m[2] = {}, v[2] = {}, vmax[2] = {};
    for (int step = 1; step <= 6; ++step)
      for (int i = 0; i < 2; ++i) {
        double g = c[i] * w[i];
        m[i] = b1 * m[i] + (1 - b1) * g;
        v[i] = b2 * v[i] + (1 - b2) * g * g;
        vmax[i] = std::max(vmax[i], v[i]);
        double vhat = (amsgrad ? vmax[i] : v[i]) / (1 - std::pow(b2, step));
        w[i] -=
            lr * (m[i] / (1 - std::pow(b1, step))) / (std::sqrt(vhat) + eps);
        EXPECT_NEAR(got[step - 1][i], w[i], 1e-12) << step << " " << amsgrad;
      }
  }
}

TEST(Optim, AdamWDecaysTheParametersDirectly) {
  double lr = 0.05, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.1;
  auto got = trajectory(
      [&](std::vector<Tensor> p) {
        return optim::AdamW(p, optim::AdamOptions(lr).weight_decay(wd));
      },
      4);
  double w[2] = {1, -2}, c[2] = {1, 3}, m[2] = {}, v[2] = {};
  for (int step = 1; step <= 4; ++step)
    for (int i = 0; i < 2; ++i) {
      double g = c[i] * w[i]; // the gradient of the loss only
      w[i] *= 1 - lr * wd;
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      double vhat = v[i] / (1 - std::pow(b2, step));
      w[i] -= lr * (m[i] / (1 - std::pow(b1, step))) / (std::sqrt(vhat) + eps);
      EXPECT_NEAR(got[step - 1][i], w[i], 1e-12) << step;
    }
}

TEST(Optim, SchedulersFollowTheirFormulasWithoutRecompiling) {
  auto w = tensor({1.0, 2.0}, kFloat64).requires_grad_();
  optim::SGD opt({w}, optim::SGDOptions(0.1));
  optim::StepLR step(opt, 2, 0.5);
  std::vector<double> lrs;
  Stats warm;
  for (int epoch = 0; epoch < 6; ++epoch) {
    opt.zero_grad();
    (w * w).sum().backward();
    opt.step();
    step.step();
    lrs.push_back(opt.lr());
    if (epoch == 1)
      warm = stats();
  }
  EXPECT_EQ(lrs, (std::vector<double>{0.1, 0.05, 0.05, 0.025, 0.025, 0.0125}));
  EXPECT_EQ(stats().compiles, warm.compiles); // the rate is data
  optim::Adam adam({w}, optim::AdamOptions(1.0));
  optim::CosineAnnealingLR cosine(adam, 4, 0.5);
  cosine.step();
  EXPECT_NEAR(adam.lr(), 0.5 + 0.5 * (1 + std::cos(M_PI / 4)) / 2, 1e-12);
  optim::ExponentialLR exponential(adam, 0.5);
  exponential.step();
  exponential.step();
  EXPECT_NEAR(exponential.get_last_lr()[0], adam.lr(), 0);
}

TEST(Optim, GradientClipping) {
  auto a = tensor({3.0}, kFloat64).requires_grad_();
  auto b = tensor({4.0}, kFloat64).requires_grad_();
  (a * a / 2 + b * b / 2).sum().backward(); // grads 3 and 4: norm 5
  auto norm = nn::utils::clip_grad_norm_({a, b}, 1.0);
  EXPECT_NEAR(norm.item<double>(), 5, 1e-12);
  EXPECT_NEAR(a.grad().item<double>(), 3 / (5 + 1e-6), 1e-9);
  EXPECT_NEAR(b.grad().item<double>(), 4 / (5 + 1e-6), 1e-9);
  nn::utils::clip_grad_norm_({a, b}, 10.0); // below the limit: unchanged
  EXPECT_NEAR(b.grad().item<double>(), 4 / (5 + 1e-6), 1e-9);
  nn::utils::clip_grad_value_({a, b}, 0.7);
  EXPECT_NEAR(a.grad().item<double>(), 0.6, 1e-6);
  EXPECT_EQ(b.grad().item<double>(), 0.7);
}

TEST(Training, MlpReachesHighAccuracyAndStepsCompileNothing) {
  manual_seed(0);
  // Two interleaved classes that a line cannot separate: the sign of x*y.
  auto x = rand({256, 2}) * 2 - 1;
  auto y =
      ((x.index({indexing::Slice(), 0}) * x.index({indexing::Slice(), 1})) > 0)
          .to(kInt64);
  nn::Sequential model(nn::Linear(2, 32), nn::Tanh(), nn::Linear(32, 2));
  optim::Adam opt(model->parameters(), optim::AdamOptions(0.02));
  Stats warm;
  for (int step = 0; step < 400; ++step) {
    opt.zero_grad();
    auto loss = F::cross_entropy(model->forward(x), y);
    loss.backward();
    opt.step();
    if (step == 3)
      warm = stats();
  }
  Stats end = stats();
  EXPECT_EQ(end.compiles, warm.compiles) << "steady-state steps compiled";
  EXPECT_GE(end.cache_hits - warm.cache_hits, 396u);
  NoGradGuard noGrad;
  auto predicted = std::get<1>(model->forward(x).max(1));
  double accuracy = (predicted == y).to(kFloat64).mean().item<double>();
  EXPECT_GE(accuracy, 0.99);
}

} // namespace

TEST(NN, ModulesApplyAndDevices) {
  nn::Sequential net(nn::Linear(4, 3), nn::ReLU(),
                     nn::Sequential(nn::Linear(3, 2), nn::Tanh()));
  std::vector<std::string> names;
  for (auto &[name, module] : net->named_modules())
    names.push_back(name + "=" + module->name());
  EXPECT_EQ(names, (std::vector<std::string>{
                       "=kiln::nn::SequentialImpl", "0=kiln::nn::LinearImpl",
                       "1=kiln::nn::ReLUImpl", "2=kiln::nn::SequentialImpl",
                       "2.0=kiln::nn::LinearImpl", "2.1=kiln::nn::TanhImpl"}));
  EXPECT_EQ(net->modules(/*include_self=*/false).size(), 5u);
  EXPECT_EQ(net->modules().front(), net.ptr());

  // apply visits a module before its children, as PyTorch's does: zero
  // every Linear bias.
  std::vector<std::string> order;
  net->apply([&](nn::Module &m) {
    order.push_back(m.name());
    if (auto *linear = m.as<nn::Linear>())
      nn::init::zeros_(linear->bias);
  });
  EXPECT_EQ(order, (std::vector<std::string>{
                       "kiln::nn::SequentialImpl", "kiln::nn::LinearImpl",
                       "kiln::nn::ReLUImpl", "kiln::nn::SequentialImpl",
                       "kiln::nn::LinearImpl", "kiln::nn::TanhImpl"}));
  for (auto &[name, p] : net->named_parameters())
    if (name.ends_with("bias"))
      for (float v : p.to_vector<float>())
        EXPECT_EQ(v, 0.0f) << name;

  net->to(Device("cpu"));
  kiln::testing::expectError([&] { net->to(Device("cuda")); },
                             {"device cuda", "not available"});
}

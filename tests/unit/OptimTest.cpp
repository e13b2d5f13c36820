//===- OptimTest.cpp - Optimizers, param groups, schedulers, checkpoints --===//
//
// Each optimizer's trajectory on a small quadratic is checked in float64
// against its published update rule, computed here with plain doubles.
//
//===----------------------------------------------------------------------===//
#include "TestUtil.h"

#include <kiln/kiln.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <unistd.h>

using namespace kiln;
using kiln::testing::trajectory;
using kiln::testing::values;
namespace F = kiln::nn::functional;
using kiln::testing::expectError;

namespace {

const double kC[2] = {1, 3};

TEST(Optim, SgdDampeningAndWeightDecayFollowPyTorchsRule) {
  double lr = 0.1, mu = 0.8, dampening = 0.3, wd = 0.05;
  auto got = trajectory(
      [&](std::vector<Tensor> p) {
        return optim::SGD(p, optim::SGDOptions(lr)
                                 .momentum(mu)
                                 .dampening(dampening)
                                 .weight_decay(wd));
      },
      5);
  double w[2] = {1, -2}, buf[2] = {};
  for (int step = 0; step < 5; ++step)
    for (int i = 0; i < 2; ++i) {
      double g = kC[i] * w[i] + wd * w[i];
      buf[i] = step == 0 ? g : mu * buf[i] + (1 - dampening) * g;
      w[i] -= lr * buf[i];
      EXPECT_NEAR(got[step][i], w[i], 1e-12) << step;
    }
}

TEST(Optim, ZeroGradInPlaceLeavesTheMomentumBufferAlone) {
  // zero_grad(false) zeroes the gradient tensors in place; the momentum
  // buffer, which starts as the first gradient, must not follow.
  auto run = [](bool set_to_none) {
    auto w = tensor({1.0, -2.0}, kFloat64).requires_grad_();
    optim::SGD opt({w}, optim::SGDOptions(0.1).momentum(0.9));
    for (int i = 0; i < 3; ++i) {
      opt.zero_grad(set_to_none);
      if (!set_to_none && i > 0)
        EXPECT_EQ(values(w.grad()), (std::vector<double>{0, 0}));
      (w * w).sum().backward();
      opt.step();
    }
    return values(w);
  };
  EXPECT_EQ(run(false), run(true));
}

TEST(Optim, AdamL2DecayAndAdamWAmsgradFollowPyTorchsRule) {
  for (bool decoupled : {false, true}) {
    double lr = 0.05, b1 = 0.8, b2 = 0.99, eps = 1e-6, wd = 0.1;
    auto options = optim::AdamOptions(lr)
                       .betas({b1, b2})
                       .eps(eps)
                       .weight_decay(wd)
                       .amsgrad(true);
    auto got = decoupled ? trajectory(
                               [&](std::vector<Tensor> p) {
                                 return optim::AdamW(p, options);
                               },
                               6)
                         : trajectory(
                               [&](std::vector<Tensor> p) {
                                 return optim::Adam(p, options);
                               },
                               6);
    double w[2] = {1, -2}, m[2] = {}, v[2] = {}, vmax[2] = {};
    for (int step = 1; step <= 6; ++step)
      for (int i = 0; i < 2; ++i) {
        double g = kC[i] * w[i];
        if (decoupled)
          w[i] *= 1 - lr * wd;
        else
          g += wd * w[i];
        m[i] = b1 * m[i] + (1 - b1) * g;
        v[i] = b2 * v[i] + (1 - b2) * g * g;
        vmax[i] = std::max(vmax[i], v[i]);
        double denom =
            std::sqrt(vmax[i]) / std::sqrt(1 - std::pow(b2, step)) + eps;
        w[i] -= lr / (1 - std::pow(b1, step)) * m[i] / denom;
        EXPECT_NEAR(got[step - 1][i], w[i], 1e-12) << step << decoupled;
      }
  }
}

TEST(Optim, AdamWDefaultsToWeightDecayOneHundredth) {
  auto w = tensor({1.0}, kFloat64).requires_grad_();
  optim::AdamW adamw({w});
  EXPECT_EQ(adamw.defaults().get("weight_decay"), 0.01);
  EXPECT_EQ(adamw.defaults().get_lr(), 1e-3);
  EXPECT_EQ(optim::AdamWOptions(0.1).weight_decay(), 0.01);
}

TEST(Optim, RMSpropFollowsPyTorchsRule) {
  struct Variant {
    double momentum;
    bool centered;
    double weight_decay;
  };
  for (Variant variant : {Variant{0, false, 0}, Variant{0.9, false, 0},
                          Variant{0, true, 0}, Variant{0.5, true, 0.1}}) {
    double lr = 0.01, alpha = 0.9, eps = 1e-8;
    auto got = trajectory(
        [&](std::vector<Tensor> p) {
          return optim::RMSprop(p, optim::RMSpropOptions(lr)
                                       .alpha(alpha)
                                       .eps(eps)
                                       .weight_decay(variant.weight_decay)
                                       .momentum(variant.momentum)
                                       .centered(variant.centered));
        },
        6);
    double w[2] = {1, -2}, square[2] = {}, gradAvg[2] = {}, buf[2] = {};
    for (int step = 0; step < 6; ++step)
      for (int i = 0; i < 2; ++i) {
        double g = kC[i] * w[i] + variant.weight_decay * w[i];
        square[i] = alpha * square[i] + (1 - alpha) * g * g;
        double avg;
        if (variant.centered) {
          gradAvg[i] = alpha * gradAvg[i] + (1 - alpha) * g;
          avg = std::sqrt(square[i] - gradAvg[i] * gradAvg[i]) + eps;
        } else {
          avg = std::sqrt(square[i]) + eps;
        }
        if (variant.momentum > 0) {
          buf[i] = variant.momentum * buf[i] + g / avg;
          w[i] -= lr * buf[i];
        } else {
          w[i] -= lr * g / avg;
        }
        EXPECT_NEAR(got[step][i], w[i], 1e-12)
            << step << " momentum " << variant.momentum << " centered "
            << variant.centered;
      }
  }
}

TEST(Optim, RMSpropAndAdagradHavePyTorchsDefaults) {
  optim::RMSpropOptions rmsprop;
  EXPECT_EQ(rmsprop.lr(), 0.01);
  EXPECT_EQ(rmsprop.alpha(), 0.99);
  EXPECT_EQ(rmsprop.eps(), 1e-8);
  EXPECT_EQ(rmsprop.weight_decay(), 0);
  EXPECT_EQ(rmsprop.momentum(), 0);
  EXPECT_FALSE(rmsprop.centered());
  optim::AdagradOptions adagrad;
  EXPECT_EQ(adagrad.lr(), 0.01);
  EXPECT_EQ(adagrad.lr_decay(), 0);
  EXPECT_EQ(adagrad.weight_decay(), 0);
  EXPECT_EQ(adagrad.initial_accumulator_value(), 0);
  EXPECT_EQ(adagrad.eps(), 1e-10);
}

TEST(Optim, AdagradFollowsPyTorchsRule) {
  double lr = 0.5, lrDecay = 0.1, wd = 0.01, initial = 0.2, eps = 1e-10;
  auto got = trajectory(
      [&](std::vector<Tensor> p) {
        return optim::Adagrad(p, optim::AdagradOptions(lr)
                                     .lr_decay(lrDecay)
                                     .weight_decay(wd)
                                     .initial_accumulator_value(initial)
                                     .eps(eps));
      },
      6);
  double w[2] = {1, -2}, sum[2] = {initial, initial};
  for (int step = 1; step <= 6; ++step)
    for (int i = 0; i < 2; ++i) {
      double g = kC[i] * w[i] + wd * w[i];
      double clr = lr / (1 + (step - 1) * lrDecay);
      sum[i] += g * g;
      w[i] -= clr * g / (std::sqrt(sum[i]) + eps);
      EXPECT_NEAR(got[step - 1][i], w[i], 1e-12) << step;
    }
}

TEST(Optim, BadArgumentsAreErrorsThatSayWhich) {
  auto w = tensor({1.0}, kFloat64).requires_grad_();
  expectError([&] { optim::SGD({w}, optim::SGDOptions(-0.1)); },
              {"SGD", "learning rate", "-0.1"});
  expectError([&] { optim::SGD({w}, optim::SGDOptions(0.1).momentum(-1)); },
              {"SGD", "momentum"});
  expectError([&] { optim::SGD({w}, optim::SGDOptions(0.1).nesterov(true)); },
              {"nesterov"});
  expectError([&] { optim::Adam({w}, optim::AdamOptions(0.1).betas({1, 0})); },
              {"Adam", "beta1", "[0, 1)"});
  expectError(
      [&] { optim::AdamW({w}, optim::AdamOptions(0.1).weight_decay(-1)); },
      {"AdamW", "weight_decay"});
  expectError([&] { optim::RMSprop({w}, optim::RMSpropOptions().alpha(-1)); },
              {"RMSprop", "alpha"});
  expectError([&] { optim::Adagrad({w}, optim::AdagradOptions(-1)); },
              {"Adagrad", "learning rate"});
  expectError(
      [&] { optim::Adagrad({w}, optim::AdagradOptions().lr_decay(-1)); },
      {"Adagrad", "lr_decay"});
  expectError([&] { optim::SGD({{{w}, optim::AdamOptions()}}, 0.1); },
              {"SGD", "must be SGDOptions"});
  std::vector<Tensor> both{w};
  expectError([&] { optim::SGD({{both}, {both}}, 0.1); },
              {"more than one group"});
  expectError([&] { optim::SGD(std::vector<Tensor>{}, 0.1); },
              {"empty parameter list"});
  auto noGrad = tensor({1.0}, kFloat64);
  expectError([&] { optim::Adam({noGrad}); }, {"requires grad"});
}

// --- Parameter groups
// ----------------------------------------------------------

TEST(Optim, ParamGroupsHaveTheirOwnOptions) {
  auto a = tensor({1.0, -2.0}, kFloat64).requires_grad_();
  auto b = tensor({0.5}, kFloat64).requires_grad_();
  auto c = tensor({3.0}, kFloat64).requires_grad_();
  // The first group brings its own options; the second takes the defaults.
  optim::SGD opt({{{a}, optim::SGDOptions(0.2).weight_decay(0.1)}, {{b}}},
                 optim::SGDOptions(0.05).momentum(0.9));
  ASSERT_EQ(opt.param_groups().size(), 2u);
  EXPECT_EQ(opt.param_groups()[1].options().get("momentum"), 0.9);
  opt.add_param_group({{c}, optim::SGDOptions(0.01)});
  EXPECT_EQ(opt.parameters().size(), 3u);
  double wa[2] = {1, -2}, wb = 0.5, wc = 3, bufB = 0;
  for (int step = 0; step < 4; ++step) {
    opt.zero_grad();
    ((a * a).sum() + (b * b).sum() + (c * c).sum()).backward();
    opt.step();
    for (double &x : wa)
      x -= 0.2 * (2 * x + 0.1 * x);
    bufB = step == 0 ? 2 * wb : 0.9 * bufB + 2 * wb;
    wb -= 0.05 * bufB;
    wc -= 0.01 * 2 * wc;
    EXPECT_NEAR(values(a)[0], wa[0], 1e-12);
    EXPECT_NEAR(values(a)[1], wa[1], 1e-12);
    EXPECT_NEAR(values(b)[0], wb, 1e-12);
    EXPECT_NEAR(values(c)[0], wc, 1e-12);
  }
  expectError([&] { opt.add_param_group({{a}}); }, {"more than one group"});
}

TEST(Optim, ASteadyTrainingStepTakesNoTensorMemoryFromTheSystem) {
  // Every step frees the last step's activations, gradients and parameters
  // and asks for the same sizes again: the buffer cache hands them back.
  manual_seed(0);
  nn::Sequential model(nn::Linear(32, 64), nn::ReLU(), nn::Linear(64, 10));
  optim::Adam opt(model->parameters(), optim::AdamOptions(1e-3));
  auto x = randn({16, 32});
  auto y = randint(0, 10, {16});
  auto step = [&] {
    opt.zero_grad();
    auto loss = F::cross_entropy(model->forward(x), y);
    loss.backward();
    opt.step();
    return loss.item<float>();
  };
  for (int i = 0; i < 3; ++i)
    step();
  reset_stats();
  for (int i = 0; i < 10; ++i)
    EXPECT_TRUE(std::isfinite(step()));
  EXPECT_EQ(stats().compiles, 0u);
  EXPECT_EQ(stats().buffer_allocations, 0u);
  // A different batch size needs new sizes at first, then none again.
  auto x2 = randn({24, 32});
  auto y2 = randint(0, 10, {24});
  x = x2;
  y = y2;
  step();
  step();
  reset_stats();
  step();
  EXPECT_EQ(stats().buffer_allocations, 0u);
}

TEST(Optim, ParametersAndStateAreUpdatedInPlace) {
  // The old parameters and moments are donated to the new ones: each step
  // writes over the same buffers, as PyTorch's in-place updates do.
  manual_seed(0);
  nn::Sequential model(nn::Linear(6, 5), nn::Tanh(), nn::Linear(5, 2));
  for (bool amsgrad : {false, true}) {
    optim::Adam opt(model->parameters(),
                    optim::AdamOptions(0.01).amsgrad(amsgrad));
    auto x = randn({4, 6}), y = randn({4, 2});
    auto step = [&] {
      opt.zero_grad();
      F::mse_loss(model->forward(x), y).backward();
      opt.step();
    };
    step();
    step();
    std::vector<const void *> before;
    for (auto &p : model->parameters())
      before.push_back(p.data_ptr());
    step();
    for (size_t i = 0; i < before.size(); ++i)
      EXPECT_EQ(model->parameters()[i].data_ptr(), before[i]) << i;
  }
}

TEST(Optim, AnOldValueStillReadIsNotOverwritten) {
  for (int i = 0; i < 3; ++i) {
    auto p = (randn({16}) + 1).requires_grad_();
    optim::SGD sgd({p}, optim::SGDOptions(0.5));
    auto old = p.detach().clone();
    auto same = p.detach(); // the value before the step
    sgd.zero_grad();
    (p * p).sum().backward();
    sgd.step();
    EXPECT_EQ(values(p), std::vector<double>(16, 0.0)); // p - 0.5 * 2p
    EXPECT_EQ(values(same), values(old));
  }
  // A pending intermediate that autograd history keeps (x * 0.5, read
  // again by the gradient of w) keeps the old x too, though nothing else
  // refers to it and the new x is computed from it elementwise.
  auto w = randn({8}).requires_grad_();
  auto x = randn({8});
  auto x0 = values(x);
  auto h = (x * 0.5f) * w;
  x = x * 0.5f + 1.0f;
  auto loss = h.sum();
  loss.item<float>();
  loss.backward();
  for (size_t i = 0; i < 8; ++i) {
    EXPECT_FLOAT_EQ(float(values(w.grad())[i]), float(x0[i] * 0.5)) << i;
    EXPECT_FLOAT_EQ(float(values(x)[i]), float(x0[i] * 0.5 + 1)) << i;
  }
}

TEST(Optim, ChangingHyperparametersEveryStepCompilesNothing) {
  manual_seed(0);
  nn::Linear model(4, 3);
  auto x = randn({8, 4});
  auto y = randn({8, 3});
  optim::Adam opt({{{model->parameters()[0]}, optim::AdamOptions(0.01)},
                   {{model->parameters()[1]}}},
                  optim::AdamOptions(0.02).amsgrad(true));
  Stats warm;
  for (int step = 0; step < 8; ++step) {
    // A new rate and beta1 in every group, as OneCycleLR sets them.
    for (auto &group : opt.param_groups()) {
      group.options().set_lr(group.options().get_lr() * 0.9);
      group.options().set("beta1", 0.95 - 0.01 * step);
    }
    opt.zero_grad();
    F::mse_loss(model->forward(x), y).backward();
    opt.step();
    if (step == 1)
      warm = stats();
  }
  EXPECT_EQ(stats().compiles, warm.compiles) << "a new rate recompiled";
}

// --- Learning-rate schedulers
// ----------------------------------------------------

/// Two SGD groups with rates 0.1 and 0.4, to check that schedules act per
/// group.
struct TwoGroups {
  Tensor a = tensor({1.0}, kFloat64).requires_grad_();
  Tensor b = tensor({1.0}, kFloat64).requires_grad_();
  optim::SGD opt{{{{a}}, {{b}, optim::SGDOptions(0.4)}}, 0.1};
  const double base[2] = {0.1, 0.4};
};

TEST(LRScheduler, MultiStepLRCountsPassedMilestones) {
  TwoGroups t;
  optim::MultiStepLR schedule(t.opt, {5, 2}, 0.5);
  for (int64_t epoch = 1; epoch <= 7; ++epoch) {
    schedule.step();
    int passed = (epoch >= 2) + (epoch >= 5);
    for (int g = 0; g < 2; ++g)
      EXPECT_NEAR(schedule.get_last_lr()[g], t.base[g] * std::pow(0.5, passed),
                  1e-15)
          << epoch;
  }
}

TEST(LRScheduler, LinearLRWarmsUpFromItsFirstStep) {
  TwoGroups t;
  optim::LinearLR schedule(t.opt, 0.25, 1.0, 4);
  for (int64_t epoch = 0; epoch <= 6; ++epoch) {
    if (epoch > 0)
      schedule.step();
    double factor =
        0.25 +
        (1.0 - 0.25) * static_cast<double>(std::min<int64_t>(epoch, 4)) / 4;
    for (int g = 0; g < 2; ++g)
      EXPECT_NEAR(schedule.get_last_lr()[g], t.base[g] * factor, 1e-15)
          << epoch;
  }
  optim::LinearLR defaults(t.opt);
  expectError([&] { optim::LinearLR(t.opt, 0.0); }, {"start_factor"});
  expectError([&] { optim::LinearLR(t.opt, 0.5, 1.5); }, {"end_factor"});
}

/// PyTorch's OneCycleLR.get_lr for one group, from its source: the phases
/// and the annealing functions.
double oneCycleReference(int64_t step, double maxLr, int64_t total,
                         const optim::OneCycleLROptions &o, bool momentum) {
  double initial = maxLr / o.div_factor, minLr = initial / o.final_div_factor;
  double t = static_cast<double>(total);
  struct Phase {
    double end, startLr, endLr, startM, endM;
  };
  std::vector<Phase> phases;
  if (o.three_phase)
    phases = {
        {o.pct_start * t - 1, initial, maxLr, o.max_momentum, o.base_momentum},
        {2 * o.pct_start * t - 2, maxLr, initial, o.base_momentum,
         o.max_momentum},
        {t - 1, initial, minLr, o.max_momentum, o.max_momentum}};
  else
    phases = {
        {o.pct_start * t - 1, initial, maxLr, o.max_momentum, o.base_momentum},
        {t - 1, maxLr, minLr, o.base_momentum, o.max_momentum}};
  auto anneal = [&](double start, double end, double pct) {
    return o.anneal_strategy == "cos"
               ? end + (start - end) / 2.0 * (std::cos(M_PI * pct) + 1)
               : (end - start) * pct + start;
  };
  double start = 0;
  for (size_t i = 0; i < phases.size(); ++i) {
    if (step <= phases[i].end || i + 1 == phases.size()) {
      double pct = (step - start) / (phases[i].end - start);
      return momentum ? anneal(phases[i].startM, phases[i].endM, pct)
                      : anneal(phases[i].startLr, phases[i].endLr, pct);
    }
    start = phases[i].end;
  }
  return 0;
}

TEST(LRScheduler, OneCycleLRFollowsPyTorchsPhases) {
  for (bool threePhase : {false, true})
    for (std::string strategy : {"cos", "linear"}) {
      TwoGroups t;
      t.opt.param_groups()[0].options().set("momentum", 0.5);
      optim::OneCycleLROptions options{.pct_start = 0.25,
                                       .anneal_strategy = strategy,
                                       .three_phase = threePhase};
      int64_t total = 12;
      optim::OneCycleLR schedule(t.opt, {1.0, 2.0}, total, options);
      for (int64_t step = 0; step <= total; ++step) {
        if (step > 0)
          schedule.step();
        for (int g = 0; g < 2; ++g) {
          double maxLr = g == 0 ? 1.0 : 2.0;
          EXPECT_NEAR(schedule.get_last_lr()[g],
                      oneCycleReference(step, maxLr, total, options, false),
                      1e-12)
              << step << strategy << threePhase;
          EXPECT_NEAR(t.opt.param_groups()[g].options().get("momentum"),
                      oneCycleReference(step, maxLr, total, options, true),
                      1e-12)
              << step << strategy << threePhase;
        }
      }
      expectError([&] { schedule.step(); }, {"OneCycleLR", "total_steps"});
    }
  // PyTorch's first rates for max_lr 1 over 10 steps: 1/25, then halfway
  // up the cosine, then the peak.
  TwoGroups t;
  optim::OneCycleLR schedule(t.opt, 1.0, 10);
  EXPECT_NEAR(t.opt.lr(), 0.04, 1e-15);
  schedule.step();
  EXPECT_NEAR(t.opt.lr(), 0.52, 1e-15);
  schedule.step();
  EXPECT_NEAR(t.opt.lr(), 1.0, 1e-15);
}

TEST(LRScheduler, OneCycleLRCyclesAdamsBeta1) {
  auto w = tensor({1.0}, kFloat64).requires_grad_();
  optim::Adam adam({w});
  optim::OneCycleLR schedule(adam, 0.01, 10);
  auto &options = adam.param_groups()[0].options();
  EXPECT_EQ(options.get("beta1"), 0.95);
  EXPECT_EQ(options.get("beta2"), 0.999);
  schedule.step();
  schedule.step();
  EXPECT_NEAR(options.get("beta1"), 0.85, 1e-15);
  optim::Adagrad adagrad({w});
  expectError([&] { optim::OneCycleLR(adagrad, 0.01, 10); },
              {"cycle_momentum"});
  optim::OneCycleLR plain(adagrad, 0.01, 10, {.cycle_momentum = false});
  EXPECT_NEAR(adagrad.lr(), 0.01 / 25, 1e-15);
  expectError([&] { optim::OneCycleLR(adagrad, {0.1, 0.2}, 10); },
              {"one max_lr per parameter group"});
}

TEST(LRScheduler, ReduceLROnPlateauWaitsPatienceThenCoolsDown) {
  auto w = tensor({1.0}, kFloat64).requires_grad_();
  optim::SGD opt({w}, optim::SGDOptions(1.0));
  optim::ReduceLROnPlateau schedule(
      opt, {.factor = 0.5, .patience = 2, .cooldown = 1, .min_lr = {0.2}});
  std::vector<double> lrs;
  for (double metric : {10, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9}) {
    schedule.step(metric);
    lrs.push_back(schedule.get_last_lr()[0]);
  }
  // Three epochs without improvement (more than patience 2) halve the rate;
  // the epoch after a drop is cooldown and does not count; 0.2 is the floor.
  EXPECT_EQ(lrs, (std::vector<double>{1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25,
                                      0.25, 0.25, 0.25, 0.2, 0.2, 0.2, 0.2}));
}

TEST(LRScheduler, ReduceLROnPlateauMaxModeAndAbsoluteThreshold) {
  TwoGroups t;
  optim::ReduceLROnPlateau schedule(t.opt, {.mode = "max",
                                            .patience = 0,
                                            .threshold = 0.1,
                                            .threshold_mode = "abs",
                                            .min_lr = {0.0, 0.3}});
  schedule.step(0.5); // the first metric always improves
  EXPECT_EQ(schedule.get_last_lr(), (std::vector<double>{0.1, 0.4}));
  schedule.step(0.65); // more than 0.1 better: an improvement
  EXPECT_EQ(schedule.get_last_lr(), (std::vector<double>{0.1, 0.4}));
  schedule.step(0.7); // better by less than the threshold: a bad epoch
  EXPECT_NEAR(schedule.get_last_lr()[0], 0.01, 1e-15);
  EXPECT_NEAR(schedule.get_last_lr()[1], 0.3, 1e-15);
  expectError([&] { optim::ReduceLROnPlateau(t.opt, {.mode = "up"}); },
              {"mode"});
  expectError([&] { optim::ReduceLROnPlateau(t.opt, {.factor = 1}); },
              {"factor"});
  expectError([&] { optim::ReduceLROnPlateau(t.opt, {.min_lr = {0, 0, 0}}); },
              {"min_lr"});
}

// --- Optimizer state in checkpoints
// ----------------------------------------------

class OptimizerState : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("kiln-optim-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::string file(const std::string &name) { return (dir / name).string(); }

  /// Trains nn::Linear(3, 2) for 6 steps straight, and for 3 steps, saved
  /// and loaded into a fresh model and optimizer, then 3 more; the
  /// parameters must agree bit for bit.
  template <typename MakeOptimizer>
  void expectResumeIsBitIdentical(MakeOptimizer make) {
    manual_seed(0);
    auto x = randn({8, 3}), y = randn({8, 2});
    auto train = [&](nn::Linear model, optim::Optimizer &opt, int steps) {
      for (int i = 0; i < steps; ++i) {
        opt.zero_grad();
        F::mse_loss(model->forward(x), y).backward();
        opt.step();
      }
    };
    manual_seed(1);
    nn::Linear straight(3, 2);
    auto straightOpt = make(straight->parameters());
    train(straight, straightOpt, 6);

    manual_seed(1);
    nn::Linear first(3, 2);
    auto firstOpt = make(first->parameters());
    train(first, firstOpt, 3);
    save(first->state_dict(), file("model.safetensors"));
    save(firstOpt.state_dict(), file("optim.safetensors"));

    manual_seed(2);
    nn::Linear resumed(3, 2);
    auto resumedOpt = make(resumed->parameters());
    resumed->load_state_dict(load(file("model.safetensors")));
    resumedOpt.load_state_dict(load(file("optim.safetensors")));
    train(resumed, resumedOpt, 3);

    for (size_t i = 0; i < 2; ++i)
      EXPECT_EQ(straight->parameters()[i].to_vector<float>(),
                resumed->parameters()[i].to_vector<float>())
          << "parameter " << i;
  }

  std::filesystem::path dir;
};

TEST_F(OptimizerState, ResumingContinuesBitIdentically) {
  expectResumeIsBitIdentical([](std::vector<Tensor> p) {
    return optim::SGD(p, optim::SGDOptions(0.1).momentum(0.9).nesterov(true));
  });
  expectResumeIsBitIdentical([](std::vector<Tensor> p) {
    return optim::Adam(p, optim::AdamOptions(0.05).amsgrad(true));
  });
  expectResumeIsBitIdentical([](std::vector<Tensor> p) {
    return optim::AdamW(p, optim::AdamWOptions(0.05));
  });
  expectResumeIsBitIdentical([](std::vector<Tensor> p) {
    return optim::RMSprop(p,
                          optim::RMSpropOptions().momentum(0.5).centered(true));
  });
  expectResumeIsBitIdentical([](std::vector<Tensor> p) {
    return optim::Adagrad(p, optim::AdagradOptions(0.1).lr_decay(0.01));
  });
}

TEST_F(OptimizerState, StateDictNamesFollowPyTorch) {
  auto a = tensor({1.0, 2.0}, kFloat64).requires_grad_();
  auto b = tensor({3.0}, kFloat64).requires_grad_();
  optim::Adam opt({{{a}}, {{b}, optim::AdamOptions(0.5)}});
  (a * a).sum().backward(); // b gets no gradient, so no state yet
  opt.step();
  std::vector<std::string> names;
  for (auto &[name, _] : opt.state_dict())
    names.push_back(name);
  EXPECT_EQ(
      names,
      (std::vector<std::string>{
          "state.0.step", "state.0.exp_avg", "state.0.exp_avg_sq",
          "param_groups.0.params", "param_groups.0.lr", "param_groups.0.beta1",
          "param_groups.0.beta2", "param_groups.0.eps",
          "param_groups.0.weight_decay", "param_groups.0.amsgrad",
          "param_groups.1.params", "param_groups.1.lr", "param_groups.1.beta1",
          "param_groups.1.beta2", "param_groups.1.eps",
          "param_groups.1.weight_decay", "param_groups.1.amsgrad"}));
  StateDict state = opt.state_dict();
  EXPECT_EQ(state[0].second.item<int64_t>(), 1);
  EXPECT_EQ(state[0].second.dtype(), kInt64);
  EXPECT_EQ(state[10].second.to_vector<int64_t>(), (std::vector<int64_t>{1}));
  EXPECT_EQ(state[11].second.item<double>(), 0.5);

  // Loading restores the group options over the ones it was built with.
  optim::Adam fresh({{{a}}, {{b}, optim::AdamOptions(0.9)}});
  fresh.load_state_dict(state);
  EXPECT_EQ(fresh.param_groups()[1].options().get_lr(), 0.5);
  EXPECT_EQ(fresh.state_dict().size(), state.size());
}

TEST_F(OptimizerState, LoadingAMismatchNamesTheEntries) {
  auto w = tensor({1.0, 2.0}, kFloat64).requires_grad_();
  optim::Adam adam({w});
  (w * w).sum().backward();
  adam.step();
  StateDict state = adam.state_dict();

  StateDict dropped;
  for (auto &entry : state)
    if (entry.first != "state.0.exp_avg_sq")
      dropped.push_back(entry);
  optim::Adam other({w});
  expectError([&] { other.load_state_dict(dropped); },
              {"missing keys: state.0.exp_avg_sq"});

  auto wide = tensor({1.0, 2.0, 3.0}, kFloat64).requires_grad_();
  optim::Adam wider({wide});
  expectError(
      [&] { wider.load_state_dict(state); },
      {"shape mismatches", "state.0.exp_avg: checkpoint [2]", "optimizer [3]"});

  optim::SGD sgd({w}, 0.1);
  expectError([&] { sgd.load_state_dict(state); },
              {"missing keys: param_groups.0.momentum",
               "unexpected keys:", "param_groups.0.beta1", "state.0.exp_avg"});

  auto v = tensor({1.0}, kFloat64).requires_grad_();
  std::vector<Tensor> first{w}, second{v};
  optim::Adam twoGroups({{first}, {second}});
  expectError([&] { twoGroups.load_state_dict(state); },
              {"missing keys: param_groups.1.params"});
  // A failed load changes nothing.
  EXPECT_EQ(twoGroups.state_dict().size(), 14u);
}

} // namespace

TEST(LRScheduler, StateDictsResumeTheSchedule) {
  auto w = tensor({1.0}, kFloat64).requires_grad_();
  // A run interrupted after 3 epochs and resumed from the state dicts
  // follows the uninterrupted one.
  optim::SGD full({w}, optim::SGDOptions(1.0));
  optim::StepLR fullSchedule(full, 2, 0.5);
  std::vector<double> expected;
  for (int epoch = 0; epoch < 6; ++epoch) {
    fullSchedule.step();
    expected.push_back(fullSchedule.get_last_lr()[0]);
  }
  optim::SGD first({w}, optim::SGDOptions(1.0));
  optim::StepLR firstSchedule(first, 2, 0.5);
  for (int epoch = 0; epoch < 3; ++epoch)
    firstSchedule.step();
  StateDict saved = firstSchedule.state_dict();
  EXPECT_EQ(saved[0].first, "last_epoch");
  EXPECT_EQ(saved[0].second.item<double>(), 3);
  optim::SGD resumed(
      {w}, optim::SGDOptions(first.param_groups()[0].options().get_lr()));
  optim::StepLR resumedSchedule(resumed, 2, 0.5);
  resumedSchedule.load_state_dict(saved);
  std::vector<double> got(expected.begin(), expected.begin() + 3);
  for (int epoch = 3; epoch < 6; ++epoch) {
    resumedSchedule.step();
    got.push_back(resumedSchedule.get_last_lr()[0]);
  }
  EXPECT_EQ(got, expected);
  expectError([&] { resumedSchedule.load_state_dict({}); },
              {"load_state_dict", "no 'last_epoch'"});
  expectError(
      [&] {
        resumedSchedule.load_state_dict(
            {{"last_epoch", tensor(1.0, kFloat64)},
             {"base_lrs", tensor({1.0, 2.0}, kFloat64)}});
      },
      {"'base_lrs' has 2 values, expected 1"});

  // ReduceLROnPlateau carries its best metric and counters.
  optim::ReduceLROnPlateau plateau(first, {.patience = 1});
  plateau.step(5);
  plateau.step(6);
  optim::ReduceLROnPlateau restored(resumed, {.patience = 1});
  restored.load_state_dict(plateau.state_dict());
  EXPECT_EQ(restored.state_dict()[0].second.item<double>(), 5);
  EXPECT_EQ(restored.state_dict()[1].second.item<double>(), 1);
  double before = restored.get_last_lr()[0];
  restored.step(7); // a second bad epoch: more than patience 1
  EXPECT_DOUBLE_EQ(restored.get_last_lr()[0], before * 0.1);
}

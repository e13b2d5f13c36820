//===- CustomFunctionTest.cpp - autograd::Function<T> ----------------------===//
//
// Custom autograd functions as LibTorch programs write them: static forward
// and backward, AutogradContext, T::apply. Backward is recorded once and
// compiled with the rest of the step, so these tests check values, grads of
// grads, training, and the errors a recorded backward gives.
//
//===----------------------------------------------------------------------===//

#include "../TestUtil.h"

#include <kiln/kiln.h>

#include <cmath>

namespace {

using namespace kiln;
using kiln::autograd::AutogradContext;
using kiln::autograd::variable_list;
using kiln::testing::expectAllNear;
using kiln::testing::expectError;
using kiln::testing::values;

int expBackwardCalls = 0;

struct Exp : public autograd::Function<Exp> {
  static Tensor forward(AutogradContext *ctx, Tensor x) {
    Tensor y = x.exp();
    ctx->save_for_backward({y});
    return y;
  }
  static variable_list backward(AutogradContext *ctx,
                                variable_list grad_outputs) {
    ++expBackwardCalls;
    return {grad_outputs[0] * ctx->get_saved_variables()[0]};
  }
};

/// The LibTorch tutorial's LinearFunction, with an optional bias.
struct LinearFunction : public autograd::Function<LinearFunction> {
  static Tensor forward(AutogradContext *ctx, Tensor input, Tensor weight,
                        Tensor bias = Tensor()) {
    ctx->save_for_backward({input, weight, bias});
    auto output = input.mm(weight.t());
    if (bias.defined())
      output += bias.unsqueeze(0).expand_as(output);
    return output;
  }
  static variable_list backward(AutogradContext *ctx,
                                variable_list grad_outputs) {
    auto saved = ctx->get_saved_variables();
    auto input = saved[0];
    auto weight = saved[1];
    auto bias = saved[2];
    auto grad_output = grad_outputs[0];
    auto grad_input = grad_output.mm(weight);
    auto grad_weight = grad_output.t().mm(input);
    auto grad_bias = Tensor();
    if (bias.defined())
      grad_bias = grad_output.sum(0);
    return {grad_input, grad_weight, grad_bias};
  }
};

/// A non-tensor argument, kept in saved_data.
struct MulConstant : public autograd::Function<MulConstant> {
  static Tensor forward(AutogradContext *ctx, Tensor tensor, double constant) {
    ctx->saved_data["constant"] = constant;
    return tensor * constant;
  }
  static variable_list backward(AutogradContext *ctx,
                                variable_list grad_outputs) {
    return {grad_outputs[0] * ctx->saved_data["constant"].toDouble(), Tensor()};
  }
};

/// y = x^3 with a backward written in differentiable ops: grads of grads go
/// through it.
struct Cube : public autograd::Function<Cube> {
  static Tensor forward(AutogradContext *ctx, Tensor x) {
    ctx->save_for_backward({x});
    return x * x * x;
  }
  static variable_list backward(AutogradContext *ctx,
                                variable_list grad_outputs) {
    Tensor x = ctx->get_saved_variables()[0];
    return {grad_outputs[0] * 3 * x * x};
  }
};

/// Two outputs; backward sees a gradient for each.
struct SinCos : public autograd::Function<SinCos> {
  static variable_list forward(AutogradContext *ctx, Tensor x) {
    ctx->save_for_backward({x});
    return {x.sin(), x.cos()};
  }
  static variable_list backward(AutogradContext *ctx,
                                variable_list grad_outputs) {
    Tensor x = ctx->get_saved_variables()[0];
    return {grad_outputs[0] * x.cos() - grad_outputs[1] * x.sin()};
  }
};

TEST(CustomFunction, ExpValueAndGradient) {
  auto x = tensor({0.5, -1.0, 2.0}, kFloat64).requires_grad_();
  Tensor y = Exp::apply(x);
  EXPECT_TRUE(y.requires_grad());
  EXPECT_FALSE(y.is_leaf());
  ASSERT_TRUE(y.grad_fn());
  EXPECT_EQ(y.grad_fn()->name(), "ExpBackward");
  y.sum().backward();
  expectAllNear(values(y), {std::exp(0.5), std::exp(-1.0), std::exp(2.0)},
                1e-12);
  expectAllNear(values(x.grad()), values(y), 1e-12);
}

TEST(CustomFunction, NoBackwardWithoutGrad) {
  int before = expBackwardCalls;
  auto x = tensor({1.0, 2.0});
  Tensor y = Exp::apply(x);
  EXPECT_FALSE(y.requires_grad());
  auto w = tensor({1.0, 2.0}).requires_grad_();
  {
    NoGradGuard noGrad;
    EXPECT_FALSE(Exp::apply(w).requires_grad());
  }
  EXPECT_EQ(expBackwardCalls, before);
  expectAllNear(values(y), {std::exp(1.0), std::exp(2.0)}, 1e-5);
}

TEST(CustomFunction, LinearMatchesTheBuiltInLayer) {
  manual_seed(0);
  auto x = randn({4, 3}, kFloat64).requires_grad_();
  auto w = randn({2, 3}, kFloat64).requires_grad_();
  auto b = randn({2}, kFloat64).requires_grad_();
  Tensor y = LinearFunction::apply(x, w, b);
  (y * y).sum().backward();
  std::vector<double> gx = values(x.grad()), gw = values(w.grad()),
                      gb = values(b.grad());

  auto x2 = x.detach().clone().requires_grad_();
  auto w2 = w.detach().clone().requires_grad_();
  auto b2 = b.detach().clone().requires_grad_();
  Tensor y2 = nn::functional::linear(x2, w2, b2);
  (y2 * y2).sum().backward();
  expectAllNear(values(y), values(y2), 1e-12);
  expectAllNear(gx, values(x2.grad()), 1e-12);
  expectAllNear(gw, values(w2.grad()), 1e-12);
  expectAllNear(gb, values(b2.grad()), 1e-12);

  // Without the bias (its default), the same function.
  auto w3 = w.detach().clone().requires_grad_();
  LinearFunction::apply(x.detach(), w3).sum().backward();
  EXPECT_TRUE(w3.grad().defined());
}

TEST(CustomFunction, NonTensorArgumentsAndSavedData) {
  auto a = tensor({1.0, 2.0, 3.0}).requires_grad_();
  Tensor y = MulConstant::apply(a, 5.5);
  y.sum().backward();
  expectAllNear(values(y), {5.5, 11.0, 16.5}, 1e-6);
  expectAllNear(values(a.grad()), {5.5, 5.5, 5.5}, 1e-6);
}

TEST(CustomFunction, GradientsMatchFiniteDifferences) {
  manual_seed(1);
  auto x = randn({3, 4}, kFloat64);
  auto w = randn({2, 4}, kFloat64);
  auto b = randn({2}, kFloat64);
  kiln::testing::expectGradientsMatchFiniteDifferences(
      [](const std::vector<Tensor> &in) {
        Tensor y = LinearFunction::apply(in[0], in[1], in[2]);
        return (Exp::apply(y.tanh()) * Cube::apply(y)).sum();
      },
      {x, w, b});
}

TEST(CustomFunction, GradientOfGradient) {
  auto x = tensor({0.5, -2.0, 1.5}, kFloat64).requires_grad_();
  Tensor y = Cube::apply(x).sum();
  Tensor dx = autograd::grad({y}, {x}, {}, std::nullopt, true)[0];
  expectAllNear(values(dx), {0.75, 12.0, 6.75}, 1e-12);
  Tensor ddx = autograd::grad({dx.sum()}, {x})[0];
  expectAllNear(values(ddx), {3.0, -12.0, 9.0}, 1e-12);
}

TEST(CustomFunction, GradientPenaltyThroughALayerMatchesFiniteDifferences) {
  // The gradient of a gradient through a layer whose parameters were
  // written in place (initialized) before: a create_graph request is
  // history like any op.
  manual_seed(2);
  nn::Linear model(4, 3);
  model->to(kFloat64);
  auto target = randn({3, 3}, kFloat64);
  kiln::testing::expectGradientsMatchFiniteDifferences(
      [&](const std::vector<Tensor> &in) {
        // The finite differences evaluate under NoGradGuard: the penalty
        // needs history all the same.
        AutoGradMode enable(true);
        EXPECT_TRUE(autograd::GradMode::is_enabled());
        Tensor input = in[0];
        if (!input.requires_grad())
          input = input.detach().requires_grad_();
        Tensor output = model(input);
        Tensor gradient =
            autograd::grad({output}, {input}, {ones_like(output)}, true,
                           /*create_graph=*/true)[0];
        Tensor penalty = pow(gradient.norm(2, /*dim=*/1) - 1, 2).mean();
        return nn::functional::mse_loss(output, target) + penalty +
               (Cube::apply(input) * gradient.sum()).mean();
      },
      {randn({3, 4}, kFloat64)}, 1e-5);
}

TEST(CustomFunction, MultipleOutputsGetZerosForUnusedOnes) {
  auto x = tensor({0.3, 1.2}, kFloat64).requires_grad_();
  variable_list out = SinCos::apply(x);
  ASSERT_EQ(out.size(), 2u);
  out[1].sum().backward(); // the sine gets no gradient
  expectAllNear(values(x.grad()), {-std::sin(0.3), -std::sin(1.2)}, 1e-12);
  expectAllNear(values(out[0]), {std::sin(0.3), std::sin(1.2)}, 1e-12);
}

TEST(CustomFunction, MarkNonDifferentiableAndNeedsInputGrad) {
  struct SortedAndIndices : autograd::Function<SortedAndIndices> {
    static variable_list forward(AutogradContext *ctx, Tensor x, Tensor y) {
      EXPECT_TRUE(ctx->needs_input_grad(0));
      EXPECT_FALSE(ctx->needs_input_grad(1));
      Tensor doubled = x * 2;
      Tensor count = (x > 0).to(kFloat32).sum();
      ctx->mark_non_differentiable({count});
      ctx->set_materialize_grads(false);
      return {doubled + y, count};
    }
    static variable_list backward(AutogradContext *,
                                  variable_list grad_outputs) {
      return {grad_outputs[0] * 2, Tensor()};
    }
  };
  auto x = tensor({1.0f, -1.0f, 2.0f}).requires_grad_();
  auto y = tensor({0.0f, 0.0f, 0.0f});
  variable_list out = SortedAndIndices::apply(x, y);
  EXPECT_TRUE(out[0].requires_grad());
  EXPECT_FALSE(out[1].requires_grad());
  EXPECT_EQ(out[1].item<float>(), 2.0f);
  out[0].sum().backward();
  expectAllNear(values(x.grad()), {2, 2, 2}, 1e-6);
}

struct CustomLinearImpl : nn::Module {
  CustomLinearImpl(int64_t in, int64_t out) {
    weight = register_parameter("weight", randn({out, in}) * 0.1);
    bias = register_parameter("bias", zeros({out}));
  }
  Tensor forward(const Tensor &x) {
    return LinearFunction::apply(x, weight, bias);
  }
  Tensor weight, bias;
};
KILN_MODULE(CustomLinear);

TEST(CustomFunction, TrainsAsTheBuiltInLayerDoes) {
  manual_seed(3);
  CustomLinear custom(3, 1);
  nn::Linear builtin(3, 1);
  {
    NoGradGuard noGrad;
    builtin->weight.copy_(custom->weight);
    builtin->bias.copy_(custom->bias);
  }
  auto x = randn({16, 3});
  auto target = x.matmul(tensor({1.0f, -2.0f, 0.5f})).unsqueeze(1) + 0.25;
  optim::SGD customOpt(custom->parameters(), optim::SGDOptions(0.1));
  optim::SGD builtinOpt(builtin->parameters(), optim::SGDOptions(0.1));
  double first = 0, last = 0;
  for (int step = 0; step < 30; ++step) {
    customOpt.zero_grad();
    Tensor loss = mse_loss(custom(x), target);
    loss.backward();
    customOpt.step();
    builtinOpt.zero_grad();
    Tensor builtinLoss = mse_loss(builtin(x), target);
    builtinLoss.backward();
    builtinOpt.step();
    EXPECT_NEAR(loss.item<double>(), builtinLoss.item<double>(), 1e-5);
    (step == 0 ? first : last) = loss.item<double>();
  }
  EXPECT_LT(last, first * 0.1);
  expectAllNear(values(custom->weight), values(builtin->weight), 1e-5);
}

TEST(CustomFunction, WrongGradientCountIsAnError) {
  struct TooFew : autograd::Function<TooFew> {
    static Tensor forward(AutogradContext *, Tensor a, Tensor b) {
      return a + b;
    }
    static variable_list backward(AutogradContext *, variable_list g) {
      return {g[0]};
    }
  };
  auto a = ones({2}).requires_grad_();
  expectError([&] { TooFew::apply(a, a); },
              {"TooFew", "incorrect number of gradients", "expected 2, got 1",
               "CustomFunctionTest.cpp"});
}

TEST(CustomFunction, WrongGradientShapeIsAnError) {
  struct BadShape : autograd::Function<BadShape> {
    static Tensor forward(AutogradContext *, Tensor a) { return a.sum(); }
    static variable_list backward(AutogradContext *, variable_list g) {
      return {g[0]};
    }
  };
  expectError([&] { BadShape::apply(ones({3}).requires_grad_()); },
              {"BadShape", "gradient of shape []", "input has shape [3]"});
}

TEST(CustomFunction, GradientForANumberIsAnError) {
  struct Scale : autograd::Function<Scale> {
    static Tensor forward(AutogradContext *, Tensor a, double k) {
      return a * k;
    }
    static variable_list backward(AutogradContext *, variable_list g) {
      return {g[0], g[0]};
    }
  };
  expectError([&] { Scale::apply(ones({3}).requires_grad_(), 2.0); },
              {"position 1", "not a tensor"});
}

TEST(CustomFunction, ReadingAGradientInBackwardIsAnError) {
  struct Reads : autograd::Function<Reads> {
    static Tensor forward(AutogradContext *, Tensor a) { return a * 1; }
    static variable_list backward(AutogradContext *, variable_list g) {
      double scale = g[0].sum().item<double>();
      return {g[0] * scale};
    }
  };
  expectError([&] { Reads::apply(ones({3}).requires_grad_()); },
              {"custom autograd Function's backward", "placeholder gradients"});
}

TEST(CustomFunction, WritingOutsideFromBackwardIsAnError) {
  static Tensor outside;
  outside = zeros({3});
  struct Writes : autograd::Function<Writes> {
    static Tensor forward(AutogradContext *, Tensor a) { return a * 1; }
    static variable_list backward(AutogradContext *, variable_list g) {
      outside.add_(g[0]);
      return {g[0]};
    }
  };
  expectError([&] { Writes::apply(ones({3}).requires_grad_()); },
              {"cannot write into a tensor from outside"});
  expectAllNear(values(outside), {0, 0, 0}, 0);
}

TEST(CustomFunction, VariableIsATensor) {
  autograd::Variable v = ones({2}).requires_grad_();
  autograd::variable_list list = {v, v * 2};
  EXPECT_TRUE(list[1].requires_grad());
}

TEST(CustomFunction, SavedDataKeepsKinds) {
  autograd::IValue number = 3;
  EXPECT_TRUE(number.isInt());
  EXPECT_EQ(number.toInt(), 3);
  EXPECT_EQ(number.toDouble(), 3.0);
  autograd::IValue text = "mode";
  EXPECT_EQ(text.toStringRef(), "mode");
  autograd::IValue sizes = std::vector<int64_t>{2, 3};
  EXPECT_EQ(sizes.toIntVector(), (std::vector<int64_t>{2, 3}));
  autograd::IValue none;
  EXPECT_TRUE(none.isNone());
  expectError([&] { text.toTensor(); }, {"expected a tensor", "a String"});
}

} // namespace

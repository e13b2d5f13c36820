// Autograd in LibTorch's spelling: gradients of a small expression, a
// vector-Jacobian product, NoGradGuard and detach, a gradient penalty (the
// gradient of a gradient), and custom autograd functions with their own
// backward. Renaming kiln:: to torch:: gives the LibTorch program. Kiln
// records each backward as a request that a compiler pass differentiates,
// and a custom function's backward is recorded into the same graph.
//
//   autograd
#include <kiln/kiln.h>

#include <iostream>

using kiln::autograd::AutogradContext;
using kiln::autograd::variable_list;

// y = x W^T + b, with the backward written by hand.
struct LinearFunction : public kiln::autograd::Function<LinearFunction> {
  static kiln::Tensor forward(AutogradContext *ctx, kiln::Tensor input,
                              kiln::Tensor weight,
                              kiln::Tensor bias = kiln::Tensor()) {
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
    auto grad_bias = kiln::Tensor();
    if (bias.defined())
      grad_bias = grad_output.sum(0);
    return {grad_input, grad_weight, grad_bias};
  }
};

// y = x * c for a number c, which backward reads from saved_data.
struct MulConstant : public kiln::autograd::Function<MulConstant> {
  static kiln::Tensor forward(AutogradContext *ctx, kiln::Tensor tensor,
                              double constant) {
    ctx->saved_data["constant"] = constant;
    return tensor * constant;
  }

  static variable_list backward(AutogradContext *ctx,
                                variable_list grad_outputs) {
    // One gradient per input of forward; the number gets none.
    return {grad_outputs[0] * ctx->saved_data["constant"].toDouble(),
            kiln::Tensor()};
  }
};

void basic_autograd_operations_example() {
  std::cout << "====== Running: \"Basic autograd operations\" ======"
            << std::endl;
  auto x = kiln::ones({2, 2}, kiln::requires_grad());
  std::cout << x << std::endl;
  auto y = x + 2;
  std::cout << y << std::endl;
  std::cout << y.grad_fn()->name() << std::endl;
  auto z = y * y * 3;
  auto out = z.mean();
  std::cout << z << std::endl;
  std::cout << out << std::endl;

  // requires_grad_ changes the flag in place.
  auto a = kiln::randn({2, 2});
  a = ((a * 3) / (a - 1));
  std::cout << a.requires_grad() << std::endl;
  a.requires_grad_(true);
  std::cout << a.requires_grad() << std::endl;
  auto b = (a * a).sum();
  std::cout << b.grad_fn()->name() << std::endl;

  // d(out)/dx: 3/2 (x + 2) = 4.5 everywhere.
  out.backward();
  std::cout << x.grad() << std::endl;

  // A vector-Jacobian product: y is x times a power of two.
  x = kiln::randn(3, kiln::requires_grad());
  y = x * 2;
  while (y.norm().item<double>() < 1000)
    y = y * 2;
  std::cout << y << std::endl;
  std::cout << y.grad_fn()->name() << std::endl;
  auto v = kiln::tensor({0.1, 1.0, 0.0001}, kiln::kFloat);
  y.backward(v);
  std::cout << x.grad() << std::endl;
  auto ratio = x.grad() / v;
  std::cout << "gradient / v is one power of two: "
            << kiln::allclose(ratio, ratio[0].expand_as(ratio)) << std::endl;

  // No history under NoGradGuard, and detach() gives a tensor without it.
  std::cout << x.requires_grad() << std::endl;
  std::cout << x.pow(2).requires_grad() << std::endl;
  {
    kiln::NoGradGuard no_grad;
    std::cout << x.pow(2).requires_grad() << std::endl;
  }
  std::cout << x.requires_grad() << std::endl;
  y = x.detach();
  std::cout << y.requires_grad() << std::endl;
  std::cout << x.eq(y).all().item<bool>() << std::endl;
}

void compute_higher_order_gradients_example() {
  std::cout << "====== Running \"Computing higher-order gradients\" ======"
            << std::endl;
  // A gradient penalty: the gradient of the output with respect to the
  // input is itself differentiated.
  auto model = kiln::nn::Linear(4, 3);
  auto input = kiln::randn({3, 4}).requires_grad_(true);
  auto output = model(input);
  auto target = kiln::randn({3, 3});
  auto loss = kiln::nn::functional::mse_loss(output, target);
  auto grad_output = kiln::ones_like(output);
  auto gradient = kiln::autograd::grad({output}, {input}, {grad_output},
                                       /*retain_graph=*/true,
                                       /*create_graph=*/true)[0];
  auto gradient_penalty =
      kiln::pow((gradient.norm(2, /*dim=*/1) - 1), 2).mean();
  auto combined_loss = loss + gradient_penalty;
  combined_loss.backward();
  std::cout << input.grad() << std::endl;
}

void custom_autograd_function_example() {
  std::cout << "====== Running \"Using custom autograd function\" ======"
            << std::endl;
  {
    auto x = kiln::randn({2, 3}).requires_grad_();
    auto weight = kiln::randn({4, 3}).requires_grad_();
    auto y = LinearFunction::apply(x, weight);
    y.sum().backward();
    std::cout << x.grad() << std::endl;
    std::cout << weight.grad() << std::endl;
    // The same gradients through the built-in ops.
    auto x2 = x.detach().requires_grad_();
    auto weight2 = weight.detach().requires_grad_();
    x2.mm(weight2.t()).sum().backward();
    std::cout << "LinearFunction matches the built-in gradients: "
              << (kiln::allclose(x.grad(), x2.grad()) &&
                  kiln::allclose(weight.grad(), weight2.grad()))
              << std::endl;
  }
  {
    auto x = kiln::randn({2}).requires_grad_();
    auto y = MulConstant::apply(x, 5.5);
    y.sum().backward();
    std::cout << x.grad() << std::endl;
  }
}

int main() try {
  kiln::manual_seed(0);
  std::cout << std::boolalpha;
  basic_autograd_operations_example();
  compute_higher_order_gradients_example();
  custom_autograd_function_example();
} catch (const kiln::Error &e) {
  std::cerr << "autograd: " << e.what() << "\n";
  return 1;
}

// A first Kiln program: tensors that look eager, computed lazily by compiled
// code. Fits y = 2x + 1 by gradient descent with hand-written gradients
// (autograd comes later), and shows that 200 steps compile one program.
#include <kiln/kiln.h>

#include <iostream>

int main() {
  kiln::manual_seed(0);

  // Creation, broadcasting and printing, as in PyTorch.
  auto a = kiln::tensor({{1.0f, 2.0f, 3.0f}, {4.0f, 5.0f, 6.0f}});
  auto b = kiln::tensor({10.0f, 20.0f, 30.0f});
  std::cout << "a + b =\n" << a + b << "\n\n";
  std::cout << "a.sum(1) =\n" << a.sum(1) << "\n\n";

  // Data: y = 2x + 1 plus a little noise.
  auto x = kiln::rand({64, 1});
  auto y = 2 * x + 1 + 0.01f * kiln::randn({64, 1});

  auto w = kiln::zeros({1, 1});
  auto bias = kiln::zeros({1});
  float lr = 0.5f;
  kiln::reset_stats();
  for (int step = 0; step < 200; ++step) {
    auto error = x.matmul(w) + bias - y; // recorded, not run
    // d/dw mean(error^2) = 2 mean(x * error); d/db = 2 mean(error)
    auto grad_w = 2 * x.t().matmul(error) / 64;
    auto grad_b = 2 * error.mean(0);
    w = w - lr * grad_w;
    bias = bias - lr * grad_b;
    kiln::sync(); // one compiled program computes the whole step
    if (step % 50 == 0)
      std::cout << "step " << step
                << ": loss = " << error.pow(2).mean().item<float>() << "\n";
  }
  std::cout << "w = " << w.item<float>() << ", b = " << bias.item<float>()
            << " (expected 2 and 1)\n";
  kiln::Stats stats = kiln::stats();
  std::cout << "programs compiled for 200 steps: " << stats.compiles
            << ", cache hits: " << stats.cache_hits << "\n";
}

//===- Optim.h - Optimizers (kiln::optim) ------------------------*- C++
//-*-===//
//
// step() records the parameter updates as in-place ops and then computes
// everything pending, so forward, backward and update run as one program.
// Learning rates and Adam's bias corrections enter that program as data: a
// scheduler changing them never causes a recompile.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_OPTIM_H
#define KILN_FRONTEND_OPTIM_H

#include "kiln/frontend/Tensor.h"

#include <vector>

namespace kiln::optim {

/// The parameters an optimizer updates and what it does with them.
class Optimizer {
public:
  explicit Optimizer(std::vector<Tensor> params);
  virtual ~Optimizer() = default;

  /// Records the update of every parameter that has a gradient, then
  /// realizes all pending tensors.
  void step();
  /// Clears the gradients (set_to_none, PyTorch 2's default) or zeroes them.
  void zero_grad(bool set_to_none = true);

  const std::vector<Tensor> &parameters() const { return params_; }

  /// The learning rate; schedulers change it between steps. It enters the
  /// compiled step as data, so changing it never recompiles.
  virtual double lr() const = 0;
  virtual void set_lr(double lr) = 0;

protected:
  /// Records the update of parameter `index` from its gradient `grad`.
  virtual void update(size_t index, Tensor &param, const Tensor &grad) = 0;
  /// A 0-d tensor holding `value` as a program input (not a constant).
  static Tensor scalar(double value, ScalarType dtype);

  std::vector<Tensor> params_;
  int64_t steps_ = 0;
};

struct SGDOptions {
  SGDOptions(double lr) : lr_(lr) {}
  SGDOptions &lr(double v) {
    lr_ = v;
    return *this;
  }
  SGDOptions &momentum(double v) {
    momentum_ = v;
    return *this;
  }
  SGDOptions &dampening(double v) {
    dampening_ = v;
    return *this;
  }
  SGDOptions &weight_decay(double v) {
    weight_decay_ = v;
    return *this;
  }
  SGDOptions &nesterov(bool v) {
    nesterov_ = v;
    return *this;
  }
  double lr() const { return lr_; }
  double momentum() const { return momentum_; }
  double dampening() const { return dampening_; }
  double weight_decay() const { return weight_decay_; }
  bool nesterov() const { return nesterov_; }

private:
  double lr_, momentum_ = 0, dampening_ = 0, weight_decay_ = 0;
  bool nesterov_ = false;
};

/// Stochastic gradient descent with PyTorch's momentum, dampening, Nesterov
/// and weight decay rules.
class SGD : public Optimizer {
public:
  SGD(std::vector<Tensor> params, SGDOptions options);
  SGDOptions &options() { return options_; }
  double lr() const override { return options_.lr(); }
  void set_lr(double lr) override { options_.lr(lr); }

protected:
  void update(size_t index, Tensor &param, const Tensor &grad) override;

private:
  SGDOptions options_;
  std::vector<Tensor> momentum_;
};

struct AdamOptions {
  AdamOptions(double lr = 1e-3) : lr_(lr) {}
  AdamOptions &lr(double v) {
    lr_ = v;
    return *this;
  }
  AdamOptions &betas(std::pair<double, double> v) {
    betas_ = v;
    return *this;
  }
  AdamOptions &eps(double v) {
    eps_ = v;
    return *this;
  }
  AdamOptions &weight_decay(double v) {
    weight_decay_ = v;
    return *this;
  }
  AdamOptions &amsgrad(bool v) {
    amsgrad_ = v;
    return *this;
  }
  double lr() const { return lr_; }
  std::pair<double, double> betas() const { return betas_; }
  double eps() const { return eps_; }
  double weight_decay() const { return weight_decay_; }
  bool amsgrad() const { return amsgrad_; }

private:
  double lr_;
  std::pair<double, double> betas_ = {0.9, 0.999};
  double eps_ = 1e-8, weight_decay_ = 0;
  bool amsgrad_ = false;
};

/// Adam (Kingma & Ba) with PyTorch's bias correction, L2 weight decay and
/// AMSGrad variant.
class Adam : public Optimizer {
public:
  Adam(std::vector<Tensor> params, AdamOptions options = {});
  AdamOptions &options() { return options_; }
  double lr() const override { return options_.lr(); }
  void set_lr(double lr) override { options_.lr(lr); }

protected:
  void update(size_t index, Tensor &param, const Tensor &grad) override;

private:
  AdamOptions options_;
  std::vector<Tensor> exp_avg_, exp_avg_sq_, max_exp_avg_sq_;
};

/// AdamW (Loshchilov & Hutter): Adam with decoupled weight decay, which
/// shrinks the parameters directly (p -= lr * weight_decay * p) instead of
/// adding to the gradient. PyTorch's default weight decay is 0.01.
class AdamW : public Adam {
public:
  AdamW(std::vector<Tensor> params,
        AdamOptions options = AdamOptions().weight_decay(0.01));

protected:
  void update(size_t index, Tensor &param, const Tensor &grad) override;

private:
  double decay_;
};

/// Learning-rate schedules: call step() once per epoch (or per batch), after
/// the optimizer's step, as in PyTorch.
class LRScheduler {
public:
  explicit LRScheduler(Optimizer &optimizer)
      : optimizer_(optimizer), base_(optimizer.lr()) {}
  virtual ~LRScheduler() = default;
  void step() { optimizer_.set_lr(lrAt(++epoch_)); }
  double get_last_lr() const { return optimizer_.lr(); }

protected:
  /// The learning rate after `epoch` scheduler steps.
  virtual double lrAt(int64_t epoch) const = 0;
  Optimizer &optimizer_;
  double base_;
  int64_t epoch_ = 0;
};

/// lr * gamma^(epoch / step_size).
class StepLR : public LRScheduler {
public:
  StepLR(Optimizer &optimizer, int64_t step_size, double gamma = 0.1);

protected:
  double lrAt(int64_t epoch) const override;

private:
  int64_t stepSize_;
  double gamma_;
};

/// lr * gamma^epoch.
class ExponentialLR : public LRScheduler {
public:
  ExponentialLR(Optimizer &optimizer, double gamma)
      : LRScheduler(optimizer), gamma_(gamma) {}

protected:
  double lrAt(int64_t epoch) const override;

private:
  double gamma_;
};

/// eta_min + (lr - eta_min) (1 + cos(pi epoch / T_max)) / 2.
class CosineAnnealingLR : public LRScheduler {
public:
  CosineAnnealingLR(Optimizer &optimizer, int64_t T_max, double eta_min = 0);

protected:
  double lrAt(int64_t epoch) const override;

private:
  int64_t tMax_;
  double etaMin_;
};

} // namespace kiln::optim

namespace kiln::nn::utils {

/// Scales the gradients of `parameters` in place so that their joint 2-norm
/// is at most `max_norm`; returns the norm before clipping (a 0-d tensor,
/// computed with the step).
Tensor clip_grad_norm_(const std::vector<Tensor> &parameters, double max_norm);
/// Clamps every gradient element into [-clip_value, clip_value], in place.
void clip_grad_value_(const std::vector<Tensor> &parameters, double clip_value);

} // namespace kiln::nn::utils

#endif // KILN_FRONTEND_OPTIM_H

//===- Optim.cpp - Optimizers ---------------------------------------------===//
#include "kiln/frontend/Optim.h"
#include "kiln/frontend/Autograd.h"
#include "kiln/frontend/Graph.h"
#include "kiln/frontend/Stats.h"
#include "kiln/runtime/Error.h"

#include <cmath>
#include <cstring>

namespace kiln::optim {

Optimizer::Optimizer(std::vector<Tensor> params) : params_(std::move(params)) {
  for (const Tensor &p : params_)
    if (!p.defined() || !p.requires_grad() || !p.is_leaf())
      throw Error("optimizer: every parameter must be a defined leaf tensor "
                  "that requires grad");
}

Tensor Optimizer::scalar(double value, ScalarType dtype) {
  auto impl = detail::makeRealized({{}, dtype});
  if (dtype == kFloat64) {
    std::memcpy(impl->storage->data, &value, sizeof value);
  } else {
    float f = static_cast<float>(value);
    if (dtype != kFloat32)
      return Tensor(impl).to(dtype); // unreachable for f32/f64 parameters
    std::memcpy(impl->storage->data, &f, sizeof f);
  }
  return Tensor(impl);
}

void Optimizer::step() {
  ++steps_;
  {
    NoGradGuard noGrad;
    for (size_t i = 0; i < params_.size(); ++i)
      if (params_[i].grad().defined())
        update(i, params_[i], params_[i].grad());
  }
  sync();
}

void Optimizer::zero_grad(bool set_to_none) {
  for (Tensor &p : params_) {
    if (set_to_none)
      p.mutable_grad() = Tensor();
    else if (p.grad().defined())
      p.mutable_grad().zero_();
  }
}

SGD::SGD(std::vector<Tensor> params, SGDOptions options)
    : Optimizer(std::move(params)), options_(options),
      momentum_(params_.size()) {
  if (options.lr() < 0 || options.momentum() < 0 || options.weight_decay() < 0)
    throw Error("SGD: lr, momentum and weight_decay must be >= 0");
  if (options.nesterov() &&
      (options.momentum() <= 0 || options.dampening() != 0))
    throw Error("SGD: nesterov needs a momentum and zero dampening");
}

void SGD::update(size_t index, Tensor &param, const Tensor &grad) {
  ScalarType dtype = param.dtype();
  Tensor g = grad;
  if (options_.weight_decay() != 0)
    g = g + param * scalar(options_.weight_decay(), dtype);
  if (options_.momentum() != 0) {
    Tensor &buf = momentum_[index];
    // PyTorch starts the buffer at the first gradient, undamped.
    buf = buf.defined() ? buf * scalar(options_.momentum(), dtype) +
                              g * scalar(1 - options_.dampening(), dtype)
                        : g;
    g = options_.nesterov() ? g + buf * scalar(options_.momentum(), dtype)
                            : buf;
  }
  detail::assign(param, param - g * scalar(options_.lr(), dtype));
}

Adam::Adam(std::vector<Tensor> params, AdamOptions options)
    : Optimizer(std::move(params)), options_(options), exp_avg_(params_.size()),
      exp_avg_sq_(params_.size()), max_exp_avg_sq_(params_.size()) {
  auto [b1, b2] = options.betas();
  if (options.lr() < 0 || options.eps() < 0 || b1 < 0 || b1 >= 1 || b2 < 0 ||
      b2 >= 1)
    throw Error("Adam: needs lr >= 0, eps >= 0 and betas in [0, 1)");
}

void Adam::update(size_t index, Tensor &param, const Tensor &grad) {
  ScalarType dtype = param.dtype();
  auto [beta1, beta2] = options_.betas();
  Tensor g = grad;
  if (options_.weight_decay() != 0)
    g = g + param * scalar(options_.weight_decay(), dtype);
  Tensor &m = exp_avg_[index], &v = exp_avg_sq_[index];
  if (!m.defined()) {
    m = zeros_like(param);
    v = zeros_like(param);
  }
  m = m * scalar(beta1, dtype) + g * scalar(1 - beta1, dtype);
  v = v * scalar(beta2, dtype) + g * g * scalar(1 - beta2, dtype);
  Tensor denomSq = v;
  if (options_.amsgrad()) {
    Tensor &maxV = max_exp_avg_sq_[index];
    maxV = maxV.defined() ? maximum(maxV, v) : v;
    denomSq = maxV;
  }
  // The step count lives on the host; its corrections enter as data.
  double correction1 = 1 - std::pow(beta1, static_cast<double>(steps_));
  double correction2 = 1 - std::pow(beta2, static_cast<double>(steps_));
  Tensor denom = sqrt(denomSq) * scalar(1 / std::sqrt(correction2), dtype) +
                 scalar(options_.eps(), dtype);
  detail::assign(param, param - m / denom *
                                    scalar(options_.lr() / correction1, dtype));
}

AdamW::AdamW(std::vector<Tensor> params, AdamOptions options)
    : Adam(std::move(params), AdamOptions(options).weight_decay(0)),
      decay_(options.weight_decay()) {
  if (decay_ < 0)
    throw Error("AdamW: weight_decay must be >= 0");
}

void AdamW::update(size_t index, Tensor &param, const Tensor &grad) {
  if (decay_ != 0)
    detail::assign(param, param * scalar(1 - lr() * decay_, param.dtype()));
  Adam::update(index, param, grad);
}

StepLR::StepLR(Optimizer &optimizer, int64_t step_size, double gamma)
    : LRScheduler(optimizer), stepSize_(step_size), gamma_(gamma) {
  if (step_size < 1)
    throw Error("StepLR: step_size must be positive");
}

double StepLR::lrAt(int64_t epoch) const {
  return base_ * std::pow(gamma_, static_cast<double>(epoch / stepSize_));
}

double ExponentialLR::lrAt(int64_t epoch) const {
  return base_ * std::pow(gamma_, static_cast<double>(epoch));
}

CosineAnnealingLR::CosineAnnealingLR(Optimizer &optimizer, int64_t T_max,
                                     double eta_min)
    : LRScheduler(optimizer), tMax_(T_max), etaMin_(eta_min) {
  if (T_max < 1)
    throw Error("CosineAnnealingLR: T_max must be positive");
}

double CosineAnnealingLR::lrAt(int64_t epoch) const {
  const double pi = std::acos(-1.0);
  return etaMin_ + (base_ - etaMin_) *
                       (1 + std::cos(pi * static_cast<double>(epoch) /
                                     static_cast<double>(tMax_))) /
                       2;
}

} // namespace kiln::optim

namespace kiln::nn::utils {

Tensor clip_grad_norm_(const std::vector<Tensor> &parameters, double max_norm) {
  NoGradGuard noGrad;
  Tensor total;
  for (const Tensor &p : parameters)
    if (p.grad().defined()) {
      Tensor squares = (p.grad() * p.grad()).sum().to(kFloat64);
      total = total.defined() ? total + squares : squares;
    }
  if (!total.defined())
    return zeros({}, kFloat64);
  Tensor norm = sqrt(total);
  // PyTorch's rule: scale by max_norm / (norm + 1e-6) when that is below 1.
  Tensor scale = clamp(max_norm / (norm + 1e-6), std::nullopt, 1.0);
  for (const Tensor &p : parameters)
    if (p.grad().defined()) {
      Tensor grad = p.grad();
      detail::assign(grad, grad * scale.to(grad.dtype()));
    }
  return norm;
}

void clip_grad_value_(const std::vector<Tensor> &parameters,
                      double clip_value) {
  NoGradGuard noGrad;
  for (const Tensor &p : parameters)
    if (p.grad().defined()) {
      Tensor grad = p.grad();
      detail::assign(grad, grad.clamp(-clip_value, clip_value));
    }
}

} // namespace kiln::nn::utils

//===- Optim.cpp - Optimizers and LR schedulers ---------------------------===//
#include "kiln/frontend/Optim.h"
#include "kiln/frontend/Autograd.h"
#include "kiln/frontend/Graph.h"
#include "kiln/frontend/Recording.h"
#include "kiln/frontend/Stats.h"
#include "kiln/ir/Shapes.h"
#include "kiln/runtime/Error.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <set>
#include <sstream>

namespace kiln::optim {

namespace {

std::string formatNumber(double value) {
  std::ostringstream os;
  os << value;
  return os.str();
}

/// Throws "<optimizer>: invalid <what> <value> (<rule>)" unless `ok`.
void require(bool ok, std::string_view optimizer, std::string_view what,
             double value, std::string_view rule) {
  if (!ok)
    throw Error(std::string(optimizer) + ": invalid " + std::string(what) +
                " " + formatNumber(value) + " (" + std::string(rule) + ")");
}

/// The options as the optimizer's own kind, or a kiln::Error.
template <typename Options>
const Options &optionsOf(const OptimizerOptions &options,
                         std::string_view optimizer,
                         std::string_view expected) {
  auto *typed = dynamic_cast<const Options *>(&options);
  if (!typed)
    throw Error(std::string(optimizer) +
                ": a parameter group's options must "
                "be " +
                std::string(expected));
  return *typed;
}

std::string joinNames(const std::vector<std::string> &names) {
  std::string s;
  for (const std::string &name : names)
    s += (s.empty() ? "" : ", ") + name;
  return s;
}

} // namespace

// --- Options -----------------------------------------------------------------

bool OptimizerOptions::has(std::string_view name) const {
  // fields() hands out pointers for writing too; reading needs no copy.
  for (auto &[fieldName, _] : const_cast<OptimizerOptions *>(this)->fields())
    if (fieldName == name)
      return true;
  return false;
}

double OptimizerOptions::get(std::string_view name) const {
  for (auto &[fieldName, field] :
       const_cast<OptimizerOptions *>(this)->fields())
    if (fieldName == name) {
      if (auto *number = std::get_if<double *>(&field))
        return **number;
      return *std::get<bool *>(field) ? 1 : 0;
    }
  throw Error("optimizer options have no hyperparameter '" + std::string(name) +
              "'");
}

void OptimizerOptions::set(std::string_view name, double value) {
  for (auto &[fieldName, field] : fields())
    if (fieldName == name) {
      if (auto *number = std::get_if<double *>(&field))
        **number = value;
      else
        *std::get<bool *>(field) = value != 0;
      return;
    }
  throw Error("optimizer options have no hyperparameter '" + std::string(name) +
              "'");
}

std::unique_ptr<OptimizerOptions> SGDOptions::clone() const {
  return std::make_unique<SGDOptions>(*this);
}

std::vector<std::pair<std::string, OptimizerOptions::Field>>
SGDOptions::fields() {
  return {{"lr", &lr_},
          {"momentum", &momentum_},
          {"dampening", &dampening_},
          {"weight_decay", &weight_decay_},
          {"nesterov", &nesterov_}};
}

std::unique_ptr<OptimizerOptions> AdamOptions::clone() const {
  return std::make_unique<AdamOptions>(*this);
}

std::vector<std::pair<std::string, OptimizerOptions::Field>>
AdamOptions::fields() {
  return {{"lr", &lr_},
          {"beta1", &std::get<0>(betas_)},
          {"beta2", &std::get<1>(betas_)},
          {"eps", &eps_},
          {"weight_decay", &weight_decay_},
          {"amsgrad", &amsgrad_}};
}

std::unique_ptr<OptimizerOptions> RMSpropOptions::clone() const {
  return std::make_unique<RMSpropOptions>(*this);
}

std::vector<std::pair<std::string, OptimizerOptions::Field>>
RMSpropOptions::fields() {
  return {{"lr", &lr_},
          {"alpha", &alpha_},
          {"eps", &eps_},
          {"weight_decay", &weight_decay_},
          {"momentum", &momentum_},
          {"centered", &centered_}};
}

std::unique_ptr<OptimizerOptions> AdagradOptions::clone() const {
  return std::make_unique<AdagradOptions>(*this);
}

std::vector<std::pair<std::string, OptimizerOptions::Field>>
AdagradOptions::fields() {
  return {{"lr", &lr_},
          {"lr_decay", &lr_decay_},
          {"weight_decay", &weight_decay_},
          {"initial_accumulator_value", &initial_accumulator_value_},
          {"eps", &eps_}};
}

// --- Parameter groups and the optimizer base ---------------------------------

OptimizerParamGroup::OptimizerParamGroup(const OptimizerParamGroup &other)
    : params_(other.params_),
      options_(other.options_ ? other.options_->clone() : nullptr) {}

OptimizerParamGroup &
OptimizerParamGroup::operator=(const OptimizerParamGroup &other) {
  if (this != &other) {
    params_ = other.params_;
    options_ = other.options_ ? other.options_->clone() : nullptr;
  }
  return *this;
}

OptimizerOptions &OptimizerParamGroup::options() {
  if (!options_)
    throw Error("parameter group: no options until the group joins an "
                "optimizer");
  return *options_;
}

const OptimizerOptions &OptimizerParamGroup::options() const {
  return const_cast<OptimizerParamGroup *>(this)->options();
}

Optimizer::Optimizer(std::unique_ptr<OptimizerOptions> defaults)
    : defaults_(std::move(defaults)) {}

void Optimizer::addGroups(std::vector<OptimizerParamGroup> groups) {
  checkOptions(*defaults_);
  for (OptimizerParamGroup &group : groups)
    add_param_group(std::move(group));
  if (parameters().empty())
    throw Error("optimizer: got an empty parameter list");
}

void Optimizer::add_param_group(OptimizerParamGroup group) {
  if (!group.options_)
    group.options_ = defaults_->clone();
  checkOptions(*group.options_);
  std::set<const detail::TensorImpl *> seen;
  for (const Tensor &p : parameters())
    seen.insert(p.impl());
  for (const Tensor &p : group.params_) {
    if (!p.defined() || !p.requires_grad() || !p.is_leaf())
      throw Error("optimizer: every parameter must be a defined leaf tensor "
                  "that requires grad");
    if (!seen.insert(p.impl()).second)
      throw Error("optimizer: a parameter appears in more than one group");
  }
  groups_.push_back(std::move(group));
}

std::vector<Tensor> Optimizer::parameters() const {
  std::vector<Tensor> out;
  for (const OptimizerParamGroup &group : groups_)
    out.insert(out.end(), group.params_.begin(), group.params_.end());
  return out;
}

double Optimizer::lr() const {
  if (groups_.empty())
    throw Error("optimizer: lr() of an optimizer without parameter groups");
  return groups_.front().options().get_lr();
}

Tensor Optimizer::scalar(double value, ScalarType dtype) {
  ScalarType stored = dtype == kFloat32 || dtype == kInt64 ? dtype : kFloat64;
  auto impl = detail::makeRealized({{}, stored});
  if (stored == kFloat32) {
    float f = static_cast<float>(value);
    std::memcpy(impl->storage->data, &f, sizeof f);
  } else if (stored == kInt64) {
    int64_t i = static_cast<int64_t>(value);
    std::memcpy(impl->storage->data, &i, sizeof i);
  } else {
    std::memcpy(impl->storage->data, &value, sizeof value);
  }
  Tensor out(impl);
  // Half-precision parameters read the value converted inside the program.
  return stored == dtype ? out : out.to(dtype);
}

const Tensor &OptimizerParamState::buffer(const std::string &name) const {
  static const Tensor undefined;
  auto it = buffers.find(name);
  return it == buffers.end() ? undefined : it->second;
}

OptimizerStateKey::OptimizerStateKey(const std::string &printed) {
  // A pointer as an ostream prints it: "0x" and hex digits.
  size_t used = 0;
  unsigned long long value = 0;
  try {
    value = std::stoull(printed, &used, 16);
  } catch (const std::exception &) {
    used = 0;
  }
  if (used == 0 || used != printed.size())
    throw Error("Optimizer::state: '" + printed +
                "' is not a parameter key (a TensorImpl pointer)");
  impl_ = reinterpret_cast<const void *>(static_cast<uintptr_t>(value));
}

Tensor Optimizer::step(LossClosure closure) {
  Tensor loss;
  if (closure)
    loss = closure();
  {
    NoGradGuard noGrad;
    for (OptimizerParamGroup &group : groups_)
      for (const Tensor &p : group.params_)
        if (p.grad().defined()) {
          std::unique_ptr<OptimizerParamState> &state = state_[p.impl()];
          if (!state)
            state = newState();
          ++state->step_;
          update(*group.options_, p, p.grad(), *state);
        }
  }
  sync();
  return loss;
}

void Optimizer::zero_grad(bool set_to_none) {
  for (OptimizerParamGroup &group : groups_)
    for (Tensor &p : group.params_) {
      if (set_to_none)
        p.mutable_grad() = Tensor();
      else if (p.grad().defined())
        p.mutable_grad().zero_();
    }
}

StateDict Optimizer::state_dict() const {
  StateDict out;
  int64_t index = 0;
  for (const Tensor &p : parameters()) {
    if (auto it = state_.find(p.impl()); it != state_.end() && it->second) {
      std::string prefix = "state." + std::to_string(index) + ".";
      out.emplace_back(prefix + "step",
                       scalar(static_cast<double>(it->second->step_), kInt64));
      for (auto &[name, buffer] : it->second->buffers)
        if (buffer.defined())
          out.emplace_back(prefix + name, buffer);
    }
    ++index;
  }
  index = 0;
  for (size_t g = 0; g < groups_.size(); ++g) {
    std::string prefix = "param_groups." + std::to_string(g) + ".";
    std::vector<int64_t> numbers;
    for (size_t i = 0; i < groups_[g].params_.size(); ++i)
      numbers.push_back(index++);
    out.emplace_back(prefix + "params", tensor(numbers));
    for (auto &[name, _] : groups_[g].options_->fields())
      out.emplace_back(prefix + name,
                       scalar(groups_[g].options_->get(name), kFloat64));
  }
  return out;
}

void Optimizer::load_state_dict(const StateDict &state) {
  std::map<std::string, Tensor> incoming;
  for (auto &[name, t] : state)
    incoming[name] = t;
  std::set<std::string> used;
  std::vector<std::string> missing, mismatched;
  // Looks `name` up, recording it as missing or (when its shape is not
  // `shape`) mismatched; returns null then.
  auto take = [&](const std::string &name, const Shape &shape) -> Tensor * {
    auto it = incoming.find(name);
    if (it == incoming.end()) {
      missing.push_back(name);
      return nullptr;
    }
    used.insert(name);
    if (it->second.sizes() != shape) {
      mismatched.push_back(name + ": checkpoint " +
                           ir::formatShape(it->second.sizes()) +
                           ", optimizer " + ir::formatShape(shape));
      return nullptr;
    }
    return &it->second;
  };

  std::vector<std::unique_ptr<OptimizerOptions>> options;
  int64_t index = 0;
  for (size_t g = 0; g < groups_.size(); ++g) {
    std::string prefix = "param_groups." + std::to_string(g) + ".";
    Shape count{static_cast<int64_t>(groups_[g].params_.size())};
    if (Tensor *numbers = take(prefix + "params", count)) {
      std::vector<int64_t> expected(count[0]);
      for (int64_t &n : expected)
        n = index++;
      if (numbers->to_vector<int64_t>() != expected)
        mismatched.push_back(prefix +
                             "params: numbers the parameters differently");
    } else {
      index += count[0];
    }
    options.push_back(groups_[g].options_->clone());
    for (auto &[name, _] : options.back()->fields())
      if (Tensor *value = take(prefix + name, {}))
        options.back()->set(name, value->item<double>());
  }

  std::vector<std::pair<const detail::TensorImpl *,
                        std::unique_ptr<OptimizerParamState>>>
      states;
  index = 0;
  for (size_t g = 0; g < groups_.size(); ++g)
    for (const Tensor &p : groups_[g].params_) {
      std::string prefix = "state." + std::to_string(index++) + ".";
      auto first = incoming.lower_bound(prefix);
      if (first == incoming.end() || !first->first.starts_with(prefix))
        continue; // never stepped
      std::unique_ptr<OptimizerParamState> paramState = newState();
      if (Tensor *step = take(prefix + "step", {}))
        paramState->step_ = step->item<int64_t>();
      for (const std::string &name : bufferNames(*options[g]))
        if (Tensor *buffer = take(prefix + name, p.sizes()))
          paramState->buffers[name] = buffer->to(p.dtype());
      states.emplace_back(p.impl(), std::move(paramState));
    }

  std::vector<std::string> unexpected;
  for (auto &[name, _] : incoming)
    if (!used.count(name))
      unexpected.push_back(name);
  std::string problems;
  if (!missing.empty())
    problems += "\n  missing keys: " + joinNames(missing);
  if (!unexpected.empty())
    problems += "\n  unexpected keys: " + joinNames(unexpected);
  if (!mismatched.empty())
    problems += "\n  shape mismatches: " + joinNames(mismatched);
  if (!problems.empty())
    throw Error("load_state_dict: the state dict does not fit the optimizer:" +
                problems);
  for (auto &groupOptions : options)
    checkOptions(*groupOptions);

  for (size_t g = 0; g < groups_.size(); ++g)
    groups_[g].options_ = std::move(options[g]);
  state_.clear();
  for (auto &[impl, paramState] : states)
    state_[impl] = std::move(paramState);
}

// --- SGD ---------------------------------------------------------------------

SGD::SGD(std::vector<OptimizerParamGroup> groups, SGDOptions defaults)
    : Optimizer(defaults.clone()) {
  addGroups(std::move(groups));
}

SGD::SGD(std::vector<Tensor> params, SGDOptions defaults)
    : SGD(std::vector<OptimizerParamGroup>{std::move(params)}, defaults) {}

void SGD::checkOptions(const OptimizerOptions &options) const {
  auto &o = optionsOf<SGDOptions>(options, "SGD", "SGDOptions");
  require(o.lr() >= 0, "SGD", "learning rate", o.lr(), "must be >= 0");
  require(o.momentum() >= 0, "SGD", "momentum", o.momentum(), "must be >= 0");
  require(o.weight_decay() >= 0, "SGD", "weight_decay", o.weight_decay(),
          "must be >= 0");
  if (o.nesterov() && (o.momentum() <= 0 || o.dampening() != 0))
    throw Error("SGD: nesterov needs a momentum and zero dampening");
}

void SGD::update(const OptimizerOptions &options, const Tensor &param,
                 const Tensor &grad, ParamState &state) {
  auto &o = static_cast<const SGDOptions &>(options);
  ScalarType dtype = param.dtype();
  Tensor g = grad;
  if (o.weight_decay() != 0)
    g = g + param * scalar(o.weight_decay(), dtype);
  if (o.momentum() != 0) {
    Tensor momentum = scalar(o.momentum(), dtype);
    Tensor &buf = state.buffers["momentum_buffer"];
    // PyTorch starts the buffer at the first gradient, undamped; a copy,
    // since zero_grad(false) zeroes the gradient in place.
    buf = buf.defined() ? buf * momentum + g * scalar(1 - o.dampening(), dtype)
                        : g.clone();
    g = o.nesterov() ? g + buf * momentum : buf;
  }
  detail::assign(param, param - g * scalar(o.lr(), dtype));
}

std::vector<std::string>
SGD::bufferNames(const OptimizerOptions &options) const {
  if (static_cast<const SGDOptions &>(options).momentum() != 0)
    return {"momentum_buffer"};
  return {};
}

// --- Adam and AdamW ----------------------------------------------------------

Adam::Adam(std::vector<OptimizerParamGroup> groups, AdamOptions defaults)
    : Adam(std::move(groups), defaults, false) {}

Adam::Adam(std::vector<Tensor> params, AdamOptions defaults)
    : Adam(std::vector<OptimizerParamGroup>{std::move(params)}, defaults,
           false) {}

Adam::Adam(std::vector<OptimizerParamGroup> groups, AdamOptions defaults,
           bool decoupled)
    : Optimizer(defaults.clone()), decoupled_(decoupled) {
  addGroups(std::move(groups));
}

void Adam::checkOptions(const OptimizerOptions &options) const {
  const char *name = decoupled_ ? "AdamW" : "Adam";
  auto &o = optionsOf<AdamOptions>(options, name, "AdamOptions");
  auto [beta1, beta2] = o.betas();
  require(o.lr() >= 0, name, "learning rate", o.lr(), "must be >= 0");
  require(o.eps() >= 0, name, "eps", o.eps(), "must be >= 0");
  require(beta1 >= 0 && beta1 < 1, name, "beta1", beta1, "must be in [0, 1)");
  require(beta2 >= 0 && beta2 < 1, name, "beta2", beta2, "must be in [0, 1)");
  require(o.weight_decay() >= 0, name, "weight_decay", o.weight_decay(),
          "must be >= 0");
}

void Adam::update(const OptimizerOptions &options, const Tensor &param,
                  const Tensor &grad, ParamState &state) {
  auto &o = static_cast<const AdamOptions &>(options);
  ScalarType dtype = param.dtype();
  auto [beta1, beta2] = o.betas();
  Tensor p = param, g = grad;
  if (decoupled_)
    p = p * scalar(1 - o.lr() * o.weight_decay(), dtype);
  else if (o.weight_decay() != 0)
    g = g + param * scalar(o.weight_decay(), dtype);
  Tensor &m = state.buffers["exp_avg"], &v = state.buffers["exp_avg_sq"];
  if (!m.defined()) {
    m = zeros_like(param);
    v = zeros_like(param);
  }
  m = m * scalar(beta1, dtype) + g * scalar(1 - beta1, dtype);
  v = v * scalar(beta2, dtype) + g * g * scalar(1 - beta2, dtype);
  Tensor denomSq = v;
  if (o.amsgrad()) {
    // Starting from zeros rather than from v keeps the two buffers distinct
    // tensors, so that the second step's program is the steady-state one.
    Tensor &maxV = state.buffers["max_exp_avg_sq"];
    if (!maxV.defined())
      maxV = zeros_like(param);
    maxV = maximum(maxV, v);
    denomSq = maxV;
  }
  // The step count lives on the host; its corrections enter as data.
  double step = static_cast<double>(state.step_);
  double correction1 = 1 - std::pow(beta1, step);
  double correction2 = 1 - std::pow(beta2, step);
  Tensor denom = sqrt(denomSq) / scalar(std::sqrt(correction2), dtype) +
                 scalar(o.eps(), dtype);
  detail::assign(param, p - m / denom * scalar(o.lr() / correction1, dtype));
}

std::vector<std::string>
Adam::bufferNames(const OptimizerOptions &options) const {
  if (static_cast<const AdamOptions &>(options).amsgrad())
    return {"exp_avg", "exp_avg_sq", "max_exp_avg_sq"};
  return {"exp_avg", "exp_avg_sq"};
}

AdamW::AdamW(std::vector<OptimizerParamGroup> groups, AdamOptions defaults)
    : Adam(std::move(groups), defaults, true) {}

AdamW::AdamW(std::vector<Tensor> params, AdamOptions defaults)
    : Adam(std::vector<OptimizerParamGroup>{std::move(params)}, defaults,
           true) {}

// --- RMSprop -----------------------------------------------------------------

RMSprop::RMSprop(std::vector<OptimizerParamGroup> groups,
                 RMSpropOptions defaults)
    : Optimizer(defaults.clone()) {
  addGroups(std::move(groups));
}

RMSprop::RMSprop(std::vector<Tensor> params, RMSpropOptions defaults)
    : RMSprop(std::vector<OptimizerParamGroup>{std::move(params)}, defaults) {}

void RMSprop::checkOptions(const OptimizerOptions &options) const {
  auto &o = optionsOf<RMSpropOptions>(options, "RMSprop", "RMSpropOptions");
  require(o.lr() >= 0, "RMSprop", "learning rate", o.lr(), "must be >= 0");
  require(o.eps() >= 0, "RMSprop", "eps", o.eps(), "must be >= 0");
  require(o.momentum() >= 0, "RMSprop", "momentum", o.momentum(),
          "must be >= 0");
  require(o.weight_decay() >= 0, "RMSprop", "weight_decay", o.weight_decay(),
          "must be >= 0");
  require(o.alpha() >= 0, "RMSprop", "alpha", o.alpha(), "must be >= 0");
}

void RMSprop::update(const OptimizerOptions &options, const Tensor &param,
                     const Tensor &grad, ParamState &state) {
  auto &o = static_cast<const RMSpropOptions &>(options);
  ScalarType dtype = param.dtype();
  Tensor alpha = scalar(o.alpha(), dtype),
         oneMinusAlpha = scalar(1 - o.alpha(), dtype);
  Tensor g = grad;
  if (o.weight_decay() != 0)
    g = g + param * scalar(o.weight_decay(), dtype);
  Tensor &squareAvg = state.buffers["square_avg"];
  if (!squareAvg.defined())
    squareAvg = zeros_like(param);
  squareAvg = squareAvg * alpha + g * g * oneMinusAlpha;
  Tensor avg;
  if (o.centered()) {
    Tensor &gradAvg = state.buffers["grad_avg"];
    if (!gradAvg.defined())
      gradAvg = zeros_like(param);
    gradAvg = gradAvg * alpha + g * oneMinusAlpha;
    avg = sqrt(squareAvg - gradAvg * gradAvg);
  } else {
    avg = sqrt(squareAvg);
  }
  avg = avg + scalar(o.eps(), dtype);
  Tensor lr = scalar(o.lr(), dtype);
  if (o.momentum() > 0) {
    Tensor &buf = state.buffers["momentum_buffer"];
    if (!buf.defined())
      buf = zeros_like(param);
    buf = buf * scalar(o.momentum(), dtype) + g / avg;
    detail::assign(param, param - buf * lr);
  } else {
    detail::assign(param, param - g / avg * lr);
  }
}

std::vector<std::string>
RMSprop::bufferNames(const OptimizerOptions &options) const {
  auto &o = static_cast<const RMSpropOptions &>(options);
  std::vector<std::string> names{"square_avg"};
  if (o.momentum() > 0)
    names.push_back("momentum_buffer");
  if (o.centered())
    names.push_back("grad_avg");
  return names;
}

// --- Adagrad -----------------------------------------------------------------

Adagrad::Adagrad(std::vector<OptimizerParamGroup> groups,
                 AdagradOptions defaults)
    : Optimizer(defaults.clone()) {
  addGroups(std::move(groups));
}

Adagrad::Adagrad(std::vector<Tensor> params, AdagradOptions defaults)
    : Adagrad(std::vector<OptimizerParamGroup>{std::move(params)}, defaults) {}

void Adagrad::checkOptions(const OptimizerOptions &options) const {
  auto &o = optionsOf<AdagradOptions>(options, "Adagrad", "AdagradOptions");
  require(o.lr() >= 0, "Adagrad", "learning rate", o.lr(), "must be >= 0");
  require(o.lr_decay() >= 0, "Adagrad", "lr_decay", o.lr_decay(),
          "must be >= 0");
  require(o.weight_decay() >= 0, "Adagrad", "weight_decay", o.weight_decay(),
          "must be >= 0");
  require(o.initial_accumulator_value() >= 0, "Adagrad",
          "initial_accumulator_value", o.initial_accumulator_value(),
          "must be >= 0");
  require(o.eps() >= 0, "Adagrad", "eps", o.eps(), "must be >= 0");
}

void Adagrad::update(const OptimizerOptions &options, const Tensor &param,
                     const Tensor &grad, ParamState &state) {
  auto &o = static_cast<const AdagradOptions &>(options);
  ScalarType dtype = param.dtype();
  Tensor g = grad;
  if (o.weight_decay() != 0)
    g = g + param * scalar(o.weight_decay(), dtype);
  Tensor &sum = state.buffers["sum"];
  if (!sum.defined())
    sum = full_like(param, o.initial_accumulator_value());
  sum = sum + g * g;
  double clr =
      o.lr() / (1 + static_cast<double>(state.step_ - 1) * o.lr_decay());
  Tensor denom = sqrt(sum) + scalar(o.eps(), dtype);
  detail::assign(param, param - g / denom * scalar(clr, dtype));
}

std::vector<std::string> Adagrad::bufferNames(const OptimizerOptions &) const {
  return {"sum"};
}

// --- LBFGS -------------------------------------------------------------------

std::unique_ptr<OptimizerOptions> LBFGSOptions::clone() const {
  return std::make_unique<LBFGSOptions>(*this);
}

std::vector<std::pair<std::string, OptimizerOptions::Field>>
LBFGSOptions::fields() {
  return {{"lr", &lr_},
          {"tolerance_grad", &tolerance_grad_},
          {"tolerance_change", &tolerance_change_}};
}

LBFGS::LBFGS(std::vector<OptimizerParamGroup> groups, LBFGSOptions defaults)
    : Optimizer(defaults.clone()) {
  if (groups.size() != 1)
    throw Error("LBFGS: takes one parameter group, got " +
                std::to_string(groups.size()));
  addGroups(std::move(groups));
}

LBFGS::LBFGS(std::vector<Tensor> params, LBFGSOptions defaults)
    : LBFGS(std::vector<OptimizerParamGroup>{std::move(params)}, defaults) {}

void LBFGS::checkOptions(const OptimizerOptions &options) const {
  auto &o = optionsOf<LBFGSOptions>(options, "LBFGS", "LBFGSOptions");
  require(o.lr() > 0, "LBFGS", "learning rate", o.lr(), "must be > 0");
  require(o.max_iter() > 0, "LBFGS", "max_iter",
          static_cast<double>(o.max_iter()), "must be > 0");
  require(o.history_size() > 0, "LBFGS", "history_size",
          static_cast<double>(o.history_size()), "must be > 0");
  if (o.line_search_fn())
    throw Error("LBFGS: line_search_fn \"" + *o.line_search_fn() +
                "\" is not supported; leave it unset for fixed steps");
}

void LBFGS::update(const OptimizerOptions &, const Tensor &, const Tensor &,
                   ParamState &) {
  throw Error("LBFGS: updates only through step(closure)");
}

std::vector<std::string> LBFGS::bufferNames(const OptimizerOptions &) const {
  return {};
}

namespace {
using Vec = std::vector<double>;
double dot(const Vec &a, const Vec &b) {
  double sum = 0;
  for (size_t i = 0; i < a.size(); ++i)
    sum += a[i] * b[i];
  return sum;
}
double absMax(const Vec &a) {
  double m = 0;
  for (double v : a)
    m = std::max(m, std::abs(v));
  return m;
}
/// a + s * b
Vec axpy(const Vec &a, double s, const Vec &b) {
  Vec out(a.size());
  for (size_t i = 0; i < a.size(); ++i)
    out[i] = a[i] + s * b[i];
  return out;
}
Vec scaled(const Vec &a, double s) {
  Vec out(a.size());
  for (size_t i = 0; i < a.size(); ++i)
    out[i] = a[i] * s;
  return out;
}
} // namespace

std::vector<double> LBFGS::flatGrad() const {
  Vec out;
  for (const Tensor &p : parameters()) {
    if (p.grad().defined()) {
      Vec g = p.grad().to_vector<double>();
      out.insert(out.end(), g.begin(), g.end());
    } else {
      out.insert(out.end(), static_cast<size_t>(p.numel()), 0.0);
    }
  }
  return out;
}

void LBFGS::addToParams(double step, const std::vector<double> &direction) {
  NoGradGuard noGrad;
  size_t offset = 0;
  for (const Tensor &p : parameters()) {
    Vec values = p.detach().to_vector<double>();
    for (double &v : values)
      v += step * direction[offset++];
    detail::assign(p, detail::tensorFromDoubles(values, p.sizes(), p.dtype(),
                                                {}, Loc::current()));
  }
  sync();
}

Tensor LBFGS::step(LossClosure closure) {
  if (!closure)
    throw Error("LBFGS: step needs a closure that recomputes the loss");
  auto &o = static_cast<const LBFGSOptions &>(param_groups()[0].options());
  const int64_t maxEval = o.max_eval().value_or(o.max_iter() * 5 / 4);

  Tensor origLoss = closure();
  double loss = origLoss.item<double>();
  int64_t currentEvals = 1;
  ++funcEvals_;
  Vec grad = flatGrad();
  if (absMax(grad) <= o.tolerance_grad())
    return origLoss;

  for (int64_t nIter = 1; nIter <= o.max_iter(); ++nIter) {
    ++nIter_;
    if (nIter_ == 1) {
      direction_ = scaled(grad, -1);
      oldDirs_.clear();
      oldSteps_.clear();
      ro_.clear();
      hDiag_ = 1;
    } else {
      // Update the curvature pairs, then the two-loop recursion.
      Vec y = axpy(grad, -1, prevFlatGrad_);
      Vec s = scaled(direction_, t_);
      double ys = dot(y, s);
      if (ys > 1e-10) {
        if (static_cast<int64_t>(oldDirs_.size()) == o.history_size()) {
          oldDirs_.erase(oldDirs_.begin());
          oldSteps_.erase(oldSteps_.begin());
          ro_.erase(ro_.begin());
        }
        hDiag_ = ys / dot(y, y);
        oldDirs_.push_back(std::move(y));
        oldSteps_.push_back(std::move(s));
        ro_.push_back(1.0 / ys);
      }
      size_t history = oldDirs_.size();
      Vec al(history);
      Vec q = scaled(grad, -1);
      for (size_t i = history; i-- > 0;) {
        al[i] = dot(oldSteps_[i], q) * ro_[i];
        q = axpy(q, -al[i], oldDirs_[i]);
      }
      Vec r = scaled(q, hDiag_);
      for (size_t i = 0; i < history; ++i) {
        double be = dot(oldDirs_[i], r) * ro_[i];
        r = axpy(r, al[i] - be, oldSteps_[i]);
      }
      direction_ = std::move(r);
    }
    prevFlatGrad_ = grad;
    prevLoss_ = loss;
    // The first step of all is scaled by the gradient's size.
    if (nIter_ == 1) {
      double l1 = 0;
      for (double g : grad)
        l1 += std::abs(g);
      t_ = std::min(1.0, 1.0 / l1) * o.lr();
    } else {
      t_ = o.lr();
    }
    double gtd = dot(grad, direction_);
    if (gtd > -o.tolerance_change())
      break;
    addToParams(t_, direction_);
    int64_t evals = 0;
    if (nIter != o.max_iter()) {
      loss = closure().item<double>();
      grad = flatGrad();
      evals = 1;
    }
    currentEvals += evals;
    funcEvals_ += evals;
    if (nIter == o.max_iter() || currentEvals >= maxEval)
      break;
    if (absMax(grad) <= o.tolerance_grad())
      break;
    if (absMax(direction_) * t_ <= o.tolerance_change())
      break;
    if (std::abs(loss - prevLoss_) < o.tolerance_change())
      break;
  }
  return origLoss;
}

// --- Learning-rate schedulers ------------------------------------------------

LRScheduler::LRScheduler(Optimizer &optimizer) : optimizer_(optimizer) {
  for (const OptimizerParamGroup &group : optimizer.param_groups())
    base_lrs_.push_back(group.options().get_lr());
}

void LRScheduler::step() {
  ++last_epoch_;
  apply();
}

void LRScheduler::apply() {
  auto &groups = optimizer_.param_groups();
  // Groups added after the scheduler keep their own rate, as they have no
  // initial rate here.
  for (size_t g = 0; g < groups.size() && g < base_lrs_.size(); ++g)
    groups[g].options().set_lr(lrAt(g, last_epoch_));
}

std::vector<double> LRScheduler::get_last_lr() const {
  std::vector<double> lrs;
  for (const OptimizerParamGroup &group : optimizer_.param_groups())
    lrs.push_back(group.options().get_lr());
  return lrs;
}

namespace {

/// The value of `name` in `state` as doubles; a missing key or another
/// element count than `count` (when not negative) is an error of `who`.
std::vector<double> stateValues(const StateDict &state, const std::string &name,
                                int64_t count, const std::string &who) {
  for (const auto &[key, value] : state)
    if (key == name) {
      if (count >= 0 && value.numel() != count)
        throw Error(who + ".load_state_dict: '" + name + "' has " +
                    std::to_string(value.numel()) + " values, expected " +
                    std::to_string(count));
      return value.to_vector<double>();
    }
  throw Error(who + ".load_state_dict: the state has no '" + name + "'");
}

Tensor scalarState(double value) { return tensor(value, kFloat64); }

} // namespace

StateDict LRScheduler::state_dict() const {
  return {{"last_epoch", scalarState(static_cast<double>(last_epoch_))},
          {"base_lrs", tensor(base_lrs_, kFloat64)}};
}

void LRScheduler::load_state_dict(const StateDict &state) {
  std::vector<double> epoch = stateValues(state, "last_epoch", 1, "scheduler");
  std::vector<double> lrs = stateValues(
      state, "base_lrs", static_cast<int64_t>(base_lrs_.size()), "scheduler");
  last_epoch_ = static_cast<int64_t>(epoch[0]);
  base_lrs_ = lrs;
}

StepLR::StepLR(Optimizer &optimizer, int64_t step_size, double gamma)
    : LRScheduler(optimizer), stepSize_(step_size), gamma_(gamma) {
  if (step_size < 1)
    throw Error("StepLR: step_size must be positive");
}

double StepLR::lrAt(size_t group, int64_t epoch) const {
  return base_lrs_[group] *
         std::pow(gamma_, static_cast<double>(epoch / stepSize_));
}

MultiStepLR::MultiStepLR(Optimizer &optimizer, std::vector<int64_t> milestones,
                         double gamma)
    : LRScheduler(optimizer), milestones_(std::move(milestones)),
      gamma_(gamma) {
  std::sort(milestones_.begin(), milestones_.end());
}

double MultiStepLR::lrAt(size_t group, int64_t epoch) const {
  auto passed =
      std::upper_bound(milestones_.begin(), milestones_.end(), epoch) -
      milestones_.begin();
  return base_lrs_[group] * std::pow(gamma_, static_cast<double>(passed));
}

double ExponentialLR::lrAt(size_t group, int64_t epoch) const {
  return base_lrs_[group] * std::pow(gamma_, static_cast<double>(epoch));
}

CosineAnnealingLR::CosineAnnealingLR(Optimizer &optimizer, int64_t T_max,
                                     double eta_min)
    : LRScheduler(optimizer), tMax_(T_max), etaMin_(eta_min) {
  if (T_max < 1)
    throw Error("CosineAnnealingLR: T_max must be positive");
}

double CosineAnnealingLR::lrAt(size_t group, int64_t epoch) const {
  const double pi = std::acos(-1.0);
  return etaMin_ + (base_lrs_[group] - etaMin_) *
                       (1 + std::cos(pi * static_cast<double>(epoch) /
                                     static_cast<double>(tMax_))) /
                       2;
}

LinearLR::LinearLR(Optimizer &optimizer, double start_factor, double end_factor,
                   int64_t total_iters)
    : LRScheduler(optimizer), startFactor_(start_factor),
      endFactor_(end_factor), totalIters_(total_iters) {
  if (start_factor <= 0 || start_factor > 1)
    throw Error("LinearLR: start_factor must be in (0, 1], got " +
                formatNumber(start_factor));
  if (end_factor < 0 || end_factor > 1)
    throw Error("LinearLR: end_factor must be in [0, 1], got " +
                formatNumber(end_factor));
  if (total_iters < 1)
    throw Error("LinearLR: total_iters must be positive");
  apply();
}

double LinearLR::lrAt(size_t group, int64_t epoch) const {
  return base_lrs_[group] *
         (startFactor_ + (endFactor_ - startFactor_) *
                             static_cast<double>(std::min(totalIters_, epoch)) /
                             static_cast<double>(totalIters_));
}

OneCycleLR::OneCycleLR(Optimizer &optimizer, double max_lr, int64_t total_steps,
                       OneCycleLROptions options)
    : OneCycleLR(optimizer,
                 std::vector<double>(optimizer.param_groups().size(), max_lr),
                 total_steps, std::move(options)) {}

OneCycleLR::OneCycleLR(Optimizer &optimizer, std::vector<double> max_lr,
                       int64_t total_steps, OneCycleLROptions options)
    : LRScheduler(optimizer), maxLrs_(std::move(max_lr)),
      totalSteps_(total_steps), options_(std::move(options)) {
  if (maxLrs_.size() != optimizer.param_groups().size())
    throw Error("OneCycleLR: expected one max_lr per parameter group (" +
                std::to_string(optimizer.param_groups().size()) + "), got " +
                std::to_string(maxLrs_.size()));
  if (total_steps < 1)
    throw Error("OneCycleLR: total_steps must be positive, got " +
                std::to_string(total_steps));
  if (options_.pct_start < 0 || options_.pct_start > 1)
    throw Error("OneCycleLR: pct_start must be in [0, 1], got " +
                formatNumber(options_.pct_start));
  if (options_.anneal_strategy != "cos" && options_.anneal_strategy != "linear")
    throw Error("OneCycleLR: anneal_strategy must be \"cos\" or \"linear\", "
                "got \"" +
                options_.anneal_strategy + "\"");
  double total = static_cast<double>(total_steps), pct = options_.pct_start;
  double maxM = options_.max_momentum, baseM = options_.base_momentum;
  if (options_.three_phase)
    phases_ = {{pct * total - 1, Level::Initial, Level::Max, maxM, baseM},
               {2 * pct * total - 2, Level::Max, Level::Initial, baseM, maxM},
               {total - 1, Level::Initial, Level::Min, maxM, maxM}};
  else
    phases_ = {{pct * total - 1, Level::Initial, Level::Max, maxM, baseM},
               {total - 1, Level::Max, Level::Min, baseM, maxM}};
  if (options_.cycle_momentum) {
    // Adam's beta1 plays the part of momentum, as in PyTorch.
    OptimizerOptions &defaults = optimizer.defaults();
    momentumName_ = defaults.has("beta1")      ? "beta1"
                    : defaults.has("momentum") ? "momentum"
                                               : "";
    if (momentumName_.empty())
      throw Error("OneCycleLR: the optimizer has no momentum or beta1 to "
                  "cycle; set cycle_momentum = false");
  }
  apply();
}

std::pair<const OneCycleLR::Phase *, double>
OneCycleLR::phaseAt(int64_t step) const {
  double start = 0, at = static_cast<double>(step);
  for (size_t i = 0; i < phases_.size(); ++i) {
    const Phase &phase = phases_[i];
    if (at <= phase.endStep || i + 1 == phases_.size())
      return {&phase, (at - start) / (phase.endStep - start)};
    start = phase.endStep;
  }
  return {nullptr, 0}; // unreachable: the last phase takes every step
}

double OneCycleLR::levelLr(Level level, size_t group) const {
  double initial = maxLrs_[group] / options_.div_factor;
  switch (level) {
  case Level::Initial:
    return initial;
  case Level::Max:
    return maxLrs_[group];
  case Level::Min:
    return initial / options_.final_div_factor;
  }
  return 0;
}

double OneCycleLR::anneal(double start, double end, double pct) const {
  if (options_.anneal_strategy == "linear")
    return (end - start) * pct + start;
  const double pi = std::acos(-1.0);
  return end + (start - end) / 2 * (std::cos(pi * pct) + 1);
}

double OneCycleLR::lrAt(size_t group, int64_t epoch) const {
  auto [phase, pct] = phaseAt(epoch);
  return anneal(levelLr(phase->startLr, group), levelLr(phase->endLr, group),
                pct);
}

void OneCycleLR::apply() {
  if (last_epoch_ > totalSteps_)
    throw Error("OneCycleLR: stepped " + std::to_string(last_epoch_) +
                " times, but total_steps is " + std::to_string(totalSteps_));
  LRScheduler::apply();
  if (momentumName_.empty())
    return;
  auto [phase, pct] = phaseAt(last_epoch_);
  double momentum = anneal(phase->startMomentum, phase->endMomentum, pct);
  for (OptimizerParamGroup &group : optimizer_.param_groups())
    group.options().set(momentumName_, momentum);
}

ReduceLROnPlateau::ReduceLROnPlateau(Optimizer &optimizer,
                                     ReduceLROnPlateauOptions options)
    : optimizer_(optimizer), options_(std::move(options)) {
  if (options_.mode != "min" && options_.mode != "max")
    throw Error("ReduceLROnPlateau: mode must be \"min\" or \"max\", got \"" +
                options_.mode + "\"");
  if (options_.threshold_mode != "rel" && options_.threshold_mode != "abs")
    throw Error("ReduceLROnPlateau: threshold_mode must be \"rel\" or "
                "\"abs\", got \"" +
                options_.threshold_mode + "\"");
  if (options_.factor >= 1)
    throw Error("ReduceLROnPlateau: factor must be < 1, got " +
                formatNumber(options_.factor));
  size_t groups = optimizer.param_groups().size();
  if (options_.min_lr.size() == 1)
    minLrs_.assign(groups, options_.min_lr[0]);
  else if (options_.min_lr.size() == groups)
    minLrs_ = options_.min_lr;
  else
    throw Error("ReduceLROnPlateau: expected 1 or " + std::to_string(groups) +
                " values for min_lr, got " +
                std::to_string(options_.min_lr.size()));
  best_ = options_.mode == "min" ? std::numeric_limits<double>::infinity()
                                 : -std::numeric_limits<double>::infinity();
}

StateDict ReduceLROnPlateau::state_dict() const {
  return {
      {"best", scalarState(best_)},
      {"num_bad_epochs", scalarState(static_cast<double>(numBadEpochs_))},
      {"cooldown_counter", scalarState(static_cast<double>(cooldownCounter_))}};
}

void ReduceLROnPlateau::load_state_dict(const StateDict &state) {
  const std::string who = "ReduceLROnPlateau";
  best_ = stateValues(state, "best", 1, who)[0];
  numBadEpochs_ =
      static_cast<int64_t>(stateValues(state, "num_bad_epochs", 1, who)[0]);
  cooldownCounter_ =
      static_cast<int64_t>(stateValues(state, "cooldown_counter", 1, who)[0]);
}

bool ReduceLROnPlateau::isBetter(double metric) const {
  bool relative = options_.threshold_mode == "rel";
  if (options_.mode == "min")
    return relative ? metric < best_ * (1 - options_.threshold)
                    : metric < best_ - options_.threshold;
  return relative ? metric > best_ * (1 + options_.threshold)
                  : metric > best_ + options_.threshold;
}

void ReduceLROnPlateau::step(double metric) {
  if (isBetter(metric)) {
    best_ = metric;
    numBadEpochs_ = 0;
  } else {
    ++numBadEpochs_;
  }
  if (cooldownCounter_ > 0) {
    --cooldownCounter_;
    numBadEpochs_ = 0; // epochs in cooldown do not count
  }
  if (numBadEpochs_ > options_.patience) {
    auto &groups = optimizer_.param_groups();
    for (size_t g = 0; g < groups.size() && g < minLrs_.size(); ++g) {
      double old = groups[g].options().get_lr();
      double reduced = std::max(old * options_.factor, minLrs_[g]);
      if (old - reduced > options_.eps)
        groups[g].options().set_lr(reduced);
    }
    cooldownCounter_ = options_.cooldown;
    numBadEpochs_ = 0;
  }
}

std::vector<double> ReduceLROnPlateau::get_last_lr() const {
  std::vector<double> lrs;
  for (const OptimizerParamGroup &group : optimizer_.param_groups())
    lrs.push_back(group.options().get_lr());
  return lrs;
}

} // namespace kiln::optim

namespace kiln::nn::utils {

GradNorm clip_grad_norm_(const std::vector<Tensor> &parameters, double max_norm,
                         double norm_type, bool error_if_nonfinite) {
  NoGradGuard noGrad;
  const bool infinity = std::isinf(norm_type);
  if (!(norm_type > 0))
    throw Error("clip_grad_norm_: norm_type must be positive or infinity, "
                "got " +
                std::to_string(norm_type));
  Tensor total;
  for (const Tensor &p : parameters)
    if (p.grad().defined()) {
      Tensor g = p.grad().abs().to(kFloat64);
      Tensor part = infinity ? g.max() : g.pow(norm_type).sum();
      total = !total.defined() ? part
              : infinity       ? maximum(total, part)
                               : total + part;
    }
  if (!total.defined())
    return GradNorm(zeros({}, kFloat64));
  Tensor norm = infinity ? total : total.pow(1.0 / norm_type);
  if (error_if_nonfinite) {
    double value = norm.item<double>();
    if (!std::isfinite(value))
      throw Error("clip_grad_norm_: the total norm of order " +
                  std::to_string(norm_type) +
                  " of the gradients is not finite (" + std::to_string(value) +
                  "), so they cannot be clipped");
  }
  // PyTorch's rule: scale by max_norm / (norm + 1e-6) when that is below 1.
  Tensor scale = clamp(max_norm / (norm + 1e-6), std::nullopt, 1.0);
  for (const Tensor &p : parameters)
    if (p.grad().defined()) {
      Tensor grad = p.grad();
      detail::assign(grad, grad * scale.to(grad.dtype()));
    }
  return GradNorm(norm);
}

GradNorm clip_grad_norm_(std::initializer_list<Tensor> parameters,
                         double max_norm, double norm_type,
                         bool error_if_nonfinite) {
  return clip_grad_norm_(std::vector<Tensor>(parameters), max_norm, norm_type,
                         error_if_nonfinite);
}

GradNorm clip_grad_norm_(const Tensor &parameter, double max_norm,
                         double norm_type, bool error_if_nonfinite) {
  return clip_grad_norm_(std::vector<Tensor>{parameter}, max_norm, norm_type,
                         error_if_nonfinite);
}

void clip_grad_value_(std::initializer_list<Tensor> parameters,
                      double clip_value) {
  clip_grad_value_(std::vector<Tensor>(parameters), clip_value);
}

void clip_grad_value_(const Tensor &parameter, double clip_value) {
  clip_grad_value_(std::vector<Tensor>{parameter}, clip_value);
}

Tensor parameters_to_vector(const std::vector<Tensor> &parameters) {
  std::vector<Tensor> parts;
  for (const Tensor &p : parameters)
    parts.push_back(p.reshape({-1}));
  if (parts.empty())
    return zeros({0});
  return cat(parts);
}

void vector_to_parameters(const Tensor &vec,
                          const std::vector<Tensor> &parameters) {
  int64_t total = 0;
  for (const Tensor &p : parameters)
    total += p.numel();
  if (vec.dim() != 1 || vec.numel() != total)
    throw Error("vector_to_parameters: expected a vector of " +
                std::to_string(total) + " elements for the parameters, got " +
                ir::formatShape(vec.sizes()));
  NoGradGuard noGrad;
  int64_t offset = 0;
  for (const Tensor &p : parameters) {
    detail::assign(
        p, vec.narrow(0, offset, p.numel()).reshape(p.sizes()).to(p.dtype()));
    offset += p.numel();
  }
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

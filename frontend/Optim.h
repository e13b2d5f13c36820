//===- Optim.h - Optimizers and LR schedulers (kiln::optim) -----*- C++ -*-===//
//
// step() records the parameter updates as in-place ops and then computes
// everything pending, so forward, backward and update run as one program.
// Learning rates, bias corrections and every other hyperparameter enter that
// program as data: a scheduler changing them never causes a recompile.
//
//   optim::SGD opt({{model.fc1->parameters(), optim::SGDOptions(0.01)},
//                   {model.fc2->parameters()}},
//                  optim::SGDOptions(0.1).momentum(0.9));
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_OPTIM_H
#define KILN_FRONTEND_OPTIM_H

#include "kiln/frontend/Serialize.h"
#include "kiln/frontend/Tensor.h"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

namespace kiln::optim {

/// The hyperparameters of one parameter group. Each optimizer has its own
/// kind (SGDOptions, AdamOptions, ...); schedulers and state_dict reach the
/// values by name ("lr", "momentum", "beta1", ...).
class OptimizerOptions {
public:
  /// A hyperparameter's storage: a number or a flag.
  using Field = std::variant<double *, bool *>;

  virtual ~OptimizerOptions() = default;
  virtual std::unique_ptr<OptimizerOptions> clone() const = 0;
  /// Every hyperparameter by name, in a fixed order.
  virtual std::vector<std::pair<std::string, Field>> fields() = 0;
  bool operator==(const OptimizerOptions &) const = default;

  /// Whether the options have hyperparameter `name`.
  bool has(std::string_view name) const;
  /// The value of hyperparameter `name` (a flag reads as 0 or 1); a name the
  /// options lack is a kiln::Error.
  double get(std::string_view name) const;
  /// Sets hyperparameter `name` (a flag is set by any nonzero value).
  void set(std::string_view name, double value);
  /// The learning rate, which every kind of options has.
  double get_lr() const { return get("lr"); }
  void set_lr(double lr) { set("lr", lr); }
};

/// Declares hyperparameter `name`: a getter, and a setter that returns the
/// options so that calls chain (SGDOptions(0.1).momentum(0.9)).
#define KILN_OPTIM_ARG(T, name)                                                \
  auto &name(T value) {                                                        \
    name##_ = value;                                                           \
    return *this;                                                              \
  }                                                                            \
  T name() const { return name##_; }

/// The options of SGD; lr has no default, as in LibTorch.
class SGDOptions : public OptimizerOptions {
public:
  bool operator==(const SGDOptions &) const = default;
  SGDOptions(double lr) : lr_(lr) {}
  KILN_OPTIM_ARG(double, lr)
  KILN_OPTIM_ARG(double, momentum)
  KILN_OPTIM_ARG(double, dampening)
  KILN_OPTIM_ARG(double, weight_decay)
  KILN_OPTIM_ARG(bool, nesterov)
  std::unique_ptr<OptimizerOptions> clone() const override;
  std::vector<std::pair<std::string, Field>> fields() override;

private:
  double lr_, momentum_ = 0, dampening_ = 0, weight_decay_ = 0;
  bool nesterov_ = false;
};

/// The options of Adam (and AdamW, with AdamWOptions' defaults).
class AdamOptions : public OptimizerOptions {
public:
  bool operator==(const AdamOptions &) const = default;
  using Betas = std::tuple<double, double>;
  AdamOptions(double lr = 1e-3) : lr_(lr) {}
  KILN_OPTIM_ARG(double, lr)
  KILN_OPTIM_ARG(Betas, betas)
  KILN_OPTIM_ARG(double, eps)
  KILN_OPTIM_ARG(double, weight_decay)
  KILN_OPTIM_ARG(bool, amsgrad)
  std::unique_ptr<OptimizerOptions> clone() const override;
  std::vector<std::pair<std::string, Field>> fields() override;

private:
  double lr_;
  Betas betas_ = {0.9, 0.999};
  double eps_ = 1e-8, weight_decay_ = 0;
  bool amsgrad_ = false;
};

/// AdamW's defaults: Adam's, with weight_decay 0.01.
class AdamWOptions : public AdamOptions {
public:
  AdamWOptions(double lr = 1e-3) : AdamOptions(lr) { weight_decay(1e-2); }
};

/// The options of RMSprop, with PyTorch's defaults.
class RMSpropOptions : public OptimizerOptions {
public:
  bool operator==(const RMSpropOptions &) const = default;
  RMSpropOptions(double lr = 1e-2) : lr_(lr) {}
  KILN_OPTIM_ARG(double, lr)
  KILN_OPTIM_ARG(double, alpha)
  KILN_OPTIM_ARG(double, eps)
  KILN_OPTIM_ARG(double, weight_decay)
  KILN_OPTIM_ARG(double, momentum)
  KILN_OPTIM_ARG(bool, centered)
  std::unique_ptr<OptimizerOptions> clone() const override;
  std::vector<std::pair<std::string, Field>> fields() override;

private:
  double lr_, alpha_ = 0.99, eps_ = 1e-8, weight_decay_ = 0, momentum_ = 0;
  bool centered_ = false;
};

/// The options of Adagrad, with PyTorch's defaults.
class AdagradOptions : public OptimizerOptions {
public:
  bool operator==(const AdagradOptions &) const = default;
  AdagradOptions(double lr = 1e-2) : lr_(lr) {}
  KILN_OPTIM_ARG(double, lr)
  KILN_OPTIM_ARG(double, lr_decay)
  KILN_OPTIM_ARG(double, weight_decay)
  KILN_OPTIM_ARG(double, initial_accumulator_value)
  KILN_OPTIM_ARG(double, eps)
  std::unique_ptr<OptimizerOptions> clone() const override;
  std::vector<std::pair<std::string, Field>> fields() override;

private:
  double lr_, lr_decay_ = 0, weight_decay_ = 0, initial_accumulator_value_ = 0,
              eps_ = 1e-10;
};

/// The options of LBFGS, with PyTorch's defaults. `max_eval` defaults to
/// max_iter * 5 / 4.
class LBFGSOptions : public OptimizerOptions {
public:
  bool operator==(const LBFGSOptions &) const = default;
  LBFGSOptions(double lr = 1) : lr_(lr) {}
  KILN_OPTIM_ARG(double, lr)
  KILN_OPTIM_ARG(int64_t, max_iter)
  KILN_OPTIM_ARG(std::optional<int64_t>, max_eval)
  KILN_OPTIM_ARG(double, tolerance_grad)
  KILN_OPTIM_ARG(double, tolerance_change)
  KILN_OPTIM_ARG(int64_t, history_size)
  KILN_OPTIM_ARG(std::optional<std::string>, line_search_fn)
  std::unique_ptr<OptimizerOptions> clone() const override;
  std::vector<std::pair<std::string, Field>> fields() override;

private:
  double lr_;
  int64_t max_iter_ = 20;
  std::optional<int64_t> max_eval_;
  double tolerance_grad_ = 1e-7, tolerance_change_ = 1e-9;
  int64_t history_size_ = 100;
  std::optional<std::string> line_search_fn_;
};

#undef KILN_OPTIM_ARG

/// Parameters that share hyperparameters, like an entry of PyTorch's
/// param_groups. A group built without options takes the optimizer's
/// defaults when it joins the optimizer.
class OptimizerParamGroup {
public:
  OptimizerParamGroup(std::vector<Tensor> params)
      : params_(std::move(params)) {}
  OptimizerParamGroup(std::vector<Tensor> params,
                      const OptimizerOptions &options)
      : params_(std::move(params)), options_(options.clone()) {}
  OptimizerParamGroup(const OptimizerParamGroup &other);
  OptimizerParamGroup &operator=(const OptimizerParamGroup &other);
  OptimizerParamGroup(OptimizerParamGroup &&) = default;
  OptimizerParamGroup &operator=(OptimizerParamGroup &&) = default;

  const std::vector<Tensor> &params() const { return params_; }
  /// False for a group built without options that has not joined an
  /// optimizer yet.
  bool has_options() const { return options_ != nullptr; }
  /// The group's hyperparameters; change them between steps as schedulers
  /// do (param_groups()[0].options().set_lr(0.01)).
  OptimizerOptions &options();
  const OptimizerOptions &options() const;

private:
  friend class Optimizer;
  std::vector<Tensor> params_;
  std::unique_ptr<OptimizerOptions> options_;
};

/// What an optimizer keeps for one parameter between steps (LibTorch's
/// OptimizerParamState): the number of updates and the named buffers.
/// Each optimizer's state is of its own type (AdamParamState, ...), whose
/// accessors read and write those buffers.
class OptimizerParamState {
public:
  virtual ~OptimizerParamState() = default;
  /// Updates done, counting the current one.
  int64_t step() const { return step_; }
  void step(int64_t step) { step_ = step; }
  /// The buffer `name`, undefined when there is none.
  const Tensor &buffer(const std::string &name) const;

  int64_t step_ = 0;
  std::map<std::string, Tensor> buffers;
};

#define KILN_STATE_BUFFER(Self, name)                                          \
  const Tensor &name() const { return buffer(#name); }                         \
  Self &name(Tensor value) {                                                   \
    buffers[#name] = std::move(value);                                         \
    return *this;                                                              \
  }
class SGDParamState : public OptimizerParamState {
public:
  KILN_STATE_BUFFER(SGDParamState, momentum_buffer)
};
class AdamParamState : public OptimizerParamState {
public:
  KILN_STATE_BUFFER(AdamParamState, exp_avg)
  KILN_STATE_BUFFER(AdamParamState, exp_avg_sq)
  KILN_STATE_BUFFER(AdamParamState, max_exp_avg_sq)
};
using AdamWParamState = AdamParamState;
class RMSpropParamState : public OptimizerParamState {
public:
  KILN_STATE_BUFFER(RMSpropParamState, square_avg)
  KILN_STATE_BUFFER(RMSpropParamState, momentum_buffer)
  KILN_STATE_BUFFER(RMSpropParamState, grad_avg)
};
class AdagradParamState : public OptimizerParamState {
public:
  KILN_STATE_BUFFER(AdagradParamState, sum)
};
/// LBFGS keeps its history for all parameters together, in the optimizer.
class LBFGSParamState : public OptimizerParamState {};
#undef KILN_STATE_BUFFER

/// A parameter's key in Optimizer::state(): its tensor, given as
/// `p.unsafeGetTensorImpl()` or as that pointer prints
/// (`c10::guts::to_string(p.unsafeGetTensorImpl())`, LibTorch 1's keys).
class OptimizerStateKey {
public:
  OptimizerStateKey(const void *impl) : impl_(impl) {}
  OptimizerStateKey(const std::string &printed);
  const void *get() const { return impl_; }
  bool operator==(const OptimizerStateKey &) const = default;

private:
  const void *impl_;
};
struct OptimizerStateKeyHash {
  size_t operator()(const OptimizerStateKey &key) const {
    return std::hash<const void *>()(key.get());
  }
};
using OptimizerState =
    std::unordered_map<OptimizerStateKey, std::unique_ptr<OptimizerParamState>,
                       OptimizerStateKeyHash>;

/// The base of every optimizer: parameter groups, the per-parameter state,
/// and step/zero_grad/state_dict.
class Optimizer {
public:
  virtual ~Optimizer() = default;
  Optimizer(const Optimizer &) = delete;
  Optimizer &operator=(const Optimizer &) = delete;

  /// What step(closure) calls: clears the gradients, computes the loss,
  /// calls backward() on it and returns it.
  using LossClosure = std::function<Tensor()>;

  /// Records the update of every parameter that has a gradient, then
  /// realizes all pending tensors. With a closure (LibTorch's form), calls
  /// it first and returns its loss; LBFGS calls it as often as it needs.
  virtual Tensor step(LossClosure closure = nullptr);
  /// Clears the gradients (set_to_none, PyTorch 2's default) or zeroes them.
  void zero_grad(bool set_to_none = true);

  /// Every parameter, group by group: the order state_dict numbers them in.
  std::vector<Tensor> parameters() const;
  std::vector<OptimizerParamGroup> &param_groups() { return groups_; }
  const std::vector<OptimizerParamGroup> &param_groups() const {
    return groups_;
  }
  /// Adds a group of parameters that no group holds yet; a group without
  /// options takes a copy of defaults().
  void add_param_group(OptimizerParamGroup group);
  /// The options the optimizer was built with.
  OptimizerOptions &defaults() { return *defaults_; }
  /// The learning rate of the first group.
  double lr() const;
  /// Each stepped parameter's state, by its TensorImpl:
  /// `static_cast<AdamParamState &>(*opt.state()[p.unsafeGetTensorImpl()])`.
  OptimizerState &state() { return state_; }
  const OptimizerState &state() const { return state_; }
  /// The number of parameters over all groups.
  size_t size() const { return parameters().size(); }

  /// The optimizer's state as named tensors, numbering the parameters as
  /// parameters() orders them: "state.<i>.step" (int64) and the buffers
  /// ("state.<i>.exp_avg", ...) of every parameter that has been stepped,
  /// and per group "param_groups.<g>.params" (the parameter numbers) and
  /// each hyperparameter ("param_groups.<g>.lr", ...) as a 0-d float64.
  StateDict state_dict() const;
  /// Restores what state_dict() saved into an optimizer of the same kind
  /// over parameters of the same shapes. Missing, unexpected or mismatched
  /// entries are a kiln::Error that lists them; nothing changes then.
  void load_state_dict(const StateDict &state);

protected:
  using ParamState = OptimizerParamState;
  /// A new, empty state of this optimizer's type.
  virtual std::unique_ptr<OptimizerParamState> newState() const {
    return std::make_unique<OptimizerParamState>();
  }

  explicit Optimizer(std::unique_ptr<OptimizerOptions> defaults);
  /// Adds every group; called by the derived constructor, once its checks
  /// are reachable.
  void addGroups(std::vector<OptimizerParamGroup> groups);
  /// Throws a kiln::Error unless `options` are this optimizer's kind and in
  /// range.
  virtual void checkOptions(const OptimizerOptions &options) const = 0;
  /// Records the update of `param` from `grad`, with its group's options.
  virtual void update(const OptimizerOptions &options, const Tensor &param,
                      const Tensor &grad, ParamState &state) = 0;
  /// The buffers update() keeps per parameter under `options`.
  virtual std::vector<std::string>
  bufferNames(const OptimizerOptions &options) const = 0;
  /// A 0-d tensor holding `value` as a program input (not a constant).
  static Tensor scalar(double value, ScalarType dtype);

private:
  std::unique_ptr<OptimizerOptions> defaults_;
  std::vector<OptimizerParamGroup> groups_;
  OptimizerState state_;
};

/// Stochastic gradient descent with PyTorch's momentum, dampening, Nesterov
/// and weight decay rules.
class SGD : public Optimizer {
public:
  SGD(std::vector<OptimizerParamGroup> groups, SGDOptions defaults);
  SGD(std::vector<Tensor> params, SGDOptions defaults);

protected:
  std::unique_ptr<OptimizerParamState> newState() const override {
    return std::make_unique<SGDParamState>();
  }
  void checkOptions(const OptimizerOptions &options) const override;
  void update(const OptimizerOptions &options, const Tensor &param,
              const Tensor &grad, ParamState &state) override;
  std::vector<std::string>
  bufferNames(const OptimizerOptions &options) const override;
};

/// Adam (Kingma & Ba) with PyTorch's bias correction, L2 weight decay and
/// AMSGrad variant.
class Adam : public Optimizer {
public:
  Adam(std::vector<OptimizerParamGroup> groups, AdamOptions defaults = {});
  Adam(std::vector<Tensor> params, AdamOptions defaults = {});

protected:
  std::unique_ptr<OptimizerParamState> newState() const override {
    return std::make_unique<AdamParamState>();
  }
  /// With `decoupled`, weight decay shrinks the parameters (AdamW).
  Adam(std::vector<OptimizerParamGroup> groups, AdamOptions defaults,
       bool decoupled);
  void checkOptions(const OptimizerOptions &options) const override;
  void update(const OptimizerOptions &options, const Tensor &param,
              const Tensor &grad, ParamState &state) override;
  std::vector<std::string>
  bufferNames(const OptimizerOptions &options) const override;

private:
  bool decoupled_ = false;
};

/// AdamW (Loshchilov & Hutter): Adam with decoupled weight decay, which
/// shrinks the parameters directly (p -= lr * weight_decay * p) instead of
/// adding to the gradient. PyTorch's default weight decay is 0.01.
class AdamW : public Adam {
public:
  AdamW(std::vector<OptimizerParamGroup> groups,
        AdamOptions defaults = AdamWOptions());
  AdamW(std::vector<Tensor> params, AdamOptions defaults = AdamWOptions());
};

/// RMSprop (Hinton) with PyTorch's momentum, centered and weight decay
/// variants; eps is added outside the square root.
class RMSprop : public Optimizer {
public:
  RMSprop(std::vector<OptimizerParamGroup> groups,
          RMSpropOptions defaults = {});
  RMSprop(std::vector<Tensor> params, RMSpropOptions defaults = {});

protected:
  std::unique_ptr<OptimizerParamState> newState() const override {
    return std::make_unique<RMSpropParamState>();
  }
  void checkOptions(const OptimizerOptions &options) const override;
  void update(const OptimizerOptions &options, const Tensor &param,
              const Tensor &grad, ParamState &state) override;
  std::vector<std::string>
  bufferNames(const OptimizerOptions &options) const override;
};

/// Adagrad (Duchi et al.) with PyTorch's learning-rate decay
/// lr / (1 + (step - 1) lr_decay) and initial accumulator value.
class Adagrad : public Optimizer {
public:
  Adagrad(std::vector<OptimizerParamGroup> groups,
          AdagradOptions defaults = {});
  Adagrad(std::vector<Tensor> params, AdagradOptions defaults = {});

protected:
  std::unique_ptr<OptimizerParamState> newState() const override {
    return std::make_unique<AdagradParamState>();
  }
  void checkOptions(const OptimizerOptions &options) const override;
  void update(const OptimizerOptions &options, const Tensor &param,
              const Tensor &grad, ParamState &state) override;
  std::vector<std::string>
  bufferNames(const OptimizerOptions &options) const override;
};

/// Limited-memory BFGS over all parameters (one group), as PyTorch's: each
/// step(closure) runs up to max_iter iterations, re-evaluating the closure
/// after each, with a fixed step of lr (after a first, scaled one). The
/// closure is required; line_search_fn "strong_wolfe" is not supported yet
/// (a kiln::Error).
class LBFGS : public Optimizer {
public:
  LBFGS(std::vector<Tensor> params, LBFGSOptions defaults = {});
  LBFGS(std::vector<OptimizerParamGroup> groups, LBFGSOptions defaults = {});

  Tensor step(LossClosure closure = nullptr) override;

protected:
  std::unique_ptr<OptimizerParamState> newState() const override {
    return std::make_unique<LBFGSParamState>();
  }
  void checkOptions(const OptimizerOptions &options) const override;
  void update(const OptimizerOptions &options, const Tensor &param,
              const Tensor &grad, ParamState &state) override;
  std::vector<std::string>
  bufferNames(const OptimizerOptions &options) const override;

private:
  /// The gradients of every parameter as one vector (zeros for a
  /// parameter without one), read to the host: the two-loop recursion runs
  /// there, in double.
  std::vector<double> flatGrad() const;
  /// Adds `step * direction` to the parameters.
  void addToParams(double step, const std::vector<double> &direction);

  // The state PyTorch keeps between steps.
  int64_t funcEvals_ = 0, nIter_ = 0;
  std::vector<double> direction_, prevFlatGrad_;
  double t_ = 0, hDiag_ = 1, prevLoss_ = 0;
  std::vector<std::vector<double>> oldDirs_, oldSteps_;
  std::vector<double> ro_;
};

// --- Learning-rate schedulers ------------------------------------------------

/// A schedule that sets each group's learning rate from its initial one and
/// the number of scheduler steps: call step() once per epoch (or per batch),
/// after the optimizer's step, as in PyTorch. Each schedule is PyTorch's
/// closed form.
class LRScheduler {
public:
  explicit LRScheduler(Optimizer &optimizer);
  virtual ~LRScheduler() = default;
  /// Advances one epoch and sets every group's rate for it.
  void step();
  /// The learning rate of every group after the last step.
  std::vector<double> get_last_lr() const;
  /// The schedule's position, as PyTorch's scheduler state_dict:
  /// "last_epoch" (0-d) and "base_lrs" ([groups]), float64. Save it with
  /// the optimizer's to resume training where it stopped.
  StateDict state_dict() const;
  /// Restores what state_dict() saved. The optimizer's rates are not
  /// touched (they come back with its own state dict), as in PyTorch. A
  /// missing key or another number of groups is a kiln::Error.
  void load_state_dict(const StateDict &state);

protected:
  /// Sets every group's rate for the current epoch; the constructors of
  /// schedules that change the rate at epoch 0 call it, as PyTorch's do.
  virtual void apply();
  /// The rate of group `group` after `epoch` scheduler steps.
  virtual double lrAt(size_t group, int64_t epoch) const = 0;

  Optimizer &optimizer_;
  std::vector<double> base_lrs_;
  int64_t last_epoch_ = 0;
};

/// lr * gamma^(epoch / step_size).
class StepLR : public LRScheduler {
public:
  StepLR(Optimizer &optimizer, int64_t step_size, double gamma = 0.1);

protected:
  double lrAt(size_t group, int64_t epoch) const override;

private:
  int64_t stepSize_;
  double gamma_;
};

/// lr * gamma^(number of milestones <= epoch).
class MultiStepLR : public LRScheduler {
public:
  MultiStepLR(Optimizer &optimizer, std::vector<int64_t> milestones,
              double gamma = 0.1);

protected:
  double lrAt(size_t group, int64_t epoch) const override;

private:
  std::vector<int64_t> milestones_; ///< sorted
  double gamma_;
};

/// lr * gamma^epoch.
class ExponentialLR : public LRScheduler {
public:
  ExponentialLR(Optimizer &optimizer, double gamma)
      : LRScheduler(optimizer), gamma_(gamma) {}

protected:
  double lrAt(size_t group, int64_t epoch) const override;

private:
  double gamma_;
};

/// eta_min + (lr - eta_min) (1 + cos(pi epoch / T_max)) / 2.
class CosineAnnealingLR : public LRScheduler {
public:
  CosineAnnealingLR(Optimizer &optimizer, int64_t T_max, double eta_min = 0);

protected:
  double lrAt(size_t group, int64_t epoch) const override;

private:
  int64_t tMax_;
  double etaMin_;
};

/// lr * (start_factor + (end_factor - start_factor) min(epoch, total_iters) /
/// total_iters): a linear warm-up (or decay) over total_iters steps.
class LinearLR : public LRScheduler {
public:
  LinearLR(Optimizer &optimizer, double start_factor = 1.0 / 3,
           double end_factor = 1.0, int64_t total_iters = 5);

protected:
  double lrAt(size_t group, int64_t epoch) const override;

private:
  double startFactor_, endFactor_;
  int64_t totalIters_;
};

/// OneCycleLR's options after max_lr and total_steps, in PyTorch's order
/// (OneCycleLR(opt, 0.1, 100, {.pct_start = 0.25})).
struct OneCycleLROptions {
  double pct_start = 0.3;
  std::string anneal_strategy = "cos"; ///< "cos" or "linear"
  /// Whether momentum (SGD, RMSprop) or beta1 (Adam) cycles inversely to the
  /// rate, between base_momentum and max_momentum.
  bool cycle_momentum = true;
  double base_momentum = 0.85;
  double max_momentum = 0.95;
  double div_factor = 25;
  double final_div_factor = 1e4;
  bool three_phase = false;
};

/// The 1cycle policy (Smith & Topin): the rate rises from max_lr /
/// div_factor to max_lr over pct_start of total_steps, then anneals to
/// max_lr / (div_factor * final_div_factor); step() once per batch, at most
/// total_steps times. It ignores the groups' initial rates.
class OneCycleLR : public LRScheduler {
public:
  OneCycleLR(Optimizer &optimizer, double max_lr, int64_t total_steps,
             OneCycleLROptions options = {});
  /// One max_lr per parameter group.
  OneCycleLR(Optimizer &optimizer, std::vector<double> max_lr,
             int64_t total_steps, OneCycleLROptions options = {});

protected:
  void apply() override;
  double lrAt(size_t group, int64_t epoch) const override;

private:
  /// The three rates of a group's cycle.
  enum class Level { Initial, Max, Min };
  /// One phase of the cycle: the rate moves from `startLr` to `endLr` and
  /// the momentum from `startMomentum` to `endMomentum`, ending at step
  /// `endStep`.
  struct Phase {
    double endStep;
    Level startLr, endLr;
    double startMomentum, endMomentum;
  };
  /// The phase holding `step`, and how far into it `step` is (0 to 1).
  std::pair<const Phase *, double> phaseAt(int64_t step) const;
  double levelLr(Level level, size_t group) const;
  double anneal(double start, double end, double pct) const;

  std::vector<double> maxLrs_;
  int64_t totalSteps_;
  OneCycleLROptions options_;
  std::vector<Phase> phases_;
  std::string momentumName_; ///< "momentum", "beta1" or "" (not cycled)
};

/// ReduceLROnPlateau's options, in PyTorch's order.
struct ReduceLROnPlateauOptions {
  std::string mode = "min"; ///< "min": lower metrics are better; or "max"
  double factor = 0.1;      ///< new lr = lr * factor, below 1
  /// Epochs without improvement tolerated before the rate drops.
  int64_t patience = 10;
  double threshold = 1e-4;
  std::string threshold_mode = "rel"; ///< "rel" or "abs"
  int64_t cooldown = 0; ///< epochs to wait after a drop before counting
  /// Floor of the rate: one value for every group, or one per group.
  std::vector<double> min_lr = {0};
  double eps = 1e-8; ///< drops smaller than this are skipped
};

/// Lowers the rates by `factor` when a metric stops improving for
/// `patience` epochs; step(metric) once per epoch.
class ReduceLROnPlateau {
public:
  explicit ReduceLROnPlateau(Optimizer &optimizer,
                             ReduceLROnPlateauOptions options = {});
  /// Records the epoch's metric, lowering the rates once it has not
  /// improved for more than `patience` epochs.
  void step(double metric);
  /// The learning rate of every group after the last step.
  std::vector<double> get_last_lr() const;
  /// "best", "num_bad_epochs" and "cooldown_counter" (0-d float64), as
  /// PyTorch's state_dict names them.
  StateDict state_dict() const;
  /// Restores what state_dict() saved; a missing key is a kiln::Error.
  void load_state_dict(const StateDict &state);

private:
  bool isBetter(double metric) const;

  Optimizer &optimizer_;
  ReduceLROnPlateauOptions options_;
  std::vector<double> minLrs_;
  double best_;
  int64_t numBadEpochs_ = 0, cooldownCounter_ = 0;
};

} // namespace kiln::optim

namespace kiln::nn::utils {

/// The total norm clip_grad_norm_ returns: a 0-d tensor computed with the
/// step, read as a double (LibTorch's return type) when asked.
class GradNorm {
public:
  explicit GradNorm(Tensor norm) : norm_(std::move(norm)) {}
  operator double() const { return norm_.item<double>(); }
  operator Tensor() const { return norm_; }
  const Tensor &tensor() const { return norm_; }
  template <typename T> T item() const { return norm_.item<T>(); }

private:
  Tensor norm_;
};

/// Scales the gradients of `parameters` in place so that their joint
/// `norm_type`-norm (2, 1, or infinity) is at most `max_norm`; returns the
/// norm before clipping. With `error_if_nonfinite`, a NaN or infinite norm
/// is a kiln::Error (which reads it now rather than with the step).
GradNorm clip_grad_norm_(const std::vector<Tensor> &parameters, double max_norm,
                         double norm_type = 2.0,
                         bool error_if_nonfinite = false);
GradNorm clip_grad_norm_(std::initializer_list<Tensor> parameters,
                         double max_norm, double norm_type = 2.0,
                         bool error_if_nonfinite = false);
GradNorm clip_grad_norm_(const Tensor &parameter, double max_norm,
                         double norm_type = 2.0,
                         bool error_if_nonfinite = false);
/// Clamps every gradient element into [-clip_value, clip_value], in place.
void clip_grad_value_(const std::vector<Tensor> &parameters, double clip_value);
void clip_grad_value_(std::initializer_list<Tensor> parameters,
                      double clip_value);
void clip_grad_value_(const Tensor &parameter, double clip_value);

/// The parameters flattened and joined into one vector.
Tensor parameters_to_vector(const std::vector<Tensor> &parameters);
/// Writes the slices of `vec` into the parameters, in order; `vec` must
/// have as many elements as the parameters together.
void vector_to_parameters(const Tensor &vec,
                          const std::vector<Tensor> &parameters);

} // namespace kiln::nn::utils

#endif // KILN_FRONTEND_OPTIM_H

//===- Metrics.h - Classification metrics and a running mean ----*- C++ -*-===//
//
// Figures for logging a training run, in torchmetrics' and scikit-learn's
// conventions. Each function reads its inputs' values (realizing them; a
// step has usually computed them already) and returns a plain number.
//
// Class predictions come either as class indices [N] (an integer tensor) or
// as scores [N, C] (logits or probabilities), whose argmax is the class.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_METRICS_H
#define KILN_FRONTEND_METRICS_H

#include "kiln/frontend/Tensor.h"

#include <cstdint>
#include <string>
#include <vector>

namespace kiln::metrics {

/// The fraction of samples whose target class is among the `topk` best
/// scored. `input` is scores [N, C], or class indices [N] when topk is 1;
/// `targets` holds class indices [N]. Equal scores rank the lower class
/// first, as argmax does.
double accuracy(const Tensor &input, const Tensor &targets, int64_t topk = 1);

/// counts[t][p]: the number of samples of class t predicted as p (rows are
/// targets, as in scikit-learn and torchmetrics); int64 [num_classes,
/// num_classes].
Tensor confusion_matrix(const Tensor &input, const Tensor &targets,
                        int64_t num_classes);

/// tp / (tp + fp). `average` "micro" pools the counts of every class;
/// "macro" averages the per-class values over the classes that occur in
/// the targets or the predictions. An empty denominator counts as 0.
double precision(const Tensor &input, const Tensor &targets,
                 int64_t num_classes, const std::string &average = "macro");
/// tp / (tp + fn), averaged as precision() does.
double recall(const Tensor &input, const Tensor &targets, int64_t num_classes,
              const std::string &average = "macro");
/// The harmonic mean of precision and recall, 2 tp / (2 tp + fp + fn),
/// averaged as precision() does.
double f1_score(const Tensor &input, const Tensor &targets, int64_t num_classes,
                const std::string &average = "macro");

/// The mean of values logged over an epoch, each weighted by its sample
/// count: update(loss.item<double>(), batch_size) per batch, then mean().
class RunningMean {
public:
  /// Adds `value`, the mean over `n` samples.
  void update(double value, int64_t n = 1);
  /// The weighted mean since the last reset; NaN before any update.
  double mean() const;
  /// The number of samples added since the last reset.
  int64_t count() const { return count_; }
  void reset();

private:
  double sum_ = 0;
  int64_t count_ = 0;
};

/// One named series of a training curve: a value per epoch (or step).
struct Curve {
  std::string name; ///< e.g. "train loss"
  std::vector<double> values;
};

/// Writes `curves` as an SVG chart to `path` (atomically): one panel per
/// curve with its own value axis, x from 1 to the longest curve's length
/// (labelled `x_label`), each panel titled with the curve's name and its
/// last value. Non-finite values are left out of the line. Opens in any
/// browser.
void save_curves_svg(const std::string &path, const std::vector<Curve> &curves,
                     const std::string &x_label = "epoch");

} // namespace kiln::metrics

#endif // KILN_FRONTEND_METRICS_H

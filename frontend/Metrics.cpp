//===- Metrics.cpp - Classification metrics and a running mean ------------===//
#include "kiln/frontend/Metrics.h"
#include "kiln/ir/Shapes.h"
#include "kiln/runtime/Error.h"

#include "kiln/runtime/AtomicFile.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <ostream>
#include <vector>

namespace kiln::metrics {

namespace {

/// The class indices of `targets`, checked to be [N] integers.
std::vector<int64_t> targetClasses(const Tensor &targets, std::string_view op) {
  if (!targets.defined() || targets.dim() != 1 || targets.is_floating_point())
    throw Error(std::string(op) +
                ": targets must be class indices, a 1-d integer tensor");
  if (targets.numel() == 0)
    throw Error(std::string(op) + ": no samples");
  return targets.to_vector<int64_t>();
}

/// The predicted classes of `input` (indices [N] or scores [N, C]) for `n`
/// samples.
std::vector<int64_t> predictedClasses(const Tensor &input, int64_t n,
                                      int64_t numClasses, std::string_view op) {
  std::string where(op);
  if (!input.defined() || input.dim() < 1 || input.dim() > 2 ||
      (input.dim() == 1 && input.is_floating_point()))
    throw Error(where + ": input must be class indices [N] (integers) or "
                        "scores [N, C]");
  if (input.size(0) != n)
    throw Error(where + ": input has " + std::to_string(input.size(0)) +
                " samples, targets " + std::to_string(n));
  if (input.dim() == 1)
    return input.to_vector<int64_t>();
  if (numClasses > 0 && input.size(1) != numClasses)
    throw Error(where + ": scores " + ir::formatShape(input.sizes()) +
                " do not have num_classes = " + std::to_string(numClasses) +
                " columns");
  return input.argmax(1).to_vector<int64_t>();
}

void checkRange(const std::vector<int64_t> &classes, int64_t numClasses,
                std::string_view what, std::string_view op) {
  for (size_t i = 0; i < classes.size(); ++i)
    if (classes[i] < 0 || classes[i] >= numClasses)
      throw Error(std::string(op) + ": " + std::string(what) + " " +
                  std::to_string(classes[i]) + " at index " +
                  std::to_string(i) + " is outside [0, " +
                  std::to_string(numClasses) + ")");
}

/// Row-major [target][predicted] counts.
std::vector<int64_t> countPairs(const Tensor &input, const Tensor &targets,
                                int64_t numClasses, std::string_view op) {
  if (numClasses < 1)
    throw Error(std::string(op) + ": num_classes must be positive, got " +
                std::to_string(numClasses));
  std::vector<int64_t> truth = targetClasses(targets, op);
  std::vector<int64_t> predicted = predictedClasses(
      input, static_cast<int64_t>(truth.size()), numClasses, op);
  checkRange(truth, numClasses, "target", op);
  checkRange(predicted, numClasses, "prediction", op);
  std::vector<int64_t> counts(numClasses * numClasses);
  for (size_t i = 0; i < truth.size(); ++i)
    ++counts[truth[i] * numClasses + predicted[i]];
  return counts;
}

/// Which ratio of a class's counts a metric takes.
enum class Ratio { Precision, Recall, F1 };

double averaged(Ratio ratio, const Tensor &input, const Tensor &targets,
                int64_t numClasses, const std::string &average,
                std::string_view op) {
  if (average != "macro" && average != "micro")
    throw Error(std::string(op) +
                ": average must be \"macro\" or \"micro\", "
                "got \"" +
                average + "\"");
  std::vector<int64_t> counts = countPairs(input, targets, numClasses, op);
  double tpSum = 0, fpSum = 0, fnSum = 0, macroSum = 0;
  int64_t present = 0;
  for (int64_t c = 0; c < numClasses; ++c) {
    double tp = static_cast<double>(counts[c * numClasses + c]), fp = 0, fn = 0;
    for (int64_t other = 0; other < numClasses; ++other)
      if (other != c) {
        fp += static_cast<double>(counts[other * numClasses + c]);
        fn += static_cast<double>(counts[c * numClasses + other]);
      }
    tpSum += tp;
    fpSum += fp;
    fnSum += fn;
    if (tp + fp + fn == 0)
      continue; // neither a target nor a prediction: not averaged
    ++present;
    double numerator = ratio == Ratio::F1 ? 2 * tp : tp;
    double denominator = ratio == Ratio::Precision ? tp + fp
                         : ratio == Ratio::Recall  ? tp + fn
                                                   : 2 * tp + fp + fn;
    macroSum += denominator > 0 ? numerator / denominator : 0;
  }
  if (average == "macro")
    return macroSum / static_cast<double>(present);
  // Every sample is one tp or one fp-and-fn pair, so the three pooled
  // ratios are the same number: the accuracy.
  double denominator = ratio == Ratio::Precision ? tpSum + fpSum
                       : ratio == Ratio::Recall  ? tpSum + fnSum
                                                 : 2 * tpSum + fpSum + fnSum;
  return (ratio == Ratio::F1 ? 2 * tpSum : tpSum) / denominator;
}

} // namespace

double accuracy(const Tensor &input, const Tensor &targets, int64_t topk) {
  std::vector<int64_t> truth = targetClasses(targets, "accuracy");
  int64_t n = static_cast<int64_t>(truth.size());
  if (topk < 1)
    throw Error("accuracy: topk must be positive, got " + std::to_string(topk));
  if (input.defined() && input.dim() == 2) {
    int64_t classes = input.size(1);
    if (topk > classes)
      throw Error("accuracy: topk " + std::to_string(topk) + " exceeds the " +
                  std::to_string(classes) + " classes");
    if (input.size(0) != n)
      throw Error("accuracy: input has " + std::to_string(input.size(0)) +
                  " samples, targets " + std::to_string(n));
    checkRange(truth, classes, "target", "accuracy");
    std::vector<double> scores = input.to_vector<double>();
    int64_t hits = 0;
    for (int64_t i = 0; i < n; ++i) {
      const double *row = scores.data() + i * classes;
      int64_t t = truth[i], rank = 0;
      for (int64_t c = 0; c < classes; ++c)
        rank += row[c] > row[t] || (row[c] == row[t] && c < t);
      hits += rank < topk;
    }
    return static_cast<double>(hits) / static_cast<double>(n);
  }
  if (topk != 1)
    throw Error("accuracy: topk > 1 needs scores [N, C], not class indices");
  std::vector<int64_t> predicted = predictedClasses(input, n, 0, "accuracy");
  int64_t hits = 0;
  for (int64_t i = 0; i < n; ++i)
    hits += predicted[i] == truth[i];
  return static_cast<double>(hits) / static_cast<double>(n);
}

Tensor confusion_matrix(const Tensor &input, const Tensor &targets,
                        int64_t num_classes) {
  return tensor(countPairs(input, targets, num_classes, "confusion_matrix"))
      .reshape({num_classes, num_classes});
}

double precision(const Tensor &input, const Tensor &targets,
                 int64_t num_classes, const std::string &average) {
  return averaged(Ratio::Precision, input, targets, num_classes, average,
                  "precision");
}

double recall(const Tensor &input, const Tensor &targets, int64_t num_classes,
              const std::string &average) {
  return averaged(Ratio::Recall, input, targets, num_classes, average,
                  "recall");
}

double f1_score(const Tensor &input, const Tensor &targets, int64_t num_classes,
                const std::string &average) {
  return averaged(Ratio::F1, input, targets, num_classes, average, "f1_score");
}

void RunningMean::update(double value, int64_t n) {
  if (n < 0)
    throw Error("RunningMean: n must be >= 0, got " + std::to_string(n));
  sum_ += value * static_cast<double>(n);
  count_ += n;
}

double RunningMean::mean() const {
  if (count_ == 0)
    return std::numeric_limits<double>::quiet_NaN();
  return sum_ / static_cast<double>(count_);
}

void RunningMean::reset() {
  sum_ = 0;
  count_ = 0;
}

namespace {

/// `v` with a few significant digits, for axis labels.
std::string label(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", v);
  return text;
}

std::string escapeXml(const std::string &text) {
  std::string out;
  for (char c : text) {
    if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else if (c == '"')
      out += "&quot;";
    else
      out += c;
  }
  return out;
}

} // namespace

void save_curves_svg(const std::string &path, const std::vector<Curve> &curves,
                     const std::string &x_label) {
  if (curves.empty())
    throw Error("save_curves_svg: no curves to draw");
  constexpr double width = 640, panel = 200, left = 70, right = 20, top = 30,
                   bottom = 40;
  size_t points = 1;
  for (const Curve &c : curves)
    points = std::max(points, c.values.size());
  double height = curves.size() * panel;
  double plotWidth = width - left - right, plotHeight = panel - top - bottom;
  auto x = [&](size_t i) {
    return left + (points > 1 ? plotWidth * i / (points - 1) : plotWidth / 2);
  };
  runtime::writeFileAtomically(path, "save_curves_svg", [&](std::ostream &svg) {
    svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width
        << "\" height=\"" << height << "\" font-family=\"sans-serif\" "
        << "font-size=\"12\">\n"
        << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    for (size_t k = 0; k < curves.size(); ++k) {
      const Curve &c = curves[k];
      double y0 = k * panel + top;
      double lo = std::numeric_limits<double>::infinity(), hi = -lo;
      for (double v : c.values)
        if (std::isfinite(v)) {
          lo = std::min(lo, v);
          hi = std::max(hi, v);
        }
      if (!(lo <= hi))
        lo = 0, hi = 1; // nothing finite to draw
      if (hi == lo)
        lo -= 0.5, hi += 0.5;
      auto y = [&](double v) { return y0 + plotHeight * (hi - v) / (hi - lo); };
      std::string last = c.values.empty() ? "" : label(c.values.back());
      svg << "<text x=\"" << left << "\" y=\"" << y0 - 10
          << "\" font-weight=\"bold\">" << escapeXml(c.name)
          << (last.empty() ? "" : " (last " + last + ")") << "</text>\n"
          << "<rect x=\"" << left << "\" y=\"" << y0 << "\" width=\""
          << plotWidth << "\" height=\"" << plotHeight
          << "\" fill=\"none\" stroke=\"#999\"/>\n";
      for (double v : {lo, hi})
        svg << "<text x=\"" << left - 6 << "\" y=\"" << y(v) + 4
            << "\" text-anchor=\"end\">" << label(v) << "</text>\n";
      for (size_t i : {size_t{0}, points - 1})
        svg << "<text x=\"" << x(i) << "\" y=\"" << y0 + plotHeight + 16
            << "\" text-anchor=\"middle\">" << i + 1 << "</text>\n";
      svg << "<text x=\"" << left + plotWidth / 2 << "\" y=\""
          << y0 + plotHeight + 32 << "\" text-anchor=\"middle\">"
          << escapeXml(x_label) << "</text>\n"
          << "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" "
          << "points=\"";
      bool first = true;
      for (size_t i = 0; i < c.values.size(); ++i)
        if (std::isfinite(c.values[i])) {
          svg << (first ? "" : " ") << x(i) << "," << y(c.values[i]);
          first = false;
        }
      svg << "\"/>\n";
    }
    svg << "</svg>\n";
  });
}

} // namespace kiln::metrics

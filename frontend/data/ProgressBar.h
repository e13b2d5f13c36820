//===- ProgressBar.h - A terminal progress bar ------------------*- C++ -*-===//
//
// ProgressBar: one line per epoch of a training loop, redrawn in place.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_DATA_PROGRESSBAR_H
#define KILN_FRONTEND_DATA_PROGRESSBAR_H

#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

namespace kiln::data {

/// A one-line terminal progress bar for a training loop:
///
///     epoch 2  [=========>          ]  45/100  312.4 it/s  ETA 00:00:18  loss
///     0.4312
///
/// redrawn in place (a carriage return, no newline) at most every
/// `min_interval` seconds, and finished with a newline by close(). In Auto
/// mode it draws only when writing to std::cout and stdout is a terminal
/// (isatty), so logs and pipes stay clean; On draws to any stream.
class ProgressBar {
public:
  /// When to draw.
  enum class Mode {
    /// Only to a terminal std::cout.
    Auto,
    /// Always.
    On,
    /// Never.
    Off,
  };

  /// A bar over `total` steps (0: unknown, as for a stream; no bar or ETA
  /// is drawn then) of epoch `epoch`, drawing to `out`.
  explicit ProgressBar(size_t total, uint64_t epoch = 0,
                       std::ostream *out = nullptr, Mode mode = Mode::Auto,
                       double min_interval = 0.1);
  /// Closes the bar if still open.
  ~ProgressBar();
  ProgressBar(const ProgressBar &) = delete;
  ProgressBar &operator=(const ProgressBar &) = delete;

  /// Counts `steps` more done and, when given, sets the shown metric (a
  /// running mean is up to the caller); redraws if min_interval has passed
  /// since the last draw, or at the last step.
  void update(size_t steps = 1, std::optional<double> metric = std::nullopt);
  /// Names the metric shown after the ETA ("loss" by default).
  void set_metric_name(std::string name) { metricName_ = std::move(name); }
  /// Draws the final state and ends the line; later updates draw nothing.
  void close();

  /// Whether this bar draws at all.
  bool enabled() const { return enabled_; }
  /// The steps done.
  size_t step() const { return step_; }
  /// The line for the current state after `elapsed` seconds, without the
  /// carriage return: what update() draws.
  std::string render(double elapsed) const;

private:
  void draw(bool force);

  size_t total_;
  uint64_t epoch_;
  std::ostream *out_;
  bool enabled_;
  double minInterval_;
  size_t step_ = 0;
  std::optional<double> metric_;
  std::string metricName_ = "loss";
  double start_;
  double lastDraw_ = -1;
  size_t lastWidth_ = 0;
  bool closed_ = false;
};

} // namespace kiln::data

#endif // KILN_FRONTEND_DATA_PROGRESSBAR_H

//===- ProgressBar.cpp - A terminal progress bar --------------------------===//
//
// ProgressBar: renders a line and redraws it in place, when a terminal shows
// it.
//
//===----------------------------------------------------------------------===//
#include "kiln/frontend/data/ProgressBar.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>

namespace kiln::data {

namespace {

std::string formatDuration(double seconds) {
  auto total = static_cast<long long>(seconds + 0.5);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%02lld:%02lld:%02lld", total / 3600,
                total / 60 % 60, total % 60);
  return buffer;
}

double nowSeconds() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

} // namespace

ProgressBar::ProgressBar(size_t total, uint64_t epoch, std::ostream *out,
                         Mode mode, double min_interval)
    : total_(total), epoch_(epoch), out_(out ? out : &std::cout),
      enabled_(mode == Mode::On || (mode == Mode::Auto && out_ == &std::cout &&
                                    ::isatty(STDOUT_FILENO))),
      minInterval_(min_interval), start_(nowSeconds()) {}

ProgressBar::~ProgressBar() {
  try {
    close();
  } catch (...) { // a failing stream must not throw from a destructor
  }
}

void ProgressBar::update(size_t steps, std::optional<double> metric) {
  step_ += steps;
  if (metric)
    metric_ = metric;
  draw(total_ > 0 && step_ >= total_);
}

void ProgressBar::close() {
  if (closed_)
    return;
  if (enabled_) {
    draw(true);
    *out_ << '\n' << std::flush;
  }
  closed_ = true;
}

void ProgressBar::draw(bool force) {
  if (!enabled_ || closed_)
    return;
  double elapsed = nowSeconds() - start_;
  if (!force && lastDraw_ >= 0 && elapsed - lastDraw_ < minInterval_)
    return;
  lastDraw_ = elapsed;
  std::string line = render(elapsed);
  // Blanks over what a longer previous line left on the terminal.
  size_t width = line.size();
  if (width < lastWidth_)
    line.append(lastWidth_ - width, ' ');
  lastWidth_ = width;
  *out_ << '\r' << line << std::flush;
}

std::string ProgressBar::render(double elapsed) const {
  constexpr size_t kBarWidth = 20;
  char buffer[64];
  std::string line = "epoch " + std::to_string(epoch_);
  if (total_ > 0) {
    size_t filled = std::min(kBarWidth, step_ * kBarWidth / total_);
    line += "  [" + std::string(filled, '=');
    if (filled < kBarWidth)
      line += ">" + std::string(kBarWidth - filled - 1, ' ');
    line += "]  " + std::to_string(step_) + "/" + std::to_string(total_);
  } else {
    line += "  " + std::to_string(step_);
  }
  double rate = elapsed > 0 ? static_cast<double>(step_) / elapsed : 0;
  std::snprintf(buffer, sizeof buffer, "  %.1f it/s", rate);
  line += buffer;
  if (total_ > 0) {
    if (step_ >= total_)
      line += "  ETA 00:00:00";
    else if (rate > 0)
      line +=
          "  ETA " + formatDuration(static_cast<double>(total_ - step_) / rate);
    else
      line += "  ETA --:--:--";
  }
  if (metric_) {
    std::snprintf(buffer, sizeof buffer, "%.4f", *metric_);
    line += "  " + metricName_ + " " + buffer;
  }
  return line;
}

} // namespace kiln::data

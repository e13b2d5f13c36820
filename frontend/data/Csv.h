//===- Csv.h - CSV files ----------------------------------------*- C++ -*-===//
//
// CSVDataset: the numeric rows of a CSV file as features and a target.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_DATA_CSV_H
#define KILN_FRONTEND_DATA_CSV_H

#include "kiln/frontend/data/Dataset.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace kiln::data {

/// Numeric rows of a CSV file: the columns other than the target are the
/// sample's float32 features [F], the target column its label (an int64
/// scalar, or float32/float64 for regression). Cells may be padded with
/// spaces or quoted; blank lines are skipped; there is no escaping, since
/// every cell must be a number.
class CSVDataset : public Dataset<Example<>> {
public:
  /// Reads `path`. `target_column` counts from 0, or from the end when
  /// negative (-1 is the last column). With `has_header`, the first line
  /// names the columns and fixes their number; otherwise the first row
  /// does. A missing file, an empty one, a row with another number of
  /// cells, a cell that is not a number, or an int64 target that is not a
  /// whole number is a kiln::Error naming the file and line.
  CSVDataset(const std::string &path, int64_t target_column,
             bool has_header = true, char delimiter = ',',
             ScalarType target_dtype = kInt64);
  /// Takes the target column by its name in the header.
  CSVDataset(const std::string &path, const std::string &target_column,
             char delimiter = ',', ScalarType target_dtype = kInt64);

  /// `{features [F] float32, target scalar}`.
  Example<> get(size_t index) override;
  /// The number of rows.
  size_t size() const override {
    return static_cast<size_t>(features_.size(0));
  }

  /// All features, float32 [N, F].
  const Tensor &features() const { return features_; }
  /// All targets, [N].
  const Tensor &targets() const { return targets_; }
  /// The header's names of the feature columns, in order (empty without a
  /// header).
  const std::vector<std::string> &feature_names() const { return names_; }

private:
  void load(const std::string &path, int64_t targetIndex,
            const std::string *targetName, bool hasHeader, char delimiter,
            ScalarType targetDtype);

  Tensor features_;
  Tensor targets_;
  std::vector<std::string> names_;
};

} // namespace kiln::data

#endif // KILN_FRONTEND_DATA_CSV_H

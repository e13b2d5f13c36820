//===- Images.h - Image files and ImageFolder -------------------*- C++ -*-===//
//
// load_image, which decodes PNG, JPEG, BMP and PPM/PGM files, and the
// ImageFolder dataset of one directory per class.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_DATA_IMAGES_H
#define KILN_FRONTEND_DATA_IMAGES_H

#include "kiln/frontend/data/Dataset.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace kiln::data {

/// Decodes a PNG, JPEG, BMP or PPM/PGM file (with stb_image) into an int32
/// [H, W, 3] tensor of RGB values 0..255 (Kiln has no uint8 dtype):
/// torchvision's `default_loader`, which converts every image to RGB.
/// ToTensor turns it into float CHW. A missing file or one that does not
/// decode is a kiln::Error naming the path and the decoder's reason.
Tensor load_image(const std::string &path);

/// Images in one subdirectory per class (torchvision's `ImageFolder`):
/// `root/cat/x.png` and `root/dog/y.jpg` are classes 0 and 1, classes
/// numbered in sorted order of their directory names. Files are found
/// recursively within each class directory and sorted by path; files
/// without an image extension (.png .jpg .jpeg .bmp .ppm .pgm, any case)
/// are skipped. Images are decoded in get(), not held in memory.
class ImageFolder : public Dataset<Example<>> {
public:
  /// The file name extensions taken as images (lower case, with the dot).
  static const std::vector<std::string> &extensions();

  /// Lists `root`. A missing root, one without class directories, or a
  /// class directory without images is a kiln::Error naming it.
  explicit ImageFolder(const std::string &root,
                       transforms::TensorFunction transform = nullptr,
                       transforms::TensorFunction target_transform = nullptr);

  /// `{load_image(path) [H, W, 3] int32, class index int64 scalar}`, then
  /// the transforms; a file that does not decode, or a failing transform,
  /// is a kiln::Error naming the file.
  Example<> get(size_t index) override;
  /// The number of images.
  size_t size() const override { return samples_.size(); }

  /// The class names, sorted: class `i` is classes()[i].
  const std::vector<std::string> &classes() const { return classes_; }
  /// The class index of each class name (torchvision's `class_to_idx`).
  std::map<std::string, int64_t> class_to_idx() const;
  /// Every image's path and class index, in sample order.
  const std::vector<std::pair<std::string, int64_t>> &samples() const {
    return samples_;
  }
  /// Every image's class index, in sample order.
  std::vector<int64_t> targets() const;

private:
  std::vector<std::string> classes_;
  std::vector<std::pair<std::string, int64_t>> samples_;
  transforms::TensorFunction transform_;
  transforms::TensorFunction targetTransform_;
};

} // namespace kiln::data

#endif // KILN_FRONTEND_DATA_IMAGES_H

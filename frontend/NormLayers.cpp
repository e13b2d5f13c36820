//===- NormLayers.cpp - Instance and 3-d batch norm, more dropouts --------===//
#include "kiln/frontend/NormLayers.h"
#include "kiln/frontend/Autograd.h"
#include "kiln/frontend/Functional.h"
#include "kiln/frontend/NNFunctional.h"
#include "kiln/frontend/TensorInternal.h"
#include "kiln/runtime/Error.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace kiln::nn {

using detail::fail;
using detail::str;

namespace functional {

namespace {

void checkP(double p, std::string_view op, const Loc &loc) {
  if (!(p >= 0 && p <= 1))
    fail(loc, op, "probability must be in [0, 1], got " + std::to_string(p));
}

/// 1 where an element (or, with `features`, a whole channel) is kept, of
/// probability 1 - p, broadcasting to `input`.
Tensor keepMask(const Tensor &input, double p, bool features, const Loc &loc) {
  Shape shape = input.sizes();
  if (features)
    for (size_t d = 2; d < shape.size(); ++d)
      shape[d] = 1;
  return (rand(shape, input.dtype(), loc) >= p).to(input.dtype(), loc);
}

Tensor featureDropout(const Tensor &input, const DropoutFuncOptions &options,
                      int64_t spatial, std::string_view op, const Loc &loc) {
  detail::checkDefined(input, op, loc);
  checkP(options.p(), op, loc);
  if (input.dim() != spatial + 1 && input.dim() != spatial + 2)
    fail(loc, op,
         "expects an input [N, C, " +
             std::string(spatial == 2 ? "H, W" : "D, H, W") +
             "] or one without N, got " + str(input.sizes()));
  if (!options.training() || options.p() == 0)
    return input;
  bool hasBatch = input.dim() == spatial + 2;
  Tensor x = hasBatch ? input : input.unsqueeze(0, loc);
  Tensor out = options.p() == 1 ? x * 0
                                : x * keepMask(x, options.p(), true, loc) /
                                      (1 - options.p());
  return hasBatch ? out : out.squeeze(0, loc);
}

Tensor alphaDropout(const Tensor &input, const AlphaDropoutFuncOptions &options,
                    bool features, std::string_view op, const Loc &loc) {
  detail::checkDefined(input, op, loc);
  checkP(options.p(), op, loc);
  if (!input.is_floating_point())
    fail(loc, op, "expects a floating point input, got " + str(input.dtype()));
  if (features && input.dim() < 2)
    fail(loc, op, "expects an input [N, C, ...], got " + str(input.sizes()));
  double p = options.p();
  if (!options.training() || p == 0)
    return input;
  if (p == 1)
    return input * 0;
  // SELU's negative saturation, -scale alpha; `a` and `b` restore a
  // zero-mean unit-variance input's statistics.
  constexpr double saturation = 1.7580993408473766;
  double a = 1 / std::sqrt((saturation * saturation * p + 1) * (1 - p));
  Tensor keep = keepMask(input, p, features, loc);
  return input * (keep * a) + (keep - 1) * (saturation * a) +
         saturation * a * p;
}

} // namespace

Tensor dropout2d(const Tensor &input, const Dropout2dFuncOptions &options,
                 Loc loc) {
  return featureDropout(input, options, 2, "dropout2d", loc);
}

Tensor dropout3d(const Tensor &input, const Dropout3dFuncOptions &options,
                 Loc loc) {
  return featureDropout(input, options, 3, "dropout3d", loc);
}

Tensor alpha_dropout(const Tensor &input,
                     const AlphaDropoutFuncOptions &options, Loc loc) {
  return alphaDropout(input, options, false, "alpha_dropout", loc);
}

Tensor feature_alpha_dropout(const Tensor &input,
                             const FeatureAlphaDropoutFuncOptions &options,
                             Loc loc) {
  return alphaDropout(input, options, true, "feature_alpha_dropout", loc);
}

Tensor embedding_bag(const Tensor &input, const Tensor &weight,
                     const EmbeddingBagFuncOptions &options, Loc loc) {
  constexpr std::string_view op = "embedding_bag";
  detail::checkDefined(input, op, loc);
  detail::checkDefined(weight, op, loc);
  if (weight.dim() != 2)
    fail(loc, op,
         "expects a weight [num_embeddings, dim], got " + str(weight.sizes()));
  if (!is_integral(input.dtype()))
    fail(loc, op, "indices must be integers, got " + str(input.dtype()));
  const Mode &mode = options.mode();
  if (mode != kSum && mode != kMean && mode != kMax)
    fail(loc, op,
         "mode must be kiln::kSum, kiln::kMean or kiln::kMax, got \"" +
             mode.str() + "\"");
  const Tensor &perSample = options.per_sample_weights();
  if (perSample.defined() && mode != kSum)
    fail(loc, op, "per_sample_weights are only supported with kSum");
  if (perSample.defined() && perSample.sizes() != input.sizes())
    fail(loc, op,
         "per_sample_weights " + str(perSample.sizes()) +
             " must have the input's shape " + str(input.sizes()));
  // Each index's bag, from the input's rows or the offsets.
  std::vector<int64_t> indices = input.to_vector<int64_t>();
  int64_t rows = weight.size(0);
  std::vector<int64_t> bagOf(indices.size());
  int64_t bags = 0;
  if (input.dim() == 2) {
    if (options.offsets().defined())
      fail(loc, op,
           "a 2-d input holds its bags as rows; offsets must be "
           "undefined");
    bags = input.size(0);
    for (size_t i = 0; i < indices.size(); ++i)
      bagOf[i] = static_cast<int64_t>(i) / input.size(1);
  } else if (input.dim() == 1) {
    if (!options.offsets().defined() || options.offsets().dim() != 1)
      fail(loc, op, "a 1-d input needs 1-d offsets, where its bags start");
    std::vector<int64_t> starts = options.offsets().to_vector<int64_t>();
    if (options.include_last_offset()) {
      if (starts.empty())
        fail(loc, op, "include_last_offset needs at least one offset");
      starts.pop_back();
    }
    bags = static_cast<int64_t>(starts.size());
    for (size_t b = 0; b < starts.size(); ++b) {
      int64_t end = b + 1 < starts.size()
                        ? starts[b + 1]
                        : static_cast<int64_t>(indices.size());
      if (starts[b] < 0 || starts[b] > end ||
          end > static_cast<int64_t>(indices.size()))
        fail(loc, op,
             "offsets must start at 0 or later, not decrease and stay within "
             "the " +
                 std::to_string(indices.size()) + " indices");
      for (int64_t i = starts[b]; i < end; ++i)
        bagOf[i] = static_cast<int64_t>(b);
    }
    if (!starts.empty() && starts[0] != 0)
      fail(loc, op,
           "the first offset must be 0, got " + std::to_string(starts[0]));
  } else {
    fail(loc, op,
         "expects indices [B, N] or [N] with offsets, got " +
             str(input.sizes()));
  }
  // The entries that count: in range, and not padding_idx.
  std::vector<int64_t> picks, bagIds, positions;
  std::vector<int64_t> counts(bags, 0);
  for (size_t i = 0; i < indices.size(); ++i) {
    int64_t v = indices[i];
    if (v < 0 || v >= rows)
      fail(loc, op,
           "index " + std::to_string(v) + " is out of range for " +
               std::to_string(rows) + " embeddings");
    if (options.padding_idx() && v == *options.padding_idx())
      continue;
    picks.push_back(v);
    bagIds.push_back(bagOf[i]);
    positions.push_back(static_cast<int64_t>(i));
    ++counts[bagOf[i]];
  }
  int64_t dim = weight.size(1);
  Tensor out = zeros({bags, dim}, weight.dtype(), loc);
  if (picks.empty())
    return out;
  Tensor pickTensor = tensor(picks, kInt64, loc);
  if (options.max_norm())
    detail::embeddingRenorm(weight, pickTensor, *options.max_norm(),
                            options.norm_type(), op, loc);
  Tensor rowsPicked = weight.index_select(0, pickTensor, loc);
  if (options.scale_grad_by_freq())
    rowsPicked = detail::scaleGradByFrequency(rowsPicked, pickTensor, loc);
  // `sparse` asks PyTorch for a sparse gradient; Kiln's is dense.
  if (perSample.defined())
    rowsPicked =
        rowsPicked * perSample.reshape({-1}, loc)
                         .index_select(0, tensor(positions, kInt64, loc), loc)
                         .unsqueeze(1, loc);
  if (mode != kMax) {
    Tensor sums =
        index_add(out, 0, tensor(bagIds, kInt64, loc), rowsPicked, loc);
    if (mode == kSum)
      return sums;
    std::vector<double> divisors(counts.begin(), counts.end());
    for (double &d : divisors)
      d = std::max(d, 1.0);
    return sums / tensor(divisors, weight.dtype(), loc).unsqueeze(1, loc);
  }
  // kMax: each bag's rows laid out in a [B, longest] grid, the gaps pointing
  // at an extra row of -inf; empty bags give zeros.
  int64_t longest = *std::max_element(counts.begin(), counts.end());
  std::vector<int64_t> grid(bags * longest, static_cast<int64_t>(picks.size()));
  std::vector<int64_t> filled(bags, 0);
  for (size_t j = 0; j < picks.size(); ++j)
    grid[bagIds[j] * longest + filled[bagIds[j]]++] = static_cast<int64_t>(j);
  Tensor withGap =
      cat({rowsPicked, full({1, dim}, -std::numeric_limits<double>::infinity(),
                            weight.dtype(), loc)},
          0, loc);
  Tensor maxima = withGap.index_select(0, tensor(grid, kInt64, loc), loc)
                      .reshape({bags, longest, dim}, loc)
                      .amax({1}, false, loc);
  std::vector<int64_t> empty;
  for (int64_t b = 0; b < bags; ++b)
    empty.push_back(counts[b] == 0);
  return where(tensor(empty, kInt64, loc).unsqueeze(1, loc) != 0,
               zeros({}, weight.dtype(), loc), maxima, loc);
}

Tensor rrelu(const Tensor &input, const RReLUFuncOptions &options, Loc loc) {
  constexpr std::string_view op = "rrelu";
  detail::checkDefined(input, op, loc);
  if (!input.is_floating_point())
    fail(loc, op, "expects a floating point input, got " + str(input.dtype()));
  double lower = options.lower(), upper = options.upper();
  if (!(lower <= upper))
    fail(loc, op,
         "lower bound " + std::to_string(lower) +
             " must not exceed the upper bound " + std::to_string(upper));
  Tensor slope =
      options.training()
          ? rand(input.sizes(), input.dtype(), loc) * (upper - lower) + lower
          : full({}, (lower + upper) / 2, input.dtype(), loc);
  return where(input >= 0, input, input * slope, loc);
}

Tensor local_response_norm(const Tensor &input,
                           const LocalResponseNormFuncOptions &options,
                           Loc loc) {
  constexpr std::string_view op = "local_response_norm";
  detail::checkDefined(input, op, loc);
  if (input.dim() < 3)
    fail(loc, op,
         "expects an input [N, C, ...] with at least 3 dimensions, got " +
             str(input.sizes()));
  int64_t size = options.size();
  if (size < 1)
    fail(loc, op, "size must be positive, got " + std::to_string(size));
  // The mean of the squares over the window of channels [c - size/2,
  // c + (size-1)/2], zeros beyond the edges, as PyTorch's average pool.
  Tensor squares = input * input;
  int64_t channels = input.size(1);
  int64_t before = size / 2, after = (size - 1) / 2;
  Shape padShape = input.sizes();
  std::vector<Tensor> parts;
  if (before > 0) {
    padShape[1] = before;
    parts.push_back(zeros(padShape, input.dtype(), loc));
  }
  parts.push_back(squares);
  if (after > 0) {
    padShape[1] = after;
    parts.push_back(zeros(padShape, input.dtype(), loc));
  }
  Tensor padded = parts.size() == 1 ? squares : cat(parts, 1, loc);
  Tensor sum;
  for (int64_t i = 0; i < size; ++i) {
    Tensor shifted = padded.narrow(1, i, channels, loc);
    sum = sum.defined() ? sum + shifted : shifted;
  }
  Tensor div =
      (sum * (options.alpha() / static_cast<double>(size)) + options.k())
          .pow(options.beta(), loc);
  return input / div;
}

Tensor bilinear(const Tensor &input1, const Tensor &input2,
                const Tensor &weight, const Tensor &bias, Loc loc) {
  constexpr std::string_view op = "bilinear";
  detail::checkDefined(input1, op, loc);
  detail::checkDefined(input2, op, loc);
  detail::checkDefined(weight, op, loc);
  if (weight.dim() != 3 || input1.dim() < 1 || input2.dim() < 1 ||
      input1.size(-1) != weight.size(1) || input2.size(-1) != weight.size(2) ||
      Shape(input1.sizes().begin(), input1.sizes().end() - 1) !=
          Shape(input2.sizes().begin(), input2.sizes().end() - 1))
    fail(loc, op,
         "expects inputs [..., in1] and [..., in2] with the same leading "
         "sizes and a weight [out, in1, in2]; got " +
             str(input1.sizes()) + ", " + str(input2.sizes()) + " and " +
             str(weight.sizes()));
  int64_t out = weight.size(0), in1 = weight.size(1), in2 = weight.size(2);
  Shape lead(input1.sizes().begin(), input1.sizes().end() - 1);
  Tensor x1 = input1.reshape({-1, in1}, loc);
  Tensor x2 = input2.reshape({-1, in2}, loc);
  // (x1 W_o) . x2 for each output o: one matmul, then a row product.
  Tensor mixed =
      x1.matmul(weight.permute({1, 0, 2}, loc).reshape({in1, out * in2}, loc),
                loc)
          .reshape({-1, out, in2}, loc);
  Tensor y = (mixed * x2.unsqueeze(1, loc)).sum(-1, false, loc);
  if (bias.defined())
    y = y + bias;
  Shape shape = lead;
  shape.push_back(out);
  return y.reshape(shape, loc);
}

Tensor one_hot(const Tensor &tensor, int64_t num_classes, Loc loc) {
  constexpr std::string_view op = "one_hot";
  detail::checkDefined(tensor, op, loc);
  if (tensor.dtype() != kInt64)
    fail(loc, op,
         "expects class indices of dtype int64, got " + str(tensor.dtype()));
  std::vector<int64_t> indices = tensor.to_vector<int64_t>();
  int64_t largest = -1;
  for (int64_t v : indices) {
    if (v < 0)
      fail(loc, op,
           "class indices must be non-negative, got " + std::to_string(v));
    largest = std::max(largest, v);
  }
  if (num_classes == -1) {
    if (indices.empty())
      fail(loc, op, "cannot infer the number of classes of an empty tensor");
    num_classes = largest + 1;
  } else if (num_classes < 1 || largest >= num_classes) {
    fail(loc, op,
         "class index " + std::to_string(largest) + " does not fit " +
             std::to_string(num_classes) + " classes");
  }
  Shape shape(tensor.dim(), 1);
  shape.push_back(num_classes);
  return (tensor.unsqueeze(-1, loc) ==
          arange(num_classes, kInt64, loc).reshape(shape, loc))
      .to(kInt64, loc);
}

} // namespace functional

namespace F = functional;

Tensor LocalResponseNormImpl::forward(const Tensor &input) {
  return F::local_response_norm(input, options);
}
void LocalResponseNormImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::LocalResponseNorm(" << options.size()
     << ", alpha=" << options.alpha() << ", beta=" << options.beta()
     << ", k=" << options.k() << ")";
}

BilinearImpl::BilinearImpl(const BilinearOptions &options) : options(options) {
  reset();
}

void BilinearImpl::reset() {
  const BilinearOptions &o = options;
  if (o.in1_features() < 1 || o.in2_features() < 1 || o.out_features() < 1)
    throw Error("Bilinear: the features must be positive, got " +
                std::to_string(o.in1_features()) + ", " +
                std::to_string(o.in2_features()) + " and " +
                std::to_string(o.out_features()));
  weight = register_parameter(
      "weight", empty({o.out_features(), o.in1_features(), o.in2_features()}));
  bias = register_parameter(
      "bias", o.bias() ? empty({o.out_features()}) : Tensor(), o.bias());
  reset_parameters();
}

void BilinearImpl::reset_parameters() {
  double bound = 1.0 / std::sqrt(static_cast<double>(options.in1_features()));
  init::uniform_(weight, -bound, bound);
  if (bias.defined())
    init::uniform_(bias, -bound, bound);
}

Tensor BilinearImpl::forward(const Tensor &input1, const Tensor &input2) {
  return F::bilinear(input1, input2, weight, bias);
}

void BilinearImpl::pretty_print(std::ostream &os) const {
  os << std::boolalpha
     << "kiln::nn::Bilinear(in1_features=" << options.in1_features()
     << ", in2_features=" << options.in2_features()
     << ", out_features=" << options.out_features()
     << ", bias=" << options.bias() << ")";
}

EmbeddingBagImpl::EmbeddingBagImpl(const EmbeddingBagOptions &options)
    : options(options) {
  reset();
}

void EmbeddingBagImpl::reset() {
  const EmbeddingBagOptions &o = options;
  if (o.num_embeddings() < 1 || o.embedding_dim() < 1)
    throw Error("EmbeddingBag: num_embeddings and embedding_dim must be "
                "positive, got " +
                std::to_string(o.num_embeddings()) + " and " +
                std::to_string(o.embedding_dim()));
  if (o.padding_idx() && (*o.padding_idx() < -o.num_embeddings() ||
                          *o.padding_idx() >= o.num_embeddings()))
    throw Error("EmbeddingBag: padding_idx " +
                std::to_string(*o.padding_idx()) + " is out of range for " +
                std::to_string(o.num_embeddings()) + " embeddings");
  if (o.padding_idx() && *o.padding_idx() < 0)
    options.padding_idx(*o.padding_idx() + o.num_embeddings());
  if (o._weight().defined()) {
    if (o._weight().sizes() != Shape{o.num_embeddings(), o.embedding_dim()})
      throw Error("EmbeddingBag: _weight must be [" +
                  std::to_string(o.num_embeddings()) + ", " +
                  std::to_string(o.embedding_dim()) + "], got " +
                  str(o._weight().sizes()));
    weight = register_parameter("weight", o._weight());
  } else {
    weight = register_parameter("weight",
                                empty({o.num_embeddings(), o.embedding_dim()}));
    reset_parameters();
  }
}

void EmbeddingBagImpl::reset_parameters() {
  init::normal_(weight);
  if (options.padding_idx()) {
    NoGradGuard noGrad;
    weight[*options.padding_idx()].fill_(0);
  }
}

Tensor EmbeddingBagImpl::forward(const Tensor &input, const Tensor &offsets,
                                 const Tensor &per_sample_weights) {
  return F::embedding_bag(
      input, weight,
      F::EmbeddingBagFuncOptions()
          .offsets(offsets)
          .mode(options.mode())
          .per_sample_weights(per_sample_weights)
          .include_last_offset(options.include_last_offset())
          .padding_idx(options.padding_idx())
          .max_norm(options.max_norm())
          .norm_type(options.norm_type())
          .scale_grad_by_freq(options.scale_grad_by_freq())
          .sparse(options.sparse()));
}

void EmbeddingBagImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::EmbeddingBag(num_embeddings=" << options.num_embeddings()
     << ", embedding_dim=" << options.embedding_dim();
  if (options.max_norm())
    os << ", max_norm=" << *options.max_norm();
  if (options.norm_type() != 2)
    os << ", norm_type=" << options.norm_type();
  if (options.scale_grad_by_freq())
    os << ", scale_grad_by_freq=true";
  if (options.sparse())
    os << ", sparse=true";
  if (options.mode() != kMean)
    os << ", mode=" << constantName(options.mode());
  if (options.include_last_offset())
    os << ", include_last_offset=true";
  if (options.padding_idx())
    os << ", padding_idx=" << *options.padding_idx();
  os << ")";
}

EmbeddingBag
EmbeddingBag::from_pretrained(const Tensor &embeddings,
                              const EmbeddingBagFromPretrainedOptions &o) {
  if (!embeddings.defined() || embeddings.dim() != 2)
    throw Error("EmbeddingBag::from_pretrained: the embeddings must be "
                "2-dimensional [num_embeddings, embedding_dim], got " +
                (embeddings.defined() ? str(embeddings.sizes())
                                      : std::string("an undefined tensor")));
  EmbeddingBag bag(EmbeddingBagOptions(embeddings.size(0), embeddings.size(1))
                       ._weight(embeddings)
                       .max_norm(o.max_norm())
                       .norm_type(o.norm_type())
                       .scale_grad_by_freq(o.scale_grad_by_freq())
                       .mode(o.mode())
                       .sparse(o.sparse())
                       .include_last_offset(o.include_last_offset())
                       .padding_idx(o.padding_idx()));
  bag->weight.set_requires_grad(!o.freeze());
  return bag;
}

Tensor RReLUImpl::forward(const Tensor &input) {
  return F::rrelu(input, F::RReLUFuncOptions()
                             .lower(options.lower())
                             .upper(options.upper())
                             .training(is_training()));
}
void RReLUImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::RReLU(lower=" << options.lower()
     << ", upper=" << options.upper();
  if (options.inplace())
    os << ", inplace=true";
  os << ")";
}

Tensor Softmax2dImpl::forward(const Tensor &input) {
  if (!input.defined() || (input.dim() != 3 && input.dim() != 4))
    throw Error("Softmax2d: expected an input [N, C, H, W] or [C, H, W], got " +
                (input.defined() ? str(input.sizes()) : "an undefined tensor"));
  return input.softmax(-3);
}
void Softmax2dImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::Softmax2d()";
}

template <size_t D>
InstanceNormImpl<D>::InstanceNormImpl(const InstanceNormOptions &options)
    : options(options) {
  reset();
}

template <size_t D> void InstanceNormImpl<D>::reset() {
  int64_t c = options.num_features();
  if (c < 1)
    throw Error("InstanceNorm" + std::to_string(D) +
                "d: num_features must be positive, got " + std::to_string(c));
  bool affine = options.affine();
  weight =
      this->register_parameter("weight", affine ? ones({c}) : Tensor(), affine);
  bias =
      this->register_parameter("bias", affine ? zeros({c}) : Tensor(), affine);
  if (options.track_running_stats()) {
    running_mean = this->register_buffer("running_mean", zeros({c}));
    running_var = this->register_buffer("running_var", ones({c}));
    num_batches_tracked =
        this->register_buffer("num_batches_tracked", zeros({}, kInt64));
  }
}

template <size_t D> void InstanceNormImpl<D>::reset_running_stats() {
  if (!options.track_running_stats())
    return;
  init::zeros_(running_mean);
  init::ones_(running_var);
  init::zeros_(num_batches_tracked);
}

template <size_t D> void InstanceNormImpl<D>::reset_parameters() {
  reset_running_stats();
  if (options.affine()) {
    init::ones_(weight);
    init::zeros_(bias);
  }
}

template <size_t D> Tensor InstanceNormImpl<D>::forward(const Tensor &input) {
  auto rank = static_cast<int64_t>(D);
  if (!input.defined() || (input.dim() != rank + 1 && input.dim() != rank + 2))
    throw Error("InstanceNorm" + std::to_string(rank) + "d: expected a " +
                std::to_string(rank + 1) + "-d or " + std::to_string(rank + 2) +
                "-d input, got " +
                (input.defined() ? str(input.sizes()) : "an undefined tensor"));
  bool hasBatch = input.dim() == rank + 2;
  Tensor x = hasBatch ? input : input.unsqueeze(0);
  if (x.size(1) != options.num_features())
    throw Error("InstanceNorm" + std::to_string(rank) + "d(" +
                std::to_string(options.num_features()) + "): expected " +
                std::to_string(options.num_features()) +
                " channels, got input " + str(input.sizes()));
  Tensor y =
      F::instance_norm(x, F::InstanceNormFuncOptions()
                              .running_mean(running_mean)
                              .running_var(running_var)
                              .weight(weight)
                              .bias(bias)
                              .use_input_stats(this->is_training() ||
                                               !options.track_running_stats())
                              .momentum(options.momentum())
                              .eps(options.eps()));
  return hasBatch ? y : y.squeeze(0);
}

template <size_t D>
void InstanceNormImpl<D>::pretty_print(std::ostream &os) const {
  os << std::boolalpha << "kiln::nn::InstanceNorm" << D << "d("
     << options.num_features() << ", eps=" << options.eps()
     << ", momentum=" << options.momentum() << ", affine=" << options.affine()
     << ", track_running_stats=" << options.track_running_stats() << ")";
}

template class InstanceNormImpl<1>;
template class InstanceNormImpl<2>;
template class InstanceNormImpl<3>;

Tensor Dropout3dImpl::forward(const Tensor &input) {
  return F::dropout3d(
      input, F::Dropout3dFuncOptions().p(options.p()).training(is_training()));
}
void Dropout3dImpl::pretty_print(std::ostream &os) const {
  os << std::boolalpha << "kiln::nn::Dropout3d(p=" << options.p()
     << ", inplace=" << options.inplace() << ")";
}

Tensor AlphaDropoutImpl::forward(const Tensor &input) {
  return F::alpha_dropout(
      input,
      F::AlphaDropoutFuncOptions().p(options.p()).training(is_training()));
}
void AlphaDropoutImpl::pretty_print(std::ostream &os) const {
  os << std::boolalpha << "kiln::nn::AlphaDropout(p=" << options.p()
     << ", inplace=" << options.inplace() << ")";
}

Tensor FeatureAlphaDropoutImpl::forward(const Tensor &input) {
  return F::feature_alpha_dropout(input, F::FeatureAlphaDropoutFuncOptions()
                                             .p(options.p())
                                             .training(is_training()));
}
void FeatureAlphaDropoutImpl::pretty_print(std::ostream &os) const {
  os << std::boolalpha << "kiln::nn::FeatureAlphaDropout(p=" << options.p()
     << ", inplace=" << options.inplace() << ")";
}

} // namespace kiln::nn

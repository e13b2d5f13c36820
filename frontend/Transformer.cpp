//===- Transformer.cpp - MultiheadAttention, TransformerEncoderLayer ------===//
#include "kiln/frontend/Autograd.h"
#include "kiln/frontend/NN.h"
#include "kiln/ir/Shapes.h"
#include "kiln/runtime/Error.h"

#include <cmath>
#include <limits>
#include <sstream>

namespace kiln::nn {

namespace {

std::string str(const Shape &shape) { return ir::formatShape(shape); }
const char *str(bool b) { return b ? "true" : "false"; }

} // namespace

MultiheadAttentionImpl::MultiheadAttentionImpl(
    const MultiheadAttentionOptions &options)
    : options(options) {
  int64_t embedDim = options.embed_dim(), numHeads = options.num_heads();
  double dropout = options.dropout();
  bool bias = options.bias();
  if (embedDim < 1 || numHeads < 1 || embedDim % numHeads != 0)
    throw Error("MultiheadAttention: embed_dim " + std::to_string(embedDim) +
                " must be positive and divisible by num_heads " +
                std::to_string(numHeads));
  if (dropout < 0 || dropout > 1)
    throw Error("MultiheadAttention: dropout must be in [0, 1], got " +
                std::to_string(dropout));
  in_proj_weight = register_parameter(
      "in_proj_weight", init::xavier_uniform_(empty({3 * embedDim, embedDim})));
  if (bias)
    in_proj_bias = register_parameter("in_proj_bias", zeros({3 * embedDim}));
  out_proj = register_module(
      "out_proj", Linear(LinearOptions(embedDim, embedDim).bias(bias)));
  if (bias)
    init::zeros_(out_proj->bias);
}

std::tuple<Tensor, Tensor> MultiheadAttentionImpl::forward(
    const Tensor &query, const Tensor &key, const Tensor &value,
    const Tensor &key_padding_mask, bool need_weights, const Tensor &attn_mask,
    bool average_attn_weights, bool is_causal) {
  if (!query.defined() || !key.defined() || !value.defined())
    throw Error(std::string("MultiheadAttention") +
                ": query, key and value must be defined");
  if (is_causal && !attn_mask.defined())
    throw Error(std::string("MultiheadAttention") +
                ": is_causal is a hint that attn_mask is the causal "
                "mask, and needs it: pass "
                "generate_square_subsequent_mask(L)");
  bool unbatched = query.dim() == 2;
  const bool batchFirst_ = options.batch_first();
  if ((query.dim() != 2 && query.dim() != 3) || key.dim() != query.dim() ||
      value.dim() != query.dim())
    throw Error(std::string("MultiheadAttention") +
                ": expected query, key and value of rank 3 (" +
                (batchFirst_ ? "[N, L, E]" : "[L, N, E]") +
                ") or 2 ([L, E]), got " + str(query.sizes()) + ", " +
                str(key.sizes()) + " and " + str(value.sizes()));
  // Everything below works on [N, L, E].
  auto batched = [&](const Tensor &t) {
    return unbatched ? t.unsqueeze(0) : batchFirst_ ? t : t.transpose(0, 1);
  };
  Tensor q = batched(query), k = batched(key), v = batched(value);
  int64_t n = q.size(0), l = q.size(1), s = k.size(1), e = options.embed_dim(),
          h = options.num_heads(), headDim = e / h;
  if (q.size(2) != e || k.size(2) != e || v.size(2) != e || k.size(0) != n ||
      v.sizes() != k.sizes())
    throw Error(std::string("MultiheadAttention") + ": query " +
                str(query.sizes()) + ", key " + str(key.sizes()) +
                " and value " + str(value.sizes()) +
                " must share the batch size and embed_dim " +
                std::to_string(e) + ", and key and value their length");
  // The packed weight's rows are the query, key and value projections;
  // each result is split into heads: [N, T, E] -> [N, H, T, E / H].
  auto project = [&](const Tensor &x, int64_t part) {
    Tensor y = x.matmul(in_proj_weight.narrow(0, part * e, e).t());
    if (in_proj_bias.defined())
      y = y + in_proj_bias.narrow(0, part * e, e);
    return y.reshape({n, x.size(1), h, headDim}).transpose(1, 2);
  };
  Tensor scores =
      (project(q, 0) * (1 / std::sqrt(static_cast<double>(headDim))))
          .matmul(project(k, 1).transpose(2, 3)); // [N, H, L, S]
  // A bool mask removes the pairs where it is true; a float one is added.
  auto applyMask = [&](const Tensor &mask, const char *what) {
    if (mask.dtype() == kBool)
      return scores.masked_fill(mask, -std::numeric_limits<double>::infinity());
    if (!mask.is_floating_point())
      throw Error(std::string("MultiheadAttention") + ": " + what +
                  " must be bool or floating point, got " +
                  std::string(dtype_name(mask.dtype())));
    return scores + mask.to(scores.dtype());
  };
  if (attn_mask.defined()) {
    if (attn_mask.sizes() == Shape{l, s})
      scores = applyMask(attn_mask, "attn_mask");
    else if (attn_mask.sizes() == Shape{n * h, l, s})
      scores = applyMask(attn_mask.reshape({n, h, l, s}), "attn_mask");
    else
      throw Error(std::string("MultiheadAttention") +
                  ": attn_mask must be [L, S] = " + str({l, s}) +
                  " or [N * num_heads, L, S] = " + str({n * h, l, s}) +
                  ", got " + str(attn_mask.sizes()));
  }
  if (key_padding_mask.defined()) {
    Shape expected = unbatched ? Shape{s} : Shape{n, s};
    if (key_padding_mask.sizes() != expected)
      throw Error(std::string("MultiheadAttention") +
                  ": key_padding_mask must be " + str(expected) + ", got " +
                  str(key_padding_mask.sizes()));
    scores =
        applyMask(key_padding_mask.reshape({n, 1, 1, s}), "key_padding_mask");
  }
  Tensor weights =
      kiln::dropout(scores.softmax(3), options.dropout(), is_training());
  Tensor out = out_proj->forward(
      weights.matmul(project(v, 2)).transpose(1, 2).reshape({n, l, e}));
  out = unbatched ? out.squeeze(0) : batchFirst_ ? out : out.transpose(0, 1);
  if (!need_weights)
    return {out, Tensor()};
  if (average_attn_weights)
    weights = weights.mean(1);
  return {out, unbatched ? weights.squeeze(0) : weights};
}

void MultiheadAttentionImpl::pretty_print(std::ostream &os) const {
  // As LibTorch's: the name, then (printed by the tree) the out_proj.
  os << "kiln::nn::MultiheadAttention";
}

TransformerEncoderLayerImpl::TransformerEncoderLayerImpl(
    TransformerEncoderLayerOptions options)
    : options(std::move(options)) {
  const TransformerEncoderLayerOptions &o = this->options;
  const std::string &activation_ = o.activation().str();
  int64_t dModel = o.d_model(), feedforward = o.dim_feedforward();
  double dropoutP = o.dropout();
  bool bias = o.bias();
  if (activation_ != "relu" && activation_ != "gelu")
    throw Error("TransformerEncoderLayer: activation must be \"relu\" or "
                "\"gelu\", got \"" +
                activation_ + "\"");
  self_attn = register_module(
      "self_attn",
      MultiheadAttention(MultiheadAttentionOptions(dModel, o.nhead())
                             .dropout(dropoutP)
                             .bias(bias)
                             .batch_first(o.batch_first())));
  linear1 = register_module(
      "linear1", Linear(LinearOptions(dModel, feedforward).bias(bias)));
  dropout = register_module("dropout", Dropout(dropoutP));
  linear2 = register_module(
      "linear2", Linear(LinearOptions(feedforward, dModel).bias(bias)));
  // PyTorch's bias=False drops the layer norms' biases too.
  auto norm = [&] {
    return LayerNorm(
        LayerNormOptions({dModel}).eps(o.layer_norm_eps()).bias(bias));
  };
  norm1 = register_module("norm1", norm());
  norm2 = register_module("norm2", norm());
  dropout1 = register_module("dropout1", Dropout(dropoutP));
  dropout2 = register_module("dropout2", Dropout(dropoutP));
}

Tensor generate_square_subsequent_mask(int64_t sz, ScalarType dtype) {
  if (sz < 0)
    throw Error("generate_square_subsequent_mask: size " + std::to_string(sz) +
                " is negative");
  if (!is_floating_point(dtype))
    throw Error("generate_square_subsequent_mask: the mask is floating point, "
                "not " +
                std::string(dtype_name(dtype)));
  Tensor rows = arange(sz, kInt64).unsqueeze(1);
  Tensor cols = arange(sz, kInt64).unsqueeze(0);
  return where(cols > rows,
               full({}, -std::numeric_limits<double>::infinity(), dtype),
               zeros({}, dtype));
}

Tensor TransformerEncoderLayerImpl::forward(const Tensor &src) {
  return forward(src, {}, {});
}

Tensor TransformerEncoderLayerImpl::forward(const Tensor &src,
                                            const Tensor &src_mask,
                                            const Tensor &src_key_padding_mask,
                                            bool is_causal) {
  auto selfAttention = [&](const Tensor &x) {
    return dropout1->forward(std::get<0>(self_attn->forward(
        x, x, x, src_key_padding_mask, /*need_weights=*/false, src_mask,
        /*average_attn_weights=*/true, is_causal)));
  };
  auto feedForward = [&](const Tensor &x) {
    Tensor hidden = linear1->forward(x);
    hidden = options.activation() == "gelu" ? gelu(hidden) : relu(hidden);
    return dropout2->forward(linear2->forward(dropout->forward(hidden)));
  };
  Tensor x = src;
  if (options.norm_first()) {
    x = x + selfAttention(norm1->forward(x));
    return x + feedForward(norm2->forward(x));
  }
  x = norm1->forward(x + selfAttention(x));
  return norm2->forward(x + feedForward(x));
}

void TransformerEncoderLayerImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::TransformerEncoderLayer(d_model=" << options.d_model()
     << ", nhead=" << options.nhead()
     << ", dim_feedforward=" << options.dim_feedforward()
     << ", dropout=" << options.dropout()
     << ", activation=" << options.activation()
     << ", batch_first=" << str(options.batch_first())
     << ", norm_first=" << str(options.norm_first()) << ")";
}

} // namespace kiln::nn

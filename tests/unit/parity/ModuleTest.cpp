//===- ModuleTest.cpp - LibTorch's module API, written as LibTorch's --------===//
//
// Modules as a LibTorch program writes them: an implementation and its
// holder (KILN_MODULE), options builders, register_module returning what a
// holder member takes, named_parameters() as an OrderedDict, Sequential of
// holders and functions.
//
//===----------------------------------------------------------------------===//
#include "../TestUtil.h"

#include <kiln/kiln.h>

#include <gtest/gtest.h>

#include <sstream>

namespace {

using kiln::testing::expectError;

struct NetImpl : kiln::nn::Module {
  NetImpl()
      : fc1(register_module("fc1", kiln::nn::Linear(3, 4))),
        fc2(register_module("fc2", kiln::nn::Linear(4, 2))) {
    drop = register_module("drop", kiln::nn::Dropout(0.5));
  }
  kiln::Tensor forward(kiln::Tensor x) {
    return fc2->forward(drop(kiln::relu(fc1(x))));
  }
  kiln::nn::Linear fc1, fc2;
  kiln::nn::Dropout drop{nullptr};
};
KILN_MODULE(Net);

TEST(ParityModule, HolderCallsShareAndCopy) {
  kiln::manual_seed(0);
  Net net;
  auto x = kiln::randn({5, 3});
  EXPECT_EQ(net->forward(x).sizes(), (std::vector<int64_t>{5, 2}));
  net->eval();
  EXPECT_TRUE(kiln::allclose(net(x), net->forward(x)));
  // A copy of the holder is the same module: its mode, its parameters.
  Net alias = net;
  alias->train();
  EXPECT_TRUE(net->is_training());
  EXPECT_TRUE(net->drop->is_training());
  EXPECT_EQ(alias->fc1->weight.data_ptr(), net->fc1->weight.data_ptr());
  EXPECT_EQ(alias.ptr(), net.ptr());
  // The registered submodule is the member: one module, two names.
  EXPECT_EQ(net->named_children()["fc1"].get(), net->fc1.get());
  // make_shared of the implementation, as LibTorch programs also write.
  auto shared = std::make_shared<NetImpl>();
  EXPECT_EQ(shared->parameters().size(), 4u);
  Net fromShared(shared);
  EXPECT_EQ(fromShared.get(), shared.get());
}

TEST(ParityModule, EmptyHolderIsAnErrorUntilAssigned) {
  kiln::nn::Linear fc{nullptr};
  EXPECT_TRUE(fc.is_empty());
  EXPECT_FALSE(static_cast<bool>(fc));
  expectError([&] { fc->forward(kiln::ones({1, 2})); },
              {"LinearImpl", "empty", "nullptr"});
  fc = kiln::nn::Linear(2, 1);
  EXPECT_FALSE(fc.is_empty());
  EXPECT_EQ(fc(kiln::ones({3, 2})).sizes(), (std::vector<int64_t>{3, 1}));
}

TEST(ParityModule, OptionsBuildersReachTheLayers) {
  kiln::nn::Conv2d conv(
      kiln::nn::Conv2dOptions(1, 10, 5).stride(2).bias(false));
  EXPECT_EQ(conv->weight.sizes(), (std::vector<int64_t>{10, 1, 5, 5}));
  EXPECT_FALSE(conv->bias.defined());
  EXPECT_EQ(conv->options.stride()[0], 2);
  EXPECT_EQ(conv(kiln::zeros({2, 1, 28, 28})).sizes(),
            (std::vector<int64_t>{2, 10, 12, 12}));
  kiln::nn::Conv2d rect(kiln::nn::Conv2dOptions(3, 4, {3, 1}).padding({1, 0}));
  EXPECT_EQ(rect->weight.sizes(), (std::vector<int64_t>{4, 3, 3, 1}));
  EXPECT_EQ(rect(kiln::zeros({1, 3, 6, 6})).sizes(),
            (std::vector<int64_t>{1, 4, 6, 6}));

  kiln::nn::Linear noBias(kiln::nn::LinearOptions(4, 2).bias(false));
  EXPECT_EQ(noBias->parameters().size(), 1u);
  EXPECT_EQ(noBias->options.out_features(), 2);

  kiln::nn::BatchNorm2d bn(kiln::nn::BatchNorm2dOptions(4).affine(false));
  EXPECT_TRUE(bn->parameters().empty());
  EXPECT_EQ(bn->buffers().size(), 3u);
  bn(kiln::randn({2, 4, 3, 3}));
  bn(kiln::randn({2, 4, 3, 3}));
  EXPECT_EQ(bn->num_batches_tracked.item<int64_t>(), 2);
  bn->eval();
  bn(kiln::randn({2, 4, 3, 3}));
  EXPECT_EQ(bn->num_batches_tracked.item<int64_t>(), 2);

  kiln::nn::MaxPool2d pool(kiln::nn::MaxPool2dOptions(2).stride(1));
  EXPECT_EQ(pool(kiln::zeros({1, 1, 4, 4})).sizes(),
            (std::vector<int64_t>{1, 1, 3, 3}));
  kiln::nn::Dropout drop(kiln::nn::DropoutOptions().p(0.25));
  EXPECT_EQ(drop->options.p(), 0.25);
  kiln::nn::LayerNorm norm(
      kiln::nn::LayerNormOptions({4}).eps(1e-3).elementwise_affine(false));
  EXPECT_TRUE(norm->parameters().empty());

  expectError([] { kiln::nn::Conv2dOptions(1, 2, {3, 3, 3}); },
              {"expected 2 values", "3"});
  expectError([] { kiln::nn::Linear(0, 3); }, {"Linear", "positive"});
}

TEST(ParityModule, NamedParametersIsAnOrderedDict) {
  Net net;
  auto params = net->named_parameters();
  EXPECT_EQ(params.size(), 4u);
  EXPECT_EQ(params.keys(),
            (std::vector<std::string>{"fc1.weight", "fc1.bias", "fc2.weight",
                                      "fc2.bias"}));
  EXPECT_EQ(params["fc2.weight"].sizes(), (std::vector<int64_t>{2, 4}));
  EXPECT_EQ(params[1].key(), "fc1.bias");
  EXPECT_EQ(params[1].value().data_ptr(), net->fc1->bias.data_ptr());
  EXPECT_TRUE(params.contains("fc1.weight"));
  EXPECT_EQ(params.find("nothing"), nullptr);
  size_t n = 0;
  for (const auto &item : params)
    n += item.value().numel() > 0 && !item.key().empty();
  EXPECT_EQ(n, 4u);
  expectError([&] { (void)params["fc3.weight"]; },
              {"fc3.weight", "not defined", "fc1.weight"});
  // Buffers and children too.
  kiln::nn::BatchNorm1d bn(3);
  EXPECT_EQ(bn->named_buffers().keys(),
            (std::vector<std::string>{"running_mean", "running_var",
                                      "num_batches_tracked"}));
  EXPECT_EQ(net->named_children().keys(),
            (std::vector<std::string>{"fc1", "fc2", "drop"}));
}

TEST(ParityModule, RegistrationChecksNames) {
  struct Bare : kiln::nn::Module {};
  Bare m;
  m.register_parameter("w", kiln::ones({2}));
  expectError([&] { m.register_parameter("a.b", kiln::ones({2})); },
              {"'a.b'", "dot"});
  expectError([&] { m.register_parameter("", kiln::ones({2})); },
              {"must not be empty"});
  expectError([&] { m.register_parameter("w", kiln::ones({2})); },
              {"'w'", "already defined"});
  m.register_buffer("b", kiln::zeros({2}));
  expectError([&] { m.register_buffer("b", kiln::zeros({2})); },
              {"'b'", "already defined"});
  expectError([&] { m.register_buffer("w", kiln::zeros({2})); },
              {"'w'", "already a parameter"});
  expectError([&] { m.register_module("b", kiln::nn::ReLU()); },
              {"'b'", "already a parameter or buffer"});
  EXPECT_TRUE(m.named_parameters()["w"].requires_grad());
  EXPECT_FALSE(m.named_buffers()["b"].requires_grad());
}

TEST(ParityModule, ApplyVisitsAModuleBeforeItsChildren) {
  kiln::nn::Sequential seq(kiln::nn::Linear(2, 3),
                           kiln::nn::Sequential(kiln::nn::Linear(3, 3)));
  std::vector<std::string> order;
  seq->apply([&](const std::string &name, kiln::nn::Module &) {
    order.push_back(name);
  });
  EXPECT_EQ(order, (std::vector<std::string>{"", "0", "1", "1.0"}));
  seq->apply([](kiln::nn::Module &m) {
    if (auto *linear = m.as<kiln::nn::Linear>())
      kiln::nn::init::constant_(linear->weight, 0.5);
  });
  for (auto &module : seq->modules())
    if (auto *linear = module->as<kiln::nn::LinearImpl>())
      EXPECT_EQ(linear->weight.max().item<float>(), 0.5f);
  EXPECT_EQ(seq->modules().size(), 4u);
  EXPECT_EQ(
      seq->named_modules("model").keys(),
      (std::vector<std::string>{"model", "model.0", "model.1", "model.1.0"}));
}

struct ScaleImpl : kiln::nn::Module {
  explicit ScaleImpl(double factor) : factor(factor) {}
  // Not an override: LibTorch modules declare their own forward.
  kiln::Tensor forward(kiln::Tensor x) { return x * factor; }
  double factor;
};
KILN_MODULE(Scale);

TEST(ParitySequential, HoldsAnyModuleAndFunctions) {
  kiln::nn::Sequential seq(kiln::nn::Linear(2, 2), Scale(3.0),
                           kiln::nn::Functional(kiln::relu),
                           kiln::nn::Functional(kiln::leaky_relu, 0.5));
  EXPECT_EQ(seq->size(), 4u);
  auto *fc = seq[0]->as<kiln::nn::Linear>();
  ASSERT_NE(fc, nullptr);
  kiln::nn::init::eye_(fc->weight);
  kiln::nn::init::zeros_(fc->bias);
  auto y = seq->forward(kiln::tensor({{1.0f, -2.0f}}));
  EXPECT_EQ(y.to_vector<float>(), (std::vector<float>{3.0f, 0.0f}));
  EXPECT_EQ(seq->ptr<ScaleImpl>(1)->factor, 3.0);
  EXPECT_EQ(seq->at<ScaleImpl>(1).factor, 3.0);

  kiln::nn::Sequential named({{"fc", kiln::nn::Linear(2, 4)},
                              {"act", kiln::nn::ReLU()},
                              {"out", kiln::nn::Linear(4, 1)}});
  EXPECT_EQ(named->named_parameters().keys(),
            (std::vector<std::string>{"fc.weight", "fc.bias", "out.weight",
                                      "out.bias"}));
  named->push_back("tail", kiln::nn::Sigmoid());
  EXPECT_EQ(named->size(), 4u);
  EXPECT_EQ(named(kiln::zeros({7, 2})).sizes(), (std::vector<int64_t>{7, 1}));
  expectError([&] { (void)seq[9]; }, {"index 9", "4 modules"});
}

TEST(ParityModule, EmbeddingPaddingIdxAndDropout2d) {
  kiln::manual_seed(3);
  kiln::nn::Embedding emb(kiln::nn::EmbeddingOptions(5, 2).padding_idx(0));
  EXPECT_EQ(emb->weight[0].abs().sum().item<float>(), 0.0f);
  auto out = emb(kiln::tensor({0, 1, 0, 3}));
  out.sum().backward();
  auto grad = emb->weight.grad();
  EXPECT_EQ(grad[0].abs().sum().item<float>(), 0.0f);
  EXPECT_EQ(grad[1].sum().item<float>(), 2.0f);
  EXPECT_EQ(grad[3].sum().item<float>(), 2.0f);

  kiln::nn::Dropout2d drop(0.5);
  auto x = kiln::ones({4, 8, 3, 3});
  auto y = drop(x);
  // Each channel is all zero or all 2.
  auto perChannel = y.sum({2, 3});
  for (float v : perChannel.flatten().to_vector<float>())
    EXPECT_TRUE(v == 0.0f || v == 18.0f) << v;
  EXPECT_GT(perChannel.eq(0).sum().item<int64_t>(), 0);
  drop->eval();
  EXPECT_TRUE(kiln::equal(drop(x), x));
}

TEST(ParityModule, ConvTransposeOutputSize) {
  kiln::nn::ConvTranspose2d up(
      kiln::nn::ConvTranspose2dOptions(2, 3, 3).stride(2).padding(1));
  auto x = kiln::randn({1, 2, 4, 4});
  EXPECT_EQ(up(x).sizes(), (std::vector<int64_t>{1, 3, 7, 7}));
  EXPECT_EQ(up->forward(x, std::vector<int64_t>{8, 8}).sizes(),
            (std::vector<int64_t>{1, 3, 8, 8}));
  expectError([&] { up->forward(x, std::vector<int64_t>{10, 10}); },
              {"output_size", "[7, 8]"});
}

TEST(ParityModule, ContainersOfHolders) {
  kiln::nn::ModuleList list(kiln::nn::Linear(2, 2), kiln::nn::ReLU());
  list->push_back(kiln::nn::Linear(2, 1));
  EXPECT_EQ(list->size(), 3u);
  EXPECT_NE(list->ptr<kiln::nn::LinearImpl>(2), nullptr);
  EXPECT_EQ(list->ptr<kiln::nn::LinearImpl>(1), nullptr);
  kiln::Tensor x = kiln::ones({1, 2});
  x = list->ptr<kiln::nn::LinearImpl>(0)->forward(x);
  x = list[1]->as<kiln::nn::ReLU>()->forward(x);
  x = list->at<kiln::nn::LinearImpl>(2).forward(x);
  EXPECT_EQ(x.sizes(), (std::vector<int64_t>{1, 1}));

  kiln::nn::ModuleDict dict;
  dict->insert("enc", kiln::nn::Linear(2, 3));
  dict->insert("act", kiln::nn::Tanh());
  EXPECT_EQ(dict->keys(), (std::vector<std::string>{"enc", "act"}));
  EXPECT_EQ(dict["enc"]->as<kiln::nn::Linear>()->options.out_features(), 3);
  EXPECT_EQ(dict->named_parameters().keys(),
            (std::vector<std::string>{"enc.weight", "enc.bias"}));
  auto popped = dict->pop("act");
  EXPECT_EQ(dict->size(), 1u);
  EXPECT_NE(popped, nullptr);
}

TEST(ParityModule, PrintsLikeLibTorch) {
  kiln::nn::Sequential seq(kiln::nn::Linear(2, 3), kiln::nn::ReLU());
  std::ostringstream os;
  os << seq;
  EXPECT_EQ(os.str(), "kiln::nn::Sequential(\n  (0): kiln::nn::Linear("
                      "in_features=2, out_features=3, bias=true)\n"
                      "  (1): kiln::nn::ReLU()\n)");
  Net net;
  EXPECT_NE(net->name().find("NetImpl"), std::string::npos) << net->name();
}

struct ClonedNetImpl : kiln::nn::Cloneable<ClonedNetImpl> {
  ClonedNetImpl() { reset(); }
  void reset() override {
    fc = register_module("fc", kiln::nn::Linear(3, 2));
    norm = register_module("norm", kiln::nn::BatchNorm1d(2));
    scale = register_parameter("scale", kiln::ones({2}));
    steps = register_buffer("steps", kiln::zeros({1}));
  }
  kiln::Tensor forward(const kiln::Tensor &x) {
    return norm(fc(x)) * scale + steps;
  }
  kiln::nn::Linear fc{nullptr};
  kiln::nn::BatchNorm1d norm{nullptr};
  kiln::Tensor scale, steps;
};
KILN_MODULE(ClonedNet);

TEST(ParityModule, CloneCopiesDeeply) {
  kiln::manual_seed(0);
  kiln::nn::Linear fc(4, 3);
  auto copy = std::dynamic_pointer_cast<kiln::nn::LinearImpl>(fc->clone());
  ASSERT_NE(copy, nullptr);
  EXPECT_TRUE(kiln::equal(copy->weight, fc->weight));
  EXPECT_NE(copy->weight.impl(), fc->weight.impl());
  {
    kiln::NoGradGuard noGrad;
    copy->weight.fill_(0);
  }
  EXPECT_GT(fc->weight.abs().sum().item<float>(), 0.0f);
  EXPECT_TRUE(copy->weight.requires_grad());

  ClonedNet net;
  {
    kiln::NoGradGuard noGrad;
    net->scale.fill_(3);
    net->steps.fill_(1);
  }
  net->fc->weight.requires_grad_(false);
  net->eval();
  auto cloned = std::dynamic_pointer_cast<ClonedNetImpl>(net->clone());
  ASSERT_NE(cloned, nullptr);
  EXPECT_FALSE(cloned->is_training());
  EXPECT_FALSE(cloned->norm->is_training());
  EXPECT_FALSE(cloned->fc->weight.requires_grad());
  auto x = kiln::randn({5, 3});
  EXPECT_TRUE(kiln::allclose(cloned->forward(x), net->forward(x)));
  EXPECT_NE(cloned->fc.get(), net->fc.get());
  // Training the clone leaves the original alone.
  cloned->train();
  kiln::optim::SGD sgd({cloned->scale}, 0.5);
  cloned->forward(x).sum().backward();
  sgd.step();
  EXPECT_EQ(net->scale.to_vector<float>(), (std::vector<float>{3, 3}));
  EXPECT_NE(cloned->scale.to_vector<float>(), (std::vector<float>{3, 3}));

  // A module of one's own that is not Cloneable says how to make it so.
  struct Plain : kiln::nn::Module {};
  kiln::nn::Sequential withPlain(Plain{});
  expectError([&] { withPlain->clone(); }, {"clone()", "Cloneable"});
}

TEST(ParityModule, CloneCopiesContainersDeeply) {
  kiln::manual_seed(1);
  kiln::nn::Sequential seq({{"fc", kiln::nn::Linear(3, 4)},
                            {"act", kiln::nn::ReLU()},
                            {"out", kiln::nn::Linear(4, 2)}});
  seq->eval();
  auto copy = std::dynamic_pointer_cast<kiln::nn::SequentialImpl>(seq->clone());
  ASSERT_NE(copy, nullptr);
  EXPECT_EQ(copy->named_parameters().keys(), seq->named_parameters().keys());
  EXPECT_FALSE(copy->is_training());
  EXPECT_NE(copy->ptr(0).get(), seq->ptr(0).get());
  auto x = kiln::randn({5, 3});
  EXPECT_TRUE(kiln::allclose(copy->forward(x), seq->forward(x)));
  {
    kiln::NoGradGuard noGrad;
    copy->at<kiln::nn::LinearImpl>(0).weight.zero_();
  }
  EXPECT_GT(seq->at<kiln::nn::LinearImpl>(0).weight.abs().sum().item<float>(),
            0.0f);

  kiln::nn::ModuleList list(kiln::nn::Linear(2, 2), kiln::nn::Linear(2, 1));
  auto listCopy =
      std::dynamic_pointer_cast<kiln::nn::ModuleListImpl>(list->clone());
  ASSERT_NE(listCopy, nullptr);
  ASSERT_EQ(listCopy->size(), 2u);
  EXPECT_TRUE(kiln::equal(listCopy->at<kiln::nn::LinearImpl>(1).weight,
                          list->at<kiln::nn::LinearImpl>(1).weight));
  EXPECT_NE(listCopy->ptr(1).get(), list->ptr(1).get());

  kiln::nn::ModuleDict dict(
      std::vector<std::pair<std::string, std::shared_ptr<kiln::nn::Module>>>{
          {"enc", kiln::nn::Linear(2, 3).ptr()},
          {"dec", kiln::nn::Linear(3, 2).ptr()}});
  auto dictCopy =
      std::dynamic_pointer_cast<kiln::nn::ModuleDictImpl>(dict->clone());
  ASSERT_NE(dictCopy, nullptr);
  EXPECT_EQ(dictCopy->keys(), dict->keys());
  EXPECT_TRUE(kiln::equal(dictCopy->at<kiln::nn::LinearImpl>("dec").bias,
                          dict->at<kiln::nn::LinearImpl>("dec").bias));
  EXPECT_NE(dictCopy->values()[0].get(), dict->values()[0].get());
}

struct AddOne : kiln::nn::Module {
  int forward(int value) { return value + 1; }
};

struct FirstOfLSTM : kiln::nn::Module {
  kiln::Tensor forward(
      std::tuple<kiln::Tensor, std::tuple<kiln::Tensor, kiln::Tensor>> out) {
    return std::get<0>(out);
  }
};

TEST(ParitySequential, ForwardOfAnySignature) {
  using namespace kiln;
  nn::Sequential sequential(AddOne{}, AddOne{}, AddOne{});
  EXPECT_EQ(sequential->forward<int>(1), 4);
  expectError([&] { sequential->forward<float>(1); },
              {"The type of the return value is int, but you asked for type "
               "float"});
  nn::Sequential empty;
  expectError([&] { empty->forward<int>(); },
              {"Cannot call forward() on an empty Sequential"});

  // Tuples flow between modules; the last result is read as asked.
  auto x = randn({5, 2, 3});
  nn::Sequential lstm(nn::LSTM(3, 4));
  auto out = lstm->forward<std::tuple<Tensor, std::tuple<Tensor, Tensor>>>(x);
  EXPECT_EQ(std::get<0>(out).sizes(), IntArrayRef({5, 2, 4}));
  nn::Sequential chain(nn::LSTM(3, 4), FirstOfLSTM{}, nn::Linear(4, 2));
  EXPECT_EQ(chain->forward<Tensor>(x).sizes(), IntArrayRef({5, 2, 2}));
  EXPECT_EQ(chain->forward(x).sizes(), IntArrayRef({5, 2, 2}));

  nn::AnyModule any(AddOne{});
  EXPECT_EQ(any.forward<int>(41), 42);
  nn::AnyValue value = any.any_forward(1);
  EXPECT_EQ(value.get<int>(), 2);
  EXPECT_EQ(*value.try_get<int>(), 2);
  EXPECT_EQ(value.try_get<float>(), nullptr);
  expectError([&] { value.get<float>(); },
              {"Attempted to cast AnyValue to float, but its actual type is "
               "int"});
  expectError([&] { any.any_forward(2.5); },
              {"Expected argument #0 to be of type int, but received value of "
               "type double"});
  expectError([&] { any.any_forward(1, 2); }, {"takes 1 argument"});
}

} // namespace

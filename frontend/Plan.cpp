//===- Plan.cpp - Cutting a trace into a keyed plan -----------------------===//
//
// The plan of a realize: the nodes its outputs need, their leaves, the
// leaves the program may overwrite, and the key of its structure.
//
//===----------------------------------------------------------------------===//
#include "kiln/frontend/Plan.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SetVector.h"

#include <algorithm>
#include <bit>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

namespace kiln::detail {

int64_t NameIds::idOf(std::string_view name) {
  static std::mutex mutex;
  static auto *ids = new std::map<std::string, int64_t, std::less<>>;
  std::lock_guard lock(mutex);
  auto it = ids->find(name);
  if (it == ids->end())
    it = ids->emplace(std::string(name), static_cast<int64_t>(ids->size()))
             .first;
  return it->second;
}

namespace {

void appendRaw(PlanKey &key, int64_t v) { key.push_back(v); }

void appendRaw(PlanKey &key, std::span<const int64_t> values) {
  appendRaw(key, static_cast<int64_t>(values.size()));
  for (int64_t v : values)
    key.push_back(v);
}

// Small counts share a word: a shorter key is faster to build and to hash.
void appendKey(PlanKey &key, std::span<const int64_t> shape, ScalarType dtype) {
  appendRaw(key, static_cast<int64_t>(dtype) << 32 |
                     static_cast<int64_t>(shape.size()));
  for (int64_t d : shape)
    appendRaw(key, d);
}

void appendKey(PlanKey &key, const ValueType &type) {
  appendKey(key, type.shape, type.dtype);
}

void appendKey(PlanKey &key, const ResultType &type) {
  appendKey(key, type.shape, type.dtype);
}

/// A reference to result `result` of the node at `index`: one non-negative
/// word, plus the result in a second word in the (theoretical) case that it
/// does not fit in 16 bits.
void appendResultRef(PlanKey &key, size_t index, int result) {
  constexpr int64_t kInline = 0xffff;
  int64_t low = std::min<int64_t>(result, kInline);
  appendRaw(key, static_cast<int64_t>(index) << 16 | low);
  if (low == kInline)
    appendRaw(key, result);
}

void appendKey(PlanKey &key, const AttrValue &value) {
  appendRaw(key, static_cast<int64_t>(value.index()));
  std::visit(
      [&](const auto &v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, int64_t>)
          appendRaw(key, v);
        else if constexpr (std::is_same_v<T, double>)
          appendRaw(key, std::bit_cast<int64_t>(v));
        else if constexpr (std::is_same_v<T, bool>)
          appendRaw(key, int64_t{v});
        else if constexpr (std::is_same_v<T, UnitFlag>)
          return;
        else if constexpr (std::is_same_v<T, EnumValue>)
          appendRaw(key, int64_t{v.value});
        else if constexpr (std::is_same_v<T, IntList>)
          appendRaw(key, v);
        else {
          appendRaw(key, std::bit_cast<int64_t>(v.floating));
          appendRaw(key, v.integer);
        }
      },
      value);
}

void appendFunctionKey(PlanKey &key, NameIds &names, const GradFunction &fn);
void appendFunctionKey(PlanKey &key, NameIds &names, const CustomFunction &fn);

/// One node: op, inputs (written by `appendInput`), attributes, result
/// types and, for kiln.grad, its function. A template rather than a
/// std::function: it runs for every input of every op of each realize.
template <typename AppendInput>
void appendKey(PlanKey &key, NameIds &names, const Node &node,
               const AppendInput &appendInput) {
  appendRaw(key, names(node.op));
  appendRaw(key, static_cast<int64_t>(node.inputs.size()) << 32 |
                     static_cast<int64_t>(node.attrs.size()));
  for (auto &input : node.inputs)
    appendInput(input);
  for (const Attr &attr : node.attrs) {
    appendRaw(key, names(attr.name));
    appendKey(key, attr.value);
  }
  for (const ResultType &type : node.results)
    appendKey(key, type);
  if (node.gradFunction)
    appendFunctionKey(key, names, *node.gradFunction);
  if (node.customFunction)
    appendFunctionKey(key, names, *node.customFunction);
}

/// The structure of a custom function's backward: its nodes with inputs
/// as argument or node references, and its outputs.
void appendFunctionKey(PlanKey &key, NameIds &names, const CustomFunction &fn) {
  std::unordered_map<const TensorImpl *, int64_t> argIndex;
  std::unordered_map<const Node *, int64_t> nodeIndex;
  appendRaw(key, static_cast<int64_t>(fn.args.size()));
  for (size_t i = 0; i < fn.args.size(); ++i) {
    argIndex[fn.args[i].get()] = static_cast<int64_t>(i);
    appendKey(key, fn.args[i]->type);
  }
  for (size_t i = 0; i < fn.nodes.size(); ++i)
    nodeIndex[fn.nodes[i].get()] = static_cast<int64_t>(i);
  auto appendRef = [&](const std::shared_ptr<TensorImpl> &value) {
    if (auto it = argIndex.find(value.get()); it != argIndex.end()) {
      appendRaw(key, -1 - it->second);
    } else {
      appendRaw(key, nodeIndex.at(value->node.get()));
      appendRaw(key, value->result);
    }
  };
  for (auto &node : fn.nodes)
    appendKey(key, names, *node, appendRef);
  appendRaw(key, static_cast<int64_t>(fn.outputs.size()));
  for (auto &output : fn.outputs)
    appendRef(output);
}

/// The structure of a kiln.grad node's forward function: its nodes with
/// inputs as argument or node references, its output and wrt list.
void appendFunctionKey(PlanKey &key, NameIds &names, const GradFunction &fn) {
  std::unordered_map<const TensorImpl *, int64_t> argIndex;
  std::unordered_map<const Node *, int64_t> nodeIndex;
  appendRaw(key, static_cast<int64_t>(fn.args.size()));
  for (size_t i = 0; i < fn.args.size(); ++i) {
    argIndex[fn.args[i].get()] = static_cast<int64_t>(i);
    appendKey(key, fn.args[i]->type);
  }
  for (size_t i = 0; i < fn.nodes.size(); ++i)
    nodeIndex[fn.nodes[i].get()] = static_cast<int64_t>(i);
  for (auto &node : fn.nodes)
    appendKey(key, names, *node, [&](const std::shared_ptr<TensorImpl> &input) {
      if (auto it = argIndex.find(input.get()); it != argIndex.end()) {
        appendRaw(key, -1 - it->second);
      } else {
        appendRaw(key, nodeIndex.at(input->history.get()));
        appendRaw(key, input->result);
      }
    });
  appendRaw(key, nodeIndex.at(fn.output.get()));
  appendRaw(key, fn.outputResult);
  appendRaw(key, static_cast<int64_t>(fn.wrt.size()));
  for (int64_t w : fn.wrt)
    appendRaw(key, w);
  appendRaw(key, int64_t{fn.seeded});
  appendRaw(key, static_cast<int64_t>(fn.hooks.size()));
  for (auto &[value, hooks] : fn.hooks) {
    appendRaw(key, nodeIndex.at(value->history.get()));
    appendRaw(key, value->result);
    appendFunctionKey(key, names, *hooks);
  }
}

/// Fills `plan.donatable` and adds it to the key: the leaves that no one
/// can read once the plan has run, so that the program may overwrite their
/// buffers with outputs (the optimizers' old parameters and state). A leaf
/// qualifies when its buffer is Kiln's own and no other tensor shares it,
/// it has no handle and needs no gradient, and nothing that outlives the
/// run refers to it. Reference counts decide what outlives the run: every
/// object the plan's graph holds (its nodes, the functions its gradient
/// requests differentiate, their operands) is compared with the references
/// the graph itself accounts for, and whatever something else refers to
/// lives on with all it reads. Autograd history is the exception: a node
/// an earlier backward released can never be differentiated again.
void findDonatableLeaves(Plan &plan) {
  auto candidate = [&](const TensorImpl *leaf) {
    return leaf->handles.load(std::memory_order_relaxed) == 0 &&
           !leaf->requires_grad && leaf->storage && leaf->storage->owned &&
           leaf->storage.use_count() == 1 &&
           std::any_of(plan.outputs.begin(), plan.outputs.end(),
                       [&](auto &out) { return out->type == leaf->type; });
  };
  auto finish = [&] {
    appendRaw(plan.key, static_cast<int64_t>(plan.donatable.size()));
    for (int64_t i : plan.donatable)
      appendRaw(plan.key, i);
  };
  if (std::none_of(plan.leaves.begin(), plan.leaves.end(), candidate))
    return finish();
  // The graph: the plan's nodes and, for gradient requests, the nodes of
  // the functions they differentiate.
  llvm::SetVector<const Node *> nodes(plan.nodes.begin(), plan.nodes.end());
  llvm::DenseMap<const TensorImpl *, long> tensorRefs;
  llvm::DenseMap<const Node *, std::pair<long, long>> nodeRefs; // held, all
  auto refNode = [&](const std::shared_ptr<Node> &node) {
    if (!node)
      return;
    auto &refs = nodeRefs[node.get()];
    ++refs.first;
    refs.second = node.use_count();
    nodes.insert(node.get());
  };
  for (auto &out : plan.outputs)
    ++tensorRefs[out.get()];
  for (size_t i = 0; i < nodes.size(); ++i) {
    const Node *node = nodes[i];
    for (auto &input : node->inputs)
      ++tensorRefs[input.get()];
    if (const GradFunction *fn = node->gradFunction.get()) {
      for (auto &arg : fn->args)
        ++tensorRefs[arg.get()];
      for (auto &inner : fn->nodes)
        refNode(inner);
      refNode(fn->output);
    }
  }
  for (auto &[impl, count] : tensorRefs)
    for (const std::shared_ptr<Node> *link : {&impl->node, &impl->history})
      if (*link && nodes.contains(link->get()))
        refNode(*link);
  // What outlives the run: the outputs, whatever something outside the
  // graph refers to, and everything those read (an output's node link
  // goes once it is computed; a released history is never read again).
  llvm::DenseSet<const TensorImpl *> liveTensors;
  llvm::DenseSet<const Node *> liveNodes;
  std::vector<const Node *> stack;
  auto keepNode = [&](const Node *node, bool history) {
    if (node && !(history && node->freed) && nodes.contains(node) &&
        liveNodes.insert(node).second)
      stack.push_back(node);
  };
  auto keepTensor = [&](const TensorImpl *impl, bool withNode = true) {
    if (!liveTensors.insert(impl).second)
      return;
    if (withNode)
      keepNode(impl->node.get(), false);
    keepNode(impl->history.get(), true);
  };
  for (auto &out : plan.outputs)
    keepTensor(out.get(), /*withNode=*/false);
  for (auto &[impl, count] : tensorRefs)
    if (impl->handles.load(std::memory_order_relaxed) > 0 ||
        impl->weak_from_this().use_count() > count)
      keepTensor(impl);
  for (auto &[node, refs] : nodeRefs)
    if (refs.second > refs.first)
      keepNode(node, /*history=*/true);
  while (!stack.empty()) {
    const Node *node = stack.back();
    stack.pop_back();
    for (auto &input : node->inputs)
      keepTensor(input.get());
    if (const GradFunction *fn = node->gradFunction.get()) {
      for (auto &arg : fn->args)
        keepTensor(arg.get());
      for (auto &inner : fn->nodes)
        keepNode(inner.get(), false);
    }
  }
  for (size_t i = 0; i < plan.leaves.size(); ++i)
    if (candidate(plan.leaves[i]) && !liveTensors.contains(plan.leaves[i]))
      plan.donatable.push_back(static_cast<int64_t>(i));
  finish();
}

} // namespace

void makePlan(Plan &plan, PlanScratch &scratch, size_t expectedNodes) {
  plan.nodes.clear();
  plan.leaves.clear();
  plan.key.clear();
  plan.donatable.clear();
  plan.nodes.reserve(expectedNodes);
  // Every node the outputs depend on, stopping at realized tensors. Nodes
  // carry their index in this plan (scratch fields: a node belongs to one
  // trace, whose lock is held). Leaves may be shared between threads, so
  // their indices live in a map of their own.
  static std::atomic<uint64_t> epochs{0};
  uint64_t epoch = ++epochs;
  std::vector<Node *> &stack = scratch.stack;
  auto visitNode = [&](Node *node) {
    if (node->planEpoch != epoch) {
      node->planEpoch = epoch;
      stack.push_back(node);
    }
  };
  for (auto &out : plan.outputs)
    visitNode(out->node.get());
  while (!stack.empty()) {
    Node *node = stack.back();
    stack.pop_back();
    plan.nodes.push_back(node);
    for (auto &input : node->inputs)
      if (input->pending())
        visitNode(input->node.get());
  }
  // Inputs are recorded before their users, so creation order is a
  // topological order, and a deterministic one. The search from the last
  // op back often finds them in exactly the reverse order.
  auto byId = [](Node *a, Node *b) { return a->id < b->id; };
  if (std::is_sorted(plan.nodes.rbegin(), plan.nodes.rend(), byId))
    std::reverse(plan.nodes.begin(), plan.nodes.end());
  else
    std::sort(plan.nodes.begin(), plan.nodes.end(), byId);
  for (size_t i = 0; i < plan.nodes.size(); ++i)
    plan.nodes[i]->planIndex = i;
  std::sort(plan.outputs.begin(), plan.outputs.end(), [](auto &a, auto &b) {
    return std::pair(a->node->planIndex, a->result) <
           std::pair(b->node->planIndex, b->result);
  });

  auto &leafIndex = scratch.leafIndex;
  leafIndex.clear();
  PlanKey &key = plan.key;
  // Room for most ops: a binary op on 2-d tensors takes 7 words.
  key.reserve(plan.nodes.size() * 12);
  plan.deterministic =
      deterministicAlgorithms().load(std::memory_order_relaxed);
  appendRaw(key, static_cast<int64_t>(plan.deterministic));
  plan.fuse = fusionEnabled().load(std::memory_order_relaxed);
  appendRaw(key, static_cast<int64_t>(plan.fuse));
  plan.epilogues = epiloguesEnabled().load(std::memory_order_relaxed);
  appendRaw(key, static_cast<int64_t>(plan.epilogues));
  auto appendInput = [&](const std::shared_ptr<TensorImpl> &input) {
    if (input->pending()) {
      appendResultRef(key, input->node->planIndex, input->result);
    } else {
      auto [it, inserted] =
          leafIndex.try_emplace(input.get(), plan.leaves.size());
      if (inserted)
        plan.leaves.push_back(input.get());
      appendRaw(key, -1 - static_cast<int64_t>(it->second));
    }
  };
  for (Node *node : plan.nodes)
    appendKey(key, scratch.names, *node, appendInput);
  for (TensorImpl *leaf : plan.leaves)
    appendKey(key, leaf->type);
  for (auto &out : plan.outputs)
    appendResultRef(key, out->node->planIndex, out->result);
  findDonatableLeaves(plan);
}

} // namespace kiln::detail

//===- OrderedDict.h - A dictionary that keeps insertion order --*- C++ -*-===//
//
// LibTorch's `torch::OrderedDict`, which named_parameters() and friends
// return: items in insertion order, looked up by key or by position. An item
// is also a pair, so `for (auto &[name, tensor] : m->named_parameters())`
// works as well as `item.key()` and `item.value()`.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_ORDEREDDICT_H
#define KILN_FRONTEND_ORDEREDDICT_H

#include "kiln/runtime/Error.h"

#include <cstddef>
#include <initializer_list>
#include <sstream>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace kiln {

template <typename Key, typename Value> class OrderedDict {
public:
  /// One entry: `key()` and `value()`, or `first` and `second`.
  class Item : public std::pair<Key, Value> {
  public:
    Item(Key key, Value value)
        : std::pair<Key, Value>(std::move(key), std::move(value)) {}
    const Key &key() const noexcept { return this->first; }
    Value &value() noexcept { return this->second; }
    const Value &value() const noexcept { return this->second; }
    const std::pair<Key, Value> &pair() const noexcept { return *this; }
    Value *operator->() { return &this->second; }
    const Value *operator->() const { return &this->second; }
    Value &operator*() { return this->second; }
    const Value &operator*() const { return this->second; }
  };

  using key_type = Key;
  using mapped_type = Value;
  using value_type = Item;
  using iterator = typename std::vector<Item>::iterator;
  using const_iterator = typename std::vector<Item>::const_iterator;

  /// `key_description` names keys in error messages ("Key", "Parameter").
  explicit OrderedDict(std::string key_description = "Key")
      : description_(std::move(key_description)) {}
  OrderedDict(std::initializer_list<Item> items) : OrderedDict() {
    for (const Item &item : items)
      insert(item.key(), item.value());
  }

  const std::string &key_description() const noexcept { return description_; }

  // --- Element access
  /// The value under `key`; a missing key is a kiln::Error naming it.
  Value &operator[](const Key &key) { return at(key); }
  const Value &operator[](const Key &key) const {
    return const_cast<OrderedDict *>(this)->at(key);
  }
  /// The value under `key`, or null.
  Value *find(const Key &key) noexcept {
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : &items_[it->second].value();
  }
  const Value *find(const Key &key) const noexcept {
    return const_cast<OrderedDict *>(this)->find(key);
  }
  bool contains(const Key &key) const noexcept {
    return index_.count(key) != 0;
  }
  /// The item at `index` in insertion order (a kiln::Error when out of
  /// range).
  Item &operator[](size_t index) {
    checkIndex(index);
    return items_[index];
  }
  const Item &operator[](size_t index) const {
    checkIndex(index);
    return items_[index];
  }
  Item &front() {
    checkIndex(0);
    return items_.front();
  }
  Item &back() {
    checkIndex(0);
    return items_.back();
  }

  // --- Iteration
  iterator begin() { return items_.begin(); }
  iterator end() { return items_.end(); }
  const_iterator begin() const { return items_.begin(); }
  const_iterator end() const { return items_.end(); }
  size_t size() const noexcept { return items_.size(); }
  bool is_empty() const noexcept { return items_.empty(); }
  bool empty() const noexcept { return items_.empty(); }

  // --- Modification
  /// Adds `value` under `key`, which must be new (a kiln::Error otherwise).
  template <typename K, typename V> Value &insert(K &&key, V &&value) {
    Key k(std::forward<K>(key));
    if (contains(k))
      throw Error(description_ + " '" + describe(k) + "' already defined");
    index_.emplace(k, items_.size());
    items_.emplace_back(std::move(k), Value(std::forward<V>(value)));
    return items_.back().value();
  }
  /// Inserts every item of `other` under its key, replacing existing values.
  void update(const OrderedDict &other) {
    for (const Item &item : other) {
      if (Value *existing = find(item.key()))
        *existing = item.value();
      else
        insert(item.key(), item.value());
    }
  }
  /// Removes `key` and returns its value (a kiln::Error when missing).
  Value pop(const Key &key) {
    auto it = index_.find(key);
    if (it == index_.end())
      throw Error(description_ + " '" + describe(key) + "' is not defined");
    size_t at = it->second;
    Value value = std::move(items_[at].value());
    items_.erase(items_.begin() + static_cast<std::ptrdiff_t>(at));
    reindex();
    return value;
  }
  void erase(const Key &key) { pop(key); }
  void clear() {
    items_.clear();
    index_.clear();
  }
  void reserve(size_t n) {
    items_.reserve(n);
    index_.reserve(n);
  }

  // --- Views
  const std::vector<Item> &items() const noexcept { return items_; }
  std::vector<Key> keys() const {
    std::vector<Key> out;
    for (const Item &item : items_)
      out.push_back(item.key());
    return out;
  }
  std::vector<Value> values() const {
    std::vector<Value> out;
    for (const Item &item : items_)
      out.push_back(item.value());
    return out;
  }
  /// The items as (key, value) pairs.
  std::vector<std::pair<Key, Value>> pairs() const {
    return {items_.begin(), items_.end()};
  }

private:
  Value &at(const Key &key) {
    if (Value *value = find(key))
      return *value;
    std::string known;
    for (const Item &item : items_)
      known += (known.empty() ? "" : ", ") + describe(item.key());
    throw Error(description_ + " '" + describe(key) + "' is not defined" +
                (known.empty() ? std::string(" (the dictionary is empty)")
                               : " (defined: " + known + ")"));
  }
  void checkIndex(size_t index) const {
    if (index >= items_.size())
      throw Error("OrderedDict: index " + std::to_string(index) +
                  " is out of range for " + std::to_string(items_.size()) +
                  " items");
  }
  void reindex() {
    index_.clear();
    for (size_t i = 0; i < items_.size(); ++i)
      index_.emplace(items_[i].key(), i);
  }
  static std::string describe(const Key &key) {
    std::ostringstream os;
    os << key;
    return os.str();
  }

  std::string description_ = "Key";
  std::vector<Item> items_;
  std::unordered_map<Key, size_t> index_;
};

} // namespace kiln

#endif // KILN_FRONTEND_ORDEREDDICT_H

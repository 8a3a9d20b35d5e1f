// Unit tests for tuple, list, dict, set/frozenset, range and slice: behaviour, error
// messages, hashes and iteration orders as CPython 3.11 gives them.
#include <string>

#include "runtime/dict.h"
#include "runtime/module.h"
#include "runtime/range.h"
#include "runtime/set.h"
#include "tests/unit/types_test_support.h"

using namespace mvm;
using namespace mvm::test;

namespace {

ThreadState& ts() { return thread(); }

Ref ints(std::initializer_list<int64_t> values) {
  Ref list(Value::from_obj(list_new(ts())));
  for (int64_t v : values) list_append(ts(), list.as<List>(), Value::small_int(v));
  return list;
}

Ref range_list(int64_t n) {
  Ref list(Value::from_obj(list_new(ts())));
  for (int64_t i = 0; i < n; i++) list_append(ts(), list.as<List>(), Value::small_int(i));
  return list;
}

Ref make_slice(Value start, Value stop, Value step = Value()) { return Ref(slice_new(ts(), start, stop, step)); }
std::string getitem(Value obj, Value key) { return show(object_getitem(ts(), obj, key)); }
std::string setitem(Value obj, Value key, Value value) {
  return object_setitem(ts(), obj, key, value) < 0 ? "!" + take_error() : "ok";
}
std::string delitem(Value obj, Value key) { return object_delitem(ts(), obj, key) < 0 ? "!" + take_error() : "ok"; }
Ref set_of(std::initializer_list<int64_t> values, Type* type = &set_type) {
  Ref list = ints(values);
  return Ref(set_from_iterable(ts(), list.get(), type));
}
Ref dict_from_pairs(std::initializer_list<std::pair<int64_t, int64_t>> pairs) {
  Ref d(Value::from_obj(dict_new(ts())));
  for (auto [k, v] : pairs) dict_set(ts(), d.as<Dict>(), Value::small_int(k), Value::small_int(v));
  return d;
}
std::string sort(Value list, Value key = Value(), bool reverse = false) {
  if (list_sort(ts(), list.as<List>(), key, reverse) < 0) return "!" + take_error();
  return show(newref(list));
}

// Native functions used as sort keys. Unbound ones get the item as args[0]; the mutating
// one is bound to the list being sorted, which comes first.
Value key_first_item(ThreadState& ts, const Value* args, size_t, Tuple*) {
  return object_getitem(ts, args[0], Value::small_int(0));
}
Value key_that_raises(ThreadState& ts, const Value* args, size_t, Tuple*) {
  if (args[0] == Value::small_int(3)) return raise(ts, &ValueError_type, "bad key");
  return newref(args[0]);
}
Value key_that_mutates(ThreadState& ts, const Value* args, size_t, Tuple*) {
  if (list_append(ts, args[0].as<List>(), Value::small_int(99)) < 0) return Value();
  return newref(args[1]);
}
const MethodDef kKeyFirst = {"first", key_first_item};
const MethodDef kKeyRaises = {"raises", key_that_raises};
const MethodDef kKeyMutates = {"mutates", key_that_mutates};
Ref key_function(const MethodDef* def, Value bound) { return Ref(native_function_new(ts(), def, bound)); }

}  // namespace

TEST_CASE("tuple: repr, hash, comparison and arithmetic") {
  Ref empty(Value::from_obj(empty_tuple()));
  Ref one = tuple_of({num(1).get()});
  Ref pair = tuple_of({num(1).get(), num(2).get()});
  CHECK(show(newref(empty.get())) == "()");
  CHECK(show(newref(one.get())) == "(1,)");
  CHECK(show(newref(pair.get())) == "(1, 2)");
  CHECK(object_hash(ts(), empty.get()) == 5740354900026072187);
  CHECK(object_hash(ts(), one.get()) == -6644214454873602895);
  CHECK(object_hash(ts(), pair.get()) == -3550055125485641917);
  Ref nested = tuple_of({num(1).get(), tuple_of({num(2).get(), num(3).get()}).get()});
  CHECK(object_hash(ts(), nested.get()) == 7267574591690527098);
  Ref mixed = tuple_of({flt(1.5).get(), num(-1).get()});
  CHECK(object_hash(ts(), mixed.get()) == -9002791676578425913);
  CHECK(object_hash(ts(), tuple_of({list_of({}).get()}).get()) == -1);
  CHECK(take_error() == "TypeError: unhashable type: 'list'");

  CHECK(cmp(one.get(), CompareOp::Lt, pair.get()) == "True");
  CHECK(cmp(pair.get(), CompareOp::Eq, tuple_of({num(1).get(), flt(2.0).get()}).get()) == "True");
  CHECK(cmp(pair.get(), CompareOp::Gt, tuple_of({num(1).get(), num(1).get(), num(9).get()}).get()) == "True");
  CHECK(binop(one.get(), BinaryOp::Add, pair.get()) == "(1, 1, 2)");
  CHECK(binop(pair.get(), BinaryOp::Mul, num(2).get()) == "(1, 2, 1, 2)");
  CHECK(binop(num(-1).get(), BinaryOp::Mul, pair.get()) == "()");
  CHECK(binop(one.get(), BinaryOp::Add, list_of({}).get()) ==
        "!TypeError: can only concatenate tuple (not \"list\") to tuple");
  CHECK(binop(one.get(), BinaryOp::Mul, flt(2.0).get()) ==
        "!TypeError: can't multiply sequence by non-int of type 'float'");
  CHECK(getitem(pair.get(), num(-1).get()) == "2");
  CHECK(getitem(pair.get(), num(5).get()) == "!IndexError: tuple index out of range");
  CHECK(getitem(pair.get(), text("a").get()) == "!TypeError: tuple indices must be integers or slices, not str");
  CHECK(getitem(pair.get(), make_slice(Value(), Value(), num(-1).get()).get()) == "(2, 1)");
  CHECK(call(pair.get(), "index", {num(2).get()}) == "1");
  CHECK(call(pair.get(), "index", {num(3).get()}) == "!ValueError: tuple.index(x): x not in tuple");
  CHECK(call(pair.get(), "count", {num(1).get()}) == "1");
  CHECK(show(tuple_from_iterable(ts(), range_list(3).get())) == "(0, 1, 2)");
}

TEST_CASE("list: basic methods and their errors") {
  Ref l = ints({1, 2, 3});
  CHECK(call(l.get(), "append", {num(4).get()}) == "None");
  CHECK(call(l.get(), "insert", {num(-100).get(), num(0).get()}) == "None");
  CHECK(call(l.get(), "insert", {num(100).get(), num(5).get()}) == "None");
  CHECK(show(newref(l.get())) == "[0, 1, 2, 3, 4, 5]");
  CHECK(call(l.get(), "pop") == "5");
  CHECK(call(l.get(), "pop", {num(0).get()}) == "0");
  CHECK(call(l.get(), "pop", {num(10).get()}) == "!IndexError: pop index out of range");
  CHECK(call(l.get(), "remove", {num(3).get()}) == "None");
  CHECK(call(l.get(), "remove", {num(3).get()}) == "!ValueError: list.remove(x): x not in list");
  CHECK(call(l.get(), "index", {num(4).get()}) == "2");
  CHECK(call(l.get(), "index", {text("a").get()}) == "!ValueError: 'a' is not in list");
  CHECK(call(l.get(), "index", {num(1).get(), num(1).get()}) == "!ValueError: 1 is not in list");
  CHECK(call(l.get(), "count", {num(1).get()}) == "1");
  CHECK(call(l.get(), "extend", {tuple_of({num(7).get(), num(8).get()}).get()}) == "None");
  CHECK(call(l.get(), "extend", {l.get()}) == "None");
  CHECK(show(newref(l.get())) == "[1, 2, 4, 7, 8, 1, 2, 4, 7, 8]");
  CHECK(call(l.get(), "reverse") == "None");
  CHECK(show(newref(l.get())) == "[8, 7, 4, 2, 1, 8, 7, 4, 2, 1]");
  CHECK(call(l.get(), "clear") == "None");
  CHECK(call(l.get(), "pop") == "!IndexError: pop from empty list");
  CHECK(call(l.get(), "append") == "!TypeError: list.append() takes exactly one argument (0 given)");
  CHECK(call(l.get(), "insert", {num(1).get()}) == "!TypeError: insert expected 2 arguments, got 1");
  CHECK(object_hash(ts(), l.get()) == -1);
  CHECK(take_error() == "TypeError: unhashable type: 'list'");

  Ref a = ints({1, 2});
  CHECK(binop(a.get(), BinaryOp::Add, ints({3}).get()) == "[1, 2, 3]");
  CHECK(binop(a.get(), BinaryOp::Mul, num(3).get()) == "[1, 2, 1, 2, 1, 2]");
  CHECK(binop(a.get(), BinaryOp::Add, tuple_of({}).get()) ==
        "!TypeError: can only concatenate list (not \"tuple\") to list");
  CHECK(binop(a.get(), BinaryOp(uint8_t(BinaryOp::Add) | kInplaceFlag), tuple_of({num(3).get()}).get()) == "[1, 2, 3]");
  CHECK(binop(a.get(), BinaryOp(uint8_t(BinaryOp::Mul) | kInplaceFlag), num(2).get()) == "[1, 2, 3, 1, 2, 3]");
  CHECK(cmp(ints({1, 2}).get(), CompareOp::Lt, ints({1, 3}).get()) == "True");
  CHECK(cmp(ints({1, 2}).get(), CompareOp::Eq, ints({1, 2}).get()) == "True");
  CHECK(cmp(ints({1, 2, 0}).get(), CompareOp::Gt, ints({1, 2}).get()) == "True");

  // A list that contains itself prints as [...].
  Ref self_ref = ints({1});
  list_append(ts(), self_ref.as<List>(), self_ref.get());
  CHECK(show(newref(self_ref.get())) == "[1, [...]]");
  list_clear(self_ref.as<List>());   // break the cycle
}

TEST_CASE("list: slicing, slice assignment and deletion") {
  Ref l = range_list(10);
  CHECK(getitem(l.get(), make_slice(Value(), Value(), num(3).get()).get()) == "[0, 3, 6, 9]");
  CHECK(getitem(l.get(), make_slice(num(8).get(), num(2).get(), num(-2).get()).get()) == "[8, 6, 4]");
  CHECK(getitem(l.get(), make_slice(num(-3).get(), Value()).get()) == "[7, 8, 9]");
  CHECK(getitem(l.get(), make_slice(Value(), Value(), num(0).get()).get()) == "!ValueError: slice step cannot be zero");
  CHECK(getitem(l.get(), big("1267650600228229401496703205376").get()) ==
        "!IndexError: cannot fit 'int' into an index-sized integer");
  CHECK(setitem(l.get(), make_slice(num(2).get(), num(5).get()).get(), list_of({text("a").get()}).get()) == "ok");
  CHECK(show(newref(l.get())) == "[0, 1, 'a', 5, 6, 7, 8, 9]");
  CHECK(delitem(l.get(), make_slice(Value(), Value(), num(2).get()).get()) == "ok");
  CHECK(show(newref(l.get())) == "[1, 5, 7, 9]");
  CHECK(setitem(l.get(), make_slice(num(1).get(), Value(), num(2).get()).get(), ints({0, 0}).get()) == "ok");
  CHECK(show(newref(l.get())) == "[1, 0, 7, 0]");
  CHECK(setitem(l.get(), make_slice(Value(), Value(), num(2).get()).get(), ints({1}).get()) ==
        "!ValueError: attempt to assign sequence of size 1 to extended slice of size 2");
  CHECK(setitem(l.get(), make_slice(Value(), num(1).get()).get(), num(5).get()) ==
        "!TypeError: can only assign an iterable");
  CHECK(setitem(l.get(), num(10).get(), num(1).get()) == "!IndexError: list assignment index out of range");
  CHECK(delitem(l.get(), num(10).get()) == "!IndexError: list assignment index out of range");
  CHECK(delitem(l.get(), make_slice(num(3).get(), Value(), num(-1).get()).get()) == "ok");
  CHECK(show(newref(l.get())) == "[]");

  Ref self_assign = ints({1, 2, 3});
  CHECK(setitem(self_assign.get(), make_slice(num(1).get(), num(1).get()).get(), self_assign.get()) == "ok");
  CHECK(show(newref(self_assign.get())) == "[1, 1, 2, 3, 2, 3]");
}

TEST_CASE("list: sort is stable, honours key and reverse, and fails cleanly") {
  auto pair = [](int64_t n, const char* s) { return tuple_of({num(n).get(), text(s).get()}); };
  Ref pairs = list_of({pair(1, "b").get(), pair(0, "x").get(), pair(1, "a").get(), pair(0, "y").get()});
  Ref first = key_function(&kKeyFirst, Value());
  CHECK(sort(pairs.get(), first.get()) == "[(0, 'x'), (0, 'y'), (1, 'b'), (1, 'a')]");
  CHECK(sort(pairs.get(), first.get(), true) == "[(1, 'b'), (1, 'a'), (0, 'x'), (0, 'y')]");
  CHECK(sort(ints({3, 1, 2}).get(), Value(), true) == "[3, 2, 1]");
  CHECK(sort(list_of({text("b").get(), text("A").get(), text("\u00e9").get(), text("a").get()}).get()) ==
        "['A', 'a', 'b', '\u00e9']");
  CHECK(sort(list_of({flt(2.5).get(), num(1).get(), big("100000000000000000000").get(), flt(-1).get()}).get()) ==
        "[-1.0, 1, 2.5, 100000000000000000000]");

  // A large input with many runs, checked for order and stability against the index.
  Ref many(Value::from_obj(list_new(ts())));
  for (int64_t i = 0; i < 2000; i++)
    list_append(ts(), many.as<List>(), tuple_of({num((i * 7919) % 101).get(), num(i).get()}).get());
  CHECK(list_sort(ts(), many.as<List>(), first.get(), false) == 0);
  List* sorted = many.as<List>();
  bool ordered = true;
  for (size_t i = 1; i < sorted->size; i++) {
    Tuple* a = sorted->items[i - 1].as<Tuple>();
    Tuple* b = sorted->items[i].as<Tuple>();
    int64_t ka = a->items[0].as_small_int(), kb = b->items[0].as_small_int();
    if (ka > kb || (ka == kb && a->items[1].as_small_int() > b->items[1].as_small_int())) ordered = false;
  }
  CHECK(ordered);
  CHECK(sorted->size == 2000);

  Ref mixed = list_of({num(1).get(), text("a").get(), num(0).get()});
  CHECK(sort(mixed.get()) == "!TypeError: '<' not supported between instances of 'str' and 'int'");
  CHECK(show(newref(mixed.get())).size() > 0);   // still a permutation of its items
  CHECK(mixed.as<List>()->size == 3);

  Ref raising = ints({5, 4, 3, 2, 1});
  Ref raises = key_function(&kKeyRaises, Value());
  CHECK(sort(raising.get(), raises.get()) == "!ValueError: bad key");
  CHECK(show(newref(raising.get())) == "[5, 4, 3, 2, 1]");

  Ref mutated = ints({3, 1, 2});
  Ref mutates = key_function(&kKeyMutates, mutated.get());
  CHECK(sort(mutated.get(), mutates.get()) == "!ValueError: list modified during sort");
  CHECK(show(newref(mutated.get())) == "[1, 2, 3]");
}

TEST_CASE("dict: insertion order survives deletion, churn and resizing") {
  Ref d = dict_from_pairs({});
  Dict* dict = d.as<Dict>();
  for (int64_t i = 0; i < 8; i++) dict_set(ts(), dict, Value::small_int(i), Value::small_int(i * i));
  for (int64_t i = 0; i < 8; i += 2) CHECK(dict_del(ts(), dict, Value::small_int(i)) == 0);
  dict_set(ts(), dict, Value::small_int(100), Value::small_int(1));
  dict_set(ts(), dict, Value::small_int(3), Value::small_int(33));
  CHECK(show(newref(d.get())) == "{1: 1, 3: 33, 5: 25, 7: 49, 100: 1}");
  CHECK(call(d.get(), "popitem") == "(100, 1)");
  CHECK(show(newref(d.get())) == "{1: 1, 3: 33, 5: 25, 7: 49}");
  CHECK(dict_del(ts(), dict, Value::small_int(42)) == -1);
  CHECK(take_error() == "KeyError: 42");

  // Churn: many inserts and deletes, checking contents and order throughout.
  Ref churn = dict_from_pairs({});
  Dict* c = churn.as<Dict>();
  for (int64_t round = 0; round < 20; round++) {
    for (int64_t i = 0; i < 500; i++) dict_set(ts(), c, Value::small_int(round * 1000 + i), Value::small_int(i));
    for (int64_t i = 0; i < 500; i++)
      if (i % 5 != 0) dict_del(ts(), c, Value::small_int(round * 1000 + i));
  }
  CHECK(dict_size(c) == 20 * 100);
  size_t pos = 0;
  Value key, value;
  int64_t previous = -1;
  bool increasing = true, consistent = true;
  while (dict_next(c, &pos, &key, &value)) {
    if (key.as_small_int() <= previous) increasing = false;
    if (key.as_small_int() % 1000 != value.as_small_int()) consistent = false;
    previous = key.as_small_int();
  }
  CHECK(increasing);
  CHECK(consistent);
  CHECK(dict_get(ts(), c, Value::small_int(19495)) == Value::small_int(495));
  CHECK(!dict_get(ts(), c, Value::small_int(19496)));
  CHECK(c->entry_capacity >= c->used);
}

TEST_CASE("dict: methods, views, string keys and versions") {
  Ref d = dict_from_pairs({{1, 2}, {3, 4}});
  CHECK(call(d.get(), "get", {num(1).get()}) == "2");
  CHECK(call(d.get(), "get", {num(9).get()}) == "None");
  CHECK(call(d.get(), "get", {num(9).get(), num(0).get()}) == "0");
  CHECK(call(d.get(), "get") == "!TypeError: get expected at least 1 argument, got 0");
  CHECK(call(d.get(), "setdefault", {num(5).get(), num(6).get()}) == "6");
  CHECK(call(d.get(), "pop", {num(5).get()}) == "6");
  CHECK(call(d.get(), "pop", {num(5).get()}) == "!KeyError: 5");
  CHECK(call(d.get(), "pop", {num(5).get(), text("x").get()}) == "'x'");
  CHECK(getitem(d.get(), text("k").get()) == "!KeyError: 'k'");
  CHECK(getitem(d.get(), list_of({}).get()) == "!TypeError: unhashable type: 'list'");
  CHECK(call(d.get(), "keys") == "dict_keys([1, 3])");
  CHECK(call(d.get(), "values") == "dict_values([2, 4])");
  CHECK(call(d.get(), "items") == "dict_items([(1, 2), (3, 4)])");
  Ref keys(call_method(ts(), d.get(), "keys", {}));
  CHECK(binop(keys.get(), BinaryOp::Or, set_of({3}).get()) == "{1, 3}");
  CHECK(binop(keys.get(), BinaryOp::And, set_of({3, 5}).get()) == "{3}");
  CHECK(binop(ints({1}).get(), BinaryOp::Sub, keys.get()) == "set()");
  CHECK(cmp(keys.get(), CompareOp::Eq, set_of({1, 3}).get()) == "True");
  CHECK(object_contains(ts(), keys.get(), num(3).get()) == 1);
  Ref items(call_method(ts(), d.get(), "items", {}));
  CHECK(object_contains(ts(), items.get(), tuple_of({num(3).get(), num(4).get()}).get()) == 1);
  CHECK(object_contains(ts(), items.get(), tuple_of({num(3).get(), num(5).get()}).get()) == 0);
  CHECK(show(list_from_iterable(ts(), Ref(call_method(ts(), d.get(), "__reversed__", {})).get())) == "[3, 1]");

  CHECK(call(d.get(), "update", {list_of({tuple_of({num(7).get(), num(8).get()}).get()}).get()}) == "None");
  CHECK(call(d.get(), "update", {list_of({num(1).get()}).get()}) ==
        "!TypeError: cannot convert dictionary update sequence element #0 to a sequence");
  CHECK(call(d.get(), "update", {list_of({text("ab").get(), text("c").get()}).get()}) ==
        "!ValueError: dictionary update sequence element #1 has length 1; 2 is required");
  CHECK(show(newref(d.get())) == "{1: 2, 3: 4, 7: 8, 'a': 'b'}");
  CHECK(call(Value::from_obj(&dict_type), "fromkeys", {ints({1, 2}).get()}) == "{1: None, 2: None}");
  CHECK(binop(d.get(), BinaryOp::Or, dict_from_pairs({{1, 0}, {9, 9}}).get()) ==
        "{1: 0, 3: 4, 7: 8, 'a': 'b', 9: 9}");
  CHECK(cmp(dict_from_pairs({{1, 2}}).get(), CompareOp::Eq, dict_from_pairs({{1, 2}}).get()) == "True");
  CHECK(cmp(dict_from_pairs({{1, 2}}).get(), CompareOp::Ne, dict_from_pairs({{1, 3}}).get()) == "True");
  CHECK(call(dict_from_pairs({}).get(), "popitem") == "!KeyError: 'popitem(): dictionary is empty'");

  // String keys: dict_get_str finds equal strings by content; versions move only when
  // keys are added or removed.
  Ref strings = dict_from_pairs({});
  Dict* s = strings.as<Dict>();
  Ref name = text("spam");
  dict_set(ts(), s, name.get(), num(1).get());
  uint64_t version = s->keys_version;
  dict_set_str(ts(), s, intern("spam"), num(2).get());
  CHECK(s->keys_version == version);
  CHECK(dict_get_str(s, intern("spam")) == Value::small_int(2));
  CHECK(dict_index_of_str(s, intern("eggs")) == -1);
  dict_set_str(ts(), s, intern("eggs"), num(3).get());
  CHECK(s->keys_version != version);
  CHECK(dict_value_at(s, dict_index_of_str(s, intern("eggs"))) == Value::small_int(3));

  // Recursive repr and the changed-size check of iterators.
  Ref loop = dict_from_pairs({});
  dict_set(ts(), loop.as<Dict>(), num(1).get(), loop.get());
  CHECK(show(newref(loop.get())) == "{1: {...}}");
  Ref it(object_iter(ts(), loop.get()));
  CHECK(show(iter_next(ts(), it.get())) == "1");
  dict_set(ts(), loop.as<Dict>(), num(2).get(), num(2).get());
  CHECK(show(iter_next(ts(), it.get())) == "!RuntimeError: dictionary changed size during iteration");
  dict_clear(loop.as<Dict>());
}

TEST_CASE("set: algebra and iteration order match CPython") {
  Ref sevens(set_from_iterable(ts(), Ref(range_new(ts(), 0, 100, 7)).get()));
  CHECK(show(newref(sevens.get())) == "{0, 98, 35, 70, 7, 42, 77, 14, 49, 84, 21, 56, 91, 28, 63}");
  // set(list) adds one key at a time; a set display of constants is compiled by CPython to
  // a frozenset merged into an empty set, whose table (and so order) differs.
  Ref added = set_of({5, 3, 1, 100, 33, 8, 16});
  CHECK(show(newref(added.get())) == "{1, 33, 3, 100, 5, 8, 16}");
  Ref merged(Value::from_obj(set_new(ts())));
  Ref frozen_constant = set_of({5, 3, 1, 100, 33, 8, 16}, &frozenset_type);
  CHECK(set_update(ts(), merged.as<Set>(), frozen_constant.get()) == 0);
  CHECK(show(newref(merged.get())) == "{16, 1, 33, 3, 100, 5, 8}");
  Ref a = set_of({1, 2, 3, 4, 5, 40, 70});
  Ref b = set_of({4, 5, 6, 7, 33, 70});
  CHECK(binop(a.get(), BinaryOp::Or, b.get()) == "{1, 2, 3, 4, 5, 70, 33, 40, 6, 7}");
  CHECK(binop(a.get(), BinaryOp::And, b.get()) == "{4, 5, 70}");
  CHECK(binop(a.get(), BinaryOp::Sub, b.get()) == "{40, 1, 2, 3}");
  CHECK(binop(b.get(), BinaryOp::Sub, a.get()) == "{33, 6, 7}");
  CHECK(binop(a.get(), BinaryOp::Xor, b.get()) == "{1, 2, 3, 6, 7, 33, 40}");
  CHECK(call(a.get(), "union", {ints({9, 10}).get(), tuple_of({num(11).get()}).get()}) ==
        "{1, 2, 3, 4, 5, 70, 9, 10, 11, 40}");
  CHECK(call(a.get(), "intersection", {b.get(), ints({4, 70}).get()}) == "{4, 70}");
  CHECK(call(a.get(), "difference", {ints({1}).get(), ints({2}).get()}) == "{3, 4, 5, 70, 40}");
  CHECK(call(a.get(), "symmetric_difference", {ints({1, 99}).get()}) == "{2, 3, 99, 4, 5, 70, 40}");
  CHECK(binop(a.get(), BinaryOp::Or, ints({1}).get()).rfind("!TypeError", 0) == 0);

  Ref small = set_of({1, 2});
  CHECK(cmp(small.get(), CompareOp::Lt, set_of({1, 2, 3}).get()) == "True");
  CHECK(cmp(small.get(), CompareOp::Le, set_of({1, 2}).get()) == "True");
  CHECK(cmp(small.get(), CompareOp::Gt, set_of({1}).get()) == "True");
  CHECK(cmp(small.get(), CompareOp::Eq, set_of({2, 1}, &frozenset_type).get()) == "True");
  CHECK(call(small.get(), "isdisjoint", {ints({3}).get()}) == "True");
  CHECK(call(small.get(), "issubset", {Ref(range_new(ts(), 0, 5, 1)).get()}) == "True");
  CHECK(call(set_of({1, 2, 3}).get(), "issuperset", {ints({1, 2}).get()}) == "True");

  Ref x = set_of({1, 2, 3});
  CHECK(call(x.get(), "discard", {num(2).get()}) == "None");
  CHECK(call(x.get(), "add", {num(10).get()}) == "None");
  CHECK(call(x.get(), "remove", {num(42).get()}) == "!KeyError: 42");
  CHECK(call(x.get(), "pop") == "1");
  CHECK(show(newref(x.get())) == "{10, 3}");
  CHECK(call(set_of({}).get(), "pop") == "!KeyError: 'pop from an empty set'");
  CHECK(show(set_of({}).release()) == "set()");
  CHECK(show(set_of({}, &frozenset_type).release()) == "frozenset()");
  CHECK(show(set_of({1}, &frozenset_type).release()) == "frozenset({1})");
  CHECK(show(set_from_iterable(ts(), list_of({list_of({}).get()}).get())) == "!TypeError: unhashable type: 'list'");
  CHECK(object_hash(ts(), set_of({}).get()) == -1);
  CHECK(take_error() == "TypeError: unhashable type: 'set'");

  // A set used as a key is looked up as the equal frozenset.
  Ref frozen = set_of({1}, &frozenset_type);
  Ref holder(set_from_iterable(ts(), list_of({frozen.get()}).get()));
  CHECK(set_contains(ts(), holder.as<Set>(), set_of({1}).get()) == 1);

  Ref it(object_iter(ts(), x.get()));
  CHECK(show(iter_next(ts(), it.get())) == "10");
  set_add(ts(), x.as<Set>(), num(77).get());
  CHECK(show(iter_next(ts(), it.get())) == "!RuntimeError: Set changed size during iteration");
}

TEST_CASE("frozenset: hashes equal CPython's") {
  CHECK(object_hash(ts(), set_of({}, &frozenset_type).get()) == 133146708735736);
  CHECK(object_hash(ts(), set_of({1}, &frozenset_type).get()) == -558064481276695278);
  CHECK(object_hash(ts(), set_of({1, 2, 3}, &frozenset_type).get()) == -272375401224217160);
  Ref twenty(set_from_iterable(ts(), Ref(range_new(ts(), 0, 20, 1)).get(), &frozenset_type));
  CHECK(object_hash(ts(), twenty.get()) == 7026028923906358870);
}

TEST_CASE("range: length, indexing, slicing, membership and hashing") {
  Ref r(range_new(ts(), 0, 100, 3));
  CHECK(show(newref(r.get())) == "range(0, 100, 3)");
  CHECK(object_length(ts(), r.get()) == 34);
  CHECK(getitem(r.get(), num(-1).get()) == "99");
  CHECK(getitem(r.get(), num(34).get()) == "!IndexError: range object index out of range");
  CHECK(getitem(r.get(), make_slice(num(5).get(), num(20).get(), num(4).get()).get()) == "range(15, 60, 12)");
  CHECK(getitem(Ref(range_new(ts(), 0, 10, 1)).get(), make_slice(Value(), Value(), num(-1).get()).get()) ==
        "range(9, -1, -1)");
  CHECK(getitem(r.get(), text("a").get()) == "!TypeError: range indices must be integers or slices, not str");
  CHECK(object_contains(ts(), r.get(), num(99).get()) == 1);
  CHECK(object_contains(ts(), r.get(), num(98).get()) == 0);
  CHECK(object_contains(ts(), r.get(), flt(3.0).get()) == 1);
  CHECK(object_contains(ts(), r.get(), big("1000000000000000000000").get()) == 0);
  CHECK(call(r.get(), "index", {num(30).get()}) == "10");
  CHECK(call(r.get(), "index", {num(31).get()}) == "!ValueError: 31 is not in range");
  CHECK(call(r.get(), "count", {num(30).get()}) == "1");
  CHECK(object_hash(ts(), Ref(range_new(ts(), 0, 10, 3)).get()) == -1816567394155750349);
  CHECK(cmp(Ref(range_new(ts(), 0, 0, 1)).get(), CompareOp::Eq, Ref(range_new(ts(), 5, 1, 2)).get()) == "True");
  CHECK(show(list_from_iterable(ts(), Ref(call_method(ts(), Ref(range_new(ts(), 5, 0, -2)).get(), "__reversed__", {})).get())) ==
        "[1, 3, 5]");
  Ref near_max(range_new(ts(), INT64_MAX - 2, INT64_MAX, 1));
  CHECK(show(list_from_iterable(ts(), near_max.get())) == "[9223372036854775805, 9223372036854775806]");
  Ref zero_step = num(0);
  Value args[] = {num(1).get(), num(2).get(), zero_step.get()};
  CHECK(show(object_call(ts(), Value::from_obj(&range_type), args, 3)) == "!ValueError: range() arg 3 must not be zero");
  Ref half = flt(1.5);
  Value float_arg[] = {half.get()};
  CHECK(show(object_call(ts(), Value::from_obj(&range_type), float_arg, 1)) ==
        "!TypeError: 'float' object cannot be interpreted as an integer");
}

TEST_CASE("slice: repr, indices and the shared index arithmetic") {
  CHECK(show(slice_new(ts(), num(1).get(), Value(), num(-1).get())) == "slice(1, None, -1)");
  CHECK(call(make_slice(Value(), Value(), num(-1).get()).get(), "indices", {num(10).get()}) == "(9, -1, -1)");
  CHECK(call(make_slice(num(-100).get(), num(100).get(), num(3).get()).get(), "indices", {num(10).get()}) ==
        "(0, 10, 3)");
  CHECK(call(make_slice(num(5).get(), num(2).get()).get(), "indices", {num(3).get()}) == "(3, 2, 1)");
  CHECK(call(make_slice(num(1).get(), num(2).get(), num(0).get()).get(), "indices", {num(5).get()}) ==
        "!ValueError: slice step cannot be zero");
  CHECK(getitem(range_list(3).get(), make_slice(text("a").get(), Value()).get()) ==
        "!TypeError: slice indices must be integers or None or have an __index__ method");
  CHECK(object_hash(ts(), make_slice(num(1).get(), num(2).get()).get()) == -1);
  CHECK(take_error() == "TypeError: unhashable type: 'slice'");
  CHECK(cmp(make_slice(num(1).get(), num(2).get()).get(), CompareOp::Lt, make_slice(num(1).get(), num(3).get()).get()) ==
        "True");
}

TEST_CASE("iterators: lists may change size while iterated") {
  Ref l = ints({1, 2, 3});
  Ref it(object_iter(ts(), l.get()));
  CHECK(show(iter_next(ts(), it.get())) == "1");
  list_clear(l.as<List>());
  CHECK(!iter_next(ts(), it.get()));
  CHECK(!error_occurred(ts()));
  list_append(ts(), l.as<List>(), num(5).get());
  CHECK(!iter_next(ts(), it.get()));   // stays exhausted

  Ref r = ints({1, 2, 3});
  Ref rit(list_reversed(ts(), r.get()));
  CHECK(show(iter_next(ts(), rit.get())) == "3");
  CHECK(call(r.get(), "pop") == "3");
  CHECK(show(iter_next(ts(), rit.get())) == "2");
  CHECK(call(r.get(), "clear") == "None");
  CHECK(!iter_next(ts(), rit.get()));   // the list shrank below the position: done
}

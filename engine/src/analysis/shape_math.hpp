// Overflow-checked counting and shape helpers shared by every cost rule, the analyzer and the
// liveness pass. Unknown dims are taken as 1 here, in one place, so every number that depends on
// an assumption is derived the same way.
#pragma once

#include "graph/graph.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace winglet::analysis {

// Dims of a tensor with unknown dims taken as 1; empty when the rank is unknown.
using Dims = std::vector<uint64_t>;

// nullopt when the result does not fit 64 bits.
std::optional<uint64_t> checked_mul(uint64_t a, uint64_t b);
std::optional<uint64_t> checked_add(uint64_t a, uint64_t b);
// The value of a checked result; throws InputError("<what> overflows 64 bits") for nullopt.
uint64_t must_fit(std::optional<uint64_t> result, const std::string& what);
std::optional<uint64_t> checked_product(const Dims& dims);
// Storage of `elements` elements of `dtype`, sub-byte types packed, nullopt on overflow.
std::optional<uint64_t> checked_bytes(DType dtype, uint64_t elements);

// Dims of `shape` with unknown dims taken as 1; empty for an unknown rank.
Dims known_dims(const std::optional<Shape>& shape);
// Symbols of the dims `known_dims` had to assume ("?" for an unnamed dim or an unknown rank).
std::vector<std::string> assumed_symbols(const std::optional<Shape>& shape);

// Numpy broadcasting of two shapes (right-aligned, 1 stretches); dims that disagree take the max.
Dims broadcast(const Dims& a, const Dims& b);
// Product of dims[begin, end) (clamped to the rank), nullopt on overflow.
std::optional<uint64_t> checked_product(const Dims& dims, size_t begin, size_t end);

// Bytes of a value's tensor with unknown dims taken as 1; nullopt when they overflow 64 bits.
std::optional<uint64_t> checked_value_bytes(const Value& value);
// The same, throwing InputError naming `owner` (e.g. "op 'conv1' (Conv)") and the value.
uint64_t value_bytes(const Value& value, const std::string& owner);
[[noreturn]] void value_size_overflow(const Value& value, const std::string& owner);

// Elements and storage bytes of a weight tensor; throws InputError on overflow.
uint64_t weight_elements(const Weight& weight);
uint64_t weight_bytes(const Weight& weight);

}  // namespace winglet::analysis

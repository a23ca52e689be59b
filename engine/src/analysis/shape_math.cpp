#include "analysis/shape_math.hpp"

#include "core/errors.hpp"

#include <algorithm>

namespace winglet::analysis {

std::optional<uint64_t> checked_mul(uint64_t a, uint64_t b) {
    uint64_t r = 0;
    if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
    return r;
}

std::optional<uint64_t> checked_add(uint64_t a, uint64_t b) {
    uint64_t r = 0;
    if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
    return r;
}

uint64_t must_fit(std::optional<uint64_t> result, const std::string& what) {
    if (!result) throw InputError(what + " overflows 64 bits");
    return *result;
}

std::optional<uint64_t> checked_product(const Dims& dims, size_t begin, size_t end) {
    uint64_t n = 1;
    for (size_t i = begin; i < std::min(end, dims.size()); ++i) {
        auto next = checked_mul(n, dims[i]);
        if (!next) return std::nullopt;
        n = *next;
    }
    return n;
}

std::optional<uint64_t> checked_product(const Dims& dims) {
    return checked_product(dims, 0, dims.size());
}

std::optional<uint64_t> checked_bytes(DType dtype, uint64_t elements) {
    const uint64_t bits = dtype_bits(dtype);
    // elements * bits / 8, split so the intermediate product cannot wrap.
    auto whole = checked_mul(elements / 8, bits);
    if (!whole) return std::nullopt;
    return checked_add(*whole, ((elements % 8) * bits + 7) / 8);
}

Dims known_dims(const std::optional<Shape>& shape) {
    Dims dims;
    if (!shape) return dims;
    dims.reserve(shape->size());
    for (const Dim& d : *shape) dims.push_back(d.known() ? static_cast<uint64_t>(d.value) : 1);
    return dims;
}

std::vector<std::string> assumed_symbols(const std::optional<Shape>& shape) {
    if (!shape) return {"?"};
    std::vector<std::string> symbols;
    for (const Dim& d : *shape)
        if (!d.known()) symbols.push_back(d.symbol.empty() ? "?" : d.symbol);
    return symbols;
}

Dims broadcast(const Dims& a, const Dims& b) {
    const Dims& longer = a.size() >= b.size() ? a : b;
    const Dims& shorter = a.size() >= b.size() ? b : a;
    Dims out = longer;
    const size_t offset = longer.size() - shorter.size();
    for (size_t i = 0; i < shorter.size(); ++i)
        out[offset + i] = std::max(out[offset + i], shorter[i]);
    return out;
}

std::optional<uint64_t> checked_value_bytes(const Value& value) {
    const auto elements = checked_product(known_dims(value.shape));
    return elements ? checked_bytes(value.dtype, *elements) : std::nullopt;
}

void value_size_overflow(const Value& value, const std::string& owner) {
    throw InputError(owner + ": size of '" + value.name + "' overflows 64 bits for shape " +
                     shape_to_string(value.shape));
}

uint64_t value_bytes(const Value& value, const std::string& owner) {
    if (auto bytes = checked_value_bytes(value)) return *bytes;
    value_size_overflow(value, owner);
}

namespace {

std::string weight_dims_string(const Weight& weight) {
    std::string s = "[";
    for (size_t i = 0; i < weight.dims.size(); ++i)
        s += (i ? "," : "") + std::to_string(weight.dims[i]);
    return s + "]";
}

}  // namespace

uint64_t weight_elements(const Weight& weight) {
    Dims dims;
    for (int64_t d : weight.dims) dims.push_back(d < 0 ? 0 : static_cast<uint64_t>(d));
    const auto n = checked_product(dims);
    if (!n)
        throw InputError("weight '" + weight.name +
                         "': element count overflows 64 bits for shape " +
                         weight_dims_string(weight));
    return *n;
}

uint64_t weight_bytes(const Weight& weight) {
    const auto bytes = checked_bytes(weight.dtype, weight_elements(weight));
    if (!bytes)
        throw InputError("weight '" + weight.name + "': size overflows 64 bits for shape " +
                         weight_dims_string(weight));
    return *bytes;
}

}  // namespace winglet::analysis

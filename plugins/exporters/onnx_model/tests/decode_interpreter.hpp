// A small interpreter of the ONNX operators the writer's decode uses, written from the operator
// definitions (onnx.ai/onnx/operators) and independent of the plugin: integers are exact int64,
// floats are float32 rounded after every operation. It evaluates a value of a model from its
// initializers and the nodes that produce it. Test-only: failures are Boost.Test failures.
#pragma once

#include <boost/test/unit_test.hpp>

#include "onnx/onnx_pb.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace decode_test {

using onnx::TensorProto;

inline int64_t count_of(const std::vector<int64_t>& dims) {
    int64_t n = 1;
    for (int64_t d : dims) n *= d;
    return n;
}

inline std::vector<int64_t> dims_of(const TensorProto& t) { return {t.dims().begin(), t.dims().end()}; }

struct Val {
    int32_t dtype = 0;
    std::vector<int64_t> dims;
    std::vector<double> f;   // FLOAT: each a float32 value
    std::vector<int64_t> i;  // INT8, UINT8, INT32, INT64
    bool is_float() const { return dtype == TensorProto::FLOAT; }
    size_t size() const { return is_float() ? f.size() : i.size(); }
};

inline const TensorProto* find_initializer(const onnx::ModelProto& m, const std::string& name) {
    for (const auto& t : m.graph().initializer())
        if (t.name() == name) return &t;
    return nullptr;
}

inline Val from_initializer(const TensorProto& t) {
    Val out{t.data_type(), dims_of(t), {}, {}};
    const int64_t n = count_of(out.dims);
    const std::string& raw = t.raw_data();
    auto read = [&](auto sample, auto& into) {
        using T = decltype(sample);
        BOOST_TEST_REQUIRE(raw.size() == static_cast<size_t>(n) * sizeof(T), t.name() << " raw_data size");
        for (int64_t k = 0; k < n; ++k) {
            T x;
            std::memcpy(&x, raw.data() + k * sizeof(T), sizeof x);
            into.push_back(x);
        }
    };
    switch (t.data_type()) {
        case TensorProto::FLOAT: read(float{}, out.f); break;
        case TensorProto::INT8: read(int8_t{}, out.i); break;
        case TensorProto::UINT8: read(uint8_t{}, out.i); break;
        case TensorProto::INT64: read(int64_t{}, out.i); break;
        default: BOOST_FAIL("unexpected initializer dtype " << t.data_type());
    }
    return out;
}

inline const onnx::AttributeProto* attribute(const onnx::NodeProto& n, const std::string& name) {
    for (const auto& a : n.attribute())
        if (a.name() == name) return &a;
    return nullptr;
}

inline int64_t attr_int(const onnx::NodeProto& n, const std::string& name, int64_t fallback) {
    const onnx::AttributeProto* a = attribute(n, name);
    return a ? a->i() : fallback;
}

// Strides of a row-major shape.
inline std::vector<int64_t> strides_of(const std::vector<int64_t>& dims) {
    std::vector<int64_t> s(dims.size(), 1);
    for (size_t d = dims.size(); d-- > 1;) s[d - 1] = s[d] * dims[d];
    return s;
}

// Copies element `from` of `src` to the end of `dst` (same dtype class).
inline void push_element(Val& dst, const Val& src, int64_t from) {
    if (src.is_float())
        dst.f.push_back(src.f[static_cast<size_t>(from)]);
    else
        dst.i.push_back(src.i[static_cast<size_t>(from)]);
}

// numpy-style broadcasting of a binary op on two tensors of one dtype class.
inline Val broadcast(const Val& a, const Val& b, const std::function<double(double, double)>& ff,
                     const std::function<int64_t(int64_t, int64_t)>& fi) {
    BOOST_TEST_REQUIRE(a.dtype == b.dtype, "binary op inputs of one type");
    const size_t rank = std::max(a.dims.size(), b.dims.size());
    std::vector<int64_t> da(rank, 1), db(rank, 1), out(rank);
    std::copy(a.dims.begin(), a.dims.end(), da.begin() + static_cast<long>(rank - a.dims.size()));
    std::copy(b.dims.begin(), b.dims.end(), db.begin() + static_cast<long>(rank - b.dims.size()));
    for (size_t d = 0; d < rank; ++d) {
        BOOST_TEST_REQUIRE((da[d] == db[d] || da[d] == 1 || db[d] == 1), "broadcastable shapes");
        out[d] = std::max(da[d], db[d]);
    }
    Val r{a.dtype, out, {}, {}};
    const int64_t n = count_of(out);
    for (int64_t k = 0; k < n; ++k) {
        int64_t rest = k, ia = 0, ib = 0, sa = 1, sb = 1;
        for (size_t d = rank; d-- > 0;) {
            const int64_t c = rest % out[d];
            rest /= out[d];
            ia += (da[d] == 1 ? 0 : c) * sa;
            ib += (db[d] == 1 ? 0 : c) * sb;
            sa *= da[d];
            sb *= db[d];
        }
        if (a.is_float())
            r.f.push_back(static_cast<float>(ff(a.f[static_cast<size_t>(ia)], b.f[static_cast<size_t>(ib)])));
        else
            r.i.push_back(fi(a.i[static_cast<size_t>(ia)], b.i[static_cast<size_t>(ib)]));
    }
    return r;
}

class Interpreter {
public:
    explicit Interpreter(const onnx::ModelProto& m) : m_(m) {}

    Val eval(const std::string& name) {
        if (const auto it = memo_.find(name); it != memo_.end()) return it->second;
        if (const TensorProto* t = find_initializer(m_, name)) return memo_[name] = from_initializer(*t);
        const onnx::NodeProto* n = producer(name);
        BOOST_TEST_REQUIRE(n != nullptr, "something produces " << name);
        const std::vector<Val> outs = run(*n);
        BOOST_TEST_REQUIRE(outs.size() == static_cast<size_t>(n->output_size()));
        for (int k = 0; k < n->output_size(); ++k) memo_[n->output(k)] = outs[static_cast<size_t>(k)];
        return memo_.at(name);
    }

    // The values of an integer tensor.
    std::vector<int64_t> ints(const std::string& name) {
        const Val v = eval(name);
        BOOST_TEST_REQUIRE(!v.is_float());
        return v.i;
    }

private:
    const onnx::NodeProto* producer(const std::string& name) const {
        for (const auto& n : m_.graph().node())
            for (const auto& o : n.output())
                if (o == name) return &n;
        return nullptr;
    }

    // An int list given as an attribute (older opsets) or as input `index` (newer ones).
    std::vector<int64_t> list(const onnx::NodeProto& n, const std::string& attr, int index) {
        if (const onnx::AttributeProto* a = attribute(n, attr)) return {a->ints().begin(), a->ints().end()};
        if (n.input_size() > index && !n.input(index).empty()) return ints(n.input(index));
        return {};
    }

    std::vector<Val> run(const onnx::NodeProto& n) {
        const std::string& op = n.op_type();
        if (op == "Cast") {
            const Val x = eval(n.input(0));
            const int32_t to = static_cast<int32_t>(attr_int(n, "to", 0));
            Val y{to, x.dims, {}, {}};
            if (to == TensorProto::FLOAT) {
                if (x.is_float()) y.f = x.f;
                for (int64_t v : x.i) y.f.push_back(static_cast<float>(v));
            } else {
                BOOST_TEST_REQUIRE((to == TensorProto::INT64 && !x.is_float()), "Cast of integers to int64");
                y.i = x.i;
            }
            return {y};
        }
        if (op == "Sub" || op == "Mul" || op == "Add" || op == "Div" || op == "Mod") {
            const Val a = eval(n.input(0)), b = eval(n.input(1));
            BOOST_TEST_REQUIRE((op != "Mod" || attr_int(n, "fmod", 0) == 0), "integer Mod");
            BOOST_TEST_REQUIRE(((op != "Div" && op != "Mod") || !a.is_float()), "Div and Mod on integers here");
            const auto ff = [&](double x, double y) -> double {
                const float fx = static_cast<float>(x), fy = static_cast<float>(y);
                return op == "Sub" ? fx - fy : op == "Mul" ? fx * fy : fx + fy;
            };
            const auto fi = [&](int64_t x, int64_t y) -> int64_t {
                if (op == "Sub") return x - y;
                if (op == "Mul") return x * y;
                if (op == "Add") return x + y;
                BOOST_TEST_REQUIRE(y != 0, "no division by zero");
                if (op == "Div") return x / y;  // truncates toward zero, as ONNX integer Div
                const int64_t r = x % y;        // Mod (fmod = 0): the sign of the divisor
                return r != 0 && ((r < 0) != (y < 0)) ? r + y : r;
            };
            return {broadcast(a, b, ff, fi)};
        }
        if (op == "Reshape") {
            Val x = eval(n.input(0));
            const std::vector<int64_t> shape = ints(n.input(1));
            for (int64_t d : shape) BOOST_TEST_REQUIRE(d >= 0, "Reshape to explicit dims");
            BOOST_TEST_REQUIRE(count_of(shape) == static_cast<int64_t>(x.size()), "Reshape keeps the element count");
            x.dims = shape;
            return {x};
        }
        if (op == "Slice") {
            const Val x = eval(n.input(0));
            const std::vector<int64_t> starts = list(n, "starts", 1), ends = list(n, "ends", 2);
            std::vector<int64_t> axes = list(n, "axes", 3);
            BOOST_TEST_REQUIRE((n.input_size() < 5 || ints(n.input(4)) == std::vector<int64_t>(starts.size(), 1)),
                               "Slice with unit steps");
            if (axes.empty())
                for (size_t k = 0; k < starts.size(); ++k) axes.push_back(static_cast<int64_t>(k));
            std::vector<int64_t> lo(x.dims.size(), 0), hi = x.dims;
            for (size_t k = 0; k < axes.size(); ++k) {
                const size_t a = static_cast<size_t>(axes[k]);
                lo[a] = std::clamp<int64_t>(starts[k], 0, x.dims[a]);
                hi[a] = std::clamp<int64_t>(ends[k], lo[a], x.dims[a]);
            }
            std::vector<int64_t> out(x.dims.size());
            for (size_t d = 0; d < out.size(); ++d) out[d] = hi[d] - lo[d];
            Val y{x.dtype, out, {}, {}};
            const std::vector<int64_t> sx = strides_of(x.dims), so = strides_of(out);
            for (int64_t k = 0; k < count_of(out); ++k) {
                int64_t from = 0;
                for (size_t d = 0; d < out.size(); ++d) from += (k / so[d] % out[d] + lo[d]) * sx[d];
                push_element(y, x, from);
            }
            return {y};
        }
        if (op == "Split") {
            const Val x = eval(n.input(0));
            BOOST_TEST_REQUIRE((x.dims.size() == 1 && attr_int(n, "axis", 0) == 0), "Split of a 1-D tensor");
            const std::vector<int64_t> sizes = list(n, "split", 1);
            BOOST_TEST_REQUIRE(sizes.size() == static_cast<size_t>(n.output_size()));
            std::vector<Val> outs;
            int64_t at = 0;
            for (int64_t s : sizes) {
                Val y{x.dtype, {s}, {}, {}};
                for (int64_t k = 0; k < s; ++k) push_element(y, x, at + k);
                at += s;
                outs.push_back(y);
            }
            BOOST_TEST_REQUIRE(at == x.dims[0], "the pieces cover the input");
            return outs;
        }
        if (op == "Tile") {
            const Val x = eval(n.input(0));
            const std::vector<int64_t> repeats = ints(n.input(1));
            BOOST_TEST_REQUIRE(repeats.size() == x.dims.size());
            std::vector<int64_t> out(x.dims.size());
            for (size_t d = 0; d < out.size(); ++d) out[d] = x.dims[d] * repeats[d];
            Val y{x.dtype, out, {}, {}};
            const std::vector<int64_t> sx = strides_of(x.dims), so = strides_of(out);
            for (int64_t k = 0; k < count_of(out); ++k) {
                int64_t from = 0;
                for (size_t d = 0; d < out.size(); ++d) from += (k / so[d] % out[d] % x.dims[d]) * sx[d];
                push_element(y, x, from);
            }
            return {y};
        }
        if (op == "Range") {
            const Val start = eval(n.input(0)), limit = eval(n.input(1)), delta = eval(n.input(2));
            BOOST_TEST_REQUIRE((start.dims.empty() && limit.dims.empty() && delta.dims.empty() && !start.is_float()),
                               "integer scalars");
            Val y{start.dtype, {}, {}, {}};
            for (int64_t v = start.i[0]; v < limit.i[0]; v += delta.i[0]) y.i.push_back(v);
            y.dims = {static_cast<int64_t>(y.i.size())};
            return {y};
        }
        if (op == "CumSum") {
            Val x = eval(n.input(0));
            const Val axis = eval(n.input(1));
            BOOST_TEST_REQUIRE((x.dims.size() == 1 && axis.i == std::vector<int64_t>{0} && !x.is_float()),
                               "CumSum of a 1-D integer tensor");
            BOOST_TEST_REQUIRE((attr_int(n, "exclusive", 0) == 0 && attr_int(n, "reverse", 0) == 0));
            for (size_t k = 1; k < x.i.size(); ++k) x.i[k] += x.i[k - 1];
            return {x};
        }
        if (op == "Pad") {
            const Val x = eval(n.input(0));
            const std::vector<int64_t> pads = ints(n.input(1));
            BOOST_TEST_REQUIRE((n.input_size() < 3 || n.input(2).empty()), "Pad with zeros");
            const size_t r = x.dims.size();
            BOOST_TEST_REQUIRE(pads.size() == 2 * r);
            std::vector<int64_t> out(r);
            for (size_t d = 0; d < r; ++d) out[d] = x.dims[d] + pads[d] + pads[d + r];
            Val y{x.dtype, out, {}, {}};
            const std::vector<int64_t> sx = strides_of(x.dims), so = strides_of(out);
            for (int64_t k = 0; k < count_of(out); ++k) {
                int64_t from = 0;
                bool inside = true;
                for (size_t d = 0; d < r; ++d) {
                    const int64_t c = k / so[d] % out[d] - pads[d];
                    inside = inside && c >= 0 && c < x.dims[d];
                    from += c * sx[d];
                }
                if (inside) push_element(y, x, from);
                else if (x.is_float()) y.f.push_back(0.0);
                else y.i.push_back(0);
            }
            return {y};
        }
        if (op == "Gather") {
            const Val data = eval(n.input(0)), idx = eval(n.input(1));
            BOOST_TEST_REQUIRE((idx.dtype == TensorProto::INT64 || idx.dtype == TensorProto::INT32),
                               "Gather indices are int32 or int64");
            const int64_t r = static_cast<int64_t>(data.dims.size());
            int64_t axis = attr_int(n, "axis", 0);
            if (axis < 0) axis += r;
            std::vector<int64_t> out(data.dims.begin(), data.dims.begin() + axis);
            out.insert(out.end(), idx.dims.begin(), idx.dims.end());
            out.insert(out.end(), data.dims.begin() + axis + 1, data.dims.end());
            int64_t outer = 1, inner = 1;
            for (int64_t d = 0; d < axis; ++d) outer *= data.dims[static_cast<size_t>(d)];
            for (int64_t d = axis + 1; d < r; ++d) inner *= data.dims[static_cast<size_t>(d)];
            const int64_t extent = data.dims[static_cast<size_t>(axis)];
            Val res{data.dtype, out, {}, {}};
            for (int64_t o = 0; o < outer; ++o)
                for (int64_t j : idx.i) {
                    if (j < 0) j += extent;
                    BOOST_TEST_REQUIRE((j >= 0 && j < extent), "Gather index in range");
                    for (int64_t k = 0; k < inner; ++k) push_element(res, data, (o * extent + j) * inner + k);
                }
            return {res};
        }
        if (op == "DequantizeLinear") {
            const Val x = eval(n.input(0)), scale = eval(n.input(1));
            Val zp;
            const bool has_zp = n.input_size() > 2 && !n.input(2).empty();
            if (has_zp) zp = eval(n.input(2));
            BOOST_TEST_REQUIRE((x.dtype == TensorProto::INT8 && scale.is_float()), "int8 codes");
            const bool per_axis = !scale.dims.empty();
            int64_t axis = attr_int(n, "axis", 1);
            if (axis < 0) axis += static_cast<int64_t>(x.dims.size());
            if (per_axis) {
                BOOST_TEST_REQUIRE(scale.dims.size() == 1u);
                BOOST_TEST_REQUIRE(scale.dims[0] == x.dims[static_cast<size_t>(axis)]);
            }
            if (has_zp) BOOST_TEST_REQUIRE(zp.dims == scale.dims);
            int64_t inner = 1;
            for (size_t d = static_cast<size_t>(axis) + 1; d < x.dims.size(); ++d) inner *= x.dims[d];
            Val y{TensorProto::FLOAT, x.dims, {}, {}};
            for (int64_t k = 0; k < count_of(x.dims); ++k) {
                const size_t p = per_axis ? static_cast<size_t>(k / inner % x.dims[static_cast<size_t>(axis)]) : 0;
                const int32_t q = static_cast<int32_t>(x.i[static_cast<size_t>(k)]);
                const int32_t z = has_zp ? static_cast<int32_t>(zp.i[p]) : 0;
                y.f.push_back(static_cast<float>(q - z) * static_cast<float>(scale.f[p]));
            }
            return {y};
        }
        BOOST_FAIL("the interpreter does not know " << op);
        return {};
    }

    const onnx::ModelProto& m_;
    std::map<std::string, Val> memo_;
};

}  // namespace decode_test

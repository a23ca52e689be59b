#include "packing.hpp"

#include "tensors.hpp"

#include <algorithm>
#include <numeric>

namespace winglet::onnx_model {
namespace {

using Section = DecodeGraph::Section;

constexpr int64_t kModOpset = 10;  // Mod; before it, x mod 2^b is x - (x / 2^b) * 2^b

}  // namespace

unsigned cell_bytes(unsigned bits) { return bits / std::gcd(bits, 8u); }
unsigned cell_fields(unsigned bits) { return 8 / std::gcd(bits, 8u); }

std::vector<uint8_t> pack_fields(const std::vector<uint8_t>& values, unsigned bits) {
    const uint64_t per_cell = cell_fields(bits);
    const uint64_t cells = (values.size() + per_cell - 1) / per_cell;
    std::vector<uint8_t> out(cells * cell_bytes(bits), 0);
    uint64_t bit = 0;
    for (uint8_t v : values) {
        // A field of at most 8 bits spans at most two bytes.
        const uint64_t byte = bit / 8, shift = bit % 8;
        const unsigned wide = static_cast<unsigned>(v) << shift;
        out[byte] = static_cast<uint8_t>(out[byte] | (wide & 0xffu));
        if (wide > 0xffu) out[byte + 1] = static_cast<uint8_t>(out[byte + 1] | (wide >> 8));
        bit += bits;
    }
    return out;
}

std::string PackedFields::add_signed(DecodeGraph& g, unsigned bits, const int8_t* values, uint64_t count,
                                     const std::string& base) {
    Piece p{g.fresh(base), std::vector<uint8_t>(count)};
    const int offset = 1 << (bits - 1);
    for (uint64_t i = 0; i < count; ++i) p.fields[i] = static_cast<uint8_t>(values[i] + offset);
    pieces_[{bits, Kind::Signed}].push_back(std::move(p));
    return pieces_[{bits, Kind::Signed}].back().name;
}

std::string PackedFields::add_unsigned(DecodeGraph& g, unsigned bits, const uint8_t* values, uint64_t count,
                                       const std::string& base) {
    Piece p{g.fresh(base), std::vector<uint8_t>(values, values + count)};
    pieces_[{bits, Kind::Unsigned}].push_back(std::move(p));
    return pieces_[{bits, Kind::Unsigned}].back().name;
}

void PackedFields::emit(DecodeGraph& g) {
    for (const auto& [key, pieces] : pieces_) {
        // Consecutive pieces share a stream up to kMaxStreamFields; a larger piece has its own.
        std::vector<const Piece*> stream;
        uint64_t fields = 0;
        for (const Piece& p : pieces) {
            if (!stream.empty() && fields + p.fields.size() > kMaxStreamFields) {
                emit_stream(g, key.first, key.second, stream);
                stream.clear();
                fields = 0;
            }
            stream.push_back(&p);
            fields += p.fields.size();
        }
        if (!stream.empty()) emit_stream(g, key.first, key.second, stream);
    }
    pieces_.clear();
}

// bytes [cells, cell_bytes] -> Cast int64 -> (cells of several bytes: the two bytes each field
// touches, low + 256 * high) -> Div by 2^(bit offset) -> mod 2^bits -> Reshape flat -> Slice off the
// padding -> (signed: Sub 2^(bits-1), Cast float) -> Split into the pieces. Every intermediate is
// below 2^16: a whole multi-byte cell as one integer (up to 2^56) would be exact in int64, but
// ONNX Runtime's ReduceSum rounds int64 sums past 2^53.
void PackedFields::emit_stream(DecodeGraph& g, unsigned bits, Kind kind, const std::vector<const Piece*>& pieces) {
    std::vector<uint8_t> all;
    std::vector<int64_t> sizes;
    for (const Piece* p : pieces) {
        all.insert(all.end(), p->fields.begin(), p->fields.end());
        sizes.push_back(static_cast<int64_t>(p->fields.size()));
    }
    const int64_t total = static_cast<int64_t>(all.size());
    const std::vector<uint8_t> bytes = pack_fields(all, bits);
    const int64_t per_cell = cell_fields(bits), cell_size = cell_bytes(bits);
    const int64_t cells = (total + per_cell - 1) / per_cell;
    const std::string prefix = "winglet_" + std::to_string(bits) + "bit_" + (kind == Kind::Signed ? "codes" : "indices");
    const bool one_piece = pieces.size() == 1;
    // The last node of the chain produces the piece itself when the stream has a single piece.
    auto out = [&](const std::string& suffix, bool last) {
        return last && one_piece ? pieces.front()->name : g.fresh(prefix + suffix);
    };
    const bool signed_tail = kind == Kind::Signed;
    const bool has_padding = cells * per_cell != total;

    const std::vector<int64_t> stored_dims =
        per_cell == 1 ? std::vector<int64_t>{total} : std::vector<int64_t>{cells, cell_size};
    const std::string packed = g.initializer(prefix, onnx::TensorProto::UINT8, stored_dims, bytes.data(), bytes.size());
    std::string x = g.cast(Section::Unpack, packed, onnx::TensorProto::INT64,
                           out("_int64", per_cell == 1 && !signed_tail));
    if (per_cell > 1) {
        // Field j starts at bit bits*j of its cell. In a one-byte cell that is bit bits*j of x
        // ([cells, 1], broadcast against the [per_cell] shifts). In a longer cell it is bit
        // (bits*j) % 8 of the 16-bit window of the byte it starts in and the next one (the same
        // byte again at the cell's end: the high byte then only adds a multiple of 2^bits).
        std::vector<int64_t> shifts;
        if (cell_size > 1) {
            std::vector<int64_t> low, high;
            for (int64_t j = 0; j < per_cell; ++j) {
                low.push_back(bits * j / 8);
                high.push_back(std::min<int64_t>(bits * j / 8 + 1, cell_size - 1));
                shifts.push_back(int64_t{1} << (bits * j % 8));
            }
            const std::string b = std::to_string(bits) + "bit";
            const std::string low_bytes = g.fresh(prefix + "_low"), high_bytes = g.fresh(prefix + "_high"),
                              high_scaled = g.fresh(prefix + "_high_scaled"), window = g.fresh(prefix + "_window");
            add_int_attribute(g.node(Section::Unpack, "Gather", {x, g.int64_list("winglet_low_bytes_" + b, low)}, low_bytes),
                              "axis", 1);
            add_int_attribute(g.node(Section::Unpack, "Gather", {x, g.int64_list("winglet_high_bytes_" + b, high)}, high_bytes),
                              "axis", 1);
            g.node(Section::Unpack, "Mul", {high_bytes, g.int64_scalar("winglet_int64_256", 256)}, high_scaled);
            g.node(Section::Unpack, "Add", {low_bytes, high_scaled}, window);
            x = window;
        } else {
            for (int64_t j = 0; j < per_cell; ++j) shifts.push_back(int64_t{1} << (bits * j));
        }
        // Integer Div truncates, which is floor for these non-negative values.
        const std::string shifted = g.fresh(prefix + "_shifted");
        g.node(Section::Unpack, "Div", {x, g.int64_list("winglet_shifts_" + std::to_string(bits) + "bit", shifts)},
               shifted);
        const std::string modulus = g.int64_scalar("winglet_modulus_" + std::to_string(bits) + "bit", int64_t{1} << bits);
        const std::string fields = g.fresh(prefix + "_fields");
        if (g.opset() >= kModOpset) {
            g.node(Section::Unpack, "Mod", {shifted, modulus}, fields);
        } else {
            const std::string quotient = g.fresh(prefix + "_quotient");
            g.node(Section::Unpack, "Div", {shifted, modulus}, quotient);
            const std::string multiple = g.fresh(prefix + "_multiple");
            g.node(Section::Unpack, "Mul", {quotient, modulus}, multiple);
            g.node(Section::Unpack, "Sub", {shifted, multiple}, fields);
        }
        x = g.reshape(Section::Unpack, fields, {cells * per_cell}, out("_flat", !has_padding && !signed_tail));
        if (has_padding) x = g.slice(Section::Unpack, x, 0, 0, total, out("_unpadded", !signed_tail));
    }
    if (signed_tail) {
        const std::string centered = g.fresh(prefix + "_centered");
        g.node(Section::Unpack, "Sub",
               {x, g.int64_scalar("winglet_offset_" + std::to_string(bits) + "bit", int64_t{1} << (bits - 1))},
               centered);
        x = g.cast(Section::Unpack, centered, onnx::TensorProto::FLOAT, out("_float", true));
    }
    if (!one_piece) {
        std::vector<std::string> names;
        for (const Piece* p : pieces) names.push_back(p->name);
        g.split(Section::Unpack, x, sizes, names);
    }
}

}  // namespace winglet::onnx_model

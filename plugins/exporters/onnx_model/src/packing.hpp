// Fields of 1..8 bits (quantization codes and zero points, look-up-table indices, pruning masks)
// packed into bytes and unpacked by standard ONNX operators of opset 7 and newer.
//
// The bit order is ONNX's own for INT4 (opset 21) generalized: field i of a stream occupies bits
// [i*bits, (i+1)*bits) of the stream read as one little-endian integer, lowest bit first. The
// decode reads the stream in cells of `cell_bytes(bits)` bytes holding `cell_fields(bits)` fields
// (1 byte = 8/4/2/1 fields of 1/2/4/8 bits; 3 bytes = 4 six-bit fields; 3/5/7 bytes = 8 fields
// of 3/5/7 bits), the last cell padded with zero bits.
#pragma once

#include "decode_graph.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace winglet::onnx_model {

unsigned cell_bytes(unsigned bits);
unsigned cell_fields(unsigned bits);
// `values` (each below 2^bits) packed LSB first, padded with zero bits to whole cells.
std::vector<uint8_t> pack_fields(const std::vector<uint8_t>& values, unsigned bits);

// All packed fields of a model. Fields of one width and kind share streams (one uint8 initializer
// and one unpack chain per stream, split into the tensors' pieces), so a tensor's decode costs a
// few nodes, not a dozen; a stream holds at most kMaxStreamFields fields, which bounds the int64
// intermediates a runtime allocates while unpacking (8 bytes per field).
class PackedFields {
public:
    static constexpr uint64_t kMaxStreamFields = uint64_t{1} << 20;

    // Signed b-bit values (linear codes and zero points, in [-2^(b-1), 2^(b-1))): stored
    // offset-binary (v + 2^(b-1)); the decode yields a flat float32 [count] of the signed values.
    std::string add_signed(DecodeGraph& g, unsigned bits, const int8_t* values, uint64_t count,
                           const std::string& base);
    // Unsigned b-bit values (table indices, masks); the decode yields a flat int64 [count].
    std::string add_unsigned(DecodeGraph& g, unsigned bits, const uint8_t* values, uint64_t count,
                             const std::string& base);

    // Adds the streams and their unpack nodes (DecodeGraph::Section::Unpack).
    void emit(DecodeGraph& g);

private:
    enum class Kind { Signed, Unsigned };
    struct Piece {
        std::string name;  // the flat value the decode produces
        std::vector<uint8_t> fields;
    };
    void emit_stream(DecodeGraph& g, unsigned bits, Kind kind, const std::vector<const Piece*>& pieces);

    std::map<std::pair<unsigned, Kind>, std::vector<Piece>> pieces_;
};

}  // namespace winglet::onnx_model

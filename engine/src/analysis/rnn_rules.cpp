// Recurrent layers (ONNX LSTM, GRU, RNN), per inference:
//   MACs  = seq * batch * directions * gates * hidden * (input + hidden)
//           (each gate is one product of [x_t, h_{t-1}] with [W; R]; gates: LSTM 4, GRU 3, RNN 1)
//   FLOPs = 2 * MACs + seq * batch * directions * hidden * cell, where cell, per hidden unit and
//           time step, with f, g, h the activations (defaults LSTM Sigmoid/Tanh/Tanh,
//           GRU Sigmoid/Tanh, RNN Tanh; costs from activation_costs.hpp):
//     LSTM: 3 f (i, f, o gates) + g (cell input) + 3 (c = f*c + i*g) + h(c) + 1 (o * h(c))
//           + 8 with B (input and recurrent bias per gate) + 6 with P (peepholes: mul, add x3)
//           = 18 with the defaults, no bias, no peepholes.
//     GRU:  2 f (z, r) + 1 (r * recurrent part) + 1 (add x part) + g + 4 (h = (1-z)*n + z*h)
//           + 6 with B = 15 with the defaults, no bias.
//     RNN:  f + 2 with B.
//   These extend thop's rnn_hooks (which count the same gate products) with the activation
//   costs used everywhere else in winglet.
// Inputs: X [seq, batch, input] ([batch, seq, input] when layout = 1), W [dirs, gates*hidden,
// input], R [dirs, gates*hidden, hidden], B, sequence_lens, initial_h, (LSTM) initial_c, P.
#include "analysis/activation_costs.hpp"
#include "analysis/rule_registry.hpp"

#include <string>
#include <vector>

namespace winglet::analysis {

namespace {

uint64_t activation_cost(OpContext& op, const std::string& name) {
    const auto flops = activation_flops(name);
    if (!flops) op.warn("activation '" + name + "' has no cost rule; counted as 1 FLOP");
    return flops.value_or(1);
}

// Elementwise FLOPs per hidden unit and time step of one direction (formulas above), given the
// direction's activations and the bias FLOPs.
uint64_t lstm_cell(OpContext& op, const std::vector<std::string>& act, uint64_t bias) {
    const uint64_t peepholes = op.has_input(7) ? 6 : 0;
    return 3 * activation_cost(op, act[0]) + activation_cost(op, act[1]) + 3 +
           activation_cost(op, act[2]) + 1 + bias + peepholes;
}

uint64_t gru_cell(OpContext& op, const std::vector<std::string>& act, uint64_t bias) {
    return 2 * activation_cost(op, act[0]) + 2 + activation_cost(op, act[1]) + 4 + bias;
}

uint64_t rnn_cell(OpContext& op, const std::vector<std::string>& act, uint64_t bias) {
    return activation_cost(op, act[0]) + bias;
}

struct CellKind {
    uint64_t gates;
    std::vector<std::string> default_activations;  // for one direction
    uint64_t (*cell_flops)(OpContext&, const std::vector<std::string>&, uint64_t bias);
};

uint64_t dim_or(const Dims& d, size_t i, uint64_t fallback) {
    return i < d.size() ? d[i] : fallback;
}

// Activations of direction `dir`: the attribute lists them direction after direction.
std::vector<std::string> activations_of(const OpContext& op, const CellKind& kind, size_t dir) {
    const auto* attr = op.node().attribute("activations");
    const size_t n = kind.default_activations.size();
    if (!attr || attr->strings.size() < (dir + 1) * n) return kind.default_activations;
    return {attr->strings.begin() + dir * n, attr->strings.begin() + (dir + 1) * n};
}

OpCost recurrent(OpContext& op, const CellKind& kind) {
    const Dims x = op.input_dims(0), w = op.input_dims(1), r = op.input_dims(2);
    const bool batch_first = op.node().attr_int("layout", 0) == 1;
    const uint64_t seq = dim_or(x, batch_first ? 1 : 0, 1);
    const uint64_t batch = dim_or(x, batch_first ? 0 : 1, 1);
    const uint64_t input = dim_or(w, 2, dim_or(x, 2, 1));
    const int64_t hidden_attr = op.node().attr_int("hidden_size", -1);
    const uint64_t hidden = hidden_attr > 0 ? static_cast<uint64_t>(hidden_attr) : dim_or(r, 2, 1);
    const uint64_t dirs = op.node().attr_string("direction", "forward") == "bidirectional" ? 2 : 1;

    const uint64_t steps = op.product({seq, batch});
    const uint64_t macs = op.product({steps, dirs, kind.gates, hidden, op.add(input, hidden)});
    uint64_t cell = 0;
    const uint64_t bias = op.has_input(3) ? 2 * kind.gates : 0;
    for (size_t dir = 0; dir < dirs; ++dir)
        cell = op.add(cell, kind.cell_flops(op, activations_of(op, kind, dir), bias));
    return {macs, op.add(op.mul(2, macs), op.product({steps, hidden, cell}))};
}

OpCost lstm(OpContext& op) { return recurrent(op, {4, {"Sigmoid", "Tanh", "Tanh"}, lstm_cell}); }
OpCost gru(OpContext& op) { return recurrent(op, {3, {"Sigmoid", "Tanh"}, gru_cell}); }
OpCost rnn(OpContext& op) { return recurrent(op, {1, {"Tanh"}, rnn_cell}); }

constexpr CostRule kLstm{"lstm", lstm};
constexpr CostRule kGru{"gru", gru};
constexpr CostRule kRnn{"rnn", rnn};

}  // namespace

void add_rnn_rules(RuleTable& table) {
    table.add(kOnnxDomain, "LSTM", kLstm);
    table.add(kOnnxDomain, "GRU", kGru);
    table.add(kOnnxDomain, "RNN", kRnn);
}

}  // namespace winglet::analysis

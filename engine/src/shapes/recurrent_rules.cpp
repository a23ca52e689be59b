// Recurrent layers: LSTM, GRU, RNN (outputs Y, Y_h and, for LSTM, Y_c).
#include "shapes/rules.hpp"

namespace winglet::shapes {
namespace {

void recurrent_rule(RuleContext& ctx) {
    const auto& x = ctx.input_shape(0);
    if (x && x->size() != 3) ctx.fail("input " + shape_to_string(x) + " is not 3-D");
    // layout 0: X is [seq, batch, input]; layout 1: [batch, seq, input].
    const bool batch_first = ctx.node().attr_int("layout", 0) != 0;
    const Dim seq = x ? (*x)[batch_first ? 1 : 0] : unknown_dim();
    const Dim batch = x ? (*x)[batch_first ? 0 : 1] : unknown_dim();
    const int64_t directions = ctx.node().attr_string("direction", "forward") == "bidirectional" ? 2 : 1;
    Dim hidden = unknown_dim();
    if (const int64_t h = ctx.node().attr_int("hidden_size", -1); h >= 0) hidden = Dim::of(h);
    else if (const auto& r = ctx.input_shape(2); r && r->size() == 3) hidden = (*r)[2];   // R: [dirs, gates*hidden, hidden]
    const Dim dirs = Dim::of(directions);
    const DType dtype = ctx.input_dtype(0);
    ctx.set_output(0, batch_first ? Shape{batch, seq, dirs, hidden} : Shape{seq, dirs, batch, hidden}, dtype);
    const Shape state = batch_first ? Shape{batch, dirs, hidden} : Shape{dirs, batch, hidden};
    ctx.set_output(1, state, dtype);
    ctx.set_output(2, state, dtype);   // LSTM's Y_c
}

}  // namespace

void add_recurrent_rules(RuleTable& t) {
    add_rule(t, {"LSTM", "GRU", "RNN"}, recurrent_rule);
}

}  // namespace winglet::shapes

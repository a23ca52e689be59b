// The JSON and CSV exporter plugins, loaded with dlopen and driven through the raw C ABI by a
// minimal fake host on a hand-built report full of awkward values; then once more through the
// engine's own loader and export path.
#define BOOST_TEST_MODULE exporters
#include <boost/test/unit_test.hpp>

#include "plugins/registry.hpp"
#include "report/export.hpp"

#include <winglet/plugin.h>

#include <nlohmann/json.hpp>

#include <dlfcn.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using Json = nlohmann::ordered_json;

// ---- The fake host: errors and output land in plain structs behind the opaque handles. ----------

struct HostError {
    wg_status code = WG_OK;
    std::string message;
};

struct Output {
    std::string bytes;
    int writes = 0;
    bool fail = false;  // every write fails, as on a full disk
};

void set_error(wg_error* err, wg_status code, const char* message) {
    auto* e = reinterpret_cast<HostError*>(err);
    e->code = code;
    e->message = message ? message : "";
}

wg_status sink_write(wg_sink* sink, const void* data, uint64_t size, wg_error* err) {
    auto* out = reinterpret_cast<Output*>(sink);
    if (out->fail) {
        set_error(err, WG_ERR_IO, "disk full");
        return WG_ERR_IO;
    }
    out->bytes.append(static_cast<const char*>(data), size);
    ++out->writes;
    return WG_OK;
}

const wg_host_api* fake_host() {
    static const wg_host_api api = [] {
        wg_host_api a{};
        a.struct_size = sizeof a;
        a.abi_major = WG_ABI_MAJOR;
        a.abi_minor = WG_ABI_MINOR;
        a.host_version = "test";
        a.set_error = &set_error;
        a.sink_write = &sink_write;
        return a;
    }();
    return &api;
}

struct Result {
    wg_status status;
    Output out;
    HostError error;
};

// One exporter library, loaded from WINGLET_PLUGIN_DIR as the engine would load it.
class Plugin {
public:
    explicit Plugin(const std::string& name) {
        const char* dir = std::getenv("WINGLET_PLUGIN_DIR");
        BOOST_TEST_REQUIRE(dir != nullptr, "WINGLET_PLUGIN_DIR is set by CTest");
        const std::string path = std::string(dir) + "/winglet-exporter-" + name + ".so";
        lib_ = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        BOOST_TEST_REQUIRE(lib_ != nullptr, dlerror());
        auto entry = reinterpret_cast<wg_entry_fn>(dlsym(lib_, WG_ENTRY_SYMBOL));
        BOOST_TEST_REQUIRE(entry != nullptr);
        HostError err;
        BOOST_TEST_REQUIRE(entry(fake_host(), &plugin_, reinterpret_cast<wg_error*>(&err)) == WG_OK);
        BOOST_TEST_REQUIRE(plugin_->kind == WG_KIND_EXPORTER);
        BOOST_TEST_REQUIRE(plugin_->create(fake_host(), &state_, reinterpret_cast<wg_error*>(&err)) == WG_OK);
    }
    ~Plugin() {
        if (plugin_ && plugin_->destroy) plugin_->destroy(state_);
        if (lib_) dlclose(lib_);
    }
    Plugin(const Plugin&) = delete;
    Plugin& operator=(const Plugin&) = delete;

    const wg_plugin& descriptor() const { return *plugin_; }
    const wg_exporter_vtable& vtable() const {
        return *static_cast<const wg_exporter_vtable*>(plugin_->vtable);
    }
    Result run(const wg_report& report, bool failing_sink = false) const {
        Result r{};
        r.out.fail = failing_sink;
        r.status = vtable().export_report(state_, &report, reinterpret_cast<wg_sink*>(&r.out),
                                          reinterpret_cast<wg_error*>(&r.error));
        return r;
    }

private:
    void* lib_ = nullptr;
    const wg_plugin* plugin_ = nullptr;
    void* state_ = nullptr;
};

// ---- A report built by hand. ----------------------------------------------------------------------

// The host's op record may be longer than the plugin's (a newer minor): plugins must use op_stride.
struct HostOp {
    wg_op_record rec;
    uint64_t added_in_a_later_minor;
};

constexpr uint64_t kAbove2p53 = (uint64_t{1} << 53) + 1;  // not representable as a double
constexpr const char* kAwkwardName = "conv,\"1\"\nα/β";

wg_op_record make_op(const char* name, const char* op_type, const char* domain, const char* scope,
                     const char* rule, uint32_t flags) {
    wg_op_record o{};
    o.struct_size = sizeof o;
    o.flags = flags | (rule ? WG_OP_HAS_COST_RULE : 0u);
    o.name = name;
    o.op_type = op_type;
    o.domain = domain;
    o.scope = scope;
    o.cost_rule = rule ? rule : "none";
    o.multiplier = 1.0;
    return o;
}

struct SampleReport {
    wg_dim dims0[4] = {{-1, "batch"}, {3, nullptr}, {-1, nullptr}, {224, nullptr}};
    wg_shape_view shapes0[2] = {{4, dims0}, {WG_RANK_UNKNOWN, nullptr}};
    const char* names0[2] = {"y", "mask"};
    wg_shape_view shapes1[1] = {{0, nullptr}};
    const char* names1[1] = {"s"};
    std::vector<HostOp> ops;
    const char* domains[2] = {"", "com.example"};
    int64_t versions[2] = {17, 1};
    wg_model_meta meta{sizeof(wg_model_meta), "onnx", 8, "pytorch", "2.1", "main_graph", 2,
                       domains, versions};
    wg_totals totals{sizeof(wg_totals), 3, kAbove2p53, UINT64_MAX, 1728, 6912, 1204224, 1};
    wg_count_entry types[3] = {{"Conv", 1}, {"Identity", 1}, {"MyOp", 1}};
    const char* warnings[1] = {"opset 99 is newer than the importer knows"};
    const char* assumed[1] = {"batch"};
    wg_report report{};

    SampleReport() {
        wg_op_record conv = make_op(kAwkwardName, "Conv", "", "/enc", "Conv", WG_OP_ASSUMED_DIMS);
        conv.output_count = 2;
        conv.output_names = names0;
        conv.output_shapes = shapes0;
        conv.macs = kAbove2p53;
        conv.flops = UINT64_MAX;
        conv.params = 1728;
        conv.weight_bytes = 6912;
        conv.input_bytes = 602112;
        conv.output_bytes = 1204224;
        wg_op_record custom = make_op("plain", "MyOp", "com.example", "/enc/loop", nullptr,
                                      WG_OP_IN_SUBGRAPH);
        custom.output_count = 1;
        custom.output_names = names1;
        custom.output_shapes = shapes1;
        custom.input_bytes = custom.output_bytes = 4;
        custom.multiplier = 2.5;
        ops = {{conv, 7}, {custom, 7}, {make_op("", "Identity", "", "", "Identity", 0), 7}};
        set_ops(ops);

        report.struct_size = sizeof report;
        report.tool_version = "0.1.0";
        report.model_path = "models/a,b.onnx";
        report.content_hash = "xxh3-128:0123456789abcdef0123456789abcdef";
        report.meta = &meta;
        report.totals = &totals;
        report.op_type_count = 3;
        report.op_types = types;
        report.warning_count = 1;
        report.warnings = warnings;
        report.assumed_dim_count = 1;
        report.assumed_dims = assumed;
    }
    SampleReport(const SampleReport&) = delete;  // holds pointers into itself

    void set_ops(const std::vector<HostOp>& v) {
        report.op_count = v.size();
        report.op_stride = sizeof(HostOp);
        report.ops = &v.front().rec;
    }
};

// ---- Test-side readers. -------------------------------------------------------------------------

// Checks `doc` against the subset of JSON Schema the inspect schema uses, strictly: an object key
// the schema does not list (or lists without a description) is an error, so every field the
// exporter writes must be documented.
void check_schema(const Json& root, const Json& s, const Json& doc, const std::string& path,
                  std::vector<std::string>& errors) {
    if (s.contains("$ref"))
        return check_schema(root, root.at(Json::json_pointer(s["$ref"].get<std::string>().substr(1))),
                            doc, path, errors);
    if (s.contains("oneOf")) {
        int matches = 0;
        for (const Json& alt : s["oneOf"]) {
            std::vector<std::string> e;
            check_schema(root, alt, doc, path, e);
            matches += e.empty();
        }
        if (matches != 1) errors.push_back(path + ": matches " + std::to_string(matches) + " of oneOf");
    }
    if (s.contains("const") && doc != s["const"]) errors.push_back(path + ": not the const");
    if (s.contains("enum") && std::find(s["enum"].begin(), s["enum"].end(), doc) == s["enum"].end())
        errors.push_back(path + ": not one of the enum");
    if (s.contains("type")) {
        const Json types = s["type"].is_array() ? s["type"] : Json::array({s["type"]});
        bool ok = false;
        for (const Json& t : types) {
            const std::string n = t;
            ok |= (n == "integer" && doc.is_number_integer()) || (n == "number" && doc.is_number()) ||
                  (n == "string" && doc.is_string()) || (n == "boolean" && doc.is_boolean()) ||
                  (n == "null" && doc.is_null()) || (n == "array" && doc.is_array()) ||
                  (n == "object" && doc.is_object());
        }
        if (!ok) errors.push_back(path + ": wrong type " + doc.type_name());
    }
    if (doc.is_object()) {
        for (const Json& key : s.value("required", Json::array()))
            if (!doc.contains(key.get<std::string>())) errors.push_back(path + ": missing " + key.dump());
        const Json props = s.value("properties", Json::object());
        for (const auto& [key, value] : doc.items()) {
            if (props.contains(key)) {
                if (!props[key].contains("description")) errors.push_back(path + "/" + key + ": no description");
                check_schema(root, props[key], value, path + "/" + key, errors);
            } else if (s.contains("additionalProperties")) {
                check_schema(root, s["additionalProperties"], value, path + "/" + key, errors);
            } else {
                errors.push_back(path + "/" + key + ": not in the schema");
            }
        }
    }
    if (doc.is_array() && s.contains("items"))
        for (size_t i = 0; i < doc.size(); ++i)
            check_schema(root, s["items"], doc[i], path + "/" + std::to_string(i), errors);
}

// RFC 4180 records (CRLF line ends, "" escapes a quote inside a quoted field).
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
    std::vector<std::vector<std::string>> records(1, std::vector<std::string>(1));
    bool quoted = false;
    for (size_t i = 0; i < text.size(); ++i) {
        std::string& field = records.back().back();
        if (quoted && text.compare(i, 2, "\"\"") == 0) {
            field += '"';
            ++i;
        } else if (text[i] == '"') {
            quoted = !quoted;
        } else if (!quoted && text[i] == ',') {
            records.back().emplace_back();
        } else if (!quoted && text.compare(i, 2, "\r\n") == 0) {
            records.emplace_back(1);
            ++i;
        } else {
            field += text[i];
        }
    }
    BOOST_TEST(!quoted);
    BOOST_TEST(records.back() == std::vector<std::string>(1), "the text ends with CRLF");
    records.pop_back();
    return records;
}

std::vector<std::string> keys(const Json& object) {
    std::vector<std::string> out;
    for (const auto& [key, value] : object.items()) out.push_back(key);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(descriptors) {
    for (const auto& [name, mime] : {std::pair{"json", "application/json"}, {"csv", "text/csv"}}) {
        BOOST_TEST_CONTEXT(name) {
            Plugin plugin(name);
            BOOST_TEST(plugin.descriptor().name == std::string(name));
            BOOST_TEST(plugin.descriptor().abi_major == WG_ABI_MAJOR);
            BOOST_TEST(plugin.descriptor().abi_minor <= WG_ABI_MINOR);
            BOOST_TEST(plugin.vtable().format == std::string(name));
            BOOST_TEST(plugin.vtable().file_extension == std::string(name));
            BOOST_TEST(plugin.vtable().mime_type == std::string(mime));
        }
    }
}

// ---- JSON ----------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(json_document_holds_what_the_report_says) {
    Plugin json("json");
    SampleReport sample;
    Result r = json.run(sample.report);
    BOOST_TEST_REQUIRE(r.status == WG_OK, r.error.message);
    const Json doc = Json::parse(r.out.bytes);

    BOOST_TEST(keys(doc) == (std::vector<std::string>{"schema_version", "tool", "model", "totals", "op_types", "ops",
                                                      "warnings", "assumed_dims", "unknown_shapes",
                                                      "shape_suggestions"}),
               boost::test_tools::per_element());
    BOOST_TEST(doc["schema_version"] == "1.4");
    BOOST_TEST(doc["tool"] == Json({{"name", "winglet"}, {"version", "0.1.0"}}));
    BOOST_TEST(doc["model"].dump() ==
               R"({"path":"models/a,b.onnx","content_hash":"xxh3-128:0123456789abcdef0123456789abcdef",)"
               R"("format":"onnx","ir_version":8,"producer_name":"pytorch","producer_version":"2.1",)"
               R"("graph_name":"main_graph","opsets":{"ai.onnx":17,"com.example":1},"given_inputs":[]})");
    BOOST_TEST(doc["totals"].dump() ==
               R"({"op_count":3,"macs":9007199254740993,"flops":18446744073709551615,"params":1728,)"
               R"("weight_bytes":6912,"peak_activation_bytes":1204224,"ops_without_cost_rule":1})");
    BOOST_TEST(doc["op_types"].dump() ==
               R"([{"op_type":"Conv","count":1},{"op_type":"Identity","count":1},{"op_type":"MyOp","count":1}])");
    BOOST_TEST(doc["warnings"] == Json::array({"opset 99 is newer than the importer knows"}));
    BOOST_TEST(doc["assumed_dims"] == Json::array({"batch"}));

    const Json& ops = doc["ops"];
    BOOST_TEST_REQUIRE(ops.size() == 3u);
    BOOST_TEST(ops[0].dump() ==
               R"({"name":"conv,\"1\"\nα/β","op_type":"Conv","domain":"ai.onnx","scope":"/enc",)"
               R"("macs":9007199254740993,"flops":18446744073709551615,"params":1728,"weight_bytes":6912,)"
               R"("input_bytes":602112,"output_bytes":1204224,"output_names":["y","mask"],)"
               R"("output_shapes":[["batch",3,null,224],null],"cost_rule":"Conv","in_subgraph":false,)"
               R"("assumed_dims":true,"multiplier":1.0,"inputs":[]})");
    BOOST_TEST(ops[0]["name"] == kAwkwardName);
    BOOST_TEST(ops[0]["macs"].get<uint64_t>() == kAbove2p53);
    // No cost rule: MACs and FLOPs are unknown (null), never a silent 0.
    BOOST_TEST(ops[1].dump() ==
               R"({"name":"plain","op_type":"MyOp","domain":"com.example","scope":"/enc/loop",)"
               R"("macs":null,"flops":null,"params":0,"weight_bytes":0,"input_bytes":4,"output_bytes":4,)"
               R"("output_names":["s"],"output_shapes":[[]],"cost_rule":"none","in_subgraph":true,)"
               R"("assumed_dims":false,"multiplier":2.5,"inputs":[]})");
    BOOST_TEST(ops[2]["output_shapes"] == Json::array());
}

BOOST_AUTO_TEST_CASE(json_text_is_indented_like_a_single_dump) {
    Plugin json("json");
    SampleReport sample;
    for (uint64_t op_count : {3, 0}) {
        sample.report.op_count = op_count;
        const std::string text = json.run(sample.report).out.bytes;
        BOOST_TEST(text == Json::parse(text).dump(2) + "\n");
    }
}

BOOST_AUTO_TEST_CASE(json_document_follows_the_schema) {
    const char* src = std::getenv("WINGLET_SOURCE_DIR");
    BOOST_TEST_REQUIRE(src != nullptr, "WINGLET_SOURCE_DIR is set by CTest");
    std::ifstream file(std::string(src) + "/plugins/exporters/json/schema/inspect.schema.json");
    BOOST_TEST_REQUIRE(file.good());
    const Json schema = Json::parse(file);
    BOOST_TEST(schema["$schema"] == "https://json-schema.org/draft/2020-12/schema");

    Plugin json("json");
    SampleReport sample;
    const Json doc = Json::parse(json.run(sample.report).out.bytes);
    std::vector<std::string> errors;
    check_schema(schema, schema, doc, "", errors);
    BOOST_TEST(errors.empty(), "schema violations: " << Json(errors).dump());
}

// ---- A compile report (ABI 1.4): where the model lives and the ops that spill -------------------

namespace {

// SampleReport compiled for an MCU whose 128 KiB DTCM the Conv (1,806,336 B of activations) exceeds:
// weights read in place from flash, RAM for the activations only.
struct CompiledSample : SampleReport {
    wg_unit_desc unit{sizeof(wg_unit_desc), "cpu", "mcu", 131072, 1806336};
    wg_op_spill spill{sizeof(wg_op_spill), 0, 1806336 - 131072, 2 * (1806336 - 131072), 12.5, 0.25};
    wg_plan_summary plan{};

    CompiledSample() {
        for (HostOp& op : ops) {
            op.rec.unit = "cpu";
            op.rec.fallback_reason = "";
            op.rec.group = -1;
            op.rec.bound = WG_BOUND_COMPUTE;
            op.rec.arena_offset = -1;
        }
        plan.struct_size = sizeof plan;
        plan.device_id = "mcu";
        plan.device_name = "MCU";
        plan.latency_ms = 1;
        plan.energy_mj = 0.5;
        plan.avg_power_w = 0.5;
        plan.peak_memory_bytes = 1204224;
        plan.weights_resident_bytes = 6912;
        plan.storage_bytes = 6912;
        plan.fits = 0;
        plan.fit_detail = "flash 6.8 KiB of 2 MiB (weights, read in place); RAM 1.1 MiB of 1 MiB (activations + I/O), "
                          "exceeded by 152 KiB";
        plan.unit_count = 1;
        plan.units = &unit;
        plan.weights_in = WG_WEIGHTS_IN_STORAGE;
        plan.activation_bytes = 1204224;
        plan.ram_capacity_bytes = 1048576;
        plan.storage_capacity_bytes = 2097152;
        plan.spill_count = 1;
        plan.spill_stride = sizeof(wg_op_spill);
        plan.spills = &spill;
        report.plan = &plan;
    }
};

}  // namespace

BOOST_AUTO_TEST_CASE(json_compile_report_says_where_the_model_lives_and_what_spills) {
    Plugin json("json");
    CompiledSample sample;
    const Json doc = Json::parse(json.run(sample.report).out.bytes);
    BOOST_TEST(doc["plan"]["memory"].dump() ==
               R"({"weights_in":"storage",)"
               R"("ram":{"needed_bytes":1204224,"capacity_bytes":1048576,"fits":false,"weight_bytes":0,)"
               R"("activation_bytes":1204224},)"
               R"("storage":{"needed_bytes":6912,"capacity_bytes":2097152,"fits":true}})");
    BOOST_TEST(doc["ops"][0]["spill"].dump() ==
               R"({"bytes":1675264,"traffic_bytes":3350528,"latency_us":12.5,"energy_uj":0.25})");
    BOOST_TEST(doc["ops"][1]["spill"].is_null());
    BOOST_TEST(doc["ops"][2]["spill"].is_null());

    // A 1.3 host's summary ends before weights_in: neither key is written.
    sample.plan.struct_size = offsetof(wg_plan_summary, weights_in);
    const Json old = Json::parse(json.run(sample.report).out.bytes);
    BOOST_TEST(!old["plan"].contains("memory"));
    BOOST_TEST(!old["ops"][0].contains("spill"));
}

BOOST_AUTO_TEST_CASE(json_compile_report_follows_the_schema) {
    const char* src = std::getenv("WINGLET_SOURCE_DIR");
    BOOST_TEST_REQUIRE(src != nullptr, "WINGLET_SOURCE_DIR is set by CTest");
    std::ifstream file(std::string(src) + "/plugins/exporters/json/schema/inspect.schema.json");
    const Json schema = Json::parse(file);
    Plugin json("json");
    CompiledSample sample;
    const Json doc = Json::parse(json.run(sample.report).out.bytes);
    std::vector<std::string> errors;
    check_schema(schema, schema, doc, "", errors);
    BOOST_TEST(errors.empty(), "schema violations: " << Json(errors).dump());
}

BOOST_AUTO_TEST_CASE(json_replaces_invalid_utf8) {
    Plugin json("json");
    SampleReport sample;
    sample.ops[1].rec.name = "bad\xff";
    Result r = json.run(sample.report);
    BOOST_TEST_REQUIRE(r.status == WG_OK, r.error.message);
    BOOST_TEST(Json::parse(r.out.bytes)["ops"][1]["name"] == "bad\xEF\xBF\xBD");  // U+FFFD
}

BOOST_AUTO_TEST_CASE(errors_come_back_as_status_and_message) {
    for (const char* name : {"json", "csv"}) {
        BOOST_TEST_CONTEXT(name) {
            Plugin plugin(name);
            SampleReport sample;
            Result io = plugin.run(sample.report, /*failing_sink=*/true);
            BOOST_TEST(io.status == WG_ERR_IO);
            BOOST_TEST(io.error.message == "disk full");

            sample.report.op_stride = 8;
            Result bad = plugin.run(sample.report);
            BOOST_TEST(bad.status == WG_ERR_INVALID_ARGUMENT);
            BOOST_TEST(bad.error.message.find("malformed report") != std::string::npos);
            BOOST_TEST(bad.out.bytes.empty());
        }
    }
}

// ---- CSV -----------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(csv_text_is_exact) {
    Plugin csv("csv");
    SampleReport sample;
    Result r = csv.run(sample.report);
    BOOST_TEST_REQUIRE(r.status == WG_OK, r.error.message);
    BOOST_TEST(r.out.bytes ==
               "name,op_type,domain,scope,output_shapes,macs,flops,params,weight_bytes,input_bytes,"
               "output_bytes,cost_rule,in_subgraph,assumed_dims,multiplier\r\n"
               "\"conv,\"\"1\"\"\nα/β\",Conv,ai.onnx,/enc,batchx3x?x224;?,9007199254740993,"
               "18446744073709551615,1728,6912,602112,1204224,Conv,false,true,1\r\n"
               "plain,MyOp,com.example,/enc/loop,scalar,,,0,0,4,4,none,true,false,2.5\r\n"
               ",Identity,ai.onnx,,,0,0,0,0,0,0,Identity,false,false,1\r\n");
}

BOOST_AUTO_TEST_CASE(csv_parses_back) {
    Plugin csv("csv");
    SampleReport sample;
    const auto records = parse_csv(csv.run(sample.report).out.bytes);
    BOOST_TEST_REQUIRE(records.size() == 4u);
    for (const auto& record : records) BOOST_TEST(record.size() == 15u);
    BOOST_TEST(records[0][0] == "name");
    BOOST_TEST(records[1][0] == kAwkwardName);
    BOOST_TEST(records[1][5] == "9007199254740993");
    BOOST_TEST(records[2][5] == "");  // MACs unknown without a cost rule
}

// ---- Through the engine: its loader accepts both plugins and its export path feeds them. ---------

BOOST_AUTO_TEST_CASE(engine_loads_and_runs_both) {
    winglet::PluginRegistry registry;
    registry.load_directories({std::getenv("WINGLET_PLUGIN_DIR")});
    winglet::Report report;
    report.model.opsets = {{"", 17}};
    winglet::OpReport op;
    op.name = kAwkwardName;
    op.op_type = "MatMul";
    op.cost_rule = "MatMul";
    op.has_cost_rule = true;
    op.macs = kAbove2p53;
    op.output_names = {"y"};
    op.output_shapes = {winglet::Shape{winglet::Dim::named("batch"), winglet::Dim::of(10)}};
    report.ops = {op, op};
    report.totals.op_count = 2;

    std::ostringstream json, csv;
    winglet::export_report(registry, report, "json", json);
    winglet::export_report(registry, report, "csv", csv);
    const Json doc = Json::parse(json.str());
    BOOST_TEST(doc["ops"].size() == 2u);
    BOOST_TEST(doc["ops"][1]["name"] == kAwkwardName);
    BOOST_TEST(doc["ops"][1]["macs"].get<uint64_t>() == kAbove2p53);
    BOOST_TEST(doc["ops"][1]["output_shapes"] == Json::parse(R"([["batch", 10]])"));
    const auto records = parse_csv(csv.str());
    BOOST_TEST_REQUIRE(records.size() == 3u);
    BOOST_TEST(records[2][0] == kAwkwardName);
    BOOST_TEST(records[2][4] == "batchx10");
}

// ---- Scale ---------------------------------------------------------------------------------------

// The time is printed (--log_level=message), not asserted: a shared CI machine makes a poor clock.
BOOST_AUTO_TEST_CASE(ten_thousand_ops) {
    SampleReport sample;
    std::vector<HostOp> many(10000, sample.ops[0]);
    sample.set_ops(many);
    for (const char* name : {"json", "csv"}) {
        BOOST_TEST_CONTEXT(name) {
            Plugin plugin(name);
            const auto start = std::chrono::steady_clock::now();
            Result r = plugin.run(sample.report);
            const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
            BOOST_TEST_MESSAGE(name << ": 10,000 ops, " << r.out.bytes.size() << " bytes in "
                                    << took.count() << " s, " << r.out.writes << " writes");
            BOOST_TEST_REQUIRE(r.status == WG_OK, r.error.message);
            BOOST_TEST(r.out.writes > 1, "written in chunks, not held whole");
            if (name == std::string("json"))
                BOOST_TEST(Json::parse(r.out.bytes)["ops"].size() == 10000u);
            else
                BOOST_TEST(parse_csv(r.out.bytes).size() == 10001u);
        }
    }
}

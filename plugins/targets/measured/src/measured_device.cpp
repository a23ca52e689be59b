#include "measured_device.hpp"

#include "toml_fields.hpp"

#include <cctype>
#include <fstream>
#include <sstream>

namespace winglet::measured {

namespace fs = std::filesystem;

namespace {

// The placeholders each template may use; anything else in braces is a mistake.
const std::vector<std::string> kRunnerPlaceholders = {"{runner_dir}"};
const std::vector<std::string> kCopyPlaceholders = {"{model}", "{remote_model}", "{remote_dir}", "{runner_dir}"};

void check_placeholders(TomlFields& fields, std::string_view key, const std::vector<std::string>& args,
                        const std::vector<std::string>& allowed) {
    for (const std::string& arg : args)
        for (size_t open = arg.find('{'); open != std::string::npos; open = arg.find('{', open + 1)) {
            const size_t close = arg.find('}', open);
            const std::string name = arg.substr(open, close == std::string::npos ? std::string::npos : close - open + 1);
            bool known = false;
            for (const std::string& a : allowed) known = known || a == name;
            if (!known) {
                std::string list;
                for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + a;
                fields.problem(key, "unknown placeholder '" + name + "' (allowed: " + list + ")");
            }
        }
}

bool mentions(const std::vector<std::string>& args, std::string_view placeholder) {
    for (const std::string& arg : args)
        if (arg.find(placeholder) != std::string::npos) return true;
    return false;
}

bool valid_id(const std::string& id) {
    if (id.empty()) return false;
    for (char c : id)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
    return true;
}

void read_copy(TomlFields copy, MeasuredDevice& device) {
    CopyStep step;
    if (auto command = copy.strings("command", true)) {
        check_placeholders(copy, "command", *command, kCopyPlaceholders);
        if (!mentions(*command, "{model}") || !mentions(*command, "{remote_model}"))
            copy.problem("command", "must copy {model} to {remote_model}");
        step.command = *command;
    }
    if (auto dir = copy.string("remote_dir", true)) {
        if (dir->empty() || dir->front() != '/') copy.problem("remote_dir", "expected an absolute path on the device");
        step.remote_dir = *dir;
    }
    copy.finish();
    device.copy = std::move(step);
}

void read_runner(TomlFields runner, MeasuredDevice& device) {
    if (auto command = runner.strings("command", true)) {
        check_placeholders(runner, "command", *command, kRunnerPlaceholders);
        device.command = *command;
    }
    if (auto prefix = runner.strings("prefix", false)) {
        check_placeholders(runner, "prefix", *prefix, kRunnerPlaceholders);
        device.prefix = *prefix;
    }
    if (auto timeout = runner.positive_number("timeout_s", false)) device.timeout_s = *timeout;
    if (auto copy = runner.table("copy", false)) read_copy(*copy, device);
    runner.finish();
}

void read_defaults(TomlFields defaults, RunOptions& options) {
    if (auto v = defaults.integer("threads", false, 1, 1024)) options.threads = *v;
    if (auto level = defaults.string("graph_optimization", false)) {
        if (auto parsed = graph_optimization_from_string(*level)) options.graph_optimization = *parsed;
        else defaults.problem("graph_optimization", "expected one of disabled, basic, extended, all");
    }
    if (auto v = defaults.integer("warmup", false, 0, 10000)) options.warmup = *v;
    if (auto v = defaults.integer("runs", false, 1, 100000)) options.runs = *v;
    if (auto v = defaults.integer("profile_runs", false, 0, 100000)) options.profile_runs = *v;
    defaults.finish();
}

[[noreturn]] void fail(const fs::path& origin, const std::vector<std::string>& problems) {
    std::string message = "invalid measured device " + origin.string() + ":";
    for (const std::string& p : problems) message += "\n  " + p;
    throw RunnerError(FailureKind::device_file, message);
}

toml::table parse_toml(const std::string& text, const fs::path& origin) {
    try {
        return toml::parse(text, origin.string());
    } catch (const toml::parse_error& e) {
        const auto& at = e.source().begin;
        fail(origin, {origin.string() + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) +
                      ": not valid TOML: " + std::string(e.description())});
    }
}

}  // namespace

bool is_measured_device_toml(const std::string& text) {
    try {
        const toml::table root = toml::parse(text);
        return root.get_as<toml::table>("runner") != nullptr;
    } catch (const toml::parse_error&) {
        return false;
    }
}

MeasuredDevice parse_measured_device(const std::string& text, const fs::path& origin) {
    const toml::table root = parse_toml(text, origin);
    std::vector<std::string> problems;
    TomlFields top(root, origin.string(), "", problems);
    MeasuredDevice device;
    device.file = origin;
    device.file_bytes = text;
    if (auto format = top.integer("format", true, 1, 1)) device.format = *format;
    if (auto id = top.string("id", true)) {
        if (!valid_id(*id)) top.problem("id", "expected letters, digits, '-', '_' or '.'");
        device.id = *id;
    }
    if (auto name = top.string("name", true)) device.name = *name;
    if (auto description = top.string("description", false)) device.description = *description;
    if (auto runner = top.table("runner", true)) read_runner(*runner, device);
    if (auto defaults = top.table("defaults", false)) read_defaults(*defaults, device.defaults);
    top.finish();
    if (!problems.empty()) fail(origin, problems);
    return device;
}

MeasuredDevice load_measured_device(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) fail(file, {file.string() + ": cannot be read"});
    std::ostringstream text;
    text << in.rdbuf();
    return parse_measured_device(text.str(), file);
}

}  // namespace winglet::measured

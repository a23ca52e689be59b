// Measured device files: the shipped one loads; mistakes are reported with file, line and key;
// discovery skips spec-target files silently and bad files alone; the fingerprint follows the
// file, the runner scripts and the runtime version, and needs no runner run.
#define BOOST_TEST_MODULE measured_device
#include <boost/test/unit_test.hpp>

#include "device_discovery.hpp"
#include "fingerprint.hpp"
#include "measured_device.hpp"
#include "test_support.hpp"

namespace wm = winglet::measured;
using namespace measured_test;

namespace {

const std::string kBoard = R"(format = 1
id = "board"
name = "A board over ssh"

[runner]
command = ["node", "/opt/winglet-runner/run.mjs"]
prefix = ["ssh", "board"]
timeout_s = 120.5

[runner.copy]
command = ["scp", "-q", "{model}", "board:{remote_model}"]
remote_dir = "/tmp/winglet"

[defaults]
threads = 4
graph_optimization = "extended"
warmup = 1
runs = 5
profile_runs = 2
)";

// The error message for `text`, or "" when it parses.
std::string problems(const std::string& text) {
    try {
        wm::parse_measured_device(text, "bad.toml");
    } catch (const wm::RunnerError& e) {
        BOOST_TEST((e.kind() == wm::FailureKind::device_file));
        BOOST_TEST_MESSAGE(e.what());
        return e.what();
    }
    return "";
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const size_t at = text.find(from);
    BOOST_TEST_REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_CASE(shipped_host_device_loads) {
    const auto device = wm::load_measured_device(kMeasuredDir / "devices" / "host-ort.toml");
    BOOST_TEST(device.id == "host-ort");
    BOOST_TEST((device.command == std::vector<std::string>{"node", "{runner_dir}/run.mjs"}));
    BOOST_TEST(device.prefix.empty());
    BOOST_TEST(!device.copy.has_value());
    BOOST_TEST(device.defaults.threads == 1);
    BOOST_TEST((device.defaults.graph_optimization == wm::GraphOptimization::all));
    BOOST_TEST(device.timeout_s == 600);
}

BOOST_AUTO_TEST_CASE(every_field_is_read) {
    const auto d = wm::parse_measured_device(kBoard, "board.toml");
    BOOST_TEST(d.id == "board");
    BOOST_TEST((d.prefix == std::vector<std::string>{"ssh", "board"}));
    BOOST_TEST(d.timeout_s == 120.5);
    BOOST_TEST_REQUIRE(d.copy.has_value());
    BOOST_TEST(d.copy->remote_dir == "/tmp/winglet");
    BOOST_TEST(d.copy->command.size() == 4u);
    BOOST_TEST(d.defaults.threads == 4);
    BOOST_TEST((d.defaults.graph_optimization == wm::GraphOptimization::extended));
    BOOST_TEST(d.defaults.warmup == 1);
    BOOST_TEST(d.defaults.runs == 5);
    BOOST_TEST(d.defaults.profile_runs == 2);
}

BOOST_AUTO_TEST_CASE(unknown_keys_are_named_with_their_line) {
    const std::string e = problems(replaced(kBoard, "timeout_s = 120.5", "timeout = 120.5"));
    BOOST_TEST(contains(e, "invalid measured device bad.toml:"));
    BOOST_TEST(contains(e, "bad.toml:8:11: key 'runner.timeout': unknown key"));
    BOOST_TEST(contains(problems(replaced(kBoard, "runs = 5", "rns = 5")), "key 'defaults.rns': unknown key"));
}

BOOST_AUTO_TEST_CASE(missing_fields_are_named) {
    const std::string e = problems(replaced(kBoard, "id = \"board\"\n", ""));
    BOOST_TEST(contains(e, "key 'id': missing (expected a string)"));
    BOOST_TEST(contains(problems(replaced(kBoard, "command = [\"node\", \"/opt/winglet-runner/run.mjs\"]\n", "")),
                        "key 'runner.command': missing"));
    BOOST_TEST(contains(problems(replaced(kBoard, "remote_dir = \"/tmp/winglet\"\n", "")),
                        "key 'runner.copy.remote_dir': missing"));
    BOOST_TEST(contains(problems("format = 1\nid = \"x\"\nname = \"x\"\n"), "key 'runner': missing (expected a table)"));
}

BOOST_AUTO_TEST_CASE(bad_values_are_named) {
    BOOST_TEST(contains(problems(replaced(kBoard, "threads = 4", "threads = 0")),
                        "bad.toml:15:11: key 'defaults.threads': expected an integer in [1, 1024]"));
    BOOST_TEST(contains(problems(replaced(kBoard, "\"extended\"", "\"max\"")),
                        "key 'defaults.graph_optimization': expected one of disabled, basic, extended, all"));
    BOOST_TEST(contains(problems(replaced(kBoard, "timeout_s = 120.5", "timeout_s = -1")),
                        "key 'runner.timeout_s': expected a positive number"));
    BOOST_TEST(contains(problems(replaced(kBoard, "prefix = [\"ssh\", \"board\"]", "prefix = \"ssh board\"")),
                        "key 'runner.prefix': expected a non-empty array of strings"));
    BOOST_TEST(contains(problems(replaced(kBoard, "board:{remote_model}", "board:{remote}")),
                        "key 'runner.copy.command': unknown placeholder '{remote}'"));
    BOOST_TEST(contains(problems(replaced(kBoard, "\"{model}\", ", "")), "must copy {model} to {remote_model}"));
    BOOST_TEST(contains(problems(replaced(kBoard, "\"/tmp/winglet\"", "\"tmp\"")), "expected an absolute path"));
    BOOST_TEST(contains(problems(replaced(kBoard, "format = 1", "format = 2")), "key 'format': expected an integer in [1, 1]"));
    BOOST_TEST(contains(problems(replaced(kBoard, "id = \"board\"", "id = \"my board\"")), "key 'id': expected letters"));
}

BOOST_AUTO_TEST_CASE(every_mistake_is_reported_at_once) {
    const std::string e = problems(replaced(replaced(kBoard, "runs = 5", "runs = 0"), "warmup = 1", "warmup = \"1\""));
    BOOST_TEST(contains(e, "key 'defaults.runs'"));
    BOOST_TEST(contains(e, "key 'defaults.warmup'"));
}

BOOST_AUTO_TEST_CASE(broken_toml_names_the_line) {
    BOOST_TEST(contains(problems("format = 1\n[runner\n"), "bad.toml:2:"));
}

BOOST_AUTO_TEST_CASE(discovery_skips_spec_files_and_reports_bad_ones) {
    TempDir first, second;
    write_text(first.path() / "board.toml", kBoard);
    write_text(first.path() / "broken.toml", replaced(kBoard, "runs = 5", "runs = -5"));
    write_text(first.path() / "spec.toml", "format = 1\n[device]\nid = \"npu\"\n");  // a spec-target file
    write_text(second.path() / "again.toml", kBoard);                              // same id: the first wins
    std::vector<std::string> warnings;
    const auto devices = wm::load_measured_devices(
        {first.path(), second.path(), first.path() / "missing"},
        [&](const std::string& w) { warnings.push_back(w); });
    BOOST_TEST_REQUIRE(devices.size() == 1u);
    BOOST_TEST(devices[0].file == first.path() / "board.toml");
    BOOST_TEST_REQUIRE(warnings.size() == 2u);
    BOOST_TEST(contains(warnings[0], "broken.toml"));
    BOOST_TEST(contains(warnings[0], "defaults.runs"));
    BOOST_TEST(contains(warnings[1], "already defined"));
}

BOOST_AUTO_TEST_CASE(shipped_devices_come_after_the_device_path) {
    TempDir dir;
    setenv("WINGLET_DEVICE_PATH", (dir.path().string() + "::/nowhere").c_str(), 1);
    const auto dirs = wm::measured_device_dirs();
    unsetenv("WINGLET_DEVICE_PATH");
    BOOST_TEST_REQUIRE(dirs.size() == 3u);
    BOOST_TEST(dirs[0] == dir.path());
    BOOST_TEST(dirs[2] == kMeasuredDir / "devices");
    BOOST_TEST(wm::runner_dir() == kMeasuredDir / "runner");
}

BOOST_AUTO_TEST_CASE(fingerprint_follows_file_runner_and_runtime) {
    const auto device = wm::load_measured_device(kMeasuredDir / "devices" / "host-ort.toml");
    const std::string base = wm::device_fingerprint(device, wm::runner_dir());
    BOOST_TEST(base.size() == 16u);
    BOOST_TEST(wm::device_fingerprint(device, wm::runner_dir()) == base);
    BOOST_TEST(wm::runtime_version_from_lock(wm::runner_dir()) == "1.31.1");

    auto edited = device;
    edited.file_bytes += "\n# a comment\n";
    BOOST_TEST(wm::device_fingerprint(edited, wm::runner_dir()) != base);

    // A copy of the runner with one script changed, then with another runtime version.
    TempDir copy;
    fs::copy(wm::runner_dir() / "run.mjs", copy.path() / "run.mjs");
    fs::copy(wm::runner_dir() / "lib", copy.path() / "lib");
    fs::copy(wm::runner_dir() / "package-lock.json", copy.path() / "package-lock.json");
    const std::string copied = wm::device_fingerprint(device, copy.path());
    BOOST_TEST(copied == base);
    write_text(copy.path() / "lib" / "stats.mjs", read_text(copy.path() / "lib" / "stats.mjs") + "\n");
    const std::string script_changed = wm::device_fingerprint(device, copy.path());
    BOOST_TEST(script_changed != base);
    std::string lock = read_text(copy.path() / "package-lock.json");
    const size_t at = lock.find("\"version\": \"1.31.1\"", lock.find("\"node_modules/onnxruntime-node\""));
    BOOST_TEST_REQUIRE(at != std::string::npos);
    write_text(copy.path() / "package-lock.json", lock.replace(at, 19, "\"version\": \"1.32.0\""));
    BOOST_TEST(wm::runtime_version_from_lock(copy.path()) == "1.32.0");
    BOOST_TEST(wm::device_fingerprint(device, copy.path()) != script_changed);

    const auto host = wm::read_host_facts();
    BOOST_TEST_MESSAGE("host: " << host.cpu_model << ", " << host.logical_cpus << " CPUs, governor "
                                << host.governor.value_or("unreadable") << "; fingerprint " << base);
    BOOST_TEST(host.logical_cpus >= 1);
}

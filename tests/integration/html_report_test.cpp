// The HTML exporter and `winglet compare` through the binary: the page embeds exactly the JSON
// export's document, markup in model names cannot break out of it, and bad reports are refused.
// What the page does with the data is tested in a real browser (tests/browser).
#define BOOST_TEST_MODULE html_report
#include <boost/test/unit_test.hpp>

#include "support/run_command.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

namespace fs = std::filesystem;
using namespace winglet::test;
using Json = nlohmann::json;

namespace {

std::string cli(const std::string& args) { return winglet_cmd("-q " + args); }
std::string model(const std::string& name) { return test_model(name); }

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

struct TempDir {
    fs::path path = fs::temp_directory_path() / ("winglet_html_report_" + std::to_string(::getpid()));
    TempDir() { fs::create_directories(path); }
    ~TempDir() { fs::remove_all(path); }
    std::string operator/(const std::string& name) const { return (path / name).string(); }
};

// The <script type="application/json" id="winglet-data"> payload of a report page.
Json embedded_payload(const std::string& page) {
    const std::string open = "<script type=\"application/json\" id=\"winglet-data\">";
    const size_t from = page.find(open);
    BOOST_TEST_REQUIRE(from != std::string::npos);
    const size_t begin = from + open.size();
    const size_t end = page.find("</script>", begin);
    BOOST_TEST_REQUIRE(end != std::string::npos);
    return Json::parse(page.substr(begin, end - begin));
}

}  // namespace

BOOST_AUTO_TEST_CASE(html_report_embeds_the_json_document) {
    TempDir dir;
    const CommandResult h = run_command(cli("compile " + model("conv_chain.onnx") + " -t stm32h743 --no-cache -o " + quoted(dir / "r.html")));
    BOOST_TEST_REQUIRE(h.exit_code == 0, h.output);
    const CommandResult j = run_command(
        cli("compile " + model("conv_chain.onnx") + " -t stm32h743 --no-cache --what-if -o " + quoted(dir / "r.json")));
    BOOST_TEST_REQUIRE(j.exit_code == 0, j.output);
    const std::string page = read(dir / "r.html");
    BOOST_TEST(page.rfind("<!DOCTYPE html>", 0) == 0);
    // Nothing loaded from elsewhere: the scripts and the style are inline (the browser tests also
    // check that opening it makes no request at all).
    BOOST_TEST(page.find("<script src") == std::string::npos);
    BOOST_TEST(page.find("<link") == std::string::npos);
    const Json payload = embedded_payload(page);
    BOOST_TEST(payload["kind"] == "report");
    BOOST_TEST(payload["report"] == Json::parse(read(dir / "r.json")));  // the same numbers as the JSON export
}

BOOST_AUTO_TEST_CASE(markup_in_names_cannot_end_the_data_element) {
    TempDir dir;
    const CommandResult r = run_command(cli("compile " + model("markup_names.onnx") + " -t stm32h743 --no-cache -o " + quoted(dir / "m.html")));
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.output);
    const std::string page = read(dir / "m.html");
    BOOST_TEST(page.find("</script><script>alert(1)") == std::string::npos);
    BOOST_TEST(page.find("<!-- &") == std::string::npos);
    const Json payload = embedded_payload(page);
    BOOST_TEST(payload["report"]["ops"][0]["name"] == "</script><script>alert(1)</script>");
    BOOST_TEST(payload["report"]["ops"][1]["name"] == "<!-- & &amp; \"quoted\" -->");
}

BOOST_AUTO_TEST_CASE(compare_embeds_every_report_with_its_label) {
    TempDir dir;
    for (const char* device : {"stm32h743", "apple-a17-pro"}) {
        const CommandResult r = run_command(cli("compile " + model("conv_chain.onnx") + " -t " + device +
                                                " --no-cache -o " + quoted(dir / (std::string(device) + ".json"))));
        BOOST_TEST_REQUIRE(r.exit_code == 0, r.output);
    }
    const CommandResult c = run_command(cli("compare " + quoted(dir / "stm32h743.json") + " " + quoted(dir / "apple-a17-pro.json") +
                                            " --label mcu --label phone -o " + quoted(dir / "diff.html")));
    BOOST_TEST_REQUIRE(c.exit_code == 0, c.output);
    const Json payload = embedded_payload(read(dir / "diff.html"));
    BOOST_TEST(payload["kind"] == "compare");
    BOOST_TEST_REQUIRE(payload["reports"].size() == 2u);
    BOOST_TEST(payload["reports"][0]["label"] == "mcu");
    BOOST_TEST(payload["reports"][1]["label"] == "phone");
    BOOST_TEST(payload["reports"][1]["report"] == Json::parse(read(dir / "apple-a17-pro.json")));
}

BOOST_AUTO_TEST_CASE(compare_refuses_what_it_cannot_read_and_writes_nothing) {
    TempDir dir;
    const CommandResult ok = run_command(cli("compile " + model("conv_chain.onnx") + " -t stm32h743 --no-cache -o " + quoted(dir / "a.json")));
    BOOST_TEST_REQUIRE(ok.exit_code == 0, ok.output);
    std::ofstream(dir / "garbage.json") << "{\"schema_version\": ";
    std::ofstream(dir / "other.json") << "{\"name\": \"not a report\"}";
    std::ofstream(dir / "future.json") << "{\"schema_version\": \"2.0\", \"ops\": [], \"totals\": {}}";
    std::ofstream(dir / "keep.html") << "previous";
    const std::string a = quoted(dir / "a.json");
    const struct {
        std::string args;
        int exit_code;
        std::string message;
    } cases[] = {
        {"compare " + a + " -o " + quoted(dir / "keep.html"), 1, "two or more reports"},
        {"compare " + a + " " + a, 1, "needs --output"},
        {"compare " + a + " " + quoted(dir / "missing.json") + " -o " + quoted(dir / "keep.html"), 2, "missing.json"},
        {"compare " + a + " " + quoted(dir / "garbage.json") + " -o " + quoted(dir / "keep.html"), 2, "garbage.json: not JSON"},
        {"compare " + a + " " + quoted(dir / "other.json") + " -o " + quoted(dir / "keep.html"), 2, "not a winglet report"},
        {"compare " + a + " " + quoted(dir / "future.json") + " -o " + quoted(dir / "keep.html"), 2, "schema 2.0"},
        {"compare " + a + " " + a + " --label one -o " + quoted(dir / "keep.html"), 1, "--label given 1 times for 2"},
        {"compare " + a + " " + a + " -o " + quoted(dir / "keep.csv"), 3, "does not write comparisons"},
    };
    for (const auto& c : cases) {
        const CommandResult r = run_command(cli(c.args));
        BOOST_TEST(r.exit_code == c.exit_code, c.args << "\n" << r.output);
        BOOST_TEST(r.output.find(c.message) != std::string::npos, c.args << "\n" << r.output);
    }
    BOOST_TEST(read(dir / "keep.html") == "previous");
    BOOST_TEST(!fs::exists(dir / "keep.csv"));
}

// Helpers shared by the ABI tests that drive a `winglet` binary.
#pragma once

#include "support/run_command.hpp"

#include <boost/dll/shared_library.hpp>
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>

namespace winglet::test {

// Runs a command whose stdout is a JSON document. Its stderr (log lines such as refused plugins)
// is kept apart so it cannot corrupt the document, and is shown when a check fails.
inline nlohmann::json run_json(const std::string& command, int expected_exit = 0) {
    namespace fs = std::filesystem;
    const fs::path log = fs::temp_directory_path() / ("winglet-abi-stderr-" + std::to_string(::getpid()));
    const CommandResult r = run_command("{ " + command + " 2>" + quoted(log.string()) + "; }");
    std::ifstream in(log);
    const std::string stderr_text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    std::error_code ignored;
    fs::remove(log, ignored);

    BOOST_TEST_INFO("command: " << command << "\nstdout:\n" << r.output << "\nstderr:\n" << stderr_text);
    BOOST_TEST_REQUIRE(r.exit_code == expected_exit);
    nlohmann::json doc = nlohmann::json::parse(r.output, nullptr, /*allow_exceptions=*/false);
    BOOST_TEST_INFO("stdout:\n" << r.output);
    BOOST_TEST_REQUIRE(!doc.is_discarded());
    return doc;
}

// A plugin library's file name: "wrong_major" -> "wrong_major.so".
inline std::string library_name(const std::string& stem) {
    return stem + boost::dll::shared_library::suffix().string();
}

// The entry of a `winglet plugins --json` document whose library file is `file_name`; null when
// the document lists no such file.
inline nlohmann::json plugin_entry(const nlohmann::json& plugins_doc, const std::string& file_name) {
    for (const auto& p : plugins_doc.at("plugins"))
        if (std::filesystem::path(p.at("path").get<std::string>()).filename() == file_name) return p;
    return nullptr;
}

}  // namespace winglet::test
